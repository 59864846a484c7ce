// GPU names as people write them in a described machine: short names resolve (by memory when several cards share
// them), and a name the knowledge base cannot size is answered with the cards it may mean.
import { describe, expect, it } from "vitest";
import { NodefitError } from "../../src/domain/errors.js";
import { gibToBytes } from "../../src/domain/units.js";
import { describeMachine } from "../../src/hardware/describe.js";

const gpu = (name: string, ram_gb = 64, vram_gb?: number) => {
  const m = describeMachine({ ram_gb, cpu_cores: 8, gpus: [{ name, ...(vram_gb === undefined ? {} : { vram_gb }) }] });
  const g = m.gpus[0];
  if (!g) throw new Error("no GPU");
  return g;
};

function refusal(name: string, ram_gb = 64): string {
  try {
    gpu(name, ram_gb);
  } catch (e) {
    if (e instanceof NodefitError) return e.message;
    throw e;
  }
  throw new Error(`${name} was accepted`);
}

describe("GPU names in a described machine", () => {
  it("short names of one card resolve to it", () => {
    const cases: Array<[string, number, number]> = [
      ["RTX 4090", 24, 1008],
      ["4090", 24, 1008],
      ["3090", 24, 936],
      ["rtx4090", 24, 1008],
      ["MI300X", 192, 5300],
      ["H200", 141, 4800],
    ];
    for (const [name, vram, bandwidth] of cases) {
      const g = gpu(name);
      expect([g.memoryTotalBytes, g.memoryBandwidthGBps], name).toEqual([gibToBytes(vram), bandwidth]);
    }
  });

  it("a name several cards share resolves by the memory stated, in the name or as vram_gb", () => {
    expect(gpu("A100 80GB")).toMatchObject({ memoryTotalBytes: gibToBytes(80), memoryBandwidthGBps: 1935 });
    expect(gpu("A100", 64, 40)).toMatchObject({ memoryTotalBytes: gibToBytes(40), memoryBandwidthGBps: 1555 });
    expect(gpu("H100", 64, 80)).toMatchObject({ memoryTotalBytes: gibToBytes(80), memoryBandwidthGBps: 2000 });
    expect(gpu("H100", 64, 94)).toMatchObject({ memoryBandwidthGBps: 3900 });
    expect(gpu("RTX 3060", 64, 12)).toMatchObject({ memoryBandwidthGBps: 360 });
  });

  it("Apple chips and unified boards resolve by the machine's RAM", () => {
    expect(gpu("Apple M3 Max", 64)).toMatchObject({ memoryBandwidthGBps: 400, unifiedMemory: true });
    expect(gpu("M4 Max", 128)).toMatchObject({ memoryBandwidthGBps: 546, unifiedMemory: true });
    const orin = gpu("Jetson Orin", 64);
    expect(orin).toMatchObject({ memoryBandwidthGBps: 204.8, unifiedMemory: true, bandwidthAssumedPct: 10 });
    expect(orin.bandwidthSource).toMatch(/^assumed: Jetson Orin is not in the knowledge base; by its memory it is NVIDIA Jetson AGX Orin 64GB/);
  });

  it("a name sold with several memory sizes and no memory stated: asked, with the sizes and cards", () => {
    expect(refusal("A100")).toBe(
      "machine: gpus[0].vram_gb: needed: A100 is sold with 40 GiB (NVIDIA A100 PCIe 40GB, NVIDIA A100 SXM4 40GB) and 80 GiB (NVIDIA A100 PCIe 80GB, NVIDIA A100 SXM4 80GB): give vram_gb, or the card's full name",
    );
    expect(refusal("H100")).toBe(
      "machine: gpus[0].vram_gb: needed: H100 is sold with 80 GiB (NVIDIA H100 PCIe, NVIDIA H100 SXM5 80GB) and 94 GiB (NVIDIA H100 NVL): give vram_gb, or the card's full name",
    );
    expect(refusal("RTX 3060")).toMatch(/is sold with 8 GiB \(NVIDIA GeForce RTX 3060 8GB\) and 12 GiB \(NVIDIA GeForce RTX 3060 12GB\)/);
  });

  it("a name the knowledge base cannot size: did you mean, with the candidates", () => {
    expect(refusal("RTX 409")).toBe("machine: gpus[0].name: RTX 409 is not a card the knowledge base can size: did you mean NVIDIA GeForce RTX 4090? (or give vram_gb)");
    expect(refusal("Strix Halo", 128)).toBe(
      "machine: gpus[0].name: Strix Halo is not a card the knowledge base can size: did you mean AMD Radeon 8050S Graphics, AMD Radeon 8060S Graphics? (or give vram_gb)",
    );
    // RAM no Orin board is sold with: the boards, by name.
    expect(refusal("Jetson Orin", 20)).toMatch(/did you mean NVIDIA Jetson AGX Orin 32GB, NVIDIA Jetson AGX Orin 64GB, .*NVIDIA Jetson Orin NX 8GB\?/);
    expect(refusal("Mystery Accelerator 9000")).toBe("machine: gpus[0].vram_gb: needed: Mystery Accelerator 9000 is not in the knowledge base (or is sold with several memory sizes)");
  });
});
