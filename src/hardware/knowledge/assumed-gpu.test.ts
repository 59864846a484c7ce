import { describe, expect, it } from "vitest";
import type { GpuVendor } from "../../domain/machine.js";
import { gibToBytes } from "../../domain/units.js";
import { GPU_ASSUMED_PCT, assumeGpu } from "./assumed-gpu.js";
import { lookupGpu } from "./lookup.js";

const assume = (name: string, vendor: GpuVendor, vramGib: number | null = null, ramGib: number | null = 64) =>
  assumeGpu({ name, vendor, memoryBytes: vramGib === null ? null : gibToBytes(vramGib), systemRamBytes: ramGib === null ? null : gibToBytes(ramGib) });

describe("assumed GPU figures (names the lookup does not find)", () => {
  it("a known model inside a longer name: that model, 10%", () => {
    const cases: ReadonlyArray<[string, GpuVendor, number | null, string]> = [
      ["NVIDIA H100 80GB HBM3 (SXM)", "nvidia", 1000, "nvidia-h100-sxm5-80gb"],
      ["NVIDIA DGX Spark (GB10) 128GB", "nvidia", null, "nvidia-gb10"],
      ["NVIDIA DGX Spark GB10 (Dell Pro Max)", "nvidia", null, "nvidia-gb10"],
      ["AMD Ryzen AI Max+ 395 (Framework Desktop) 128GB", "amd", null, "amd-radeon-8060s"],
      ["NVIDIA RTX 3080 (10GB assumed)", "nvidia", 1000, "nvidia-rtx-3080-10gb"],
      ["NVIDIA RTX 4090 24GB (Ryzen 9 7900X host)", "nvidia", 1000, "nvidia-rtx-4090"],
      ["NVIDIA RTX 3060 12GB (on Raspberry Pi CM5)", "nvidia", 1000, "nvidia-rtx-3060-12gb"],
    ];
    for (const [name, vendor, vram, key] of cases) {
      expect(lookupGpu({ name, memoryBytes: vram === null ? null : gibToBytes(vram) }), name).toBeNull();
      const a = assume(name, vendor, vram);
      expect([a?.kind, a?.spec?.key, a?.assumedPct], name).toEqual(["loose", key, GPU_ASSUMED_PCT.loose]);
      expect(a?.reason).toContain(`${name} is not in the knowledge base`);
    }
  });

  it("a shorter name several entries share: the slowest after memory, at least 10%", () => {
    const a100 = assume("NVIDIA A100 80GB HBM2e", "nvidia", 1000);
    expect([a100?.spec?.key, a100?.bandwidthGBps, a100?.assumedPct]).toEqual(["nvidia-a100-pcie-80gb", 1935, 10]);
    const h100 = assume("NVIDIA H100", "nvidia", 80);
    expect([h100?.spec?.key, h100?.bandwidthGBps, h100?.assumedPct]).toEqual(["nvidia-h100-pcie", 2000, 40]);
  });

  it("an unknown model number: the nearest sibling by series and tier, 20% in its series, 30% across", () => {
    const cases: ReadonlyArray<[string, GpuVendor, number, string, number]> = [
      ["NVIDIA GeForce RTX 5050 Ti", "nvidia", 8, "NVIDIA GeForce RTX 5050", 20],
      ["NVIDIA GeForce RTX 5060 Super", "nvidia", 8, "NVIDIA GeForce RTX 5060", 20],
      ["NVIDIA GeForce RTX 6070", "nvidia", 12, "NVIDIA GeForce RTX 5070", 30],
      ["NVIDIA GeForce RTX 4050", "nvidia", 6, "NVIDIA GeForce RTX 4060", 20],
      ["NVIDIA GeForce RTX 6090 Laptop GPU", "nvidia", 24, "NVIDIA GeForce RTX 5090 Laptop GPU", 30],
      ["AMD Radeon RX 9050", "amd", 8, "AMD Radeon RX 9060 XT 8GB", 20],
      ["AMD Radeon RX 7650 GRE", "amd", 8, "AMD Radeon RX 7600", 20],
      ["Intel Arc B770", "intel", 16, "Intel Arc B580", 20],
      ["Intel Arc A310", "intel", 4, "Intel Arc A380", 20],
    ];
    for (const [name, vendor, vram, sibling, pct] of cases) {
      const a = assume(name, vendor, vram);
      expect([a?.kind, a?.spec, a?.assumedPct], name).toEqual(["sibling", null, pct]);
      expect(a?.reason, name).toContain(sibling);
    }
  });

  it("a workstation card is not a GeForce's sibling", () => {
    const a = assume("NVIDIA GeForce RTX 6070", "nvidia", 12);
    expect(a?.reason).not.toContain("Quadro");
  });

  it("nothing matchable: the slowest known card of the vendor with that memory, 40%", () => {
    const cases: ReadonlyArray<[string, GpuVendor, number]> = [
      ["NVIDIA Mystery Accelerator", "nvidia", 24],
      ["AMD Radeon Mystery", "amd", 16],
      ["Intel Mystery GPU", "intel", 12],
    ];
    for (const [name, vendor, vram] of cases) {
      const a = assume(name, vendor, vram);
      expect([a?.kind, a?.assumedPct, a?.vendor], name).toEqual(["class", 40, vendor]);
      expect(a?.bandwidthGBps).toBeGreaterThan(0);
      expect(a?.reason).toContain("slowest known");
    }
  });

  it("gives up where nothing is known: a vendor without entries, or no memory figure to class by", () => {
    expect(assume("Ascend 910B3", "huawei", 64)).toBeNull();
    expect(assume("Mystery Accelerator 9000", "other", 48)).toBeNull();
    expect(assume("NVIDIA Mystery Accelerator", "nvidia", null)).toBeNull();
  });

  it("Apple chips: the variant by the machine's memory", () => {
    expect(assume("Apple M3 Max", "apple", null, 36)).toMatchObject({ kind: "apple-variant", bandwidthGBps: 300, assumedPct: 10 });
    expect(assume("Apple M4 Max", "apple", null, 128)).toMatchObject({ kind: "apple-variant", bandwidthGBps: 546, assumedPct: 10 });
    expect(assume("Apple M4 32GB Mac mini", "apple", null, 32)).toMatchObject({ kind: "apple-variant", bandwidthGBps: 120, assumedPct: 0 });
  });
});
