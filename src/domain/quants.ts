// Quant vocabulary: the quant names nodefit knows, the container each is stored in, the llama.cpp file type of each GGUF
// quant, the bits per weight of each pre-quantized format, their quality, aliases and ladders. Plain names and figures,
// no architecture: the estimator works out what a GGUF mix makes of a given architecture (estimate/gguf-mix.ts).

/** The ggml types the quant rules assign (estimate/gguf-mix.ts gives each its block layout). */
export const GGML_TYPES = [
  "F32", "F16", "BF16", "Q8_0", "Q6_K", "Q5_K", "Q5_1", "Q5_0", "Q4_K", "Q4_1", "Q4_0", "IQ4_NL", "IQ4_XS", "Q3_K",
  "IQ3_S", "IQ3_XXS", "Q2_K", "IQ2_S", "IQ2_XS", "IQ2_XXS", "IQ1_M", "IQ1_S", "MXFP4",
] as const;
export type GgmlType = (typeof GGML_TYPES)[number];

/**
 * llama.cpp file types (`llama-quantize` names; MXFP4_MOE is gpt-oss's). The default ggml type of each, and the
 * rules that change it per tensor, are the estimator's (estimate/gguf-mix.ts `FILE_TYPE_DEFAULT`).
 */
export const FILE_TYPES = [
  "F32", "F16", "BF16", "Q8_0", "Q6_K", "Q5_K_M", "Q5_K_S", "Q5_0", "Q4_K_M", "Q4_K_S", "Q4_1", "Q4_0", "IQ4_NL",
  "IQ4_XS", "Q3_K_L", "Q3_K_M", "Q3_K_S", "IQ3_M", "IQ3_S", "IQ3_XS", "IQ3_XXS", "Q2_K", "Q2_K_S", "IQ2_M", "IQ2_S",
  "IQ2_XS", "IQ2_XXS", "IQ1_M", "IQ1_S", "MXFP4_MOE",
] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** A GGUF mix: a llama.cpp file type, optionally with the token embedding and output head forced to one type. */
export interface GgufMix {
  fileType: FileType;
  /**
   * `llama-quantize --token-embedding-type T --output-tensor-type T`: bartowski's `_L` / `_XL` files are the file
   * type below them with both at Q8_0 ("uses Q8_0 for embed and output weights", his model cards).
   */
  embeddingAndOutput: GgmlType | null;
}

/** Average bits per weight of each tensor class (of one architecture in one mix, for GGUF: estimate/gguf-mix.ts). */
export interface ClassBits {
  /** Attention projections (and MLA's compressed projections). */
  attention: number;
  /** Mixers of linear / SSM layers: llama.cpp names them ssm_* and gives them the file type's default. */
  linear: number;
  /** Dense FFN and shared experts. */
  ffn: number;
  /** Routed experts. */
  experts: number;
  embedding: number;
  output: number;
  /** Anything else (MTP heads, per-layer embeddings): the file type's default. */
  extra: number;
}

/**
 * One quantization format. GGUF files are "mixes": llama.cpp stores different tensors at different types (the
 * output head at Q6_K for most mixes, attn_v and ffn_down of some layers a type or two higher, rows that do not fill
 * a 256-element super-block at a fallback type), so their bits per weight are worked out per tensor for each
 * architecture (`estimate/gguf-mix.ts`). Pre-quantized checkpoints store each tensor class at one type.
 */
export interface QuantFormat {
  name: QuantName;
  /** Runtime family that loads this format. */
  container: "gguf" | "safetensors" | "mlx";
  /** GGUF: the llama.cpp file type and any embedding / head override; null for the other containers. */
  gguf: GgufMix | null;
  /** Pre-quantized formats: bits per weight by tensor class, the same for every architecture; null for GGUF. */
  bits: ClassBits | null;
  /**
   * Quality kept relative to 16-bit weights (1 = lossless), from llama.cpp's published perplexity / KL-divergence
   * tables for Llama-3-8B and Llama-2 (github.com/ggml-org/llama.cpp/tree/master/tools/perplexity, PR #5747 and
   * discussion #5962); approximate and used only to rank quants.
   */
  qualityFactor: number;
}

/**
 * GGUF quants by name: the llama.cpp file type each is made with, and its quality. `_L` / `_XL` are bartowski's:
 * the file type below them with the token embedding and output head at Q8_0 (Q3_K_XL is Q3_K_L so, Q2_K_L is Q2_K).
 */
interface GgufQuant {
  fileType: FileType;
  embeddingAndOutput?: GgmlType;
  qualityFactor: number;
}

const GGUF = {
  F32: { fileType: "F32", qualityFactor: 1 },
  F16: { fileType: "F16", qualityFactor: 1 },
  BF16: { fileType: "BF16", qualityFactor: 1 },
  Q8_0: { fileType: "Q8_0", qualityFactor: 0.998 },
  Q6_K_L: { fileType: "Q6_K", embeddingAndOutput: "Q8_0", qualityFactor: 0.992 },
  Q6_K: { fileType: "Q6_K", qualityFactor: 0.99 },
  Q5_K_L: { fileType: "Q5_K_M", embeddingAndOutput: "Q8_0", qualityFactor: 0.982 },
  Q5_K_M: { fileType: "Q5_K_M", qualityFactor: 0.98 },
  Q5_K_S: { fileType: "Q5_K_S", qualityFactor: 0.975 },
  Q5_0: { fileType: "Q5_0", qualityFactor: 0.975 },
  Q4_K_L: { fileType: "Q4_K_M", embeddingAndOutput: "Q8_0", qualityFactor: 0.962 },
  Q4_K_M: { fileType: "Q4_K_M", qualityFactor: 0.96 },
  Q4_K_S: { fileType: "Q4_K_S", qualityFactor: 0.95 },
  Q4_1: { fileType: "Q4_1", qualityFactor: 0.945 },
  Q4_0: { fileType: "Q4_0", qualityFactor: 0.935 },
  IQ4_NL: { fileType: "IQ4_NL", qualityFactor: 0.95 },
  IQ4_XS: { fileType: "IQ4_XS", qualityFactor: 0.945 },
  Q3_K_XL: { fileType: "Q3_K_L", embeddingAndOutput: "Q8_0", qualityFactor: 0.91 },
  Q3_K_L: { fileType: "Q3_K_L", qualityFactor: 0.905 },
  Q3_K_M: { fileType: "Q3_K_M", qualityFactor: 0.89 },
  Q3_K_S: { fileType: "Q3_K_S", qualityFactor: 0.86 },
  IQ3_M: { fileType: "IQ3_M", qualityFactor: 0.89 },
  IQ3_S: { fileType: "IQ3_S", qualityFactor: 0.875 },
  IQ3_XS: { fileType: "IQ3_XS", qualityFactor: 0.865 },
  IQ3_XXS: { fileType: "IQ3_XXS", qualityFactor: 0.85 },
  Q2_K_L: { fileType: "Q2_K", embeddingAndOutput: "Q8_0", qualityFactor: 0.79 },
  Q2_K: { fileType: "Q2_K", qualityFactor: 0.78 },
  Q2_K_S: { fileType: "Q2_K_S", qualityFactor: 0.74 },
  IQ2_M: { fileType: "IQ2_M", qualityFactor: 0.76 },
  IQ2_S: { fileType: "IQ2_S", qualityFactor: 0.72 },
  IQ2_XS: { fileType: "IQ2_XS", qualityFactor: 0.69 },
  IQ2_XXS: { fileType: "IQ2_XXS", qualityFactor: 0.64 },
  IQ1_M: { fileType: "IQ1_M", qualityFactor: 0.5 },
  IQ1_S: { fileType: "IQ1_S", qualityFactor: 0.42 },
  // gpt-oss as ggml-org publishes it: experts in MXFP4 (4.25 bpw), every other matrix Q8_0 (ggml-org/gpt-oss-20b-GGUF).
  MXFP4: { fileType: "MXFP4_MOE", qualityFactor: 0.97 },
} as const satisfies Record<string, GgufQuant>;

/** Bits per weight of a format that stores attention, FFN / experts, embedding and head each at one type. */
const uniform = (attention: number, ffn: number, embedding: number, output: number): ClassBits => ({
  attention,
  linear: attention,
  ffn,
  experts: ffn,
  embedding,
  output,
  extra: ffn,
});

/**
 * Pre-quantized checkpoint formats, bits per weight from their storage layouts:
 * FP8 (e4m3, per-channel/block scales: ~8.0; embedding and head kept in BF16, as in the FP8 releases of Qwen3/DeepSeek);
 * NVFP4 (4-bit E2M1 + one FP8 scale per 16 values = 4.5; NVIDIA TensorRT Model Optimizer docs);
 * MXFP4 (4-bit + one E8M0 scale per 32 values = 4.25, OCP MX spec; gpt-oss quantizes only the experts);
 * AWQ / GPTQ int4 (group 128, FP16 scale + packed zero per group: 4 + 16/128 + 4/128 ~ 4.16);
 * INT8 weights (llm-compressor / compressed-tensors W8A8 and W8A16, vLLM's int8 checkpoints: int8 per output channel
 * with one 16-bit scale per row, 8 + 16/hidden ~ 8.01; embedding and head kept in BF16, the recipes' `ignore:
 * ["lm_head"]`, and embeddings are not Linear layers);
 * MLX 2- to 8-bit (mlx-lm's affine quantization, group 64 with an FP16 scale and bias per group: bits + 32/64 = +0.5
 * bit; mlx-lm quantizes embedding and head too);
 * MLX-MXFP4 (mlx-lm's `--q-mode mxfp4`, as the gpt-oss MLX releases use it, "MXFP4-Q8": FFN and expert weights in
 * MXFP4, 4.25 bits, the other matrices 8-bit affine, 8.5).
 */
interface PrequantFormat {
  bits: ClassBits;
  container: "safetensors" | "mlx";
  qualityFactor: number;
}

const PREQUANT = {
  FP8: { bits: uniform(8.03, 8.03, 16, 16), container: "safetensors", qualityFactor: 0.995 },
  NVFP4: { bits: uniform(4.5, 4.5, 16, 16), container: "safetensors", qualityFactor: 0.95 },
  "MXFP4-SAFETENSORS": { bits: uniform(16, 4.25, 16, 16), container: "safetensors", qualityFactor: 0.97 },
  AWQ: { bits: uniform(4.16, 4.16, 16, 16), container: "safetensors", qualityFactor: 0.955 },
  GPTQ: { bits: uniform(4.16, 4.16, 16, 16), container: "safetensors", qualityFactor: 0.95 },
  INT8: { bits: uniform(8.01, 8.01, 16, 16), container: "safetensors", qualityFactor: 0.995 },
  // MLX quality: as the GGUF k-quant of the same bits, a notch lower (one scale per 64 weights, no super-blocks).
  "MLX-2BIT": { bits: uniform(2.5, 2.5, 2.5, 2.5), container: "mlx", qualityFactor: 0.6 },
  "MLX-3BIT": { bits: uniform(3.5, 3.5, 3.5, 3.5), container: "mlx", qualityFactor: 0.85 },
  "MLX-4BIT": { bits: uniform(4.5, 4.5, 4.5, 4.5), container: "mlx", qualityFactor: 0.95 },
  "MLX-5BIT": { bits: uniform(5.5, 5.5, 5.5, 5.5), container: "mlx", qualityFactor: 0.975 },
  "MLX-6BIT": { bits: uniform(6.5, 6.5, 6.5, 6.5), container: "mlx", qualityFactor: 0.985 },
  "MLX-8BIT": { bits: uniform(8.5, 8.5, 8.5, 8.5), container: "mlx", qualityFactor: 0.997 },
  "MLX-MXFP4": { bits: uniform(8.5, 4.25, 8.5, 8.5), container: "mlx", qualityFactor: 0.97 },
  "BF16-SAFETENSORS": { bits: uniform(16, 16, 16, 16), container: "safetensors", qualityFactor: 1 },
} as const satisfies Record<string, PrequantFormat>;

/** Every quant nodefit knows, by its canonical name: a GGUF mix or a pre-quantized format. */
export type QuantName = keyof typeof GGUF | keyof typeof PREQUANT;

/**
 * The GGUF quants nodefit tries, best quality first, when asked for "the best quant that fits". F16 is left out:
 * Q8_0 is within measurement noise of it at half the memory.
 */
export const GGUF_LADDER = ["Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "IQ4_XS", "Q3_K_M", "IQ3_M", "Q2_K", "IQ2_M", "IQ2_XXS", "IQ1_M", "IQ1_S"] as const satisfies readonly QuantName[];

/** Formats tried for vLLM (safetensors) and MLX, best quality first. */
export const VLLM_LADDER = ["BF16-SAFETENSORS", "FP8", "AWQ"] as const satisfies readonly QuantName[];
export const MLX_LADDER = ["MLX-8BIT", "MLX-6BIT", "MLX-4BIT", "MLX-3BIT", "MLX-2BIT"] as const satisfies readonly QuantName[];

/**
 * Names people and quantizers write for a known format, each mapped to the format whose bits per weight fit it. Keys
 * are compared as `aliasKey` writes them (uppercase, "-", "_" and spaces alike), so "AWQ-INT4", "awq_int4" and
 * "AWQ int4" are one key.
 */
const ALIASES: Readonly<Record<string, QuantName>> = {
  FP16: "F16",
  // llama-quantize's own aliases ("Q4_K: alias for Q4_K_M", tools/quantize/quantize.cpp QUANT_OPTIONS).
  Q3_K: "Q3_K_M",
  Q4_K: "Q4_K_M",
  Q5_K: "Q5_K_M",
  // Unsloth's dynamic quants ("UD-" prefix; Ollama tags and model cards often drop it) pick types per model, which no
  // llama.cpp rule gives; each is sized as the llama.cpp mix it extends (approximate: Qwen3-4B's UD-Q4_K_XL file is 2%
  // above its Q4_K_M, llama.cpp PR #13324's llama-bench table; a dynamic MoE file can be a few per cent below its base
  // mix, its experts taking the lower types). The UD- i-quants (UD-IQ1_S, UD-IQ2_XXS, ...) are read as the i-quant
  // they extend by quantName itself. A bare Q3_K_XL stays bartowski's (Q3_K_L with a Q8_0 embedding and head).
  UD_Q2_K_XL: "Q2_K",
  Q2_K_XL: "Q2_K",
  UD_Q3_K_XL: "Q3_K_M",
  UD_Q4_K_XL: "Q4_K_M",
  Q4_K_XL: "Q4_K_M",
  UD_Q5_K_XL: "Q5_K_M",
  Q5_K_XL: "Q5_K_M",
  UD_Q6_K_XL: "Q6_K",
  Q6_K_XL: "Q6_K",
  // Unsloth's Q8_K_XL: Q8_0 with a few tensors kept in BF16; sized as Q8_0, a lower bound.
  UD_Q8_K_XL: "Q8_0",
  Q8_K_XL: "Q8_0",
  // MLX (mlx-lm's affine quantization, group 64) as repos and LM Studio name it.
  MLX_2: "MLX-2BIT",
  MLX_3: "MLX-3BIT",
  MLX_4: "MLX-4BIT",
  MLX_5: "MLX-5BIT",
  MLX_6: "MLX-6BIT",
  MLX_8: "MLX-8BIT",
  MXFP4_Q8: "MLX-MXFP4",
  MLX_MXFP4_Q8: "MLX-MXFP4",
  "2BIT": "MLX-2BIT",
  "3BIT": "MLX-3BIT",
  "4BIT": "MLX-4BIT",
  "5BIT": "MLX-5BIT",
  "6BIT": "MLX-6BIT",
  "8BIT": "MLX-8BIT",
  SAFETENSORS: "BF16-SAFETENSORS",
  // 4-bit integer weights at group 128 (AWQ, GPTQ, Intel's AutoRound, llm-compressor's W4A16): the same bits.
  INT4: "AWQ",
  AWQ_INT4: "AWQ",
  AWQ_4BIT: "AWQ",
  GPTQ4: "GPTQ",
  GPTQ_INT4: "GPTQ",
  GPTQ_4BIT: "GPTQ",
  AUTOROUND: "GPTQ",
  INT4_AUTOROUND: "GPTQ",
  AUTOROUND_INT4: "GPTQ",
  W4A16: "GPTQ",
  INT4_W4A16: "GPTQ",
  // 8-bit integer weights (W8A8 / W8A16 int8, per-channel scales).
  INT8_W8A8: "INT8",
  INT8_W8A16: "INT8",
  W8A8: "INT8",
  W8A16: "INT8",
  W8A8_INT8: "INT8",
  // GPTQ int8 at group 128 stores 8 + 24/128 ~ 8.19 bits: sized as INT8, 2% under.
  GPTQ_INT8: "INT8",
  // FP8 checkpoints, whatever their activation scheme (dynamic or static scales: the weights are the same 8 bits).
  FP8_DYNAMIC: "FP8",
  FP8_STATIC: "FP8",
  FP8_E4M3: "FP8",
  W8A8_FP8: "FP8",
  FP8_W8A8: "FP8",
  // NVIDIA's weight-only NVFP4 (activations 16-bit): the same weights.
  NVFP4A16: "NVFP4",
  NVFP4_A16: "NVFP4",
};

/** How alias keys and the names people type are compared: uppercase, runs of "-", "_" and spaces as one "_". */
const aliasKey = (text: string): string => text.trim().toUpperCase().replace(/[\s_-]+/g, "_");

const isGguf = (key: string): key is keyof typeof GGUF => Object.hasOwn(GGUF, key);

/** Every known name and alias by its key ("MLX_4BIT" -> "MLX-4BIT"), built once. */
const BY_KEY: ReadonlyMap<string, QuantName> = new Map<string, QuantName>([
  ...Object.entries(ALIASES).map(([alias, name]) => [aliasKey(alias), name] as [string, QuantName]),
  ...[...(Object.keys(GGUF) as QuantName[]), ...(Object.keys(PREQUANT) as QuantName[])].map((name) => [aliasKey(name), name] as [string, QuantName]),
]);

/**
 * The canonical name of a quant as people write it (any case, "-", "_" and spaces alike, aliases), null when unknown.
 * A note in parentheses or a trailing "QAT" is dropped ("Q4_0 (QAT)": Google's quantization-aware checkpoints are
 * stored as plain Q4_0), "4-bit" reads as "4bit", and Unsloth's "UD-" prefix on an i-quant names that i-quant.
 */
export function quantName(text: string): QuantName | null {
  const key = aliasKey(
    text
      .replace(/\s*\([^()]*\)\s*$/, "")
      .replace(/[\s_-]+QAT$/i, "")
      .replace(/(\d)[\s_-]+BITS?\b/gi, "$1BIT"),
  );
  if (key === "") return null;
  const named = BY_KEY.get(key);
  if (named !== undefined) return named;
  const ud = /^UD_(.+)$/.exec(key)?.[1];
  return ud !== undefined && isGguf(ud) ? ud : null;
}

/** The format of a known quant. */
export function formatOf(name: QuantName): QuantFormat {
  if (isGguf(name)) {
    const g: GgufQuant = GGUF[name];
    return { name, container: "gguf", gguf: { fileType: g.fileType, embeddingAndOutput: g.embeddingAndOutput ?? null }, bits: null, qualityFactor: g.qualityFactor };
  }
  const p: PrequantFormat = PREQUANT[name];
  return { name, container: p.container, gguf: null, bits: p.bits, qualityFactor: p.qualityFactor };
}

/** Looks a quant up by name as people write it; null when nodefit does not know it. */
export function quantFormat(text: string): QuantFormat | null {
  const name = quantName(text);
  return name === null ? null : formatOf(name);
}

export const knownQuantNames = (): QuantName[] => [...(Object.keys(GGUF) as QuantName[]), ...(Object.keys(PREQUANT) as QuantName[])];
