// KV cache: bytes the attention cache and recurrent state take at a context, per layer type, per runtime.
import { attentionShape } from "../catalog/params.js";
import type { Architecture } from "../catalog/schema.js";
import { RUNTIME_LABELS, type KvCacheType, type Runtime } from "./types.js";

/**
 * Bytes per cached element: f16 = 2; q8_0 = 34 B per 32 values; q4_0 = 18 B per 32 values (ggml block layouts; MLX's
 * 8- and 4-bit KV groups of 64 with an fp16 scale and bias take the same 1.0625 and 0.5625); fp8 = 1 (vLLM's e4m3 /
 * e5m2, one scale per layer).
 */
export const KV_BYTES_PER_ELEMENT: Record<KvCacheType, number> = { f16: 2, q8_0: 34 / 32, q4_0: 18 / 32, fp8: 1 };

/**
 * The KV types each runtime has: llama.cpp's ggml types (no fp8 cache), MLX's quantized cache (`--kv-bits`), and
 * vLLM's fp8 (no 4- or 8-bit integer cache). A type a runtime lacks is sized as its nearest of the same width or the
 * next wider one.
 */
const KV_TYPE_ON: Readonly<Record<Runtime, Readonly<Record<KvCacheType, KvCacheType>>>> = {
  llamacpp: { f16: "f16", q8_0: "q8_0", q4_0: "q4_0", fp8: "q8_0" },
  mlx: { f16: "f16", q8_0: "q8_0", q4_0: "q4_0", fp8: "q8_0" },
  vllm: { f16: "f16", q8_0: "fp8", q4_0: "fp8", fp8: "fp8" },
};

/** The KV type a runtime caches in when `asked` is requested, and a note when it is not the one asked. */
export function kvTypeOn(runtime: Runtime, asked: KvCacheType): { type: KvCacheType; note: string | null } {
  const type = KV_TYPE_ON[runtime][asked];
  return { type, note: type === asked ? null : `${RUNTIME_LABELS[runtime]} has no ${asked} KV cache: sized as ${type}, its nearest` };
}

/** llama.cpp pads the context of its KV cache to a multiple of 256 cells (llama-context.cpp `n_ctx_pad`). */
export const LLAMACPP_CONTEXT_PAD = 256;
/** Micro-batch a runtime evaluates at once by default (llama.cpp `n_ubatch` = 512). */
export const DEFAULT_UBATCH = 512;

export interface KvCacheSize {
  totalBytes: number;
  /** Bytes per token of context for full-attention (and MLA) layers: the part that grows with the context. */
  bytesPerToken: number;
  /** Sliding-window layers: bytes at this context (bounded by the window). */
  slidingBytes: number;
  /** Linear / SSM layers and SSM mixers beside the attention (Falcon-H1): constant recurrent state. */
  recurrentBytes: number;
  /** Cells one full layer holds (padded context). */
  cells: number;
}

const padTo = (n: number, multiple: number): number => Math.ceil(n / multiple) * multiple;

/**
 * Elements one token adds to one attention layer's cache (K and V). Full layers may have their own head size and KV
 * heads (Gemma 4's global layers); sliding layers use the architecture's.
 */
export function kvElementsPerTokenPerLayer(a: Architecture, kind: "full" | "sliding" = "full"): number {
  const mla = a.attention.mla;
  // MLA: llama.cpp and vLLM cache the compressed latent plus the rope key, shared by every head (DeepSeek-V2 paper §2.1).
  if (mla) return mla.kv_lora_rank + mla.qk_rope_head_dim;
  const { headDim, kvHeads, vHeadDim } = attentionShape(a, kind);
  return kvHeads * (headDim + vHeadDim);
}

/**
 * Architectures whose sliding-window layers llama.cpp gives a window-sized cache (its iSWA cache); for the others it
 * caches the whole context in every layer even when the model's config declares a window (Mistral 7B v0.1, Phi-3,
 * StarCoder2). From llama.cpp's src/llama-model.cpp, the architectures that set `swa_type`.
 */
export const LLAMACPP_SWA_ARCHITECTURES: ReadonlySet<string> = new Set([
  "gemma2",
  "gemma3",
  "gemma3n",
  "gemma-embedding",
  "gemma4",
  "cohere2",
  "gpt-oss",
  "llama4",
  "exaone4",
  "smallthinker",
  "mimo2",
]);

/**
 * The cache for `sequences` sequences of `contextTokens` each. Full layers hold every token; sliding layers hold
 * min(context, window + one micro-batch) (llama.cpp's SWA cache, llama-kv-cache-iswa.cpp); linear layers, and the
 * SSM mixers that run beside attention, keep a constant f32 state per sequence (llama.cpp's recurrent cache, which
 * hybrid models keep beside their KV cache); layers without attention keep nothing. `padContext` applies
 * llama.cpp's padding.
 */
export function kvCacheSize(
  a: Architecture,
  contextTokens: number,
  type: KvCacheType,
  options: { sequences?: number; padContext?: boolean; honorSlidingWindow?: boolean } = {},
): KvCacheSize {
  const sequences = options.sequences ?? 1;
  const cells = options.padContext === false ? contextTokens : padTo(contextTokens, LLAMACPP_CONTEXT_PAD);
  const perElement = KV_BYTES_PER_ELEMENT[type];
  const perTokenFull = kvElementsPerTokenPerLayer(a, "full") * perElement;
  const perTokenSliding = kvElementsPerTokenPerLayer(a, "sliding") * perElement;
  const honor = options.honorSlidingWindow ?? true;
  const ownFull = a.attention.full_layers - a.attention.kv_shared_full_layers;
  const ownSliding = a.attention.sliding_layers - a.attention.kv_shared_sliding_layers;
  // A window the runtime ignores makes its layers full-context layers (with their own head shape).
  const slidingLayers = honor ? ownSliding : 0;
  const bytesPerToken = perTokenFull * ownFull + (honor ? 0 : perTokenSliding * ownSliding);
  const window = a.attention.sliding_window ?? 0;
  const slidingCells = Math.min(cells, padTo(window + DEFAULT_UBATCH, LLAMACPP_CONTEXT_PAD));
  const slidingBytes = slidingLayers * slidingCells * perTokenSliding * sequences;
  const attentionLayers = a.attention.full_layers + a.attention.sliding_layers;
  const stateBytesPerSequence =
    a.attention.linear_layers * a.attention.linear_state_bytes_per_layer + attentionLayers * (a.attention.parallel_ssm?.state_bytes_per_layer ?? 0);
  const recurrentBytes = stateBytesPerSequence * sequences;
  const totalBytes = bytesPerToken * cells * sequences + slidingBytes + recurrentBytes;
  return { totalBytes, bytesPerToken, slidingBytes, recurrentBytes, cells };
}

/** Bytes of KV cache read per generated token at `contextTokens` (every cached token of every layer is read). */
export function kvBytesReadPerToken(a: Architecture, contextTokens: number, type: KvCacheType, honorSlidingWindow = true): number {
  const s = kvCacheSize(a, contextTokens, type, { padContext: false, honorSlidingWindow });
  return s.totalBytes;
}
