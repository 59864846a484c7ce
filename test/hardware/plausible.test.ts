// Absurd figures from the tools: a whole detection over a fixture machine whose tools lie. The figure is dropped with a
// warning, never accepted, never turned into another; the system object stays within its contract; warnings stay small.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { systemJson } from "../../src/contract/system.js";
import { SystemSchema } from "../../src/contract/schemas-system.js";
import { gibToBytes } from "../../src/domain/units.js";
import { detectMachine, refreshDynamic } from "../../src/hardware/detect.js";
import { fixtureIO } from "../../src/hardware/fixture-io.js";
import type { HardwareIO } from "../../src/hardware/io.js";
import { MAX_WARNING_CHARS, MAX_WARNINGS } from "../../src/hardware/warnings.js";

const FIXTURE = path.join(import.meta.dirname, "..", "fixtures", "machines", "rtx4090-3090");
const UUID_4090 = "GPU-aa358715-838b-b24b-9c7a-210ded9fcc31";
const UUID_3090 = "GPU-4a8261c6-22f2-beb6-8abc-eadb4c883659";

/** The fixture with nvidia-smi's query answered by `query` and files overridden by `files`. */
async function lyingIO(query: string | null, files: Record<string, string> = {}): Promise<HardwareIO> {
  const base = await fixtureIO(FIXTURE);
  return {
    ...base,
    run: async (command, args, options) => {
      const r = await base.run(command, args, options);
      return command === "nvidia-smi" && query !== null && args[0]?.startsWith("--query-gpu") ? { ...r, stdout: query } : r;
    },
    readFile: async (p) => (p in files ? (files[p] ?? null) : base.readFile(p)),
  };
}

const rtx4090 = (total: string, free = "23831"): string =>
  `0, NVIDIA GeForce RTX 4090, ${UUID_4090}, 00000000:01:00.0, ${total}, ${free}, 338, 8.9\n` +
  `1, NVIDIA GeForce RTX 3090, ${UUID_3090}, 00000000:08:00.0, 24576, 24252, 10, 8.6\n`;

/** The system object as the API serializes it, checked against the contract's schema (no null numbers, no Infinity). */
function system(machine: Parameters<typeof systemJson>[0]): ReturnType<typeof systemJson> {
  const s = systemJson(machine);
  const wire = JSON.parse(JSON.stringify(s)) as unknown;
  const parsed = SystemSchema.safeParse(wire);
  expect(parsed.success, JSON.stringify(parsed.error?.issues ?? [])).toBe(true);
  expect(JSON.stringify(s)).not.toMatch(/Infinity|NaN/);
  return s;
}

describe("nvidia-smi memory.total that is no plausible figure", () => {
  it.each(["1000000000000000", "1e308", "-24576", "0x1000"])("%s MiB: dropped with a warning; the card is sized by the knowledge base, not unified", async (total) => {
    const machine = await detectMachine(await lyingIO(rtx4090(total)), { timeoutMs: 200, measureRamBandwidth: false });
    const s = system(machine);
    const card = machine.gpus.find((g) => g.uuid === UUID_4090);
    expect(card).toBeDefined();
    // The RTX 4090 is sold with 24 GiB: that, not 976,562,500,000 GiB, 4 GiB (0x1000 MiB) or the system RAM.
    expect(card?.memoryTotalBytes).toBe(gibToBytes(24));
    expect(card?.unifiedMemory).toBe(false);
    expect(card?.memoryFreeBytes).toBeNull();
    expect(card?.memorySource).toBe("knowledge base: NVIDIA GeForce RTX 4090 is sold with 24 GiB (nvidia-smi memory.total not plausible)");
    expect(s.unified_memory).toBe(false);
    expect(s.devices.map((d) => d.vram_total_gb)).toEqual([24, 24]);
    const warning = s.warnings.find((w) => w.includes("memory.total"));
    expect(warning).toMatch(new RegExp(`^nvidia-smi GPU 0 \\(NVIDIA GeForce RTX 4090\\) memory\\.total: "${total.replace(/[.+]/g, "\\$&")}"`));
  });

  it("free memory above the total is clamped to the total, with a warning", async () => {
    const machine = await detectMachine(await lyingIO(rtx4090("24564", "30000")), { timeoutMs: 200, measureRamBandwidth: false });
    const card = machine.gpus.find((g) => g.uuid === UUID_4090);
    expect(card?.memoryFreeBytes).toBe(card?.memoryTotalBytes);
    expect(system(machine).warnings).toContain("NVIDIA GeForce RTX 4090: free memory 29.3 GiB is more than its total 23.99 GiB: taken as the total");
  });

  it("a refresh holds its figures to the same bounds, and says so", async () => {
    const machine = await detectMachine(await lyingIO(null), { timeoutMs: 200, measureRamBandwidth: false });
    const refreshed = await refreshDynamic(await lyingIO(rtx4090("24564", "1e308")), machine, { timeoutMs: 200 });
    const card = refreshed.gpus.find((g) => g.uuid === UUID_4090);
    expect(card?.memoryTotalBytes).toBe(machine.gpus.find((g) => g.uuid === UUID_4090)?.memoryTotalBytes);
    expect(card?.memoryFreeBytes).toBeNull();
    expect(system(refreshed).warnings).toContain('refresh: nvidia-smi GPU 0 (NVIDIA GeForce RTX 4090) memory.free: "1e308" is not a number as the tool prints one: ignored');
  });
});

describe("/proc/meminfo that is no plausible figure", () => {
  it.each(["1000000000000000000", "1e308", "-24683656", "0x1000"])("MemTotal %s kB: dropped with a warning, never taken", async (total) => {
    const meminfo = `MemTotal:       ${total} kB\nMemFree:        23493864 kB\nMemAvailable:   24169160 kB\n`;
    const machine = await detectMachine(await lyingIO(null, { "/proc/meminfo": meminfo }), { timeoutMs: 200, measureRamBandwidth: false });
    const s = system(machine);
    // The fixture has no Node os facts to fall back on: total RAM is not detected (0), never the absurd figure.
    expect(machine.memory.hostTotalBytes).toBe(0);
    expect(s.warnings.some((w) => w.startsWith("/proc/meminfo MemTotal: "))).toBe(true);
    expect(s.warnings).toContain("total RAM not detected");
  });

  it("MemAvailable above MemTotal is taken as MemTotal, with a warning", async () => {
    const meminfo = "MemTotal:       24683656 kB\nMemFree:        23493864 kB\nMemAvailable:   34169160 kB\n";
    const machine = await detectMachine(await lyingIO(null, { "/proc/meminfo": meminfo }), { timeoutMs: 200, measureRamBandwidth: false });
    expect(machine.memory.availableBytes).toBeLessThanOrEqual(machine.memory.totalBytes);
    expect(system(machine).warnings.some((w) => /available RAM 32\.59 GiB is more than the total 23\.54 GiB: taken as the total/.test(w))).toBe(true);
  });
});

describe("warnings stay small whatever the tools print", () => {
  it("a 10 MB line and a flood of garbage lines: each warning one short line, at most 32, the system object under 50 KB", async () => {
    const huge = `\u001b[31m${"x".repeat(10 * 1024 * 1024)}\u0007\n`;
    const flood = Array.from({ length: 500 }, (_, i) => `garbage line ${i} \u0000\u202e`).join("\n");
    const machine = await detectMachine(await lyingIO(rtx4090("24564") + huge + flood), { timeoutMs: 200, measureRamBandwidth: false });
    const s = system(machine);
    const json = JSON.stringify(s);
    expect(json.length).toBeLessThan(50 * 1024);
    expect(s.warnings.length).toBeLessThanOrEqual(MAX_WARNINGS);
    for (const w of s.warnings) {
      expect(w.length).toBeLessThanOrEqual(MAX_WARNING_CHARS);
      expect(w).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    }
    expect(s.warnings.some((w) => w.startsWith("nvidia-smi: line not understood: xxxx") && w.endsWith("…"))).toBe(true);
    expect(s.warnings.at(-1)).toMatch(/^… and \d+ more warnings \(nodefit doctor shows every probe\)$/);
    // The cards themselves are read as before.
    expect(s.devices.map((d) => d.name)).toEqual(["NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 3090"]);
  });

  it("a 1 MB GPU name is cut in every field that carries it", async () => {
    const name = `NVIDIA ${"Z".repeat(1024 * 1024)}`;
    const query = `0, ${name}, ${UUID_4090}, 00000000:01:00.0, 24564, 23831, 338, 8.9\n`;
    const s = system(await detectMachine(await lyingIO(query), { timeoutMs: 200, measureRamBandwidth: false }));
    expect(JSON.stringify(s).length).toBeLessThan(50 * 1024);
    expect(s.devices[0]?.name.length).toBeLessThanOrEqual(128);
  });
});
