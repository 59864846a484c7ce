import { describe, expect, it } from "vitest";
import { gpuNameAlternatives, normalizeGpuName } from "./normalize.js";

describe("normalizeGpuName", () => {
  it("gives the same key for every way of writing a name", () => {
    const key = normalizeGpuName("NVIDIA GeForce RTX 4090").key;
    for (const name of ["rtx4090", "RTX 4090", "GeForce RTX 4090", "NVIDIA(R) GeForce(TM) RTX 4090"]) {
      expect(normalizeGpuName(name).key).toBe(key);
    }
  });

  it("splits letters from digits but keeps memory figures whole", () => {
    expect(normalizeGpuName("NVIDIA A100-SXM4-80GB").tokens).toEqual(["a", "100", "sxm", "4", "80gb"]);
    expect(normalizeGpuName("NVIDIA GB10").tokens).toEqual(["gb", "10"]);
    expect(normalizeGpuName("RTX 3060 12 GB").memoryGb).toBe(12);
  });

  it("reads a GPU core count written in the name", () => {
    expect(normalizeGpuName("Apple M3 Max (40-core GPU)")).toMatchObject({ key: "3 m max", gpuCores: 40 });
    expect(normalizeGpuName("M4 Max 32c").gpuCores).toBe(32);
    expect(normalizeGpuName("Apple M2 Ultra (76 GPU cores)").gpuCores).toBe(76);
  });

  it("treats mobile as laptop and drops Max-Q on laptops only", () => {
    expect(normalizeGpuName("GeForce RTX 3070 Mobile Max-Q").key).toBe(normalizeGpuName("RTX 3070 Laptop GPU").key);
    expect(normalizeGpuName("RTX PRO 6000 Blackwell Max-Q").tokens).toContain("maxq");
  });

  it("leaves nothing of vendor-only names", () => {
    expect(normalizeGpuName("NVIDIA Graphics Device").key).toBe("");
    expect(normalizeGpuName("AMD Radeon(TM) Graphics").key).toBe("");
  });
});

describe("gpuNameAlternatives", () => {
  it("expands lspci bracket lists", () => {
    expect(gpuNameAlternatives("Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]")).toEqual([
      "Radeon RX 6800",
      "Radeon RX 6800 XT",
      "Radeon RX 6900 XT",
    ]);
    expect(gpuNameAlternatives("Aldebaran/MI200 [Instinct MI250X/MI250]")).toEqual(["Instinct MI250X", "MI250"]);
  });

  it("keeps the model bracket, not the vendor one", () => {
    expect(gpuNameAlternatives("NVIDIA Corporation [AMD/ATI] AD102 [GeForce RTX 4090] (rev a1)")).toEqual([
      "GeForce RTX 4090",
    ]);
  });

  it("drops renderer and MIG suffixes", () => {
    expect(gpuNameAlternatives("NVIDIA GeForce RTX 3060/PCIe/SSE2")).toEqual(["NVIDIA GeForce RTX 3060"]);
    expect(gpuNameAlternatives("NVIDIA A100-SXM4-80GB MIG 1g.10gb")).toEqual(["NVIDIA A100-SXM4-80GB"]);
  });

  it("keeps a word without a model number with the model before it", () => {
    expect(gpuNameAlternatives("GeForce RTX 3070 Mobile / Max-Q")).toEqual(["GeForce RTX 3070 Mobile Max-Q"]);
  });
});
