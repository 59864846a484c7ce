// Override tests: size parsing and --vram / --ram / --cpu-cores applied to a Machine.
import { describe, expect, it } from "vitest";
import { gibToBytes, mibToBytes } from "../domain/units.js";
import { describeMachine } from "./describe.js";
import { applyOverrides, parseOverrides } from "./overrides.js";

const machine = describeMachine({
  ram_gb: 64,
  available_ram_gb: 40,
  cpu_cores: 16,
  gpus: [{ name: "NVIDIA GeForce RTX 3090", vram_gb: 24, count: 2 }],
});

describe("sizes and counts", () => {
  const vram = (v: string | number): number | undefined => parseOverrides({ vram: v }).vramBytes;
  const ram = (v: string | number): number | undefined => parseOverrides({ ram: v }).ramBytes;

  it("reads GiB with or without a unit; units are binary", () => {
    expect(vram("24")).toBe(gibToBytes(24));
    expect(vram("24G")).toBe(gibToBytes(24));
    expect(vram("24 GiB")).toBe(gibToBytes(24));
    expect(vram("24gb")).toBe(gibToBytes(24));
    expect(vram("24576M")).toBe(mibToBytes(24576));
    expect(ram("1.5T")).toBe(gibToBytes(1536));
    expect(ram(12.5)).toBe(gibToBytes(12.5));
    expect(parseOverrides({})).toEqual({ vramBytes: undefined, ramBytes: undefined, cpuCores: undefined });
  });

  it("refuses what is not a size, with the contract's wording", () => {
    for (const bad of ["", "lots", "-4", "0", "24X", "G"]) {
      expect(() => vram(bad)).toThrow("invalid vram value: use a size in GiB such as 24, 24G, 24576M or 1.5T, up to 1024 GiB per GPU");
    }
    expect(() => vram(Number.NaN)).toThrow("invalid vram value");
    expect(() => parseOverrides({ cpuCores: "2.5" })).toThrow("invalid cpu-cores value: use a whole number of cores, 1 to 4096");
    expect(() => parseOverrides({ cpuCores: "100000" })).toThrow("invalid cpu-cores value");
    expect(parseOverrides({ cpuCores: "8" }).cpuCores).toBe(8);
  });

  it("refuses sizes no hardware has, and says how to write MiB", () => {
    expect(() => vram("24000")).toThrow("up to 1024 GiB per GPU (24000 GiB is more than any GPU has: for MiB write 24000M)");
    expect(vram("24000M")).toBe(mibToBytes(24000));
    expect(() => vram("2T")).toThrow("invalid vram value");
    expect(() => ram("1e9")).toThrow("invalid ram value");
    expect(() => ram(100_000)).toThrow("100000 GiB is more than any machine has");
    expect(ram("64T")).toBe(gibToBytes(65_536));
  });
});

describe("applyOverrides", () => {
  it("--vram sets every GPU's memory and keeps what is in use the same", () => {
    const m = applyOverrides(machine, parseOverrides({ vram: "32G" }));
    expect(m.gpus.map((g) => [g.memoryTotalBytes, g.memoryFreeBytes, g.memorySource])).toEqual([
      [gibToBytes(32), gibToBytes(32), "override (--vram)"],
      [gibToBytes(32), gibToBytes(32), "override (--vram)"],
    ]);
    const smaller = applyOverrides(machine, { vramBytes: gibToBytes(16) });
    expect(smaller.gpus[0]?.memoryFreeBytes).toBe(gibToBytes(16));
  });

  it("--ram sets the RAM graded against; available keeps the memory in use", () => {
    const m = applyOverrides(machine, { ramBytes: gibToBytes(128) });
    expect(m.memory).toMatchObject({ totalBytes: gibToBytes(128), availableBytes: gibToBytes(104), limitedBy: "override" });
    const less = applyOverrides(machine, { ramBytes: gibToBytes(32) });
    expect(less.memory.availableBytes).toBe(gibToBytes(32));
  });

  it("--cpu-cores sets the cores", () => {
    expect(applyOverrides(machine, { cpuCores: 8 }).cpu.cores).toBe(8);
  });

  it("--vram on a machine without a GPU adds one of that size, its bandwidth assumed and marked, with a warning", () => {
    const m = applyOverrides(describeMachine({ ram_gb: 16, cpu_cores: 4 }), { vramBytes: gibToBytes(24) });
    expect(m.gpus).toHaveLength(1);
    expect(m.gpus[0]).toMatchObject({ memoryTotalBytes: gibToBytes(24), memoryFreeBytes: gibToBytes(24), vendor: "nvidia", backend: "CUDA" });
    expect(m.gpus[0]!.memoryBandwidthGBps).toBeGreaterThan(0);
    expect(m.gpus[0]!.bandwidthAssumedPct).toBeGreaterThan(0);
    expect(m.gpus[0]!.bandwidthSource).toMatch(/^assumed: /);
    expect(m.backend).toBe("CUDA");
    expect(m.warnings.some((w) => w.startsWith("--vram on a machine without a GPU: answering for a GPU with 24 GiB"))).toBe(true);
  });

  it("leaves the input untouched", () => {
    const before = JSON.stringify(machine);
    applyOverrides(machine, parseOverrides({ vram: "8", ram: "8", cpuCores: 2 }));
    expect(JSON.stringify(machine)).toBe(before);
  });
});
