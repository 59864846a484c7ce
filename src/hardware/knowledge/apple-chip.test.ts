import { describe, expect, it } from "vitest";
import { gibToBytes } from "../../domain/units.js";
import { APPLE_ASSUMED_PCT, appleChipOf, resolveAppleChip } from "./apple-chip.js";
import { APPLE_GPUS, APPLE_MEMORY_CONFIGS } from "./apple.js";

const at = (name: string, gib: number | null, gpuCores?: number) =>
  resolveAppleChip(name, { memoryBytes: gib === null ? null : gibToBytes(gib), gpuCores });

describe("Apple chips by name", () => {
  it("reads the chip from the names tools and people write", () => {
    expect(appleChipOf("Apple M3 Max")).toEqual({ generation: 3, tier: "Max", label: "M3 Max" });
    expect(appleChipOf("Apple M4 Pro (16-core GPU)")).toEqual({ generation: 4, tier: "Pro", label: "M4 Pro" });
    expect(appleChipOf("M2 Ultra 192GB")).toEqual({ generation: 2, tier: "Ultra", label: "M2 Ultra" });
    expect(appleChipOf("Apple M4 32GB Mac mini")).toEqual({ generation: 4, tier: "", label: "M4" });
    expect(appleChipOf("NVIDIA GeForce RTX 4090")).toBeNull();
    expect(appleChipOf("Tesla M60")).toBeNull();
  });

  it("a chip sold in one bandwidth is its entry, not assumed", () => {
    for (const [name, key, gbps] of [
      ["Apple M1", "apple-m1", 68.25],
      ["Apple M2 Pro", "apple-m2-pro", 200],
      ["Apple M4 Pro", "apple-m4-pro", 273],
      ["Apple M3 Ultra", "apple-m3-ultra", 819],
      ["Apple M4 32GB Mac mini", "apple-m4", 120],
    ] as const) {
      const m = at(name, 48);
      expect([m?.spec.key, m?.spec.bandwidthGBps, m?.assumedPct, m?.reason], name).toEqual([key, gbps, 0, null]);
    }
  });

  it("M3 Max: 36 or 96 GB is the 30-core chip (300 GB/s), 48, 64 or 128 GB the 40-core one (400 GB/s)", () => {
    for (const gib of [36, 96]) expect([at("Apple M3 Max", gib)?.spec.key, at("Apple M3 Max", gib)?.assumedPct]).toEqual(["apple-m3-max-30c", APPLE_ASSUMED_PCT.variantByMemory]);
    for (const gib of [48, 64, 128]) expect([at("Apple M3 Max", gib)?.spec.key, at("Apple M3 Max", gib)?.assumedPct]).toEqual(["apple-m3-max-40c", 10]);
    expect(at("Apple M3 Max", 36)?.reason).toBe(
      "Apple M3 Max with 36 GiB is the 30-core GPU chip (300 GB/s): sold with 36, 96 GB (Apple MacBook Pro (Nov 2023) technical specifications: M3 Max with 30-core GPU, 36GB or 96GB)",
    );
  });

  it("M4 Max: 36 GB is the 32-core chip (410 GB/s), 48 GB and up the 40-core one (546 GB/s)", () => {
    expect(at("Apple M4 Max", 36)?.spec.bandwidthGBps).toBe(410);
    for (const gib of [48, 64, 128]) expect(at("Apple M4 Max", gib)?.spec.bandwidthGBps).toBe(546);
  });

  it("the memory written in the name wins over the machine's", () => {
    expect(at("Apple M3 Max 36GB", 128)?.spec.key).toBe("apple-m3-max-30c");
    expect(at("Apple M3 Max 64GB", 36)?.spec.key).toBe("apple-m3-max-40c");
  });

  it("a stated core count picks the variant and is not assumed", () => {
    expect(at("Apple M3 Max", 36, 40)).toMatchObject({ assumedPct: 0, reason: null, spec: { key: "apple-m3-max-40c" } });
    expect(at("Apple M4 Max (32-core GPU)", 128)).toMatchObject({ assumedPct: 0, spec: { key: "apple-m4-max-32c" } });
  });

  it("a size no variant is sold with: the nearest configuration, 20%; no memory at all: the slowest variant, 30%", () => {
    expect(at("Apple M3 Max", 192)).toMatchObject({ assumedPct: 20, spec: { key: "apple-m3-max-40c" } });
    expect(at("Apple M3 Max", 192)?.reason).toContain("no Apple M3 Max is sold with 192 GiB");
    expect(at("Apple M4 Max", 32)).toMatchObject({ assumedPct: 20, spec: { key: "apple-m4-max-32c" } });
    expect(at("Apple M3 Max", null)).toMatchObject({ assumedPct: 30, spec: { key: "apple-m3-max-30c" } });
  });

  it("M5 generation: M5 153 GB/s (Apple); M5 Pro and M5 Max marked assumed with what they rest on", () => {
    expect(at("Apple M5", 16)).toMatchObject({ assumedPct: 0, spec: { bandwidthGBps: 153 } });
    expect(at("Apple M5 Pro", 64)).toMatchObject({ assumedPct: 15, spec: { key: "apple-m5-pro", bandwidthGBps: 307.2 } });
    expect(at("Apple M5 Pro", 64)?.reason).toContain("inferred, no published figure checked: the M4 Pro's 256-bit bus");
    expect(at("Apple M5 Max", 128)).toMatchObject({ assumedPct: 15, spec: { key: "apple-m5-max-40c", bandwidthGBps: 614 } });
    expect(at("Apple M5 Max", 36)).toMatchObject({ assumedPct: 20, spec: { key: "apple-m5-max-32c", bandwidthGBps: 460.8 } });
    expect(at("Apple M5 Max", 128)?.reason).toContain("taken to be the M4 Max's");
    expect(at("Apple M5 Max", 64, 40)).toMatchObject({ assumedPct: 5, spec: { key: "apple-m5-max-40c" } });
  });

  it("a chip not in the knowledge base: its tier in the newest known generation, 30% or more", () => {
    expect(at("Apple M6", 16)).toMatchObject({ spec: { key: "apple-m5" }, assumedPct: 30 });
    expect(at("Apple M5 Ultra", 256)).toMatchObject({ spec: { key: "apple-m3-ultra" }, assumedPct: 30 });
    expect(at("Apple M6 Max", 128)).toMatchObject({ spec: { key: "apple-m5-max-40c" } });
    expect(at("Apple M6 Max", 128)?.assumedPct).toBeGreaterThanOrEqual(30);
    expect(at("Apple M6 Max", 128)?.reason).toContain("Apple M6 Max is not in the knowledge base");
  });

  it("every configured variant is an Apple entry, and sizes do not overlap within a chip", () => {
    const keys = new Set(APPLE_GPUS.map((g) => g.key));
    for (const key of Object.keys(APPLE_MEMORY_CONFIGS)) expect(keys.has(key), key).toBe(true);
    for (const chip of ["m3-max", "m4-max", "m5-max"]) {
      const sizes = Object.entries(APPLE_MEMORY_CONFIGS)
        .filter(([k]) => k.includes(chip))
        .flatMap(([, c]) => c.sizesGb);
      expect(new Set(sizes).size, chip).toBe(sizes.length);
    }
  });
});
