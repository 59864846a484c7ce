// Override tests: size parsing and --vram / --ram / --cpu-cores applied to a Machine.
import { describe, expect, it } from "vitest";
import { gibToBytes, mibToBytes } from "../domain/units.js";
import { describeMachine } from "./describe.js";
import { applyOverrides, parseCoreCount, parseSizeToBytes } from "./overrides.js";

const machine = describeMachine({
  ram_gb: 64,
  available_ram_gb: 40,
  cpu_cores: 16,
  gpus: [{ name: "NVIDIA GeForce RTX 3090", vram_gb: 24, count: 2 }],
});

describe("sizes and counts", () => {
  it("reads GiB with or without a unit; units are binary", () => {
    expect(parseSizeToBytes("24", "vram")).toBe(gibToBytes(24));
    expect(parseSizeToBytes("24G", "vram")).toBe(gibToBytes(24));
    expect(parseSizeToBytes("24 GiB", "vram")).toBe(gibToBytes(24));
    expect(parseSizeToBytes("24gb", "vram")).toBe(gibToBytes(24));
    expect(parseSizeToBytes("24576M", "vram")).toBe(mibToBytes(24576));
    expect(parseSizeToBytes("1.5T", "ram")).toBe(gibToBytes(1536));
    expect(parseSizeToBytes(12.5, "ram")).toBe(gibToBytes(12.5));
  });

  it("refuses what is not a size, with the contract's wording", () => {
    for (const bad of ["", "lots", "-4", "0", "24X", "G"]) {
      expect(() => parseSizeToBytes(bad, "vram")).toThrow("invalid vram value: use a size in GiB such as 24, 24G, 24576M or 1.5T");
    }
    expect(() => parseCoreCount("2.5", "cpu-cores")).toThrow("invalid cpu-cores value: use a whole number of cores, 1 or more");
    expect(parseCoreCount("8", "cpu-cores")).toBe(8);
  });
});

describe("applyOverrides", () => {
  it("--vram sets every GPU's memory and keeps what is in use the same", () => {
    const m = applyOverrides(machine, { vram: "32G" });
    expect(m.gpus.map((g) => [g.memoryTotalBytes, g.memoryFreeBytes, g.memorySource])).toEqual([
      [gibToBytes(32), gibToBytes(32), "override (--vram)"],
      [gibToBytes(32), gibToBytes(32), "override (--vram)"],
    ]);
    const smaller = applyOverrides(machine, { vram: 16 });
    expect(smaller.gpus[0]?.memoryFreeBytes).toBe(gibToBytes(16));
  });

  it("--ram sets the RAM graded against; available keeps the memory in use", () => {
    const m = applyOverrides(machine, { ram: "128" });
    expect(m.memory).toMatchObject({ totalBytes: gibToBytes(128), availableBytes: gibToBytes(104), limitedBy: "override" });
    const less = applyOverrides(machine, { ram: "32G" });
    expect(less.memory.availableBytes).toBe(gibToBytes(32));
  });

  it("--cpu-cores sets the cores", () => {
    expect(applyOverrides(machine, { cpuCores: "8" }).cpu.cores).toBe(8);
  });

  it("--vram on a machine without a GPU is a warning, not a GPU", () => {
    const m = applyOverrides(describeMachine({ ram_gb: 16, cpu_cores: 4 }), { vram: "24" });
    expect(m.gpus).toEqual([]);
    expect(m.warnings).toContain("--vram ignored: no GPU detected (describe one with --machine)");
  });

  it("leaves the input untouched", () => {
    const before = JSON.stringify(machine);
    applyOverrides(machine, { vram: "8", ram: "8", cpuCores: 2 });
    expect(JSON.stringify(machine)).toBe(before);
  });
});
