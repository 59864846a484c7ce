// The RAM bandwidth probe through detection: one measurement per boot, kept in a cache file (a temp dir through the
// injected I/O), bounded by the CPU's memory platform, and shown by doctor.
import { mkdir, mkdtemp, readFile, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { doctorText } from "../../src/cli/render/doctor-text.js";
import { PLAIN } from "../../src/cli/table.js";
import { detectMachine, refreshDynamic } from "../../src/hardware/detect.js";
import { doctorReport } from "../../src/hardware/doctor.js";
import { fixtureIO } from "../../src/hardware/fixture-io.js";
import type { HardwareIO, ProbeCacheIO, RamBandwidthMeasurement } from "../../src/hardware/io.js";
import { defaultCacheDir, RAM_BANDWIDTH_CACHE_FILE, realProbeCache } from "../../src/hardware/real-io.js";
import { ProbeTrace } from "../../src/hardware/trace.js";

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "machines");
/** A Ryzen 9 5900X desktop (AM4, DDR4-3200 dual channel: 51.2 GB/s nominal, 76.8 ceiling); its GPU driver is broken. */
const RYZEN_BOX = path.join(FIXTURES, "nvidia-driver-broken");

const PASSES = [40.1, 42.3, 41.8, 20.2, 42.0, 41.9, 39.7];

const measurement = (passesGBps: number[]): RamBandwidthMeasurement => ({
  passesGBps,
  windowGBps: passesGBps.map((p) => Math.round(p * 6) / 10),
  togetherMs: passesGBps.map(() => 12.5),
  warmupGBps: 35.5,
  passMs: 50,
  threads: 24,
  bytesPerThread: 32 * 1024 ** 2,
  durationMs: 640,
  otherCpuPct: 4,
});

interface Host {
  io: HardwareIO;
  /** How many times the probe ran. */
  runs: () => number;
}

/** The fixture machine with a probe that returns `passes` and a cache in `dir` on boot `bootId`. */
async function host(dir: string, bootId: string | null, passes: number[] = PASSES, cache: Partial<ProbeCacheIO> = {}): Promise<Host> {
  const base = await fixtureIO(RYZEN_BOX);
  let runs = 0;
  const probeCache: ProbeCacheIO = { ...realProbeCache({ probeCache: dir }), bootId: async () => bootId, ...cache };
  const io: HardwareIO = {
    ...base,
    probeCache,
    measureRamBandwidth: async () => {
      runs += 1;
      return measurement(passes);
    },
  };
  return { io, runs: () => runs };
}

async function detect(io: HardwareIO): Promise<{ machine: Awaited<ReturnType<typeof detectMachine>>; trace: ProbeTrace }> {
  const trace = new ProbeTrace();
  const machine = await detectMachine(io, { trace, timeoutMs: 200 });
  return { machine, trace };
}

const tempDir = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), "nodefit-ram-cache-"));

describe("the per-boot cache of the RAM bandwidth measurement", () => {
  it("measured once: the same boot reads the cache (no second probe), the same figure and source", async () => {
    const dir = await tempDir();
    const a = await host(dir, "boot-1");
    const first = await detect(a.io);
    expect(a.runs()).toBe(1);
    expect(first.machine.memory.bandwidthGBps).toBe(42);
    expect(first.trace.ramBandwidth?.cache).toEqual({ state: "miss", path: path.join(dir, RAM_BANDWIDTH_CACHE_FILE), detail: "no cache file yet", written: true });
    const file = path.join(dir, RAM_BANDWIDTH_CACHE_FILE);
    expect((await stat(file)).isFile()).toBe(true);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ key: { bootId: "boot-1", cpuName: "AMD Ryzen 9 5900X 12-Core Processor", threads: 24 } });

    const b = await host(dir, "boot-1", [99, 99, 99]);
    const second = await detect(b.io);
    expect(b.runs()).toBe(0);
    expect(second.trace.ramBandwidth?.cache).toMatchObject({ state: "hit", written: null });
    expect(second.machine.memory).toEqual(first.machine.memory);
    expect(second.trace.ramBandwidth?.measurement?.passesGBps).toEqual(PASSES);
    expect(second.machine.warnings).toEqual(first.machine.warnings);
  });

  it("another boot is a miss: measured again and the file rewritten", async () => {
    const dir = await tempDir();
    await detect((await host(dir, "boot-1")).io);
    const later = await host(dir, "boot-2", [30, 31, 32, 31, 30, 31, 30]);
    const { machine, trace } = await detect(later.io);
    expect(later.runs()).toBe(1);
    expect(trace.ramBandwidth?.cache).toMatchObject({ state: "miss", detail: "measured on another boot", written: true });
    expect(machine.memory.bandwidthGBps).toBe(31);
    expect(JSON.parse(await readFile(path.join(dir, RAM_BANDWIDTH_CACHE_FILE), "utf8")).key.bootId).toBe("boot-2");
  });

  it("a corrupt cache file is ignored with a warning, measured again and replaced", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, RAM_BANDWIDTH_CACHE_FILE), "{ half a file");
    const h = await host(dir, "boot-1");
    const { machine, trace } = await detect(h.io);
    expect(h.runs()).toBe(1);
    expect(machine.memory.bandwidthGBps).toBe(42);
    expect(machine.warnings.filter((w) => w.startsWith("RAM bandwidth cache"))).toEqual([
      expect.stringMatching(new RegExp(`^RAM bandwidth cache ${dir}/ram-bandwidth.json: not JSON \\(.*\\): ignored, measured again$`)),
    ]);
    expect(trace.ramBandwidth?.cache).toMatchObject({ state: "miss", detail: "cache file not understood", written: true });
    const again = await host(dir, "boot-1");
    await detect(again.io);
    expect(again.runs()).toBe(0);
  });

  it("a cache path that is no regular file (a directory, a link) cannot be read or written: warnings, the figure still measured", async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, RAM_BANDWIDTH_CACHE_FILE));
    const h = await host(dir, "boot-1");
    const { machine, trace } = await detect(h.io);
    expect(machine.memory.bandwidthGBps).toBe(42);
    const cacheWarnings = machine.warnings.filter((w) => w.startsWith("RAM bandwidth cache"));
    expect(cacheWarnings[0]).toMatch(/: cannot be read \(not a regular file\): ignored, measured again$/);
    expect(cacheWarnings[1]).toMatch(/: cannot be written \(.*\): the next start measures again$/);
    expect(trace.ramBandwidth?.cache).toMatchObject({ state: "miss", written: false });

    const linked = await tempDir();
    const target = path.join(linked, "elsewhere.json");
    await writeFile(target, "{}");
    await symlink(target, path.join(linked, RAM_BANDWIDTH_CACHE_FILE));
    const l = await detect((await host(linked, "boot-1")).io);
    expect(l.machine.warnings.find((w) => w.startsWith("RAM bandwidth cache"))).toMatch(/cannot be read \(a symbolic link, not a regular file\)/);
    // The link's target was not written through.
    expect(await readFile(target, "utf8")).toBe("{}");
  });

  it("a cache that fails in the I/O layer is a warning, never an error", async () => {
    const dir = await tempDir();
    const h = await host(dir, "boot-1", PASSES, {
      read: async () => {
        throw new Error("EACCES: permission denied");
      },
      write: async () => {
        throw new Error("ENOSPC: no space left on device");
      },
    });
    const { machine } = await detect(h.io);
    expect(machine.memory.bandwidthGBps).toBe(42);
    expect(machine.warnings.filter((w) => w.startsWith("RAM bandwidth cache"))).toEqual([
      `RAM bandwidth cache ${dir}/ram-bandwidth.json: cannot be read (EACCES: permission denied): ignored, measured again`,
      `RAM bandwidth cache ${dir}/ram-bandwidth.json: cannot be written (ENOSPC: no space left on device): the next start measures again`,
    ]);
  });

  it("disabled (the caller, or NODEFIT_PROBE_CACHE=off): measured every time, nothing written", async () => {
    const dir = await tempDir();
    const base = await host(dir, "boot-1");
    const io: HardwareIO = { ...base.io, probeCache: realProbeCache({ probeCache: false }) };
    const one = await detect(io);
    await detect(io);
    expect(base.runs()).toBe(2);
    expect(one.trace.ramBandwidth?.cache).toEqual({ state: "disabled", path: "", detail: "disabled by the caller", written: null });
    expect(realProbeCache({}, { NODEFIT_PROBE_CACHE: "off" }).disabledBy).toBe("NODEFIT_PROBE_CACHE=off");
    expect(realProbeCache({}, { NODEFIT_PROBE_CACHE: "0" }).disabledBy).toBe("NODEFIT_PROBE_CACHE=0");
    expect(realProbeCache({}, { NODEFIT_PROBE_CACHE: "on", NODEFIT_CACHE_DIR: dir }).path).toBe(path.join(dir, RAM_BANDWIDTH_CACHE_FILE));
    // A value the setting refuses (as every other door refuses it) turns the cache off and says why; it never throws.
    const refused = realProbeCache({}, { NODEFIT_PROBE_CACHE: "sometimes", NODEFIT_CACHE_DIR: dir });
    expect(refused.path).toBe("");
    expect(refused.disabledBy).toMatch(/^invalid NODEFIT_PROBE_CACHE value: use on\|1\|true\|yes .* \(got "sometimes"\)$/);
    // Without NODEFIT_CACHE_DIR, the cache folder is under HOME, as the installed models' header cache is.
    expect(realProbeCache({}, { HOME: "/home/someone", XDG_CACHE_HOME: "" }).path.startsWith(process.platform === "win32" ? "" : "/home/someone/")).toBe(true);
  });

  it("no boot id: measured, nothing cached", async () => {
    const dir = await tempDir();
    const h = await host(dir, null);
    const { trace } = await detect(h.io);
    expect(trace.ramBandwidth?.cache).toMatchObject({ state: "none", detail: "this boot's id is not known: nothing cached", written: null });
    await expect(stat(path.join(dir, RAM_BANDWIDTH_CACHE_FILE))).rejects.toThrow();
  });

  it("fixture machines carry no cache and no probe: they never read the host's cache", async () => {
    const io = await fixtureIO(RYZEN_BOX);
    expect(io.probeCache).toBeUndefined();
    expect(io.measureRamBandwidth).toBeUndefined();
  });

  it("refreshes never measure", async () => {
    const dir = await tempDir();
    const h = await host(dir, "boot-1");
    const { machine } = await detect(h.io);
    const refreshed = await refreshDynamic(h.io, machine, { timeoutMs: 200 });
    expect(h.runs()).toBe(1);
    expect(refreshed.memory.bandwidthGBps).toBe(machine.memory.bandwidthGBps);
  });

  it("the cache directory: $NODEFIT_CACHE_DIR, else the platform's user cache directory", () => {
    expect(defaultCacheDir({ NODEFIT_CACHE_DIR: "/srv/nf" }, "linux", "/home/a")).toBe(path.resolve("/srv/nf"));
    expect(defaultCacheDir({ XDG_CACHE_HOME: "/x/cache" }, "linux", "/home/a")).toBe(path.join("/x/cache", "nodefit"));
    expect(defaultCacheDir({ XDG_CACHE_HOME: "relative" }, "linux", "/home/a")).toBe(path.join("/home/a", ".cache", "nodefit"));
    expect(defaultCacheDir({}, "darwin", "/Users/a")).toBe(path.join("/Users/a", "Library", "Caches", "nodefit"));
    expect(defaultCacheDir({ LOCALAPPDATA: "C:\\Users\\a\\AppData\\Local" }, "win32", "C:\\Users\\a")).toBe(path.win32.join("C:\\Users\\a\\AppData\\Local", "nodefit", "cache"));
  });
});

describe("the platform's bound in detection", () => {
  it("a measurement above the platform's ceiling: the nominal figure, assumed, and a warning", async () => {
    const h = await host(await tempDir(), "boot-1", [120, 121, 119, 122, 120, 118, 121]);
    const { machine, trace } = await detect(h.io);
    expect(machine.memory).toMatchObject({ bandwidthGBps: 51.2, bandwidthAssumedPct: 15 });
    expect(machine.memory.bandwidthSource).toMatch(/^assumed: the RAM bandwidth probe read 121 GB\/s, above the 76.8 GB\/s this platform can give/);
    expect(machine.warnings).toContainEqual(expect.stringMatching(/probe read 121 GB\/s, above the 76.8 GB\/s .*: the platform's nominal 51.2 GB\/s is used$/));
    expect(trace.ramBandwidth?.status).toBe("above-nominal");
  });

  it("a measurement under a fifth of the nominal figure says so", async () => {
    const h = await host(await tempDir(), "boot-1", [8, 9, 9.5, 9, 8.5, 9.2, 9.1]);
    const { machine } = await detect(h.io);
    expect(machine.memory.bandwidthGBps).toBe(9.1);
    expect(machine.memory.bandwidthSource).toMatch(/; 18% of the platform's nominal 51.2 GB\/s: a busy machine, or few of its cores$/);
  });
});

describe("doctor shows the probe", () => {
  it("every pass, the figure chosen and why, the bound, the cache state", async () => {
    const dir = await tempDir();
    const first = await detect((await host(dir, "boot-1")).io);
    const miss = doctorText(doctorReport(first.machine, first.trace), PLAIN);
    const section = miss.slice(miss.indexOf("RAM bandwidth\n"));
    expect(section.split("\n").slice(0, 12)).toEqual([
      "RAM bandwidth",
      "  passes    40.1 42.3 41.8 20.2 42.0 41.9 39.7 GB/s (each thread's rate while it read, summed)",
      "            7 x 50 ms after a 50 ms warm-up (35.5), 24 thread(s) x 32 MiB, 640 ms in all; other work took 4% of the CPUs meanwhile",
      "  window    24.1 25.4 25.1 12.1 25.2 25.1 23.8 GB/s over the wall clock (a descheduled thread counted idle)",
      "  together  12.5 12.5 12.5 12.5 12.5 12.5 12.5 ms of each pass with every thread reading (2 ms or more: the pass is no more than their rate then)",
      "  chosen    42 GB/s: the upper quartile of 7 passes (other work only lowers a pass: the upper ones are the memory's, the lower ones a busy moment)",
      "  bound     nominal 51.2 GB/s, ceiling 76.8 GB/s (51.2 GB/s x 1.5 for overclocked modules)",
      expect.stringMatching(/^ {12}AMD Ryzen 9 5900X 12-Core Processor is an AMD Ryzen 3000 \/ 4000G \/ 5000 desktop \(AM4\): .*DDR4-3200 on a 128-bit bus = 51.2 GB\/s/),
      "  status    measured, within the bound",
      `  cache     miss ${dir}/ram-bandwidth.json (no cache file yet); written`,
      "  measured  2025-06-02T09:30:00.000Z",
      "  figure    42 GB/s: measured: memchr read, 24 thread(s) x 32 MiB, the upper quartile of 7 passes of 50 ms (20.2-42.3 GB/s)",
    ]);
    const second = await detect((await host(dir, "boot-1")).io);
    const hit = doctorText(doctorReport(second.machine, second.trace), PLAIN);
    expect(hit).toContain(`  cache     hit ${dir}/ram-bandwidth.json (measured 2025-06-02T09:30:00.000Z, this boot): not measured again\n`);
    expect(hit).toContain("  passes    40.1 42.3 41.8 20.2 42.0 41.9 39.7 GB/s (each thread's rate while it read, summed)\n");

    const off = await detect({ ...(await host(dir, "boot-1")).io, probeCache: realProbeCache({}, { NODEFIT_PROBE_CACHE: "off" }) });
    expect(doctorText(doctorReport(off.machine, off.trace), PLAIN)).toContain("  cache     disabled (NODEFIT_PROBE_CACHE=off)\n");
  });

  it("no bound for a CPU whose platform is not known; no probe on a fixture; the JSON report carries it all", async () => {
    const cpuOnly = await fixtureIO(path.join(FIXTURES, "cpu-only"));
    const trace = new ProbeTrace();
    const m = await detectMachine({ ...cpuOnly, measureRamBandwidth: async () => measurement([20, 21, 22]) }, { trace, timeoutMs: 200 });
    const report = doctorReport(m, trace);
    expect(report.ramBandwidth).toMatchObject({ chosenGBps: 21.5, status: "measured", bound: null, cache: { state: "none" } });
    expect(doctorText(report, PLAIN)).toContain("  bound     no bound: the memory platform of AMD EPYC is not known (only its generation or vendor, or nothing)\n");
    expect(JSON.parse(JSON.stringify(report)).ramBandwidth.measurement.passesGBps).toEqual([20, 21, 22]);

    const plain = new ProbeTrace();
    const fixture = await detectMachine(await fixtureIO(RYZEN_BOX), { trace: plain, timeoutMs: 200 });
    const text = doctorText(doctorReport(fixture, plain), PLAIN);
    expect(text).toContain("RAM bandwidth\n  probe     not run\n  figure    ");
  });
});
