// Parameter breakdown: the model's parameters by tensor class, recomputed from its architecture.
import type { Architecture } from "./schema.js";

/**
 * Parameters grouped the way memory and speed need them. Norms and biases are left out (well under 0.1% of
 * any model here); the consistency test allows 3% between this and the stated count.
 */
export interface ParamBreakdown {
  /** Token embedding table (read one row per token: not on the decode path). */
  embedding: number;
  /** Output projection (LM head); 0 when tied to the embedding (then the embedding is read per token). */
  output: number;
  /** Attention projections of all attention layers (full and sliding). */
  attention: number;
  /** Mixers of linear / SSM layers, and the SSM mixers that run beside the attention (Falcon-H1): read every token. */
  linear: number;
  /** Dense FFN weights (all dense layers). */
  denseFfn: number;
  /** Routed experts of all MoE layers. */
  routedExperts: number;
  /** The share of routed experts one token uses (routedExperts x active / experts). */
  activeRoutedExperts: number;
  /** Shared experts of all MoE layers. */
  sharedExperts: number;
  /** MoE routers. */
  router: number;
  /** Vision / audio tower. */
  vision: number;
  /** Anything else the entry states (MTP heads, per-layer embeddings). */
  extra: number;
  total: number;
  /** Parameters read to produce one token: everything but unused experts, the embedding table and towers. */
  activePerToken: number;
  /**
   * Parameters multiplied per prompt token: the same without the LM head, which a runtime applies to the prompt's
   * last token only (llama.cpp computes logits for the tokens a batch marks as outputs: the last one of a prompt).
   */
  promptPerToken: number;
}

/** Head size, KV heads and value head size of a (non-MLA) attention layer of a kind. */
export interface AttentionShape {
  headDim: number;
  kvHeads: number;
  vHeadDim: number;
}

/**
 * Full layers may have their own head size and KV heads (Gemma 4's global layers); sliding layers use the
 * architecture's. The schema keeps v_head_dim and the full-layer overrides apart, so an overridden head is also the
 * value head.
 */
export function attentionShape(a: Architecture, kind: "full" | "sliding"): AttentionShape {
  const headDim = kind === "full" ? (a.attention.full_head_dim ?? a.head_dim) : a.head_dim;
  const kvHeads = kind === "full" ? (a.attention.full_kv_heads ?? a.kv_heads) : a.kv_heads;
  return { headDim, kvHeads, vHeadDim: a.v_head_dim ?? headDim };
}

/** Projections of one attention layer; full layers may have their own head size and KV heads (Gemma 4). */
function attentionParamsPerLayer(a: Architecture, kind: "full" | "sliding"): number {
  const h = a.hidden_size;
  const mla = a.attention.mla;
  if (mla) {
    const qkHead = mla.qk_nope_head_dim + mla.qk_rope_head_dim;
    const q = mla.q_lora_rank === null ? h * a.attention_heads * qkHead : h * mla.q_lora_rank + mla.q_lora_rank * a.attention_heads * qkHead;
    const kvA = h * (mla.kv_lora_rank + mla.qk_rope_head_dim);
    const kvB = mla.kv_lora_rank * a.attention_heads * (mla.qk_nope_head_dim + mla.v_head_dim);
    const o = a.attention_heads * mla.v_head_dim * h;
    return q + kvA + kvB + o;
  }
  const { headDim, kvHeads, vHeadDim: vHead } = attentionShape(a, kind);
  const q = h * a.attention_heads * headDim;
  const k = h * kvHeads * headDim;
  const v = h * kvHeads * vHead;
  const o = a.attention_heads * vHead * h;
  return q + k + v + o;
}

const cache = new WeakMap<Architecture, ParamBreakdown>();

/** The breakdown of an architecture, computed once per architecture object (catalog entries are immutable). */
export function paramBreakdown(a: Architecture): ParamBreakdown {
  let p = cache.get(a);
  if (!p) {
    p = computeBreakdown(a);
    cache.set(a, p);
  }
  return p;
}

function computeBreakdown(a: Architecture): ParamBreakdown {
  const h = a.hidden_size;
  const embedding = a.vocab_size * h;
  const output = a.tied_embeddings ? 0 : a.vocab_size * h;
  const attentionLayers = a.attention.full_layers + a.attention.sliding_layers;
  const attention = a.attention.full_layers * attentionParamsPerLayer(a, "full") + a.attention.sliding_layers * attentionParamsPerLayer(a, "sliding");
  const parallelSsm = attentionLayers * (a.attention.parallel_ssm?.layer_params ?? 0);
  const linear = a.attention.linear_layers * a.attention.linear_layer_params + parallelSsm;
  const matrices = a.ffn_gated ? 3 : 2;
  const ffnLayers = a.ffn_layers ?? a.layers;

  let denseFfn = 0;
  let routedExperts = 0;
  let sharedExperts = 0;
  let router = 0;
  let activeExperts = 0;
  if (a.moe) {
    const moeLayers = ffnLayers - a.moe.dense_layers;
    denseFfn = a.moe.dense_layers * matrices * h * (a.moe.dense_ffn_size ?? a.ffn_size);
    routedExperts = moeLayers * a.moe.experts * matrices * h * a.moe.expert_ffn_size;
    sharedExperts = moeLayers * a.moe.shared_experts * matrices * h * a.moe.shared_expert_ffn_size;
    router = moeLayers * h * a.moe.experts;
    activeExperts = (routedExperts * a.moe.active_experts) / a.moe.experts;
  } else if (a.ffn_sizes) {
    denseFfn = matrices * h * a.ffn_sizes.reduce((sum, size) => sum + size, 0);
  } else {
    denseFfn = ffnLayers * matrices * h * a.ffn_size;
  }

  const vision = a.vision_params;
  const extra = a.extra_params;
  const total = embedding + output + attention + linear + denseFfn + routedExperts + sharedExperts + router + vision + extra;
  // The LM head is read every token; with tied embeddings that matrix is the embedding table itself.
  const head = a.tied_embeddings ? embedding : output;
  const promptPerToken = attention + linear + denseFfn + activeExperts + sharedExperts + router;
  const activePerToken = head + promptPerToken;
  return { embedding, output, attention, linear, denseFfn, routedExperts, activeRoutedExperts: activeExperts, sharedExperts, router, vision, extra, total, activePerToken, promptPerToken };
}
