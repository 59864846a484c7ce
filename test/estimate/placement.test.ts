import { describe, expect, it } from "vitest";
import { quantName } from "../../src/domain/quants.js";
import { bundledModels } from "../../src/catalog/bundled.js";
import { estimate } from "../../src/estimate/estimate.js";
import { FIT_LEVELS, type FitLevel } from "../../src/estimate/types.js";
import { H100_SXM, M4_PRO_48, machine, RTX_3090, RTX_4090 } from "../support/machines.js";

const byId = new Map(bundledModels().map((m) => [m.id, m]));
const model = (id: string) => {
  const m = byId.get(id);
  if (!m) throw new Error(`catalog lacks ${id}`);
  return m;
};
const rank = (f: FitLevel) => FIT_LEVELS.length - FIT_LEVELS.indexOf(f);
const GiB = 2 ** 30;

describe("placement on described machines", () => {
  it("Llama 3.1 8B on one RTX 4090: Q8_0 on the GPU, perfect, at the speed llama-bench shows", () => {
    const e = estimate({ model: model("meta-llama/Llama-3.1-8B-Instruct"), machine: machine({ ramGib: 64, gpus: [RTX_4090] }) });
    expect(e.quant).toBe("Q8_0");
    expect(e.runMode).toBe("gpu");
    expect(e.fitLevel).toBe("perfect");
    // llama.cpp's CUDA scoreboard: 8B-class Q8_0 on a 4090 decodes at ~98 tok/s.
    expect(e.tokensPerSecond).toBeGreaterThan(80);
    expect(e.tokensPerSecond).toBeLessThan(120);
    expect(e.memory.requiredBytes).toBe(e.memory.weightsBytes + e.memory.kvCacheBytes + e.memory.overheadBytes);
    expect(e.contextTokens).toBe(8192);
    expect(e.usableContextTokens).toBeGreaterThanOrEqual(8192);
    expect(e.concurrentSessions).toBeGreaterThanOrEqual(1);
  });

  it("llama.cpp keeps an untied token embedding in host memory: not in the GPU's share, still in the download", () => {
    const llama = model("meta-llama/Llama-3.1-8B-Instruct");
    const box = machine({ ramGib: 64, gpus: [RTX_4090] });
    const gpu = estimate({ model: llama, machine: box, quant: "Q4_K_M" });
    const cpu = estimate({ model: llama, machine: machine({ ramGib: 64 }), quant: "Q4_K_M" });
    expect(gpu.runMode).toBe("gpu");
    // llama.cpp's load log for this file: "CPU_Mapped model buffer size = 281.81 MiB", the Q4_K token embedding
    // (128256 x 4096 values at 144 B per 256).
    const embedding = ((128256 * 4096) / 256) * 144;
    expect(embedding / 2 ** 20).toBeCloseTo(281.81, 2);
    expect(gpu.diskBytes).toBe(cpu.diskBytes);
    expect(gpu.memory.weightsBytes).toBeCloseTo(gpu.diskBytes - embedding, 0);
    expect(gpu.basis["host_input_gib"]).toBeCloseTo(embedding / GiB, 3);
    expect(gpu.notes.some((n) => n.startsWith("token embedding (0.275 GiB) stays in system RAM"))).toBe(true);
    // On the CPU every weight is in RAM.
    expect(cpu.memory.weightsBytes).toBe(cpu.diskBytes);
    // A tied embedding is also the head, which the GPU holds: nothing leaves it.
    const tied = model("meta-llama/Llama-3.2-3B-Instruct");
    expect(tied.architecture.tied_embeddings).toBe(true);
    const t = estimate({ model: tied, machine: box, quant: "Q4_K_M" });
    expect(t.memory.weightsBytes).toBe(t.diskBytes);
    // Gemma 3n's per-layer embedding table is input layer too, tied model or not.
    const gemma3n = estimate({ model: model("google/gemma-3n-E4B-it"), machine: box, quant: "Q4_K_M" });
    expect(gemma3n.diskBytes - gemma3n.memory.weightsBytes).toBeGreaterThan(1.5e9);
    // Tied: the table alone leaves the GPU, and the note names it alone.
    expect(gemma3n.notes.some((n) => n.startsWith("per-layer embedding table (1.794 GiB) stays in system RAM"))).toBe(true);
    // vLLM loads every weight on the GPU.
    const v = estimate({ model: llama, machine: machine({ ramGib: 64, gpus: [H100_SXM] }), runtime: "vllm", quant: "FP8" });
    expect(v.memory.weightsBytes).toBe(v.diskBytes);
  });

  it("offloaded, the input layer stays in system RAM beside the offloaded layers: counted and graded there", () => {
    const llama70 = model("meta-llama/Llama-3.1-70B-Instruct");
    const at = (ramGib: number) => estimate({ model: llama70, machine: machine({ ramGib, gpus: [RTX_4090] }), quant: "Q4_K_M" });
    const roomy = at(64);
    expect(roomy.runMode).toBe("cpu_offload");
    expect(roomy.notes).toContain("partial offload: 42 of 80 layers on the GPU, the rest in system RAM");
    expect(roomy.notes.some((n) => n.startsWith("token embedding (0.55 GiB) stays in system RAM, with the offloaded layers"))).toBe(true);
    // Every byte of the file is in GPU memory or RAM: the embedding is not dropped, only kept off the GPU.
    expect(roomy.memory.weightsBytes).toBe(roomy.diskBytes);
    // Q4_K token embedding, 128256 x 8192 values at 144 B per 256: without it in the RAM tier, the same split would
    // pass with half of it missing.
    const embedding = ((128256 * 8192) / 256) * 144;
    const tight = at((roomy.memory.ramBytes - embedding / 2) / GiB);
    expect(tight.notes).not.toContain("partial offload: 42 of 80 layers on the GPU, the rest in system RAM");
  });

  it("on unified memory the input layer kept on the CPU is in the same memory: still counted in the pool", () => {
    const mac = machine({ ramGib: 48, gpus: [M4_PRO_48] });
    for (const id of ["meta-llama/Llama-3.1-8B-Instruct", "google/gemma-3n-E4B-it"]) {
      const e = estimate({ model: model(id), machine: mac, runtime: "llamacpp", quant: "Q4_K_M" });
      expect(e.runMode, id).toBe("gpu");
      expect(e.memory.weightsBytes, id).toBe(e.diskBytes);
      expect(e.memory.gpuBytes, id).toBe(e.memory.requiredBytes);
      expect(e.notes.some((n) => n.includes("llama.cpp keeps the input layer on the CPU")), id).toBe(false);
    }
  });

  it("grades against free VRAM, not total", () => {
    const busy = machine({ ramGib: 64, gpus: [{ ...RTX_4090, freeGib: 4 }] });
    const e = estimate({ model: model("meta-llama/Llama-3.1-8B-Instruct"), machine: busy, quant: "Q8_0" });
    expect(e.runMode).not.toBe("gpu");
    expect(e.memory.availableBytes).toBeLessThan(70 * GiB);
  });

  it("Llama 3.1 70B: more VRAM never makes the fit worse, and the run mode moves from CPU to GPU", () => {
    const m = model("meta-llama/Llama-3.1-70B-Instruct");
    let previous = 0;
    const modes: string[] = [];
    for (const vram of [0, 8, 16, 24, 32, 48, 64, 80, 96, 128]) {
      const mach = machine({ ramGib: 128, ramBandwidthGBps: 90, gpus: vram === 0 ? [] : [{ ...H100_SXM, vramGib: vram }] });
      const e = estimate({ model: m, machine: mach });
      expect(rank(e.fitLevel), `${vram} GiB`).toBeGreaterThanOrEqual(previous);
      previous = rank(e.fitLevel);
      modes.push(e.runMode);
    }
    expect(modes[0]).toBe("cpu_only");
    expect(modes.at(-1)).toBe("gpu");
    expect(modes).toContain("cpu_offload");
  });

  it("CPU-only is never better than marginal", () => {
    for (const m of bundledModels().slice(0, 60)) {
      const e = estimate({ model: m, machine: machine({ ramGib: 512, ramBandwidthGBps: 200 }) });
      expect(["marginal", "too_tight"]).toContain(e.fitLevel);
    }
  });

  it("CPU decode is capped by compute when memory bandwidth would allow more; prefill comes from compute", () => {
    const m = model("meta-llama/Llama-3.1-8B-Instruct");
    const fast = estimate({ model: m, machine: machine({ ramGib: 64, ramBandwidthGBps: 800, cores: 1 }), quant: "Q4_K_M" });
    expect(fast.basis.decode_bound).toBe("compute");
    expect(fast.tokensPerSecond).toBeCloseTo(40e9 / (2 * Number(fast.basis.params_active_per_token)), 0);
    expect(fast.prefillTokensPerSecond).toBeGreaterThan(0);
    const normal = estimate({ model: m, machine: machine({ ramGib: 64, ramBandwidthGBps: 60, cores: 16 }), quant: "Q4_K_M" });
    expect(normal.basis.decode_bound).toBe("memory bandwidth");
    expect(normal.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it("too tight: the smallest quant tried, what it would need, and 0 tok/s", () => {
    const e = estimate({ model: model("meta-llama/Llama-3.1-70B-Instruct"), machine: machine({ ramGib: 8 }) });
    expect(e.fitLevel).toBe("too_tight");
    expect(e.quant).toBe("IQ1_S");
    expect(e.tokensPerSecond).toBe(0);
    expect(e.memory.requiredBytes).toBeGreaterThan(8 * GiB);
  });

  it("MoE expert offload: Qwen3-30B-A3B on a 12 GB card with 64 GB RAM keeps a Q4-class quant at a useful speed", () => {
    const mach = machine({ ramGib: 64, ramBandwidthGBps: 80, gpus: [{ name: "NVIDIA GeForce RTX 3060", vramGib: 12, bandwidthGBps: 360 }] });
    const e = estimate({ model: model("Qwen/Qwen3-30B-A3B"), machine: mach });
    expect(e.runMode).toBe("moe_offload");
    expect(e.fitLevel).toBe("good");
    expect(["Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "IQ4_XS"]).toContain(e.quant);
    expect(e.tokensPerSecond).toBeGreaterThan(10);
    expect(e.memory.ramBytes).toBeGreaterThan(0);
  });

  it("MoE offload keeps the GPU's headroom; its usable context is what fits with more experts moved to RAM, as far as RAM holds them", () => {
    const card = { name: "NVIDIA GeForce RTX 4060", vramGib: 8, bandwidthGBps: 272 };
    const e = estimate({ model: model("Qwen/Qwen3-30B-A3B"), machine: machine({ ramGib: 64, ramBandwidthGBps: 80, gpus: [card] }), quant: "Q8_0" });
    expect(e.runMode).toBe("moe_offload");
    expect(e.memory.gpuBytes).toBeLessThanOrEqual(0.95 * 8 * GiB + 1);
    // 64 GB of RAM takes every expert: the GPU keeps attention, shared weights and the cache, enough for the model's
    // whole context; the note says the extra context costs speed.
    expect(e.usableContextTokens).toBe(e.model.context_length);
    expect(e.usableContextTokens).toBeGreaterThan(e.contextTokens);
    expect(e.notes).toContain(`up to ${e.usableContextTokens} tokens of context fit with more of the experts in system RAM (slower than at ${e.contextTokens})`);
    // RAM that cannot take all the experts keeps some on the GPU, and the context that fits beside them is smaller.
    const tight = estimate({ model: model("Qwen/Qwen3-30B-A3B"), machine: machine({ ramGib: 26, ramBandwidthGBps: 80, gpus: [card] }), quant: "Q8_0" });
    expect(tight.runMode).toBe("moe_offload");
    expect(tight.usableContextTokens).toBeGreaterThanOrEqual(tight.contextTokens);
    expect(tight.usableContextTokens).toBeLessThan(e.usableContextTokens);
    // llama.cpp's flag for the split is named, and the basis carries it.
    expect(e.basis.cpu_moe_layers).toBeGreaterThan(0);
    expect(e.notes.some((n) => n.includes(`--n-cpu-moe ${e.basis.n_cpu_moe}`))).toBe(true);
  });

  it("says why it chose the quant, and 'as asked' only when one was asked", () => {
    const m = model("meta-llama/Llama-3.1-8B-Instruct");
    const mach = machine({ ramGib: 64, gpus: [RTX_4090] });
    expect(estimate({ model: m, machine: mach }).basis.quant_choice).not.toMatch(/as asked/);
    expect(estimate({ model: m, machine: mach, quant: "Q4_K_M" }).basis.quant_choice).toBe("Q4_K_M: as asked");
  });

  it("MoE models are sized from all experts, not from active parameters", () => {
    const e = estimate({ model: model("Qwen/Qwen3-30B-A3B"), machine: machine({ ramGib: 256, gpus: [H100_SXM] }), quant: "Q4_K_M" });
    expect(e.memory.weightsBytes / GiB).toBeGreaterThan(16);
  });

  it("two RTX 3090s split Llama 3 70B Q4_K_M by layers at the measured ~16.6 tok/s", () => {
    const e = estimate({ model: model("meta-llama/Meta-Llama-3-70B-Instruct"), machine: machine({ ramGib: 64, gpus: [{ ...RTX_3090, count: 2 }] }), quant: "Q4_K_M", contextTokens: 2048 });
    expect(e.runMode).toBe("gpu");
    expect(e.basis.gpus_used).toBe(2);
    expect(e.tokensPerSecond).toBeGreaterThan(16.6 * 0.85);
    expect(e.tokensPerSecond).toBeLessThan(16.6 * 1.15);
  });

  it("vLLM splits a large MoE over matched cards with tensor parallelism", () => {
    const e = estimate({ model: model("Qwen/Qwen3-235B-A22B"), machine: machine({ ramGib: 1024, gpus: [{ ...H100_SXM, count: 8 }] }), runtime: "vllm" });
    expect(e.runMode).toBe("tensor_parallel");
    expect(e.fitLevel).not.toBe("too_tight");
    expect(e.notes.join(" ")).toMatch(/tensor parallel over/);
    // HBM cards on NVLink: no PCIe caveat.
    expect(e.notes.some((n) => n.includes("over PCIe"))).toBe(false);
  });

  it("vLLM tensor parallel over GeForce cards says its all-reduces are a prior and reaches 0.6 of the estimate below", () => {
    const e = estimate({ model: model("Qwen/Qwen3-32B"), machine: machine({ ramGib: 128, gpus: [{ ...RTX_3090, count: 2 }] }), runtime: "vllm", quant: "AWQ" });
    expect(e.runMode).toBe("tensor_parallel");
    expect(e.notes.some((n) => n.startsWith("tensor parallel over PCIe (no NVLink assumed)"))).toBe(true);
    expect(e.tokensPerSecondRange[0]).toBeLessThanOrEqual(Math.round(e.tokensPerSecond * 0.6 * 10) / 10);
    // One card: no all-reduce, no caveat.
    const one = estimate({ model: model("Qwen/Qwen3-8B"), machine: machine({ ramGib: 128, gpus: [RTX_3090] }), runtime: "vllm", quant: "AWQ" });
    expect(one.notes.some((n) => n.includes("over PCIe"))).toBe(false);
  });

  it("Apple Silicon: MLX on the GPU's share of unified memory", () => {
    const e = estimate({ model: model("Qwen/Qwen2.5-14B-Instruct"), machine: machine({ ramGib: 48, gpus: [M4_PRO_48] }) });
    expect(e.runtime).toBe("mlx");
    expect(e.runMode).toBe("gpu");
    expect(e.fitLevel).not.toBe("too_tight");
  });

  it("a GGUF quant on a Mac runs on llama.cpp", () => {
    const e = estimate({ model: model("Qwen/Qwen2.5-14B-Instruct"), machine: machine({ ramGib: 48, gpus: [M4_PRO_48] }), quant: "Q4_K_M" });
    expect(e.runtime).toBe("llamacpp");
  });

  it("a format the forced runtime cannot load is answered for the runtime's nearest format, with a note, not refused", () => {
    const llama = model("meta-llama/Llama-3.1-8B-Instruct");
    const box = machine({ ramGib: 64, gpus: [RTX_4090] });
    const nvfp4 = estimate({ model: llama, machine: box, quant: "NVFP4", runtime: "llamacpp" });
    expect(nvfp4.runtime).toBe("llamacpp");
    expect(nvfp4.quant).toBe("Q4_0");
    expect(nvfp4.tokensPerSecond).toBeGreaterThan(0);
    expect(nvfp4.notes).toContain("NVFP4 is not a format llama.cpp loads: answered for Q4_0, its nearest (4.52 bits per FFN weight against 4.50)");
    expect(nvfp4.basis.quant_choice).toBe("Q4_0: nearest to NVFP4");
    const gguf = estimate({ model: llama, machine: box, quant: "Q8_0", runtime: "vllm" });
    expect(gguf.quant).toBe("FP8");
    const mlx = estimate({ model: llama, machine: machine({ ramGib: 48, gpus: [M4_PRO_48] }), quant: "Q4_K_M", runtime: "mlx" });
    expect(mlx.quant).toBe("MLX-4BIT");
    expect(estimate({ model: llama, machine: box, quant: "Q4_K_M", runtime: "llamacpp" }).notes.join(" ")).not.toMatch(/nearest/);
  });

  it("is deterministic", () => {
    const mach = machine({ ramGib: 32, gpus: [RTX_3090] });
    const a = estimate({ model: model("Qwen/Qwen2.5-32B-Instruct"), machine: mach });
    const b = estimate({ model: model("Qwen/Qwen2.5-32B-Instruct"), machine: mach });
    expect(a).toEqual(b);
  });

  it("unknown bandwidth: the speed is not guessed", () => {
    const e = estimate({ model: model("meta-llama/Llama-3.1-8B-Instruct"), machine: machine({ ramGib: 64, gpus: [{ ...RTX_4090, bandwidthGBps: null }] }) });
    expect(e.tokensPerSecond).toBe(0);
    expect(e.notes.join(" ")).toMatch(/bandwidth unknown/);
  });

  it("quant names as people write them: the canonical name, or null for an unknown one", () => {
    expect(quantName("Q9_Z")).toBeNull();
    expect(quantName(" q4_k_m ")).toBe("Q4_K_M");
    expect(quantName("mlx-4")).toBe("MLX-4BIT");
    // mlx-lm's MXFP4 mode, as the gpt-oss MLX releases name it ("MXFP4-Q8") and as people type it.
    expect(quantName("MLX-MXFP4")).toBe("MLX-MXFP4");
    expect(quantName("mxfp4-q8")).toBe("MLX-MXFP4");
    expect(quantName("MXFP4")).toBe("MXFP4");
  });

  it("every catalog model estimates on a 4090 workstation without throwing, with finite figures", () => {
    const mach = machine({ ramGib: 64, gpus: [RTX_4090] });
    for (const m of bundledModels()) {
      const e = estimate({ model: m, machine: mach });
      expect(Number.isFinite(e.tokensPerSecond) && e.tokensPerSecond >= 0, m.id).toBe(true);
      expect(Number.isFinite(e.memory.requiredBytes) && e.memory.requiredBytes > 0, m.id).toBe(true);
    }
  });
});
