// GGUF quant mixes: the ggml type llama.cpp gives each tensor for each file type, and the bits per weight that makes per tensor class.
import { ggmlBlockByName } from "../catalog/gguf/ggml-types.js";
import { attentionShape, paramBreakdown } from "../catalog/params.js";
import type { Architecture } from "../catalog/schema.js";
import { GGML_TYPES, type ClassBits, type FileType, type GgmlType, type GgufMix } from "../domain/quants.js";

/** Their block layouts (elements and bytes per block), from the one ggml type table (catalog/gguf/ggml-types.ts). */
const GGML_BLOCK = Object.fromEntries(
  GGML_TYPES.map((t) => {
    const block = ggmlBlockByName(t);
    if (block === null) throw new Error(`ggml type table lacks ${t}`);
    return [t, block];
  }),
) as Record<GgmlType, { elements: number; bytes: number }>;

export const ggmlBitsPerWeight = (t: GgmlType): number => (GGML_BLOCK[t].bytes * 8) / GGML_BLOCK[t].elements;

/**
 * llama.cpp file types (`llama-quantize` names) and the default ggml type of each: the type every tensor gets
 * unless a rule below changes it (src/llama-quant.cpp, `llama_model_quantize_impl`). Note the three that are not
 * named after their default: IQ3_XS and IQ3_M default to IQ3_S, IQ2_S to IQ2_XS and IQ2_M to IQ2_S.
 * MXFP4_MOE is gpt-oss's: experts MXFP4, every other matrix Q8_0 (ggml-org/gpt-oss-20b-GGUF).
 */
export const FILE_TYPE_DEFAULT = {
  F32: "F32",
  F16: "F16",
  BF16: "BF16",
  Q8_0: "Q8_0",
  Q6_K: "Q6_K",
  Q5_K_M: "Q5_K",
  Q5_K_S: "Q5_K",
  Q5_0: "Q5_0",
  Q4_K_M: "Q4_K",
  Q4_K_S: "Q4_K",
  Q4_1: "Q4_1",
  Q4_0: "Q4_0",
  IQ4_NL: "IQ4_NL",
  IQ4_XS: "IQ4_XS",
  Q3_K_L: "Q3_K",
  Q3_K_M: "Q3_K",
  Q3_K_S: "Q3_K",
  IQ3_M: "IQ3_S",
  IQ3_S: "IQ3_S",
  IQ3_XS: "IQ3_S",
  IQ3_XXS: "IQ3_XXS",
  Q2_K: "Q2_K",
  Q2_K_S: "Q2_K",
  IQ2_M: "IQ2_S",
  IQ2_S: "IQ2_XS",
  IQ2_XS: "IQ2_XS",
  IQ2_XXS: "IQ2_XXS",
  IQ1_M: "IQ1_M",
  IQ1_S: "IQ1_S",
  MXFP4_MOE: "MXFP4",
} as const satisfies Record<FileType, GgmlType>;

/**
 * The published quants this estimator meets (bartowski's, unsloth's, ggml-org's, lmstudio-community's) are made with
 * an importance matrix, and the 1-2-bit i-quants cannot be made without one; a few rules below depend on it.
 */
const WITH_IMATRIX = true;

/**
 * Where llama.cpp falls back when a row's length is not a multiple of the chosen type's block
 * (src/llama-quant.cpp `tensor_type_fallback`): the i-quants go to IQ4_NL, Q2_K and Q3_K to Q4_0 (IQ4_NL in older
 * releases: the same 4.5 bits), Q4_K to Q5_0, Q5_K to Q5_1, Q6_K to Q8_0; a row that 32 does not divide either
 * is stored F16.
 */
const FALLBACK: Partial<Record<GgmlType, GgmlType>> = {
  IQ2_XXS: "IQ4_NL",
  IQ2_XS: "IQ4_NL",
  IQ2_S: "IQ4_NL",
  IQ3_XXS: "IQ4_NL",
  IQ3_S: "IQ4_NL",
  IQ1_S: "IQ4_NL",
  IQ1_M: "IQ4_NL",
  IQ4_XS: "IQ4_NL",
  Q2_K: "Q4_0",
  Q3_K: "Q4_0",
  Q4_K: "Q5_0",
  Q5_K: "Q5_1",
  Q6_K: "Q8_0",
};

/**
 * The tensor kinds the rules tell apart, as llama.cpp sorts tensors by GGUF name (`tensor_get_category`): attn_v
 * also covers MLA's attn_kv_b; attn_qkv is a fused query-key-value projection (`FUSED_QKV_ARCHITECTURES`);
 * ffn_gate / ffn_up / ffn_down cover dense, shared-expert and routed-expert tensors alike (ffn_down_exps,
 * ffn_down_shexp). MLA's compressed q / kv projections and SSM mixers are "other".
 */
type TensorRole = "token_embd" | "output" | "attn_q" | "attn_k" | "attn_v" | "attn_qkv" | "attn_output" | "ffn_gate" | "ffn_up" | "ffn_down" | "other";

/**
 * llama.cpp's `category_is_attn_v` (src/llama-quant.cpp): attn_v, the fused attn_qkv and MLA's attn_kv_b (our
 * attn_v) take the attn_v rules and are counted together (n_attention_wv / i_attention_wv). Releases before the
 * tensor-category refactor gave attn_qkv a branch of its own, still there after the attn_v branch and now
 * unreachable: Q3_K_M / Q3_K_L / IQ3_M Q4_K, Q4_K_M Q5_K, Q5_K_M Q6_K, every other file type the default. The two
 * agree within 0.4% of a Phi-3 / phi-4 / GLM-4-9B file at Q4_K_M and Q3_K_M (at Q4_K_M half the fused tensors at
 * Q6_K and half at Q4_K against all at Q5_K); files of those releases are 1-2% larger at Q5_K_M, and smaller at
 * Q2_K (about 6%), Q3_K_L, Q4_K_S and most i-quants, where the old branch upgraded nothing. This follows the
 * current code.
 */
const isAttnV = (role: TensorRole): boolean => role === "attn_v" || role === "attn_qkv";

/** Facts of the model the rules read (llama.cpp's hparams and its quantize state). */
interface MixFacts {
  /** Blocks (n_layer): the ffn_down / gate / up rules count layers out of this. */
  layers: number;
  /** attn_v-like tensors (attn_v, attn_qkv, attn_kv_b: llama.cpp's n_attention_wv): the attn_v rules count out of this. */
  attnVTensors: number;
  /** Query heads per KV head (n_gqa(); 1 for MLA, whose KV is not shared that way). */
  gqa: number;
  /** Routed experts (0 for dense models). */
  experts: number;
  /** llama.cpp's LLM_TYPE_70B: 80 blocks of a Llama (with GQA), Qwen2, DeciLM or OLMo model (src/models/*.cpp). */
  is70B: boolean;
  /** No output tensor: the token embedding doubles as the head and is quantized as the head. */
  tied: boolean;
  /** Routed experts released in MXFP4 and kept so in every GGUF of the model (gpt-oss). */
  nativeMxfp4Experts: boolean;
  /** llama.cpp's LLM_ARCH_FALCON, which has rules of its own for the head, ffn_down and attn_output. */
  falcon: boolean;
}

/**
 * Architectures whose routed experts were released in MXFP4 and stay MXFP4 in every GGUF file, whatever its file
 * type: gpt-oss (ggml-org/gpt-oss-20b-GGUF; unsloth's and bartowski's gpt-oss quants are all within a few percent of
 * the MXFP4 file for that reason, their cards say: only attention, embedding and head change type).
 */
const MXFP4_EXPERT_ARCHITECTURES = new Set(["gpt-oss"]);

/**
 * Architectures whose GGUFs store each attention layer's query, key and value projections as one fused
 * `blk.N.attn_qkv.weight` of q + k + v rows, which the quantizer types by the attn_v rules (`isAttnV`). From the
 * catalog: the converter keeps the checkpoint's fused projection, which gguf-py/gguf/tensor_mapping.py maps to
 * ATTN_QKV (`self_attn.qkv_proj` "phi3": Phi-3, Phi-3.5, Phi-4, Phi-4-mini; `self_attention.query_key_value`
 * "chatglm": ChatGLM / GLM-4-9B and CodeGeeX4 in THUDM's format; `attn.Wqkv` nomic-bert and nomic-bert-moe;
 * `mixer.Wqkv` jina-bert-v3; `layers.N.attn.Wqkv` modern-bert), and src/models/{phi3,chatglm,nomic-bert,
 * nomic-bert-moe,jina-bert-v3}.cpp load it through `create_tensor_qkv` (fused first, q/k/v otherwise). Beyond the
 * catalog (GGUF imports), the architectures whose src/models/*.cpp create only `wqkv` ({n_embd, n_embd +
 * 2 n_embd_gqa}): falcon (conversion/falcon.py reorders query_key_value and keeps it fused), modern-bert, bloom,
 * dbrx, gpt2, gptneox, jais, mpt, neo-bert, qwen (Qwen 1), starcoder, bailingmoe2. Not fused: glm4 (GLM-4-0414:
 * conversion/glm.py keeps q_proj / k_proj / v_proj apart), phi2 (today's microsoft/phi-2 checkpoint has separate
 * q/k/v; only GGUFs of its first release were fused), internlm2 (conversion/internlm.py splits `wqkv`). The
 * linear-attention mixers of qwen35 / qwen35moe / qwen3next (Gated DeltaNet's in_proj_qkv; Qwen3-Next files made
 * before conversion/qwen.py split in_proj_qkvz hold it in ssm_in instead, at the default) and minimax-01 (lightning
 * attention's qkv_proj) also store an attn_qkv: the catalog gives its size as `linear_qkv_params`, and `matrices`
 * counts it among the attn_v-like tensors of the linear class. The rest of a linear mixer stays at the file type's
 * default, though minimax-01's attn_output takes the attn_output rules and Kimi-Linear's KDA layers hold an attn_v.
 */
const FUSED_QKV_ARCHITECTURES = new Set([
  "phi3",
  "chatglm",
  "nomic-bert",
  "nomic-bert-moe",
  "jina-bert-v3",
  "modern-bert",
  "falcon",
  "bloom",
  "dbrx",
  "gpt2",
  "gptneox",
  "jais",
  "mpt",
  "neo-bert",
  "qwen",
  "starcoder",
  "bailingmoe2",
]);

/**
 * Architectures whose dense FFN stores gate and up as one `ffn_up` of 2 x ffn_size rows: tensor_mapping.py maps
 * `mlp.gate_up_proj` (phi3, glm-4-0414) and chatglm's `mlp.dense_h_to_4h` to FFN_UP, and modern-bert's `mlp.Wi`;
 * src/models/{phi3,chatglm,glm4,modern-bert}.cpp create ffn_up as {n_embd, 2 * n_ff} and no ffn_gate. The
 * gate and up rules are the same, so this changes the tensor count, not the bits.
 */
const FUSED_GATE_UP_ARCHITECTURES = new Set(["phi3", "chatglm", "glm4", "modern-bert"]);

/** Architectures llama.cpp types LLM_TYPE_70B at 80 blocks whatever their heads (Llama needs GQA besides). */
const SEVENTY_B_AT_80_BLOCKS = new Set(["qwen2", "deci", "olmo"]);

const IQ1_IQ2 = new Set<FileType>(["IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ2_M", "IQ1_S", "IQ1_M"]);
/** File types whose output head is Q5_K rather than Q6_K. */
const HEAD_Q5_K = new Set<FileType>(["IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ2_S", "IQ2_M", "IQ1_M"]);
/** File types whose attn_output is Q5_K in 8-expert models (Mixtral). */
const ATTN_OUTPUT_Q5_K_8_EXPERTS = new Set<FileType>(["Q2_K", "IQ3_XS", "IQ3_XXS", "Q3_K_S", "Q3_K_M", "IQ4_NL", "Q4_K_S", "Q4_K_M", "IQ3_S", "IQ3_M", "IQ4_XS"]);

/** llama.cpp's `use_more_bits`: the first and last eighth of the layers, and every third layer between. */
function useMoreBits(i: number, n: number): boolean {
  const eighth = Math.floor(n / 8);
  return i < eighth || i >= Math.floor((7 * n) / 8) || (i - eighth) % 3 === 2;
}

/** Where one tensor sits: its block, and its rank among the tensors of its kind (llama.cpp's i_ffn_down, ...). */
interface Slot {
  /** Block index for FFN tensors (llama.cpp parses it from the name in MoE models, counts tensors otherwise). */
  layer: number;
  /** Rank among the tensors of its kind: attn_v-like tensors for the attn_v rules, ffn_down tensors for the 1-2-bit rule. */
  ordinal: number;
  /** ne[0]: the row length, which must be a multiple of the type's block. */
  rowLength: number;
  /** A 3-D routed-expert tensor (MXFP4 files and gpt-oss tell them apart; the estimator counts them apart). */
  expert: boolean;
}

/**
 * The ggml type of one tensor: a port, in our own words, of `llama_tensor_get_type` / `llama_tensor_get_type_impl`
 * and `tensor_type_fallback` in llama.cpp's src/llama-quant.cpp (these rules have stood since the i-quants landed
 * in 2024, through the b3400-b6000 releases the public files were made with; fused attn_qkv aside, see `isAttnV`).
 */
function tensorType(ft: FileType, role: TensorRole, s: Slot, f: MixFacts): GgmlType {
  const base: GgmlType = FILE_TYPE_DEFAULT[ft];
  if (s.expert && f.nativeMxfp4Experts) return "MXFP4";
  // Unquantized files keep every matrix at their type.
  if (base === "F32" || base === "F16" || base === "BF16") return base;
  return withFallback(ruleType(ft, base, role, s, f), s.rowLength);
}

function ruleType(ft: FileType, base: GgmlType, role: TensorRole, s: Slot, f: MixFacts): GgmlType {
  const n = f.layers;
  const i = s.layer;
  const firstEighth = i < Math.floor(n / 8);
  // The output head (and a tied embedding, which is the head): Q8_0 when its rows do not fill the default type's
  // blocks (or in gpt-oss's files, or Falcon's), Q5_K for the lowest i-quants, else Q6_K unless the whole file is Q8_0.
  if (role === "output" || (role === "token_embd" && f.tied)) {
    if (ft === "MXFP4_MOE" || f.falcon || s.rowLength % GGML_BLOCK[base].elements !== 0) return "Q8_0";
    if (HEAD_Q5_K.has(ft)) return "Q5_K";
    return base === "Q8_0" ? "Q8_0" : "Q6_K";
  }
  // gpt-oss's file type: routed experts MXFP4, every other matrix Q8_0.
  if (ft === "MXFP4_MOE") return s.expert ? "MXFP4" : "Q8_0";
  // The token embedding is only looked up, never multiplied: the 1-2-bit i-quants store it at Q2_K or IQ3_S.
  if (role === "token_embd") {
    if (ft === "IQ2_XXS" || ft === "IQ2_XS" || ft === "IQ1_S" || ft === "IQ1_M") return "Q2_K";
    if (ft === "IQ2_S" || ft === "IQ2_M" || ft === "IQ3_XXS") return "IQ3_S";
    return base;
  }
  // The 1-2-bit i-quants protect the small tensors that hurt most: attn_v, the first eighth of ffn_down, attn_output.
  if (IQ1_IQ2.has(ft)) {
    const upper = ft === "IQ2_S" || ft === "IQ2_M";
    if (isAttnV(role)) return f.gqa >= 4 || f.experts >= 4 ? "Q4_K" : upper ? "IQ3_S" : "Q2_K";
    if (role === "attn_k" && f.experts === 8) return "Q4_K";
    // This rule counts ffn_down tensors (two per layer where shared experts sit beside the routed ones).
    if (role === "ffn_down") return s.ordinal < Math.floor(n / 8) ? (upper ? "IQ3_S" : "Q2_K") : base;
    if (role === "attn_output") {
      if (f.experts === 8) return "Q5_K";
      if (ft === "IQ1_S" || ft === "IQ1_M") return "IQ2_XXS";
      return upper ? "IQ3_S" : base;
    }
    return base;
  }
  // attn_v is small with GQA (n_gqa x smaller than attn_q): more bits cost little and help much. A fused attn_qkv
  // takes the same rules whole, q rows included.
  if (isAttnV(role)) {
    let t: GgmlType = base;
    if (ft === "Q2_K") t = f.gqa >= 4 ? "Q4_K" : "Q3_K";
    else if (ft === "Q2_K_S" && f.gqa >= 4) t = "Q4_K";
    else if (ft === "IQ3_XXS") t = f.gqa >= 4 ? "Q4_K" : WITH_IMATRIX ? "IQ3_XXS" : "IQ3_S";
    else if ((ft === "IQ3_XS" || ft === "IQ3_S") && f.gqa >= 4) t = "Q4_K";
    else if (ft === "IQ3_M") t = "Q4_K";
    else if (ft === "Q3_K_M") t = s.ordinal < 2 ? "Q5_K" : "Q4_K";
    else if (ft === "Q3_K_L") t = "Q5_K";
    else if ((ft === "IQ4_NL" || ft === "IQ4_XS") && f.gqa >= 4) t = "Q5_K";
    else if ((ft === "Q4_K_M" || ft === "Q5_K_M") && useMoreBits(s.ordinal, f.attnVTensors)) t = "Q6_K";
    else if (ft === "Q4_K_S" && s.ordinal < 4) t = "Q5_K";
    // 70B models: attn_v is 8x smaller than attn_q, so Q3_K / Q4_K become Q5_K; 8-expert models take Q8_0.
    if (f.is70B && (t === "Q3_K" || t === "Q4_K")) t = "Q5_K";
    if (f.experts === 8) t = "Q8_0";
    return t;
  }
  switch (role) {
    // IQ3_XS takes attn_q and attn_k down to IQ3_XXS, IQ3_XXS takes them down to IQ2_S.
    case "attn_k":
      if (f.experts === 8) return "Q8_0";
      return ft === "IQ3_XS" ? "IQ3_XXS" : ft === "IQ3_XXS" ? "IQ2_S" : base;
    case "attn_q":
      return ft === "IQ3_XS" ? "IQ3_XXS" : ft === "IQ3_XXS" ? "IQ2_S" : base;
    case "ffn_down": {
      if (ft === "Q2_K") return "Q3_K";
      if (ft === "Q2_K_S") return firstEighth ? "Q4_K" : base;
      if (ft === "IQ3_XXS" && !WITH_IMATRIX) return firstEighth ? "Q4_K" : "Q3_K";
      // Falcon keeps Q3_K_M's ffn_down at Q3_K outside the use_more_bits layers, Q3_K_L's at Q4_K.
      if (ft === "Q3_K_M") return i < Math.floor(n / 16) ? "Q5_K" : !f.falcon || useMoreBits(i, n) ? "Q4_K" : "Q3_K";
      if (ft === "IQ3_M" && (firstEighth || (f.experts === 8 && useMoreBits(i, n)))) return "Q4_K";
      if (ft === "Q3_K_L") return f.falcon ? "Q4_K" : "Q5_K";
      // Falcon's Q4_K_M: the first sixteenth at Q6_K, the other use_more_bits layers at Q5_K.
      if (ft === "Q4_K_M" && f.falcon) return i < Math.floor(n / 16) ? "Q6_K" : useMoreBits(i, n) ? "Q5_K" : base;
      if (ft === "Q4_K_M") return useMoreBits(i, n) ? "Q6_K" : base;
      if ((ft === "IQ4_NL" || ft === "IQ4_XS") && !WITH_IMATRIX && firstEighth) return "Q5_K";
      if (ft === "Q5_K_M" && useMoreBits(i, n)) return "Q6_K";
      if (ft === "Q4_K_S" && !f.falcon && firstEighth) return "Q5_K";
      // With an imatrix, Q4_0 / Q5_0 guard the first eighth of ffn_down with the _1 type.
      if ((ft === "Q4_0" || ft === "Q5_0") && WITH_IMATRIX && firstEighth) return ft === "Q4_0" ? "Q4_1" : "Q5_1";
      return base;
    }
    case "attn_output":
      // Falcon's attn_output stays at the default type but in Q3_K_L, where it is Q4_K.
      if (f.falcon) return ft === "Q3_K_L" ? "Q4_K" : base;
      if (f.experts === 8) return ATTN_OUTPUT_Q5_K_8_EXPERTS.has(ft) ? "Q5_K" : base;
      if (ft === "Q2_K") return "Q3_K";
      if (ft === "IQ3_XXS") return "IQ3_S";
      if (ft === "Q3_K_M" || ft === "IQ3_M") return "Q4_K";
      if (ft === "Q3_K_L") return "Q5_K";
      return base;
    case "ffn_gate":
    case "ffn_up":
      return ft === "IQ3_XS" && i >= Math.floor(n / 8) && i < Math.floor((7 * n) / 8) ? "IQ3_XXS" : base;
    default:
      return base;
  }
}

/** Rows of real tensors are multiples of 32; a catalog width that is not is a per-block mean (Nemotron-NAS). */
const ROW_MULTIPLE = 32;

function withFallback(t: GgmlType, rowLength: number): GgmlType {
  // A mean width says nothing about the real rows' blocks: keep the type the rules chose.
  if (rowLength % GGML_BLOCK[t].elements === 0 || rowLength % ROW_MULTIPLE !== 0) return t;
  const next = FALLBACK[t] ?? "F16";
  return rowLength % GGML_BLOCK[next].elements === 0 ? next : "F16";
}

interface Tensor extends Slot {
  role: TensorRole;
  params: number;
  /** Part of a linear layer's mixer (its fused attn_qkv), counted in the linear class. */
  linear: boolean;
}

/** Parameter-weighted average bits per weight of `tensors`; `fallback` when there are none. */
function averageBits(ft: FileType, tensors: Tensor[], f: MixFacts, fallback: number): number {
  let bits = 0;
  let params = 0;
  for (const t of tensors) {
    bits += t.params * ggmlBitsPerWeight(tensorType(ft, t.role, t, f));
    params += t.params;
  }
  return params > 0 ? bits / params : fallback;
}

/**
 * Every quantized matrix of the model in file order (block by block), each with its role, rank and row length,
 * as GGUF names them: attn_q / attn_k / attn_v / attn_output (MLA: attn_q_a, attn_q_b, attn_kv_a_mqa, attn_kv_b,
 * attn_output) and the fused attn_qkv of linear layers (`linear_qkv_params`; their other mixer tensors are not
 * listed), then ffn_gate / ffn_up / ffn_down (dense, or _exps for the routed experts of a block, stored as one 3-D
 * tensor, and _shexp for its shared experts). Row length is ne[0], the input width of the projection.
 */
function matrices(a: Architecture): Tensor[] {
  const h = a.hidden_size;
  const out: Tensor[] = [];
  let attnV = 0;
  let ffnDown = 0;
  const fusedQkv = FUSED_QKV_ARCHITECTURES.has(a.type);
  const fusedGateUp = FUSED_GATE_UP_ARCHITECTURES.has(a.type);
  const add = (role: TensorRole, layer: number, rowLength: number, rows: number, copies = 1, routed = false, linear = false): void => {
    // `copies` routed experts of a block are one 3-D tensor (ffn_down_exps: [width, hidden, experts]).
    const ordinal = isAttnV(role) ? attnV++ : role === "ffn_down" ? ffnDown++ : 0;
    out.push({ role, layer, ordinal, rowLength, params: rowLength * rows * copies, expert: routed, linear });
  };
  const { full_layers: full, sliding_layers: sliding, mla, linear_layers: linearLayers, linear_qkv_params: linearQkv } = a.attention;
  const attentionLayers = full + sliding;
  // Linear layers whose mixer has a fused attn_qkv count among the attn_v-like tensors, in block order: attention
  // and linear layers taken as evenly interleaved (Qwen3.5: 3 linear, then 1 full, repeated).
  const qkvLinear = linearQkv > 0 ? linearLayers : 0;
  const mixers = attentionLayers + qkvLinear;
  let i = 0;
  for (let j = 0; j < mixers; j++) {
    if (Math.floor(((j + 1) * attentionLayers) / mixers) === Math.floor((j * attentionLayers) / mixers)) {
      add("attn_qkv", j, h, linearQkv / h, 1, false, true);
      continue;
    }
    // Full layers may have their own head size and KV heads (Gemma 4); the order of full and sliding layers does not
    // change the sizes, only which layers the position rules pick: taken as evenly interleaved.
    const isFull = Math.floor(((i + 1) * full) / attentionLayers) > Math.floor((i * full) / attentionLayers);
    const shape = attentionShape(a, isFull ? "full" : "sliding");
    const { headDim, kvHeads } = shape;
    const vHead = mla ? mla.v_head_dim : shape.vHeadDim;
    if (mla) {
      const qkHead = mla.qk_nope_head_dim + mla.qk_rope_head_dim;
      if (mla.q_lora_rank === null) add("attn_q", i, h, a.attention_heads * qkHead);
      else {
        add("other", i, h, mla.q_lora_rank);
        add("other", i, mla.q_lora_rank, a.attention_heads * qkHead);
      }
      add("other", i, h, mla.kv_lora_rank + mla.qk_rope_head_dim);
      add("attn_v", i, mla.kv_lora_rank, a.attention_heads * (mla.qk_nope_head_dim + mla.v_head_dim));
    } else if (fusedQkv) {
      // One tensor of q, k and v rows, typed and counted as attn_v (n_embd_q + n_embd_k + n_embd_v outputs).
      add("attn_qkv", i, h, a.attention_heads * headDim + kvHeads * headDim + kvHeads * vHead);
    } else {
      add("attn_q", i, h, a.attention_heads * headDim);
      add("attn_k", i, h, kvHeads * headDim);
      add("attn_v", i, h, kvHeads * vHead);
    }
    add("attn_output", i, a.attention_heads * vHead, h);
    i++;
  }
  const ffn = (layer: number, width: number, copies: number, routed: boolean): void => {
    // A fused gate and up is one ffn_up of twice the rows (dense FFNs of FUSED_GATE_UP_ARCHITECTURES).
    if (a.ffn_gated && fusedGateUp && !routed) add("ffn_up", layer, h, 2 * width, copies, routed);
    else {
      if (a.ffn_gated) add("ffn_gate", layer, h, width, copies, routed);
      add("ffn_up", layer, h, width, copies, routed);
    }
    add("ffn_down", layer, width, h, copies, routed);
  };
  const moe = a.moe;
  for (let i = 0; i < (a.ffn_layers ?? a.layers); i++) {
    // Per-block FFN widths where they differ by block (Nemotron-NAS).
    if (!moe) ffn(i, a.ffn_sizes?.[i] ?? a.ffn_size, 1, false);
    else if (i < moe.dense_layers) ffn(i, moe.dense_ffn_size ?? a.ffn_size, 1, false);
    else {
      ffn(i, moe.expert_ffn_size, moe.experts, true);
      // Shared experts are one dense MLP as wide as all of them together (ffn_*_shexp).
      if (moe.shared_experts > 0 && moe.shared_expert_ffn_size > 0) ffn(i, moe.shared_expert_ffn_size * moe.shared_experts, 1, false);
    }
  }
  return out;
}

const cache = new WeakMap<Architecture, Map<string, ClassBits>>();

/**
 * Bits per weight by tensor class of `a` in `mix`: every matrix typed as llama.cpp would, then averaged per class.
 * Layer-dependent rules (`use_more_bits`, the first eighth) make the averages depend on the layer count, and GQA,
 * expert count and row lengths change them too; the estimator multiplies them by the class's parameter count.
 */
export function ggufClassBits(mix: GgufMix, a: Architecture): ClassBits {
  const key = `${mix.fileType}/${mix.embeddingAndOutput ?? ""}`;
  let byMix = cache.get(a);
  if (!byMix) {
    byMix = new Map();
    cache.set(a, byMix);
  }
  const hit = byMix.get(key);
  if (hit) return hit;
  const bits = computeClassBits(mix, a);
  byMix.set(key, bits);
  return bits;
}

function mixFacts(a: Architecture): MixFacts {
  return {
    layers: a.layers,
    attnVTensors: a.attention.full_layers + a.attention.sliding_layers + (a.attention.linear_qkv_params > 0 ? a.attention.linear_layers : 0),
    gqa: a.attention.mla ? 1 : a.attention_heads / a.kv_heads,
    experts: a.moe?.experts ?? 0,
    is70B: a.layers === 80 && ((a.type === "llama" && a.kv_heads < a.attention_heads) || SEVENTY_B_AT_80_BLOCKS.has(a.type)),
    tied: a.tied_embeddings,
    nativeMxfp4Experts: MXFP4_EXPERT_ARCHITECTURES.has(a.type),
    falcon: a.type === "falcon",
  };
}

/**
 * How many matrices of `a` each ggml type holds in `mix` (token embedding and head included), as llama.cpp's load
 * log counts them ("type q4_K: 193 tensors"); norms, biases and routers, which stay F32, are left out, and so are
 * the tensors of linear mixers other than their attn_qkv (`matrices`).
 */
export function tensorTypeCounts(mix: GgufMix, a: Architecture): Partial<Record<GgmlType, number>> {
  const facts = mixFacts(a);
  const counts: Partial<Record<GgmlType, number>> = {};
  const count = (t: GgmlType): void => {
    counts[t] = (counts[t] ?? 0) + 1;
  };
  for (const t of matrices(a)) count(tensorType(mix.fileType, t.role, t, facts));
  const slot = { layer: 0, ordinal: 0, rowLength: a.hidden_size, expert: false };
  count(mix.embeddingAndOutput ?? tensorType(mix.fileType, "token_embd", slot, facts));
  if (!a.tied_embeddings) count(mix.embeddingAndOutput ?? tensorType(mix.fileType, "output", slot, facts));
  return counts;
}

function computeClassBits(mix: GgufMix, a: Architecture): ClassBits {
  const h = a.hidden_size;
  const ft = mix.fileType;
  const facts = mixFacts(a);
  const one = (role: TensorRole): number => ggmlBitsPerWeight(tensorType(ft, role, { layer: 0, ordinal: 0, rowLength: h, expert: false }, facts));
  const baseBits = one("other");
  const all = matrices(a);
  const ffnBits = averageBits(ft, all.filter((t) => t.role.startsWith("ffn_") && !t.expert), facts, baseBits);
  const forced = mix.embeddingAndOutput === null ? null : ggmlBitsPerWeight(mix.embeddingAndOutput);
  // The linear class: its fused attn_qkv at the types the rules give, the rest of the mixers (ssm_*, attn_gate) at the
  // file type's default.
  const p = paramBreakdown(a);
  const qkv = all.filter((t) => t.linear);
  const qkvParams = qkv.reduce((sum, t) => sum + t.params, 0);
  const linear = p.linear > 0 ? (averageBits(ft, qkv, facts, baseBits) * qkvParams + baseBits * (p.linear - qkvParams)) / p.linear : baseBits;
  return {
    attention: averageBits(ft, all.filter((t) => !t.role.startsWith("ffn_") && !t.linear), facts, baseBits),
    linear,
    ffn: ffnBits,
    experts: averageBits(ft, all.filter((t) => t.expert), facts, ffnBits),
    embedding: forced ?? one("token_embd"),
    output: forced ?? one("output"),
    extra: baseBits,
  };
}
