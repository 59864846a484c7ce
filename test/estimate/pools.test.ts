// Pools as the OS gives them: a described unified-memory machine's GPU gets its RAM less the OS reserve (not all of it),
// and a described machine's placements leave that reserve free, while its system object reports what the contract says.
import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { systemJson } from "../../src/contract/system.js";
import { gibToBytes } from "../../src/domain/units.js";
import { estimate } from "../../src/estimate/estimate.js";
import { describeMachine } from "../../src/hardware/describe.js";
import { osReserveBytes } from "../../src/hardware/unified-pool.js";

const model = (id: string) => bundledModels().find((m) => m.id === id)!;

describe("pools as the OS gives them", () => {
  it("Strix Halo and Jetson: the GPU's pool is the RAM less the OS reserve, and says so", () => {
    const strix = describeMachine({ ram_gb: 128, gpus: [{ name: "AMD Radeon 8060S" }] });
    expect(strix.gpus[0]!.memoryTotalBytes).toBe(gibToBytes(128) - osReserveBytes(gibToBytes(128)));
    expect(strix.gpus[0]!.memorySource).toMatch(/less the OS reserve \(12\.8 GiB\).*GTT/);
    const jetson = describeMachine({ ram_gb: 64, gpus: [{ name: "NVIDIA Jetson AGX Orin 64GB" }] });
    expect(jetson.gpus[0]!.memoryTotalBytes).toBe(gibToBytes(64 - 6.4));
  });

  it("gpt-oss-120b on a 64 GB Jetson is graded against the GPU's share, not all 64 GiB", () => {
    const jetson = describeMachine({ ram_gb: 64, gpus: [{ name: "NVIDIA Jetson AGX Orin 64GB" }] });
    const e = estimate({ model: model("openai/gpt-oss-120b"), machine: jetson, quant: "MXFP4" });
    expect(e.memory.availableBytes).toBeLessThanOrEqual(gibToBytes(57.6));
  });

  it("a described machine reports its RAM as available (the contract), and placements leave the reserve free", () => {
    const m = describeMachine({ ram_gb: 32, cpu_cores: 8 });
    expect(systemJson(m).available_ram_gb).toBe(32);
    expect(m.memory.osReserveBytes).toBe(gibToBytes(4));
    const e = estimate({ model: model("Qwen/Qwen3-32B"), machine: m, quant: "Q4_K_M" });
    expect(e.runMode).toBe("cpu_only");
    expect(e.memory.availableBytes).toBe(gibToBytes(28));
    // Given available_ram_gb is taken as it is: no reserve on top.
    const given = describeMachine({ ram_gb: 32, available_ram_gb: 30, cpu_cores: 8 });
    expect(given.memory.osReserveBytes).toBeUndefined();
    expect(estimate({ model: model("Qwen/Qwen3-32B"), machine: given, quant: "Q4_K_M" }).memory.availableBytes).toBe(gibToBytes(30));
  });
});
