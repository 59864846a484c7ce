// Doctor tests: the probe report of fixture detections, and recorded fixtures replaying to the same Machine.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectMachine } from "./detect.js";
import { doctorReport, excerpt, writeFixture } from "./doctor.js";
import { fixtureIO } from "./fixture-io.js";
import { ProbeTrace } from "./trace.js";

const FIXTURES = path.join(import.meta.dirname, "..", "..", "test", "fixtures", "machines");

describe("doctorReport", () => {
  it("lists every probe with its exit, excerpt and decision", async () => {
    const trace = new ProbeTrace();
    const m = await detectMachine(await fixtureIO(path.join(FIXTURES, "nvidia-driver-broken")), { trace, timeoutMs: 200 });
    const r = doctorReport(m, trace);
    const smi = r.probes.find((p) => p.target.startsWith("nvidia-smi --query-gpu"));
    expect(smi).toMatchObject({ kind: "command", exitCode: 9, found: true, timedOut: false, decision: "failed: no NVIDIA GPUs taken from it" });
    expect(smi?.excerpt).toMatch(/^NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/);
    expect(r.probes.find((p) => p.target === "/proc/meminfo")?.decision).toBe("MemTotal 62.66 GiB, MemAvailable 58.96 GiB");
    expect(r.probes.find((p) => p.target === "/etc/nv_tegra_release")).toMatchObject({ kind: "file", found: false });
    expect(r.warnings).toEqual(m.warnings);
    expect(r.devices).toEqual([]);
    expect(r.counts.failed).toBeGreaterThanOrEqual(1);
    expect(r.node).toEqual({ name: "broken-driver", os: "linux" });
  });

  it("says what was decided about each device", async () => {
    const trace = new ProbeTrace();
    const m = await detectMachine(await fixtureIO(path.join(FIXTURES, "windows-laptop-4060")), { trace });
    expect(doctorReport(m, trace).devices).toEqual([
      "Parsec Virtual Display Adapter: display-only adapter, dropped",
      "NVIDIA GeForce RTX 4060 Laptop GPU: 8 GiB (nvidia-smi memory.total), knowledge base nvidia-rtx-4060-laptop",
      "Intel(R) Iris(R) Xe Graphics: integrated GPU without a usable memory pool: not used for placement",
    ]);
  });

  it("keeps excerpts short", () => {
    const long = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
    expect(excerpt(long)?.split("\n")).toHaveLength(9);
    expect(excerpt(null)).toBeNull();
    expect(excerpt("one line\n")).toBe("one line");
  });
});

describe("writeFixture", () => {
  it.each(["rtx4090-3090", "a100-mig", "apple-m4-pro", "windows-laptop-4060", "strix-halo", "container-cgroup1", "nvidia-smi-hang"])(
    "%s: a recorded detection replays to the same Machine",
    async (name) => {
      const trace = new ProbeTrace();
      const io = await fixtureIO(path.join(FIXTURES, name));
      const original = await detectMachine(io, { trace, timeoutMs: 50 });
      const dir = await mkdtemp(path.join(os.tmpdir(), "nodefit-doctor-"));
      const manifest = await writeFixture(dir, io, trace, `re-recorded ${name}`);
      expect(manifest.env).toEqual({});
      const replayed = await detectMachine(await fixtureIO(dir), { timeoutMs: 50 });
      expect(replayed).toEqual(original);
    },
  );
});
