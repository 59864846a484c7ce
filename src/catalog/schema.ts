// Catalog schema: the shape of a model entry, validated at load for the bundled and the user catalog alike.
import { quantName } from "../domain/quants.js";
import { z } from "zod";
import {
  MAX_ATTENTION_HEADS,
  MAX_CATALOG_MODELS,
  MAX_CONTEXT_TOKENS,
  MAX_EXPERTS,
  MAX_FFN_SIZE,
  MAX_HEAD_DIM,
  MAX_HIDDEN_SIZE,
  MAX_LAYER_PARAMS,
  MAX_LAYERS,
  MAX_LIST_ENTRIES,
  MAX_MLA_RANK,
  MAX_NAME_LENGTH,
  MAX_PARAMS,
  MAX_STATE_BYTES_PER_LAYER,
  MAX_TEXT_LENGTH,
  MAX_VOCAB_SIZE,
  MAX_WEIGHTS_BYTES,
} from "../domain/limits.js";
import { CATEGORIES } from "./categories.js";
import { largest } from "./extremes.js";
import { paramBreakdown } from "./params.js";

export { CATEGORIES, type Category } from "./categories.js";

// Every figure and list is bounded (domain/limits.ts: each bound with the largest real value it admits), so whatever
// passes the schema estimates in milliseconds with finite figures. A bound's message says it: "at most 1024". The
// checks across fields (superRefine) may still see a value past its bound (its issue comes first): they stay cheap.
const count = (max: number) => z.number().int().nonnegative().max(max, `at most ${max}`);
const positive = (max: number) => z.number().int().positive().max(max, `at most ${max}`);
/** A list of at most `max` entries. */
const list = <T extends z.ZodType>(item: T, max = MAX_LIST_ENTRIES) => z.array(item).max(max, `at most ${max} entries`);
/** A name, id, tag, repository or URL (non-empty). */
const name = () => z.string().min(1).max(MAX_NAME_LENGTH, `at most ${MAX_NAME_LENGTH} characters`);
/** A note, caveat or description. */
const text = () => z.string().max(MAX_TEXT_LENGTH, `at most ${MAX_TEXT_LENGTH} characters`);

export const CAPABILITIES = [
  "tools",
  "vision",
  "audio",
  "reasoning",
  "code",
  "fim",
  "embedding",
  "reranking",
  "multilingual",
  "long_context",
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Multi-head latent attention (DeepSeek V2/V3, Kimi K2, ...): the KV cache holds a latent plus a rope key. */
export const MlaSchema = z.strictObject({
  kv_lora_rank: positive(MAX_MLA_RANK),
  qk_rope_head_dim: positive(MAX_HEAD_DIM),
  qk_nope_head_dim: positive(MAX_HEAD_DIM),
  v_head_dim: positive(MAX_HEAD_DIM),
  /** Rank of the query compression; null when queries are not compressed (e.g. DeepSeek-V2-Lite). */
  q_lora_rank: positive(MAX_MLA_RANK).nullable(),
});

/**
 * An SSM mixer that runs in parallel with the attention inside the same layer (Falcon-H1: attention and Mamba-2
 * heads side by side, their outputs summed, then the MLP). It is in every attention layer (full and sliding): its
 * parameters add to each, and its constant state sits beside the layer's KV cache.
 */
export const ParallelSsmSchema = z.strictObject({
  /** Parameters of one layer's SSM mixer (in/out projections, conv, A, D, dt bias; norms may be left out). */
  layer_params: positive(MAX_LAYER_PARAMS),
  /** Bytes of recurrent state one layer's mixer keeps per sequence, as llama.cpp stores it (f32 conv + f32 SSM state). */
  state_bytes_per_layer: positive(MAX_STATE_BYTES_PER_LAYER),
});

/**
 * Which layers attend how. full + sliding + linear + no_attention = layers. Order does not change memory, so counts
 * are kept, and `layer_pattern` says the order in words (e.g. "5 sliding then 1 full, repeated").
 */
export const AttentionSchema = z.strictObject({
  full_layers: count(MAX_LAYERS),
  sliding_layers: count(MAX_LAYERS).default(0),
  /** Tokens a sliding layer attends to (its KV cache holds min(context, window) tokens). */
  sliding_window: positive(MAX_CONTEXT_TOKENS).nullable().default(null),
  /** Linear-attention / SSM / recurrent / short-conv layers: a constant state per sequence, no KV growth. */
  linear_layers: count(MAX_LAYERS).default(0),
  /** Bytes of recurrent state one linear layer keeps per sequence (as llama.cpp stores it, f32). */
  linear_state_bytes_per_layer: count(MAX_STATE_BYTES_PER_LAYER).default(0),
  /** Parameters of one linear layer's mixer (used instead of the attention projections for those layers). */
  linear_layer_params: count(MAX_LAYER_PARAMS).default(0),
  /**
   * Of linear_layer_params, the fused input projection that GGUF files store as `attn_qkv` (Gated DeltaNet's
   * in_proj_qkv in Qwen3.5/3.6 and Qwen3-Next), which llama.cpp's quantizer types by its attn_v rules; 0 = none.
   */
  linear_qkv_params: count(MAX_LAYER_PARAMS).default(0),
  layer_pattern: text().nullable().default(null),
  mla: MlaSchema.nullable().default(null),
  /**
   * Attention layers (full or sliding) that reuse an earlier layer's KV cache and keep none of their own
   * (Gemma 3n: the last 10 of 30 layers). Counted out of the cache, not out of the parameters.
   */
  kv_shared_full_layers: count(MAX_LAYERS).default(0),
  kv_shared_sliding_layers: count(MAX_LAYERS).default(0),
  /**
   * Layers with no token mixer at all: attention skipped, no KV cache, only the FFN (Llama-3.3-Nemotron-Super's
   * attention-free blocks). A block whose attention is replaced by one linear projection counts here too; that
   * projection goes to extra_params.
   */
  no_attention_layers: count(MAX_LAYERS).default(0),
  /** Head size of the full (global) layers when it differs from the architecture's head_dim (Gemma 4); null = head_dim. */
  full_head_dim: positive(MAX_HEAD_DIM).nullable().default(null),
  /** KV heads of the full (global) layers when they differ from the architecture's kv_heads (Gemma 4); null = kv_heads. */
  full_kv_heads: positive(MAX_ATTENTION_HEADS).nullable().default(null),
  /** An SSM mixer beside the attention in every attention layer (Falcon-H1); null = none. */
  parallel_ssm: ParallelSsmSchema.nullable().default(null),
});

export const MoeSchema = z.strictObject({
  experts: positive(MAX_EXPERTS),
  active_experts: positive(MAX_EXPERTS),
  shared_experts: count(MAX_EXPERTS).default(0),
  /** Intermediate size of one routed expert. */
  expert_ffn_size: positive(MAX_FFN_SIZE),
  /** Intermediate size of one shared expert (0 when there is none). */
  shared_expert_ffn_size: count(MAX_FFN_SIZE).default(0),
  /** Layers whose FFN is dense instead of MoE (DeepSeek's first 3, say). */
  dense_layers: count(MAX_LAYERS).default(0),
  /** Intermediate size of those dense layers; null = the architecture's ffn_size. */
  dense_ffn_size: positive(MAX_FFN_SIZE).nullable().default(null),
});

export const ArchitectureSchema = z
  .strictObject({
    /** The GGUF / llama.cpp architecture name (llama, qwen2, qwen3moe, gemma3, deepseek2, ...). */
    type: name(),
    layers: positive(MAX_LAYERS),
    hidden_size: positive(MAX_HIDDEN_SIZE),
    /** Intermediate size of a dense FFN layer. */
    ffn_size: count(MAX_FFN_SIZE),
    /** Gated FFN (SwiGLU / GeGLU: three matrices) or plain (two). */
    ffn_gated: z.boolean().default(true),
    /** Layers that have an FFN block; null = every layer (some hybrids alternate mixer-only and FFN-only layers). */
    ffn_layers: count(MAX_LAYERS).nullable().default(null),
    /**
     * Intermediate size of each FFN block in order, when they differ by layer (Nemotron-NAS models); one entry per
     * FFN block (ffn_layers ?? layers), ffn_size then the largest. Dense FFNs only. null = every block is ffn_size.
     */
    ffn_sizes: list(positive(MAX_FFN_SIZE), MAX_LAYERS).nullable().default(null),
    attention_heads: positive(MAX_ATTENTION_HEADS),
    kv_heads: positive(MAX_ATTENTION_HEADS),
    head_dim: positive(MAX_HEAD_DIM),
    /** Value head size when it differs from head_dim; null = head_dim. */
    v_head_dim: positive(MAX_HEAD_DIM).nullable().default(null),
    vocab_size: positive(MAX_VOCAB_SIZE),
    tied_embeddings: z.boolean(),
    attention: AttentionSchema,
    moe: MoeSchema.nullable().default(null),
    /** Parameters of a vision or audio tower (projector included), loaded beside the text model. */
    vision_params: count(MAX_PARAMS).default(0),
    /** Parameters outside the blocks above (multi-token-prediction heads, per-layer embeddings, ...), with a note. */
    extra_params: count(MAX_PARAMS).default(0),
    /**
     * Of extra_params, a per-layer token-embedding table (Gemma 3n: vocab x layers x 256): llama.cpp quantizes it as
     * it does the token embedding (llama-quant.cpp `tensor_name_match_token_embd`) and keeps it with the input layer
     * on the CPU.
     */
    per_layer_embedding_params: count(MAX_PARAMS).default(0),
  })
  .superRefine((a, ctx) => {
    const { full_layers, sliding_layers, linear_layers, no_attention_layers, sliding_window, mla } = a.attention;
    if (full_layers + sliding_layers + linear_layers + no_attention_layers !== a.layers)
      ctx.addIssue({
        code: "custom",
        message: `attention layers (${full_layers}+${sliding_layers}+${linear_layers}+${no_attention_layers}) must add up to layers (${a.layers})`,
      });
    if (a.attention.kv_shared_full_layers > full_layers || a.attention.kv_shared_sliding_layers > sliding_layers)
      ctx.addIssue({ code: "custom", message: "kv_shared layers cannot exceed the layers of their kind" });
    if (sliding_layers > 0 && sliding_window === null)
      ctx.addIssue({ code: "custom", message: "sliding_layers > 0 needs sliding_window" });
    if (a.per_layer_embedding_params > a.extra_params)
      ctx.addIssue({ code: "custom", message: "per_layer_embedding_params is part of extra_params: it cannot exceed it" });
    if (a.attention.linear_qkv_params > a.attention.linear_layer_params)
      ctx.addIssue({ code: "custom", message: "linear_qkv_params is part of linear_layer_params: it cannot exceed it" });
    if (linear_layers > 0 && a.attention.linear_state_bytes_per_layer === 0)
      ctx.addIssue({ code: "custom", message: "linear_layers > 0 needs linear_state_bytes_per_layer" });
    if (mla === null && a.kv_heads > a.attention_heads)
      ctx.addIssue({ code: "custom", message: "kv_heads cannot exceed attention_heads" });
    if (a.moe && a.moe.active_experts > a.moe.experts)
      ctx.addIssue({ code: "custom", message: "moe.active_experts cannot exceed moe.experts" });
    if (a.moe && a.moe.dense_layers > (a.ffn_layers ?? a.layers))
      ctx.addIssue({ code: "custom", message: `moe.dense_layers (${a.moe.dense_layers}) cannot exceed the FFN blocks (${a.ffn_layers ?? a.layers})` });
    const { full_head_dim, full_kv_heads, parallel_ssm } = a.attention;
    if ((full_head_dim !== null || full_kv_heads !== null) && (mla !== null || a.v_head_dim !== null))
      ctx.addIssue({ code: "custom", message: "full_head_dim / full_kv_heads cannot be combined with mla or v_head_dim" });
    if (full_kv_heads !== null && full_kv_heads > a.attention_heads)
      ctx.addIssue({ code: "custom", message: "full_kv_heads cannot exceed attention_heads" });
    if (parallel_ssm !== null && full_layers + sliding_layers === 0)
      ctx.addIssue({ code: "custom", message: "parallel_ssm needs attention layers to run beside" });
    if (a.ffn_layers !== null && a.ffn_layers > a.layers)
      ctx.addIssue({ code: "custom", message: `ffn_layers (${a.ffn_layers}) cannot exceed layers (${a.layers})` });
    if (a.ffn_sizes !== null) {
      const ffnBlocks = a.ffn_layers ?? a.layers;
      if (a.moe !== null) ctx.addIssue({ code: "custom", message: "ffn_sizes is for dense FFNs only (not with moe)" });
      if (a.ffn_sizes.length !== ffnBlocks)
        ctx.addIssue({ code: "custom", message: `ffn_sizes has ${a.ffn_sizes.length} entries, but there are ${ffnBlocks} FFN blocks` });
      if (a.ffn_sizes.length > 0 && largest(a.ffn_sizes, 0) !== a.ffn_size)
        ctx.addIssue({ code: "custom", message: "ffn_size must be the largest of ffn_sizes" });
    }
    // Each figure is bounded, but their product is the model: a described model is no larger than a real one can be.
    const total = paramBreakdown(a).total;
    if (total > MAX_PARAMS)
      ctx.addIssue({ code: "custom", message: `the architecture describes ${total.toPrecision(3)} parameters: at most ${MAX_PARAMS} (100 trillion)` });
  });

/** A GGUF file whose real size is published (bytes as the hub lists them, summed over split parts). */
export const GgufFileSchema = z.strictObject({
  quant: name(),
  bytes: positive(MAX_WEIGHTS_BYTES),
  repo: name(),
});

/** A pre-quantized variant of the model (AWQ, GPTQ, FP8, NVFP4, MXFP4, MLX) with its real size. */
export const VariantSchema = z.strictObject({
  format: z.enum(["awq", "gptq", "fp8", "nvfp4", "mxfp4", "mlx-4bit", "mlx-8bit", "mlx-mxfp4", "bnb-4bit"]),
  repo: name(),
  bytes: positive(MAX_WEIGHTS_BYTES).nullable().default(null),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "release_date must be YYYY-MM-DD");

export const ModelSchema = z
  .strictObject({
    /** The Hugging Face repository id of the original weights. */
    id: name().regex(/^[\w.-]+\/[\w.-]+$/, "id must be a Hugging Face repo id (owner/name)"),
    provider: name(),
    /** Product family, as people group models ("Llama 3.1", "Qwen3", "Gemma 3"). */
    family: name(),
    /** Total parameters (all experts, embeddings, towers): unpacked, as the original safetensors count them. */
    params_total: positive(MAX_PARAMS),
    /** Parameters used per token for MoE models; null for dense ones. */
    params_active: positive(MAX_PARAMS).nullable().default(null),
    /** The native trained context window (not multiplied by a rope scaling factor). */
    context_length: positive(MAX_CONTEXT_TOKENS),
    architecture: ArchitectureSchema,
    license: name(),
    release_date: isoDate.nullable(),
    category: z.enum(CATEGORIES),
    capabilities: list(z.enum(CAPABILITIES), CAPABILITIES.length).default([]),
    /** Ollama library tags that pull this model (`qwen3:8b`). */
    ollama: list(name()).default([]),
    /** GGUF repositories on Hugging Face. */
    gguf_sources: list(name()).default([]),
    gguf_files: list(GgufFileSchema).default([]),
    variants: list(VariantSchema).default([]),
    /** Other names people use for this model (LM Studio names, marketing names). */
    aliases: list(name()).default([]),
    /** Where the figures come from (config.json, model card, paper). */
    sources: list(name().url()).min(1),
    notes: text().nullable().default(null),
    /**
     * What about the entry's figures is not exact and changes an estimate (a shape inferred or fitted rather than
     * read, a KV cache that is an upper bound): one short line each, repeated in the notes of every estimate.
     */
    caveats: list(text().min(1)).default([]),
    /**
     * The quant the model was trained and released in, when it is not 16-bit (gpt-oss: MXFP4 experts): that format
     * loses nothing, more bits add nothing, and it is among the quants tried. null = released in 16 bits.
     */
    native_quant: name().nullable().default(null),
  })
  .superRefine((m, ctx) => {
    if (m.native_quant !== null && quantName(m.native_quant) === null)
      ctx.addIssue({ code: "custom", path: ["native_quant"], message: `native_quant ${m.native_quant} is not a quant nodefit knows` });
    if (m.architecture.moe && m.params_active === null)
      ctx.addIssue({ code: "custom", message: "an MoE model needs params_active" });
    if (!m.architecture.moe && m.params_active !== null)
      ctx.addIssue({ code: "custom", message: "params_active is for MoE models only (leave it null)" });
  });

export type ModelSpec = z.output<typeof ModelSchema>;
export type Architecture = ModelSpec["architecture"];
export type Variant = ModelSpec["variants"][number];

export const CatalogFileSchema = z.strictObject({
  /** What this file holds and where its figures come from. */
  description: text().min(1),
  models: list(ModelSchema, MAX_CATALOG_MODELS),
});
