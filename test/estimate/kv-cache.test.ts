import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { ArchitectureSchema, type Architecture } from "../../src/catalog/schema.js";
import { kvCacheSize, kvTypeOn, KV_BYTES_PER_ELEMENT, DEFAULT_UBATCH } from "../../src/estimate/kv-cache.js";
import { estimate } from "../../src/estimate/estimate.js";
import { describeMachine } from "../../src/hardware/describe.js";
import { BYTES_PER_GIB, BYTES_PER_MIB } from "../../src/domain/units.js";

const byId = new Map(bundledModels().map((m) => [m.id, m]));
const arch = (id: string): Architecture => {
  const m = byId.get(id);
  if (!m) throw new Error(`catalog lacks ${id}`);
  return m.architecture;
};
const dense = (over: Record<string, unknown>): Architecture =>
  ArchitectureSchema.parse({
    type: "llama", layers: 32, hidden_size: 4096, ffn_size: 14336, attention_heads: 32, kv_heads: 8, head_dim: 128,
    vocab_size: 128256, tied_embeddings: false, attention: { full_layers: 32 }, ...over,
  });

describe("KV cache, full attention (grouped-query)", () => {
  // Published figures: Ollama's FAQ on Llama 3.1 8B KV cache ("4GB" at 32768 f16, "1.1GB" at q4_0), and llama.cpp
  // logs "KV self size = 1024.00 MiB" for Llama-2-7B at n_ctx 2048 and for Llama-3-8B at 8192 cells.
  it("Llama 3.1 8B: 128 KiB per token, 4 GiB at 32768 tokens in f16", () => {
    const kv = kvCacheSize(arch("meta-llama/Llama-3.1-8B-Instruct"), 32768, "f16");
    expect(kv.bytesPerToken).toBe(32 * 8 * 128 * 2 * 2);
    expect(kv.totalBytes).toBe(4 * BYTES_PER_GIB);
  });

  it("Llama 3.1 8B at q4_0: 18 bytes per 32 values (1.125 GiB at 32768)", () => {
    expect(kvCacheSize(arch("meta-llama/Llama-3.1-8B-Instruct"), 32768, "q4_0").totalBytes).toBe(1.125 * BYTES_PER_GIB);
    expect(kvCacheSize(arch("meta-llama/Llama-3.1-8B-Instruct"), 32768, "q8_0").totalBytes).toBe(4 * BYTES_PER_GIB * (34 / 32 / 2));
  });

  it("Llama-2-7B (no GQA): 1024 MiB at 2048 tokens", () => {
    expect(kvCacheSize(arch("meta-llama/Llama-2-7b-chat-hf"), 2048, "f16").totalBytes).toBe(1024 * BYTES_PER_MIB);
  });

  it("pads llama.cpp contexts to 256 cells, and grows linearly", () => {
    const a = dense({});
    expect(kvCacheSize(a, 1000, "f16").cells).toBe(1024);
    expect(kvCacheSize(a, 1000, "f16", { padContext: false }).cells).toBe(1000);
    expect(kvCacheSize(a, 2048, "f16").totalBytes * 2).toBe(kvCacheSize(a, 4096, "f16").totalBytes);
    expect(kvCacheSize(a, 4096, "f16", { sequences: 4 }).totalBytes).toBe(4 * kvCacheSize(a, 4096, "f16").totalBytes);
  });
});

describe("KV cache, other layer types", () => {
  it("sliding-window layers hold min(context, window + one micro-batch) tokens", () => {
    const a = dense({ attention: { full_layers: 8, sliding_layers: 24, sliding_window: 1024 } });
    const perLayerToken = 8 * 128 * 2 * 2;
    const small = kvCacheSize(a, 512, "f16");
    expect(small.totalBytes).toBe(32 * 512 * perLayerToken);
    const big = kvCacheSize(a, 32768, "f16");
    const windowCells = Math.ceil((1024 + DEFAULT_UBATCH) / 256) * 256;
    expect(big.slidingBytes).toBe(24 * windowCells * perLayerToken);
    expect(big.totalBytes).toBe(8 * 32768 * perLayerToken + 24 * windowCells * perLayerToken);
  });

  it("a window the runtime ignores counts as full attention", () => {
    const a = dense({ attention: { full_layers: 0, sliding_layers: 32, sliding_window: 4096 } });
    expect(kvCacheSize(a, 32768, "f16", { honorSlidingWindow: false }).totalBytes).toBe(kvCacheSize(dense({}), 32768, "f16").totalBytes);
  });

  it("MLA caches the latent plus the rope key once per layer (DeepSeek-V3: 61 x 576 elements per token)", () => {
    const a = arch("deepseek-ai/DeepSeek-V3");
    expect(kvCacheSize(a, 8192, "f16").bytesPerToken).toBe(61 * (512 + 64) * 2);
  });

  it("linear / recurrent layers keep a constant state", () => {
    const a = dense({ attention: { full_layers: 8, linear_layers: 24, linear_state_bytes_per_layer: 1_000_000, linear_layer_params: 1000 } });
    const at4k = kvCacheSize(a, 4096, "f16");
    const at64k = kvCacheSize(a, 65536, "f16");
    expect(at4k.recurrentBytes).toBe(24_000_000);
    expect(at64k.recurrentBytes).toBe(24_000_000);
    expect(at64k.totalBytes - at64k.recurrentBytes).toBe(16 * (at4k.totalBytes - at4k.recurrentBytes));
  });

  it("shared-KV layers hold no cache of their own (Gemma 3n)", () => {
    const a = arch("google/gemma-3n-E2B-it");
    const own = a.attention.full_layers - a.attention.kv_shared_full_layers;
    expect(kvCacheSize(a, 8192, "f16").bytesPerToken).toBe(own * a.kv_heads * a.head_dim * 2 * 2);
  });

  it("an SSM beside the attention (Falcon-H1) adds a constant state per attention layer to the attention's KV", () => {
    const ssm = { layer_params: 1000, state_bytes_per_layer: 3_000_000 };
    const plain = dense({ attention: { full_layers: 24, sliding_layers: 8, sliding_window: 1024 } });
    const hybrid = dense({ attention: { full_layers: 24, sliding_layers: 8, sliding_window: 1024, parallel_ssm: ssm } });
    for (const ctx of [4096, 65536]) {
      const p = kvCacheSize(plain, ctx, "q8_0");
      const h = kvCacheSize(hybrid, ctx, "q8_0", { sequences: 2 });
      expect(h.recurrentBytes).toBe(32 * 3_000_000 * 2);
      expect(h.bytesPerToken).toBe(p.bytesPerToken);
      expect(h.totalBytes).toBe(2 * p.totalBytes + 32 * 3_000_000 * 2);
    }
  });

  it("Falcon-H1-7B: 44 layers of 2 KV heads x 128 plus 44 Mamba-2 states of (3x3584 + 256x3072) f32", () => {
    const a = arch("tiiuae/Falcon-H1-7B-Instruct");
    const kv = kvCacheSize(a, 32768, "f16");
    expect(kv.bytesPerToken).toBe(44 * 2 * 128 * 2 * 2);
    expect(kv.recurrentBytes).toBe(44 * (3 * 3584 + 256 * 3072) * 4);
    expect(kv.totalBytes).toBe(44 * 2 * 128 * 2 * 2 * 32768 + 44 * (3 * 3584 + 256 * 3072) * 4);
  });

  it("full layers with their own head size and KV heads (Gemma 4 style): each kind cached with its own shape", () => {
    const a = dense({ attention: { full_layers: 5, sliding_layers: 25, no_attention_layers: 2, sliding_window: 1024, full_head_dim: 512, full_kv_heads: 2 } });
    const full = 2 * (512 + 512) * 2;
    const sliding = 8 * (128 + 128) * 2;
    const windowCells = Math.ceil((1024 + DEFAULT_UBATCH) / 256) * 256;
    const kv = kvCacheSize(a, 32768, "f16");
    expect(kv.bytesPerToken).toBe(5 * full);
    expect(kv.slidingBytes).toBe(25 * windowCells * sliding);
    expect(kv.totalBytes).toBe(5 * full * 32768 + 25 * windowCells * sliding);
    // A window the runtime ignores: the sliding layers hold the whole context, still with their own shape.
    expect(kvCacheSize(a, 32768, "f16", { honorSlidingWindow: false }).bytesPerToken).toBe(5 * full + 25 * sliding);
  });

  it("attention-free layers keep no cache (Nemotron-NAS)", () => {
    const a = dense({ attention: { full_layers: 20, no_attention_layers: 12 } });
    expect(kvCacheSize(a, 8192, "f16").totalBytes).toBe(20 * 8 * 128 * 2 * 2 * 8192);
  });

  it("every catalog model has a finite, non-negative cache that does not shrink with context", () => {
    for (const m of bundledModels()) {
      const small = kvCacheSize(m.architecture, 1024, "f16").totalBytes;
      const big = kvCacheSize(m.architecture, 8192, "f16").totalBytes;
      expect(Number.isFinite(small) && small >= 0, m.id).toBe(true);
      expect(big, m.id).toBeGreaterThanOrEqual(small);
    }
  });

  it("element sizes follow ggml's block layouts, and vLLM's fp8 is a byte", () => {
    expect(KV_BYTES_PER_ELEMENT).toEqual({ f16: 2, q8_0: 1.0625, q4_0: 0.5625, fp8: 1 });
  });

  it("a runtime without the KV type asked caches in its nearest, and says so", () => {
    expect(kvTypeOn("vllm", "fp8")).toEqual({ type: "fp8", note: null });
    expect(kvTypeOn("vllm", "q8_0")).toEqual({ type: "fp8", note: "vLLM has no q8_0 KV cache: sized as fp8, its nearest" });
    expect(kvTypeOn("vllm", "q4_0").type).toBe("fp8");
    expect(kvTypeOn("llamacpp", "fp8")).toEqual({ type: "q8_0", note: "llama.cpp has no fp8 KV cache: sized as q8_0, its nearest" });
    expect(kvTypeOn("mlx", "q4_0")).toEqual({ type: "q4_0", note: null });
    for (const runtime of ["llamacpp", "mlx", "vllm"] as const) expect(kvTypeOn(runtime, "f16")).toEqual({ type: "f16", note: null });
  });

  it("an estimate reports the KV type its runtime caches in: fp8 halves vLLM's cache, llama.cpp sizes it as q8_0", () => {
    const model = bundledModels().find((m) => m.id === "Qwen/Qwen3-8B")!;
    const machine = describeMachine({ ram_gb: 64, gpus: [{ name: "NVIDIA GeForce RTX 4090" }] });
    const at = (runtime: "vllm" | "llamacpp", kvCacheType: "f16" | "fp8") => estimate({ model, machine, runtime, quant: runtime === "vllm" ? "FP8" : "Q8_0", contextTokens: 32768, kvCacheType });
    const vllm = at("vllm", "fp8");
    expect(vllm.kvCacheType).toBe("fp8");
    expect(vllm.memory.kvCacheBytes / at("vllm", "f16").memory.kvCacheBytes).toBeCloseTo(0.5, 2);
    const llama = at("llamacpp", "fp8");
    expect(llama.kvCacheType).toBe("q8_0");
    expect(llama.notes).toContain("llama.cpp has no fp8 KV cache: sized as q8_0, its nearest");
    // An alternative on another runtime caching another type says so.
    const chosen = estimate({ model, machine, contextTokens: 32768, kvCacheType: "q8_0" });
    expect(chosen.runtime).toBe("llamacpp");
    const onVllm = chosen.alternatives.find((a) => a.runtime === "vllm");
    expect(onVllm?.why).toContain("KV cache fp8");
    expect(chosen.alternatives.filter((a) => a.runtime === "llamacpp").every((a) => !a.why.includes("KV cache"))).toBe(true);
  });
});
