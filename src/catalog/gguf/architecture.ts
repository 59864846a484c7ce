// GGUF architecture: the catalog's `architecture` object from a GGUF header's `<arch>.*` metadata and tensor shapes.
import { NodefitError } from "../../domain/errors.js";
import { MAX_LAYERS } from "../../domain/limits.js";
import { paramBreakdown } from "../params.js";
import { largest } from "../extremes.js";
import type { Architecture } from "../schema.js";
import type { GgufHeader, GgufTensor, GgufValue } from "./read-gguf.js";

export interface GgufArchitecture {
  architecture: Architecture;
  contextLength: number;
  /** Elements of every tensor (norms and biases included): the file's exact parameter count. */
  paramsTotal: number;
  warnings: string[];
}

/**
 * Sliding-window layouts llama.cpp applies by architecture (src/llama-model.cpp, `set_swa_pattern(n)`: of every n
 * layers the first n-1 slide and the last attends globally), for files that carry no per-layer pattern.
 * llama4's chunked attention (window 8192, hard-coded there too) is counted as sliding, as the catalog does.
 */
const SWA_PATTERNS: Readonly<Record<string, { every: number; window?: number }>> = {
  gemma2: { every: 2 },
  gemma3: { every: 6 },
  gemma3n: { every: 5 },
  cohere2: { every: 4 },
  "gpt-oss": { every: 2 },
  exaone4: { every: 4 },
  llama4: { every: 4, window: 8192 },
};

const MIXER = /^(ssm_|shortconv|time_mix)/;
const ATTENTION = /^attn_(q|k|v|qkv|q_a|q_b|kv_a_mqa|kv_b|k_b|v_b)(\.|$)/;
/**
 * A separate key projection beside a mixer marks a parallel hybrid block (Falcon-H1: attention and Mamba-2 in the
 * same layer), unless the header marks the layer recurrent (see `architectureFromGguf`). Linear-attention blocks
 * that name their fused input attn_qkv (Qwen3-Next) have no attn_k.
 */
const PARALLEL_KEY = /^attn_k(\.|$)/;
/** Projections named like attention's; in a recurrent layer they feed its linear mixer (Kimi-Linear, Qwen3-Next). */
const ATTENTION_LIKE = /^attn_(q|k|v|qkv|gate|output)\.weight$/;
const FFN = /^ffn_(up|down|gate)(_exps|_shexp|_chexp)?(\.|$)/;

function num(v: GgufValue | undefined): number | null {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  return null;
}

/** A per-layer value: a number for every layer, or an array of them (OpenELM, hybrids), or null. */
function perLayer(v: GgufValue | undefined, layers: number): number[] | null {
  if (typeof v === "number") return Array.from({ length: layers }, () => v);
  if (Array.isArray(v) && v.every((x) => typeof x === "number")) return v as number[];
  return null;
}

interface Block {
  index: number;
  /** Tensor names within the block, without "blk.N.". */
  tensors: Map<string, GgufTensor>;
}

function blocksOf(tensors: readonly GgufTensor[]): Block[] {
  const blocks = new Map<number, Block>();
  for (const t of tensors) {
    const m = /^blk\.(\d+)\.(.+)$/.exec(t.name);
    if (!m || m[1] === undefined || m[2] === undefined) continue;
    const index = Number(m[1]);
    const b = blocks.get(index) ?? { index, tensors: new Map() };
    b.tensors.set(m[2], t);
    blocks.set(index, b);
  }
  return [...blocks.values()].sort((a, b) => a.index - b.index);
}

function has(b: Block, pattern: RegExp): boolean {
  for (const k of b.tensors.keys()) if (pattern.test(k)) return true;
  return false;
}
const tensor = (b: Block | undefined, name: string): GgufTensor | undefined => b?.tensors.get(`${name}.weight`) ?? b?.tensors.get(name);

/** Recurrent state bytes of one linear layer, as llama.cpp sizes it in f32 (llama-hparams.cpp n_embd_r + n_embd_s). */
function linearStateBytes(key: (k: string) => GgufValue | undefined, hidden: number, heads: number): number | null {
  const lCache = num(key("shortconv.l_cache"));
  if (lCache !== null) return hidden * (lCache - 1) * 4;
  const wkvHead = num(key("wkv.head_size"));
  if (wkvHead !== null) return ((num(key("token_shift_count")) ?? 2) * hidden + hidden * wkvHead) * 4;
  // Kimi Delta Attention: conv states of q, k and v, then a head_dim x head_dim state per head.
  const kdaHead = num(key("kda.head_dim"));
  if (kdaHead !== null && kdaHead > 0) {
    const dConv = num(key("ssm.conv_kernel")) ?? 0;
    const dInner = heads * kdaHead;
    return (3 * (dConv > 0 ? dConv - 1 : 3) * dInner + kdaHead * kdaHead * heads) * 4;
  }
  const dConv = num(key("ssm.conv_kernel"));
  const dInner = num(key("ssm.inner_size"));
  const dState = num(key("ssm.state_size"));
  if (dConv === null || dInner === null || dState === null) return null;
  const nGroup = num(key("ssm.group_count")) ?? 0;
  const conv = (dConv > 0 ? dConv - 1 : 0) * (dInner + 2 * nGroup * dState);
  return (conv + dState * dInner) * 4;
}

/**
 * The architecture as the catalog describes it. Layer kinds (attention, linear mixer, FFN-only) come from which
 * tensors each block holds; sizes from the metadata, else from tensor shapes. Throws `invalid_input_file` when a
 * required key is missing.
 */
export function architectureFromGguf(header: GgufHeader, label: string): GgufArchitecture {
  const meta = header.metadata;
  const warnings: string[] = [];
  const type = meta["general.architecture"];
  if (typeof type !== "string" || type === "") throw new NodefitError("invalid_input_file", `GGUF file ${label}: no general.architecture`);
  const key = (k: string): GgufValue | undefined => meta[`${type}.${k}`];
  const required = (k: string): number => {
    const v = num(key(k));
    if (v === null) throw new NodefitError("invalid_input_file", `GGUF file ${label}: no ${type}.${k}`);
    return v;
  };

  const blockCount = required("block_count");
  // Checked before anything is sized by it (per-layer arrays, loops): the entry's schema bounds the rest.
  if (!Number.isInteger(blockCount) || blockCount < 1 || blockCount > MAX_LAYERS)
    throw new NodefitError("invalid_input_file", `GGUF file ${label}: ${type}.block_count is ${blockCount}: use an integer from 1 to ${MAX_LAYERS} (layers)`);
  const hidden = required("embedding_length");
  const contextLength = required("context_length");
  const headsPerLayer = perLayer(key("attention.head_count"), blockCount);
  if (!headsPerLayer) throw new NodefitError("invalid_input_file", `GGUF file ${label}: no ${type}.attention.head_count`);
  const kvPerLayer = perLayer(key("attention.head_count_kv"), blockCount) ?? headsPerLayer;
  const heads = largest(headsPerLayer, 0);
  const blocks = blocksOf(header.tensors);

  // Layer kinds from the tensors each block holds, and from the header where llama.cpp reads them there: hybrids mark
  // their recurrent layers with head_count_kv 0 (jamba, lfm2, granite-hybrid, kimi-linear: `is_recr_impl[i] =
  // n_head_kv(i) == 0`). A block with a mixer is parallel (Falcon-H1) only if it has its own attn_k and KV heads;
  // a recurrent block that holds attn_q/k/v for its linear attention (Kimi-Linear's KDA layers) is linear.
  const kvHeadsOf = (b: Block): number => kvPerLayer[b.index] ?? heads;
  const parallelBlocks = blocks.filter((b) => has(b, MIXER) && has(b, PARALLEL_KEY) && kvHeadsOf(b) > 0);
  const parallelSet = new Set(parallelBlocks);
  const attentionBlocks = blocks.filter((b) => (!has(b, MIXER) && has(b, ATTENTION)) || parallelSet.has(b));
  const linearBlocks = blocks.filter((b) => has(b, MIXER) && !parallelSet.has(b));
  const ffnBlocks = blocks.filter((b) => has(b, FFN));
  const mixerLayers = attentionBlocks.length + linearBlocks.length;
  if (mixerLayers === 0) throw new NodefitError("invalid_input_file", `GGUF file ${label}: no attention or mixer tensors in blk.*`);
  // Blocks are layers (llama.cpp's n_layer = block_count): those with neither attention nor a mixer are attention-free
  // (Nemotron-NAS: attention skipped, or replaced by one linear projection, attn_output alone, whose parameters go
  // to extra_params), and so are blocks without tensors. Except where every block holds either a mixer or an FFN,
  // never both (Nemotron-H): there the catalog counts the mixer blocks as layers and the FFN blocks in ffn_layers.
  const splitBlocks = ffnBlocks.length > 0 && !blocks.some((b) => has(b, FFN) && (has(b, MIXER) || has(b, ATTENTION)));
  // A file without its multi-token-prediction blocks (llama.cpp's "trunk only") still counts them in block_count.
  const nextn = num(key("nextn_predict_layers")) ?? 0;
  const present = new Set(blocks.map((b) => b.index));
  let missingMtp = 0;
  for (let i = Math.max(0, blockCount - nextn); i < blockCount; i++) if (!present.has(i)) missingMtp++;
  const layers = splitBlocks ? mixerLayers : Math.max(blockCount - missingMtp, mixerLayers);
  const noAttentionLayers = layers - mixerLayers;
  const kvHeads = Math.max(largest(attentionBlocks.map((b) => kvPerLayer[b.index] ?? 0), 0), 1);

  const headDim = num(key("attention.key_length")) ?? hidden / heads;
  const valueLength = num(key("attention.value_length"));

  // Multi-head latent attention (DeepSeek V2/V3, Kimi K2): sizes of the per-head query/key and value.
  const kvLoraRank = num(key("attention.kv_lora_rank"));
  let mla: Architecture["attention"]["mla"] = null;
  let archHeadDim = headDim;
  let archVHead = valueLength !== null && valueLength !== headDim ? valueLength : null;
  let archKvHeads = kvHeads;
  if (kvLoraRank !== null && kvLoraRank > 0) {
    const rope = required("rope.dimension_count");
    const qkHead = num(key("attention.key_length_mla")) ?? headDim;
    const vHead = num(key("attention.value_length_mla")) ?? valueLength ?? qkHead - rope;
    const qLora = num(key("attention.q_lora_rank"));
    mla = { kv_lora_rank: kvLoraRank, qk_rope_head_dim: rope, qk_nope_head_dim: qkHead - rope, v_head_dim: vHead, q_lora_rank: qLora && qLora > 0 ? qLora : null };
    // As the catalog writes MLA entries: every head has its own (decompressed) key and value.
    archHeadDim = qkHead;
    archVHead = vHead;
    archKvHeads = heads;
  }

  // Sliding-window layers: a per-layer pattern in the file, else llama.cpp's layout for the architecture.
  const window = num(key("attention.sliding_window"));
  const patternKey = key("attention.sliding_window_pattern");
  const known = SWA_PATTERNS[type];
  let isSliding: (layer: number) => boolean = () => false;
  let slidingWindow: number | null = null;
  if (Array.isArray(patternKey) && patternKey.every((x) => typeof x === "boolean") && window) {
    isSliding = (l) => patternKey[l] === true;
    slidingWindow = window;
  } else if (known && (window || known.window)) {
    const every = typeof patternKey === "number" && patternKey > 0 ? patternKey : known.every;
    isSliding = (l) => l % every < every - 1;
    slidingWindow = window ?? known.window ?? null;
  } else if (window) {
    warnings.push(`${type}.attention.sliding_window = ${window}, but nodefit does not know which layers of a ${type} model slide: all attention layers counted as full (KV cache overestimated)`);
  }
  const sliding = attentionBlocks.filter((b) => isSliding(b.index));
  const fullBlocks = attentionBlocks.filter((b) => !isSliding(b.index));
  const full = fullBlocks.length;

  // Each kind of layer may have its own head size and KV heads (Gemma 4: key_length is the full layers',
  // key_length_swa the sliding layers', head_count_kv given per layer; llama_hparams::n_embd_head_k(il)). The
  // architecture keeps the sliding layers' shape, and full_head_dim / full_kv_heads the full layers' where they differ.
  let fullHeadDim: number | null = null;
  let fullKvHeads: number | null = null;
  if (mla === null && sliding.length > 0 && full > 0) {
    const swaHead = num(key("attention.key_length_swa"));
    const swaValue = num(key("attention.value_length_swa")) ?? swaHead;
    if (swaHead !== null && swaHead !== archHeadDim) {
      if (swaValue !== swaHead || archVHead !== null)
        warnings.push(`${type}: value heads differ from key heads on some layers: counted as the key heads`);
      fullHeadDim = archHeadDim;
      archHeadDim = swaHead;
      archVHead = null;
    }
    const kvOf = (bs: readonly Block[]): number => Math.max(largest(bs.map((b) => kvPerLayer[b.index] ?? 0), 0), 1);
    if (kvOf(sliding) !== kvOf(fullBlocks)) {
      archKvHeads = kvOf(sliding);
      fullKvHeads = kvOf(fullBlocks);
    }
  }

  // Gemma 3n: the last N layers reuse earlier layers' KV cache.
  const sharedKv = num(key("attention.shared_kv_layers")) ?? 0;
  const sharedFrom = blockCount - sharedKv;
  const sharedBlocks = attentionBlocks.filter((b) => b.index >= sharedFrom);
  const kvSharedSliding = sharedBlocks.filter((b) => isSliding(b.index)).length;

  // Linear (SSM / recurrent / short-conv) mixers, in layers of their own or beside the attention.
  let linearState = 0;
  let linearParams = 0;
  let linearQkv = 0;
  let parallelSsm: Architecture["attention"]["parallel_ssm"] = null;
  // A recurrent layer's mixer includes its attention-named projections (Kimi-Linear's KDA q/k/v/o, Qwen3-Next's
  // attn_qkv and attn_gate); beside the attention (parallel) only the ssm_* tensors are the mixer's.
  const meanMixerParams = (bs: readonly Block[], withProjections: boolean): number =>
    Math.round(
      bs
        .map((b) => [...b.tensors].filter(([k]) => MIXER.test(k) || (withProjections && ATTENTION_LIKE.test(k))).reduce((s, [, t]) => s + t.elements, 0))
        .reduce((a, b) => a + b, 0) / bs.length,
    );
  if (linearBlocks.length > 0 || parallelBlocks.length > 0) {
    const state = linearStateBytes(key, hidden, headsPerLayer[linearBlocks[0]?.index ?? 0] ?? heads);
    if (state === null) throw new NodefitError("invalid_input_file", `GGUF file ${label}: ${type} has recurrent layers but no ssm.* / shortconv.* / wkv.* sizes`);
    if (linearBlocks.length > 0) {
      linearState = state;
      linearParams = meanMixerParams(linearBlocks, true);
      // The fused input projection (Gated DeltaNet's in Qwen3.5 / Qwen3-Next), which the quantizer types by its attn_v
      // rules: by name, `attn_qkv.weight` (llama-quant.cpp `tensor_get_category`), a part of the mixer counted above.
      linearQkv = Math.round(linearBlocks.reduce((sum, b) => sum + (b.tensors.get("attn_qkv.weight")?.elements ?? 0), 0) / linearBlocks.length);
    }
    if (parallelBlocks.length > 0) {
      parallelSsm = { layer_params: meanMixerParams(parallelBlocks, false), state_bytes_per_layer: state };
      if (parallelBlocks.length < attentionBlocks.length)
        warnings.push(`${parallelBlocks.length} of ${attentionBlocks.length} attention layers have an SSM mixer beside them: counted in every attention layer`);
    }
  }

  // FFN: dense size, gating, MoE.
  const ffnPerLayer = perLayer(key("feed_forward_length"), blockCount);
  const denseFfnBlocks = ffnBlocks.filter((b) => tensor(b, "ffn_up") && !tensor(b, "ffn_gate_inp"));
  const firstDense = denseFfnBlocks[0];
  const denseUp = tensor(firstDense, "ffn_up");
  const widestFfn = ffnPerLayer ? largest(ffnPerLayer, 0) : 0;
  let ffnSize = denseUp?.shape[1] ?? widestFfn;
  const fusedGate = firstDense !== undefined && !tensor(firstDense, "ffn_gate") && ffnPerLayer !== null && denseUp?.shape[1] === 2 * widestFfn;
  if (fusedGate) ffnSize = widestFfn;
  const sizes = new Set(denseFfnBlocks.map((b) => tensor(b, "ffn_up")?.shape[1]));
  const allDense = denseFfnBlocks.length === ffnBlocks.length && !sizes.has(undefined);
  // Dense FFNs of different sizes (Nemotron-NAS): each block's own size, unless experts or a fused gate make it unclear.
  let ffnSizes: number[] | null = null;
  if (sizes.size > 1 && !fusedGate) {
    if (allDense && num(key("expert_count")) === null) ffnSizes = denseFfnBlocks.map((b) => tensor(b, "ffn_up")?.shape[1] ?? 0);
    else warnings.push(`dense FFN sizes differ by layer (${[...sizes].join(", ")}): the largest is used`);
  }
  if (!fusedGate && sizes.size > 0) ffnSize = largest([...sizes].map((s) => s ?? 0), 0);

  let moe: Architecture["moe"] = null;
  const experts = num(key("expert_count")) ?? 0;
  const moeBlocks = ffnBlocks.filter((b) => tensor(b, "ffn_gate_inp"));
  if (experts > 0 && moeBlocks.length > 0) {
    const active = required("expert_used_count");
    const firstMoe = moeBlocks[0];
    const expUp = tensor(firstMoe, "ffn_up_exps") ?? tensor(firstMoe, "ffn_down_exps");
    const expertFfn = num(key("expert_feed_forward_length")) ?? (expUp ? (expUp.name.includes("down") ? expUp.shape[0] : expUp.shape[1]) : undefined);
    if (!expertFfn) throw new NodefitError("invalid_input_file", `GGUF file ${label}: no ${type}.expert_feed_forward_length and no expert tensors`);
    const shexp = tensor(firstMoe, "ffn_up_shexp") ?? tensor(firstMoe, "ffn_down_shexp");
    const sharedCount = num(key("expert_shared_count")) ?? (shexp ? 1 : 0);
    const shexpWidth = shexp ? (shexp.name.includes("down") ? shexp.shape[0] : shexp.shape[1]) : undefined;
    const sharedFfn = num(key("expert_shared_feed_forward_length")) ?? (shexpWidth !== undefined && sharedCount > 0 ? shexpWidth / sharedCount : 0);
    const denseLayers = denseFfnBlocks.length;
    moe = {
      experts,
      active_experts: active,
      shared_experts: sharedCount,
      expert_ffn_size: expertFfn,
      shared_expert_ffn_size: sharedCount > 0 ? sharedFfn : 0,
      dense_layers: denseLayers,
      dense_ffn_size: denseLayers > 0 ? (tensor(firstDense, "ffn_up")?.shape[1] ?? null) : null,
    };
    if (denseLayers === 0) ffnSize = widestFfn;
  }
  const gatedProbe = firstDense ?? moeBlocks[0];
  const ffnGated = fusedGate || (gatedProbe !== undefined && (tensor(gatedProbe, "ffn_gate") !== undefined || tensor(gatedProbe, "ffn_gate_exps") !== undefined));

  const embedding = header.tensors.find((t) => t.name === "token_embd.weight");
  const tokens = meta["tokenizer.ggml.tokens"];
  // The token list itself stays in the reader (header.omitted has its length); a header given whole still has it.
  const vocab = embedding?.shape[1] ?? (Array.isArray(tokens) ? tokens.length : (header.omitted?.["tokenizer.ggml.tokens"] ?? null)) ?? num(key("vocab_size"));
  if (!vocab) throw new NodefitError("invalid_input_file", `GGUF file ${label}: no token_embd tensor and no tokenizer tokens`);

  const architecture: Architecture = {
    type,
    layers,
    hidden_size: hidden,
    ffn_size: ffnSize,
    ffn_gated: ffnGated,
    ffn_layers: ffnBlocks.length === layers ? null : ffnBlocks.length,
    ffn_sizes: ffnSizes,
    attention_heads: heads,
    kv_heads: archKvHeads,
    head_dim: archHeadDim,
    v_head_dim: archVHead,
    vocab_size: vocab,
    tied_embeddings: !header.tensors.some((t) => t.name === "output.weight"),
    attention: {
      full_layers: full,
      sliding_layers: sliding.length,
      sliding_window: sliding.length > 0 ? slidingWindow : null,
      linear_layers: linearBlocks.length,
      linear_state_bytes_per_layer: linearState,
      linear_layer_params: linearParams,
      linear_qkv_params: linearQkv,
      layer_pattern: describePattern(full, sliding.length, linearBlocks.length, noAttentionLayers, slidingWindow, parallelBlocks.length > 0),
      mla,
      kv_shared_full_layers: sharedBlocks.length - kvSharedSliding,
      kv_shared_sliding_layers: kvSharedSliding,
      no_attention_layers: noAttentionLayers,
      full_head_dim: fullHeadDim,
      full_kv_heads: fullKvHeads,
      parallel_ssm: parallelSsm,
    },
    moe,
    vision_params: 0,
    extra_params: 0,
    per_layer_embedding_params: 0,
  };

  // What the fields above do not account for (gates, per-layer embeddings, MTP heads) goes to extra_params.
  const paramsTotal = header.tensors.reduce((s, t) => s + t.elements, 0);
  const counted = header.tensors.filter((t) => t.shape.filter((d) => d > 1).length >= 2 || isMixerTensor(t.name)).reduce((s, t) => s + t.elements, 0);
  const computed = paramBreakdown(architecture).total;
  const gap = counted - computed;
  if (gap > 0.005 * counted) {
    architecture.extra_params = gap;
    // Gemma 3n's per-layer embedding table, quantized and placed as the token embedding is.
    const perLayer = header.tensors.find((t) => t.name === "per_layer_token_embd.weight")?.elements ?? 0;
    architecture.per_layer_embedding_params = Math.min(perLayer, gap);
    warnings.push(`${gap} parameters are in tensors the architecture fields do not describe: counted as extra_params`);
  } else if (gap < -0.005 * counted) {
    warnings.push(`the architecture fields describe ${-gap} more parameters than the file holds (${computed} vs ${counted})`);
  }
  return { architecture, contextLength, paramsTotal, warnings };
}

const isMixerTensor = (name: string): boolean => /^blk\.\d+\.(ssm_|shortconv|time_mix)/.test(name);

function describePattern(full: number, sliding: number, linear: number, noAttention: number, window: number | null, parallel: boolean): string | null {
  const parts: string[] = [];
  if (sliding > 0) parts.push(`${sliding} sliding (${window ?? "?"})`);
  if (linear > 0) parts.push(`${linear} linear`);
  if (noAttention > 0) parts.push(`${noAttention} attention-free (FFN only, or one linear projection)`);
  if (parts.length === 0 && !parallel) return null;
  const beside = parallel ? ", an SSM mixer beside the attention in each attention layer" : "";
  return `${[...parts, `${full} full attention layers`].join(" + ")}${beside} (read from the GGUF file)`;
}
