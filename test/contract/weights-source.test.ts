import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import type { ModelSpec } from "../../src/catalog/schema.js";
import { estimate } from "../../src/estimate/estimate.js";
import { H100_SXM, M4_PRO_48, machine } from "../support/machines.js";
import { verifyCommand, weightsRepo } from "../../src/contract/weights-source.js";

const byId = (id: string): ModelSpec => {
  const m = bundledModels().find((x) => x.id === id);
  if (!m) throw new Error(`not in the catalog: ${id}`);
  return m;
};

describe("weightsRepo", () => {
  const qwen = byId("Qwen/Qwen2.5-7B-Instruct"); // awq, gptq and mlx-4bit exports; a Q8_0 size from a fine-tune's repo
  const llama = byId("meta-llama/Llama-3.1-8B-Instruct"); // awq, mlx-4bit; Q8_0 published in its own bartowski repo
  const nemotron = byId("nvidia/NVIDIA-Nemotron-Nano-9B-v2"); // fp8 and nvfp4 exports, no awq/gptq

  it("llama.cpp: the model's own GGUF repository, never the fine-tune a file size was borrowed from", () => {
    expect(qwen.gguf_files.some((g) => g.quant === "Q8_0" && !qwen.gguf_sources.includes(g.repo))).toBe(true);
    expect(weightsRepo(qwen, "llamacpp", "Q8_0")).toBe(qwen.gguf_sources[0]);
    expect(weightsRepo(llama, "llamacpp", "Q8_0")).toBe("bartowski/Meta-Llama-3.1-8B-Instruct-GGUF");
    const noGguf = { ...qwen, gguf_sources: [], gguf_files: [] };
    expect(weightsRepo(noGguf, "llamacpp", "Q4_K_M")).toBeNull();
    const imported = { ...qwen, gguf_sources: [], gguf_files: [{ quant: "Q4_K_M", bytes: 1, repo: "my-model-Q4_K_M.gguf" }] };
    expect(weightsRepo(imported, "llamacpp", "Q4_K_M")).toBe("my-model-Q4_K_M.gguf");
  });

  it("vLLM and MLX: the pre-quantized export of the format, the original for BF16, FP8 made on load", () => {
    expect(weightsRepo(qwen, "vllm", "BF16-SAFETENSORS")).toBe(qwen.id);
    expect(weightsRepo(qwen, "vllm", "AWQ")).toBe(qwen.variants.find((v) => v.format === "awq")?.repo);
    expect(weightsRepo(qwen, "vllm", "GPTQ")).toBe(qwen.variants.find((v) => v.format === "gptq")?.repo);
    expect(weightsRepo(nemotron, "vllm", "FP8")).toBe(nemotron.variants.find((v) => v.format === "fp8")?.repo);
    expect(weightsRepo(nemotron, "vllm", "NVFP4")).toBe(nemotron.variants.find((v) => v.format === "nvfp4")?.repo);
    expect(weightsRepo(nemotron, "vllm", "AWQ")).toBeNull();
    expect(weightsRepo(qwen, "vllm", "FP8")).toBe(qwen.id);
    expect(weightsRepo(qwen, "mlx", "MLX-4BIT")).toBe(qwen.variants.find((v) => v.format === "mlx-4bit")?.repo);
    // An 8-bit estimate is never pointed at the 4-bit export.
    expect(weightsRepo(qwen, "mlx", "MLX-8BIT")).toBeNull();
  });
});

describe("verifyCommand", () => {
  const qwen = byId("Qwen/Qwen2.5-7B-Instruct");
  const h100 = machine({ ramGib: 256, gpus: [H100_SXM] });
  const mac = machine({ ramGib: 48, gpus: [M4_PRO_48] });

  it("measures the weights the estimate sized", () => {
    const awq = estimate({ model: qwen, machine: h100, runtime: "vllm", quant: "AWQ" });
    expect(verifyCommand(awq)).toContain(`--model ${weightsRepo(qwen, "vllm", "AWQ")} `);
    const fp8 = estimate({ model: qwen, machine: h100, runtime: "vllm", quant: "FP8" });
    expect(verifyCommand(fp8)).toContain(`--model ${qwen.id} --quantization fp8 `);
    const gguf = estimate({ model: qwen, machine: h100, runtime: "llamacpp", quant: "Q4_K_M" });
    expect(verifyCommand(gguf)).toBe(`llama-bench -hf ${qwen.gguf_sources[0]}:Q4_K_M -p 512 -n 128`);
    const mlx4 = estimate({ model: qwen, machine: mac, runtime: "mlx", quant: "MLX-4BIT" });
    expect(verifyCommand(mlx4)).toMatch(/^mlx_lm\.generate --model \S+-4bit /);
    // No 8-bit export listed: the command makes one at 8 bits rather than measuring the 4-bit one.
    const mlx8 = estimate({ model: qwen, machine: mac, runtime: "mlx", quant: "MLX-8BIT" });
    expect(verifyCommand(mlx8)).toMatch(/^mlx_lm\.convert --hf-path Qwen\/Qwen2\.5-7B-Instruct -q --q-bits 8 /);
    const mxfp4 = estimate({ model: byId("openai/gpt-oss-20b"), machine: mac, runtime: "mlx", quant: "MLX-MXFP4" });
    expect(verifyCommand(mxfp4)).toMatch(/^mlx_lm\.convert --hf-path openai\/gpt-oss-20b -q --q-mode mxfp4 --mlx-path gpt-oss-20b-mlx-mxfp4 && /);
  });

  it("an imported file: measured by its name, quoted for the shell where it needs it", () => {
    const file = (repo: string): ModelSpec => ({ ...qwen, gguf_sources: [], gguf_files: [{ quant: "Q4_K_M", bytes: 4_683_074_048, repo }] });
    const run = (m: ModelSpec) => verifyCommand(estimate({ model: m, machine: h100, runtime: "llamacpp", quant: "Q4_K_M" }));
    expect(run(file("qwen2.5-7b-Q4_K_M.gguf"))).toBe("llama-bench -m qwen2.5-7b-Q4_K_M.gguf -p 512 -n 128");
    expect(run(file("my model's-Q4_K_M.gguf"))).toBe(`llama-bench -m 'my model'\\''s-Q4_K_M.gguf' -p 512 -n 128`);
  });

  it("offloaded placements carry llama-bench's flags that make them: --n-cpu-moe, -ngl", () => {
    const desk = machine({ ramGib: 64, ramBandwidthGBps: 80, gpus: [{ name: "NVIDIA GeForce RTX 4090", vramGib: 24, bandwidthGBps: 1008 }] });
    const moe = estimate({ model: byId("openai/gpt-oss-120b"), machine: desk });
    expect(moe.runMode).toBe("moe_offload");
    expect(verifyCommand(moe)).toBe(`llama-bench -hf ggml-org/gpt-oss-120b-GGUF:MXFP4 --n-cpu-moe ${moe.basis.cpu_moe_layers} -p 512 -n 128`);
    // DeepSeek's three leading dense layers count in llama.cpp's layer numbers: N MoE layers' experts are the first N + 3.
    const big = machine({ ramGib: 512, ramBandwidthGBps: 200, gpus: [{ name: "NVIDIA GeForce RTX 4090", vramGib: 24, bandwidthGBps: 1008 }] });
    const ds = estimate({ model: byId("deepseek-ai/DeepSeek-V3"), machine: big, quant: "Q4_K_M" });
    expect(ds.runMode).toBe("moe_offload");
    expect(ds.basis.n_cpu_moe).toBe((ds.basis.cpu_moe_layers as number) + 3);
    expect(verifyCommand(ds)).toContain(` --n-cpu-moe ${ds.basis.n_cpu_moe} `);
    const layers = estimate({ model: byId("meta-llama/Llama-3.3-70B-Instruct"), machine: desk, quant: "Q4_K_M" });
    expect(layers.runMode).toBe("cpu_offload");
    expect(verifyCommand(layers)).toMatch(new RegExp(`:Q4_K_M -ngl ${Math.floor(layers.basis.gpu_layers as number)} -p 512 -n 128$`));
    const cpu = estimate({ model: qwen, machine: machine({ ramGib: 32 }), quant: "Q4_K_M" });
    expect(cpu.runMode).toBe("cpu_only");
    expect(verifyCommand(cpu)).toMatch(/:Q4_K_M -ngl 0 -p 512 -n 128$/);
  });

  it("a requant of a natively quantized model is not looked for in ggml-org's conversion, which holds the native format alone", () => {
    const oss = byId("openai/gpt-oss-120b");
    expect(oss.gguf_sources[0]).toMatch(/^ggml-org\//);
    expect(weightsRepo(oss, "llamacpp", "MXFP4")).toBe(oss.gguf_sources[0]);
    expect(weightsRepo(oss, "llamacpp", "Q4_K_M")).toBe(oss.gguf_sources.find((s) => !s.startsWith("ggml-org/")));
  });

  it("says which export to fetch when the catalog lists none", () => {
    const nemotron = byId("nvidia/NVIDIA-Nemotron-Nano-9B-v2");
    const awq = estimate({ model: nemotron, machine: h100, runtime: "vllm", quant: "AWQ" });
    expect(verifyCommand(awq)).toContain(`--model <AWQ export of ${nemotron.id}>`);
  });
});
