// config.json to an architecture: the transformers configuration of the common decoder families (Llama, Mistral,
// Mixtral, Qwen2 / Qwen3 and their MoE, Gemma 1-3, Phi-2 / Phi-3, DeepSeek V2 / V3) as the catalog's architecture, with
// llama.cpp's name for it. Anything else, or a field it needs and cannot find, is refused with why: never guessed.
import { ArchitectureSchema, type Architecture } from "../catalog/schema.js";
import { configQuant } from "../catalog/config-quant.js";
import { asObject, type JsonObject } from "../domain/json.js";
import type { QuantName } from "../domain/quants.js";

/** Why a config.json cannot be turned into an architecture, in words an answer can carry. */
export class ConfigRefusal extends Error {
  override readonly name = "ConfigRefusal";
}

export interface ConfigArchitecture {
  architecture: Architecture;
  /** max_position_embeddings of the language model. */
  contextLength: number;
  /** The config carries a vision tower (vision_config): the model is multimodal. */
  vision: boolean;
  /** What the conversion could not read exactly and changes an estimate (the entry's caveats). */
  caveats: string[];
  /** The format a quantization_config (or MLX's quantization block) says the weights are stored in, when known. */
  storedAs: QuantName | null;
  /** The config says its weights are quantized (in a format nodefit names or not: bitsandbytes, HQQ, 3-bit GPTQ). */
  quantized: boolean;
  /** The config's model_type, for notes. */
  modelType: string;
}

interface Family {
  /**
   * What the family's config class fills in for a field a config.json leaves out (transformers' defaults), where
   * released configs rely on them (Gemma 3's text_config states only what differs from Gemma3TextConfig).
   */
  defaults?: JsonObject;
  /** llama.cpp's architecture name (convert_hf_to_gguf.py maps Mistral and Mixtral to llama). */
  type: string;
  /** transformers' default of tie_word_embeddings for the family's config class. */
  tiedByDefault: boolean;
  gated: boolean;
  moe?: (c: JsonObject, layers: number, fail: (why: string) => never) => Architecture["moe"];
  sliding?: (c: JsonObject, layers: number) => { sliding: number; window: number | null; pattern: string | null };
  mla?: boolean;
}

const int = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null);

/** A positive integer field, or the refusal naming it. */
function need(c: JsonObject, key: string, fail: (why: string) => never): number {
  const v = int(c[key]);
  if (v === null || v === 0) fail(`config.json has no ${key} (a positive integer)`);
  return v;
}

/** Sliding-window layers as `layer_types` lists them (newer transformers write it for every family that has any). */
function byLayerTypes(c: JsonObject): { sliding: number; full: number } | null {
  const types = c["layer_types"];
  if (!Array.isArray(types) || types.length === 0) return null;
  const sliding = types.filter((t) => t === "sliding_attention").length;
  return { sliding, full: types.length - sliding };
}

/** Mistral / Phi-3: a window on every layer when `sliding_window` is set and shorter than the context. */
function everyLayer(c: JsonObject, layers: number): { sliding: number; window: number | null; pattern: string | null } {
  const window = int(c["sliding_window"]);
  const context = int(c["max_position_embeddings"]) ?? Infinity;
  if (window === null || window === 0 || window >= context) return { sliding: 0, window: null, pattern: null };
  return { sliding: layers, window, pattern: `sliding window ${window} on every layer (config.json)` };
}

/** Qwen2 / Qwen3: `use_sliding_window` (off in every released model) applies the window from layer `max_window_layers` on. */
function qwenWindow(c: JsonObject, layers: number): { sliding: number; window: number | null; pattern: string | null } {
  const window = int(c["sliding_window"]);
  if (c["use_sliding_window"] !== true || window === null || window === 0) return { sliding: 0, window: null, pattern: null };
  const from = Math.min(layers, int(c["max_window_layers"]) ?? layers);
  const sliding = layers - from;
  return sliding === 0 ? { sliding: 0, window: null, pattern: null } : { sliding, window, pattern: `sliding window ${window} from layer ${from} on (config.json)` };
}

/** Gemma 2: every other layer slides (the even ones), the others attend globally. */
function gemma2Window(c: JsonObject, layers: number): { sliding: number; window: number | null; pattern: string | null } {
  const window = int(c["sliding_window"]) ?? 4096;
  return { sliding: Math.ceil(layers / 2), window, pattern: `alternating: even layers sliding (${window}), odd layers global` };
}

/** Gemma 3: `sliding_window_pattern` - 1 sliding layers then one global, repeated (6 unless stated). */
function gemma3Window(c: JsonObject, layers: number): { sliding: number; window: number | null; pattern: string | null } {
  const window = int(c["sliding_window"]) ?? 1024;
  const every = int(c["sliding_window_pattern"]) ?? 6;
  const full = Math.floor(layers / every);
  return { sliding: layers - full, window, pattern: `${every - 1} sliding (${window}) then 1 global, repeated` };
}

/** Layers whose FFN is dense in a Qwen MoE: `mlp_only_layers`, and those `decoder_sparse_step` skips. */
function qwenDenseLayers(c: JsonObject, layers: number): number {
  const only = new Set((Array.isArray(c["mlp_only_layers"]) ? c["mlp_only_layers"] : []).filter((i): i is number => int(i) !== null && (i as number) < layers));
  const step = int(c["decoder_sparse_step"]) ?? 1;
  let dense = 0;
  for (let i = 0; i < layers; i++) if (only.has(i) || step === 0 || (i + 1) % step !== 0) dense++;
  return dense;
}

/** transformers' Gemma3TextConfig defaults (models/gemma3/configuration_gemma3.py). */
const GEMMA3_TEXT_DEFAULTS: JsonObject = {
  vocab_size: 262_208,
  hidden_size: 2304,
  intermediate_size: 9216,
  num_hidden_layers: 26,
  num_attention_heads: 8,
  num_key_value_heads: 4,
  head_dim: 256,
  max_position_embeddings: 131_072,
  sliding_window: 4096,
  sliding_window_pattern: 6,
};

const FAMILY_TABLE: Record<string, Family> = {
  llama: { type: "llama", tiedByDefault: false, gated: true },
  mistral: { type: "llama", tiedByDefault: false, gated: true, sliding: everyLayer },
  mixtral: {
    type: "llama",
    tiedByDefault: false,
    gated: true,
    sliding: everyLayer,
    moe: (c, _l, fail) => ({
      experts: need(c, "num_local_experts", fail),
      active_experts: need(c, "num_experts_per_tok", fail),
      shared_experts: 0,
      expert_ffn_size: need(c, "intermediate_size", fail),
      shared_expert_ffn_size: 0,
      dense_layers: 0,
      dense_ffn_size: null,
    }),
  },
  qwen2: { type: "qwen2", tiedByDefault: false, gated: true, sliding: qwenWindow },
  qwen3: { type: "qwen3", tiedByDefault: false, gated: true, sliding: qwenWindow },
  qwen2_moe: {
    type: "qwen2moe",
    tiedByDefault: false,
    gated: true,
    sliding: qwenWindow,
    moe: (c, layers, fail) => {
      const shared = int(c["shared_expert_intermediate_size"]) ?? 0;
      const dense = qwenDenseLayers(c, layers);
      return {
        experts: need(c, "num_experts", fail),
        active_experts: need(c, "num_experts_per_tok", fail),
        shared_experts: shared > 0 ? 1 : 0,
        expert_ffn_size: need(c, "moe_intermediate_size", fail),
        shared_expert_ffn_size: shared,
        dense_layers: dense,
        dense_ffn_size: dense > 0 ? need(c, "intermediate_size", fail) : null,
      };
    },
  },
  qwen3_moe: {
    type: "qwen3moe",
    tiedByDefault: false,
    gated: true,
    sliding: qwenWindow,
    moe: (c, layers, fail) => {
      const dense = qwenDenseLayers(c, layers);
      return {
        experts: need(c, "num_experts", fail),
        active_experts: need(c, "num_experts_per_tok", fail),
        shared_experts: 0,
        expert_ffn_size: need(c, "moe_intermediate_size", fail),
        shared_expert_ffn_size: 0,
        dense_layers: dense,
        dense_ffn_size: dense > 0 ? need(c, "intermediate_size", fail) : null,
      };
    },
  },
  gemma: { type: "gemma", tiedByDefault: true, gated: true },
  gemma2: { type: "gemma2", tiedByDefault: true, gated: true, sliding: gemma2Window },
  gemma3: { type: "gemma3", tiedByDefault: true, gated: true, sliding: gemma3Window, defaults: GEMMA3_TEXT_DEFAULTS },
  gemma3_text: { type: "gemma3", tiedByDefault: true, gated: true, sliding: gemma3Window, defaults: GEMMA3_TEXT_DEFAULTS },
  phi: { type: "phi2", tiedByDefault: false, gated: false },
  phi3: { type: "phi3", tiedByDefault: false, gated: true, sliding: everyLayer },
  deepseek_v2: {
    type: "deepseek2",
    tiedByDefault: false,
    gated: true,
    mla: true,
    moe: (c, layers, fail) => {
      const shared = int(c["n_shared_experts"]) ?? 0;
      const expert = need(c, "moe_intermediate_size", fail);
      const dense = Math.min(layers, int(c["first_k_dense_replace"]) ?? 0);
      return {
        experts: need(c, "n_routed_experts", fail),
        active_experts: need(c, "num_experts_per_tok", fail),
        shared_experts: shared,
        expert_ffn_size: expert,
        shared_expert_ffn_size: shared > 0 ? expert : 0,
        dense_layers: dense,
        dense_ffn_size: dense > 0 ? need(c, "intermediate_size", fail) : null,
      };
    },
  },
};
// DeepSeek V3 (and R1) keep V2's fields; llama.cpp names both deepseek2.
FAMILY_TABLE["deepseek_v3"] = { ...FAMILY_TABLE["deepseek_v2"]! };
const FAMILIES: Readonly<Record<string, Family>> = FAMILY_TABLE;

/** Model types of multimodal wrappers whose language model is a family above, in `text_config`. */
const WRAPPERS = new Set(["gemma3", "mistral3", "llava", "llava_next", "paligemma"]);

/**
 * The architecture a config.json describes. Throws ConfigRefusal for a model type outside the families above (hybrids
 * with linear or SSM layers, Llama 4's chunked attention, encoders), a config whose fields contradict each other, or
 * one missing a figure the architecture needs.
 */
export function architectureFromConfig(config: unknown): ConfigArchitecture {
  const root = asObject(config);
  if (root === null) throw new ConfigRefusal("its config.json is not a JSON object");
  const rootType = typeof root["model_type"] === "string" ? root["model_type"] : "";
  const archNames = Array.isArray(root["architectures"]) ? root["architectures"].filter((a): a is string => typeof a === "string") : [];
  const textGiven = WRAPPERS.has(rootType) && asObject(root["text_config"]) !== null ? asObject(root["text_config"])! : root;
  const vision = asObject(root["vision_config"]) !== null;
  // A wrapper's text_config may leave model_type out (transformers fills in the class's default).
  const textType = typeof textGiven["model_type"] === "string" ? textGiven["model_type"] : textGiven === root ? rootType : rootType === "gemma3" ? "gemma3_text" : "";
  const family = FAMILIES[textType];
  const what = `"${textType || rootType || "unknown"}"${archNames.length ? ` (${archNames.join(", ")})` : ""}`;
  const fail = (why: string): never => {
    throw new ConfigRefusal(why);
  };
  if (family === undefined) fail(`its config.json describes a ${what} model, which nodefit cannot size from config.json (it reads the Llama, Mistral, Mixtral, Qwen2/3 and their MoE, Gemma 1-3, Phi-2/3 and DeepSeek V2/V3 families)`);
  if (archNames.length > 0 && !archNames.some((a) => /For(?:CausalLM|ConditionalGeneration)$/.test(a))) fail(`its config.json describes ${archNames.join(", ")}, not a text-generating model`);
  const f = family!;
  const text = { ...(f.defaults ?? {}), ...textGiven };
  const caveats: string[] = [];
  const layers = need(text, "num_hidden_layers", fail);
  const hidden = need(text, "hidden_size", fail);
  const heads = need(text, "num_attention_heads", fail);
  const kvHeads = int(text["num_key_value_heads"]) ?? heads;
  const vocab = need(text, "vocab_size", fail);
  const contextLength = need(text, "max_position_embeddings", fail);
  const tied = typeof text["tie_word_embeddings"] === "boolean" ? text["tie_word_embeddings"] : typeof root["tie_word_embeddings"] === "boolean" ? root["tie_word_embeddings"] : f.tiedByDefault;
  const moe = f.moe ? f.moe(text, layers, fail) : null;
  // A dense layer's FFN; an MoE config without one states only its experts' (Mixtral's intermediate_size is an expert's).
  const ffnGiven = int(text["intermediate_size"]);
  const ffn = ffnGiven !== null && ffnGiven > 0 ? ffnGiven : moe ? moe.expert_ffn_size : need(text, "intermediate_size", fail);

  let headDim = int(text["head_dim"]) ?? hidden / heads;
  let vHeadDim: number | null = null;
  let mla: Architecture["attention"]["mla"] = null;
  let attentionKv = kvHeads;
  if (f.mla) {
    const rope = need(text, "qk_rope_head_dim", fail);
    const nope = need(text, "qk_nope_head_dim", fail);
    const v = need(text, "v_head_dim", fail);
    mla = { kv_lora_rank: need(text, "kv_lora_rank", fail), qk_rope_head_dim: rope, qk_nope_head_dim: nope, v_head_dim: v, q_lora_rank: int(text["q_lora_rank"]) || null };
    headDim = rope + nope;
    vHeadDim = v;
    attentionKv = heads;
    const mtp = int(text["num_nextn_predict_layers"]) ?? 0;
    if (mtp > 0) caveats.push(`the ${mtp} multi-token-prediction layer${mtp > 1 ? "s" : ""} (num_nextn_predict_layers) are not counted: GGUF conversions leave them out`);
  }
  if (!Number.isInteger(headDim) || headDim <= 0) fail(`hidden_size ${hidden} does not divide into ${heads} heads and config.json gives no head_dim`);

  const fromTypes = byLayerTypes(text);
  const window = f.sliding?.(text, layers) ?? { sliding: 0, window: null, pattern: null };
  let sliding = window.sliding;
  let pattern = window.pattern;
  if (fromTypes !== null && window.window !== null) {
    if (fromTypes.sliding + fromTypes.full !== layers) fail(`layer_types lists ${fromTypes.sliding + fromTypes.full} layers, num_hidden_layers says ${layers}`);
    sliding = fromTypes.sliding;
    pattern = `${fromTypes.sliding} sliding (${window.window}) and ${fromTypes.full} global layers (config.json layer_types)`;
  }
  const rope = asObject(text["rope_scaling"]);
  const ropeType = typeof rope?.["rope_type"] === "string" ? rope["rope_type"] : typeof rope?.["type"] === "string" ? rope["type"] : null;
  const original = int(rope?.["original_max_position_embeddings"]);
  if (ropeType === "yarn" && original !== null && original < contextLength)
    caveats.push(`context ${contextLength} is config.json's max_position_embeddings, which YaRN scaling reaches from ${original}; the model card may state a shorter trained window`);
  if (rootType === "deepseek_v3" || textType === "deepseek_v3") caveats.push("the published weights are FP8 with block scales: the Hub's parameter count includes the scales");

  const candidate = {
    type: f.type,
    layers,
    hidden_size: hidden,
    ffn_size: ffn,
    ffn_gated: f.gated,
    attention_heads: heads,
    kv_heads: attentionKv,
    head_dim: headDim,
    v_head_dim: vHeadDim,
    vocab_size: vocab,
    tied_embeddings: tied,
    attention: {
      full_layers: layers - sliding,
      sliding_layers: sliding,
      sliding_window: sliding > 0 ? window.window : null,
      layer_pattern: pattern,
      mla,
    },
    moe,
  };
  const parsed = ArchitectureSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(`its config.json gives an architecture nodefit cannot take (${issue ? `${issue.path.join(".") || "architecture"}: ${issue.message}` : "invalid"})`);
  }
  const quant = configQuant(root);
  return { architecture: parsed.data!, contextLength, vision, caveats, storedAs: quant?.name ?? null, quantized: quant !== null, modelType: textType };
}
