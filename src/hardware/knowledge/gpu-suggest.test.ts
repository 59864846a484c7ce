import { describe, expect, it } from "vitest";
import { gpuNameCandidates } from "./gpu-suggest.js";

const names = (name: string): string[] => gpuNameCandidates(name).map((s) => s.name);

describe("gpuNameCandidates", () => {
  it("lists the models whose names hold every word of a short name", () => {
    expect(names("H100")).toEqual(["NVIDIA H100 NVL", "NVIDIA H100 PCIe", "NVIDIA H100 SXM5 80GB"]);
    expect(names("Strix Halo")).toEqual(["AMD Radeon 8050S Graphics", "AMD Radeon 8060S Graphics"]);
    expect(names("Jetson Orin")).toHaveLength(6);
    expect(names("MI300")).toEqual(["AMD Instinct MI300A", "AMD Instinct MI300X"]);
  });

  it("finds the card a typo was meant for", () => {
    expect(names("RTX 409")).toEqual(["NVIDIA GeForce RTX 4090"]);
    expect(names("RTX 4900")).toEqual(["NVIDIA GeForce RTX 4090"]);
    expect(names("7900XTX")).toEqual(["AMD Radeon RX 7900 XTX"]);
  });

  it("suggests nothing for names no card is near", () => {
    for (const name of ["Mystery Accelerator 9000", "NVIDIA", "GPU", "", "Ascend 910B"]) expect(names(name), name).toEqual([]);
  });
});
