// Sanity bounds over a sweep of machines x models x runtimes: single-stream decode is never faster than the memory can
// deliver the bytes a token reads (at full nominal bandwidth, tensor parallelism included), and prefill never faster
// than the device's compute.
import { beforeAll, describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import type { ModelSpec } from "../../src/catalog/schema.js";
import type { Machine } from "../../src/domain/machine.js";
import { estimate } from "../../src/estimate/estimate.js";
import type { Runtime } from "../../src/estimate/types.js";
import { describeMachine } from "../../src/hardware/describe.js";

const DESCRIPTIONS: unknown[] = [
  { ram_gb: 64, cpu_cores: 16, gpus: [{ name: "NVIDIA GeForce RTX 4090" }] },
  { ram_gb: 32, cpu_cores: 8, gpus: [{ name: "NVIDIA GeForce RTX 3060", vram_gb: 12 }] },
  { ram_gb: 128, cpu_cores: 16, gpus: [{ name: "NVIDIA GeForce RTX 3090", count: 2 }] },
  { ram_gb: 2048, cpu_cores: 112, gpus: [{ name: "NVIDIA H100 80GB HBM3", count: 8 }] },
  { ram_gb: 64, gpus: [{ name: "Apple M3 Max" }] },
  { ram_gb: 128, gpus: [{ name: "AMD Radeon 8060S" }] },
  { ram_gb: 64, gpus: [{ name: "AMD Radeon RX 7900 XTX" }] },
  { ram_gb: 32, cpu_cores: 8 },
];
const MODELS = ["Qwen/Qwen3-0.6B", "meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen3-30B-A3B", "google/gemma-3-27b-it", "openai/gpt-oss-120b", "meta-llama/Llama-3.3-70B-Instruct", "Qwen/Qwen3.5-9B"];
const CONTEXTS = [2048, 32768];

let machines: Machine[];
let models: ModelSpec[];
beforeAll(() => {
  machines = DESCRIPTIONS.map((d) => describeMachine(d));
  const all = bundledModels();
  models = MODELS.map((id) => all.find((m) => m.id === id)!);
});

describe("sanity bounds", () => {
  it("decode <= bandwidth / bytes per token and prefill <= compute, on every placement of the sweep", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const machine of machines) {
      const runtimes: Runtime[] = machine.backend === "Metal" ? ["mlx", "llamacpp"] : machine.backend === "CUDA" ? ["llamacpp", "vllm"] : ["llamacpp"];
      for (const model of models)
        for (const contextTokens of CONTEXTS)
          for (const runtime of runtimes) {
            const e = estimate({ model, machine, runtime, contextTokens });
            const label = `${machine.gpus[0]?.name ?? "CPU"} x${machine.gpus.length} ${model.id} ${runtime} ${contextTokens}: ${e.quant} ${e.runMode}`;
            if (e.fitLevel === "too_tight" || e.decodeTerms === null) continue;
            checked += 1;
            const t = e.decodeTerms;
            // Tiers in turn add up; tensor-parallel tiers stream at once, the slowest bounding.
            const floor = t.parallel ? Math.max(...t.tiers.map((x) => x.streamSeconds)) : t.tiers.reduce((s, x) => s + x.streamSeconds, 0);
            if (e.tokensPerSecond > 1 / floor + 0.05) broken.push(`${label}: decode ${e.tokensPerSecond} > ${(1 / floor).toFixed(1)} tok/s the bandwidth allows`);
            const tflops = typeof e.basis.prefill_tflops === "number" ? e.basis.prefill_tflops : null;
            const promptParams = e.basis.params_prompt_per_token as number;
            if (tflops !== null && e.prefillTokensPerSecond !== null && e.prefillTokensPerSecond > (tflops * 1e12) / (2 * promptParams) + 1)
              broken.push(`${label}: prefill ${e.prefillTokensPerSecond} tok/s above the device's ${tflops} TFLOPS`);
          }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });
});
