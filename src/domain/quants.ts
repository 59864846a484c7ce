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
 * MLX 4-bit / 8-bit (group 64 with FP16 scale and bias: +0.5 bit; mlx-lm quantizes embedding and head too).
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
  "MLX-4BIT": { bits: uniform(4.5, 4.5, 4.5, 4.5), container: "mlx", qualityFactor: 0.95 },
  "MLX-8BIT": { bits: uniform(8.5, 8.5, 8.5, 8.5), container: "mlx", qualityFactor: 0.997 },
  "BF16-SAFETENSORS": { bits: uniform(16, 16, 16, 16), container: "safetensors", qualityFactor: 1 },
} as const satisfies Record<string, PrequantFormat>;

/** Every quant nodefit knows, by its canonical name: a GGUF mix or a pre-quantized format. */
export type QuantName = keyof typeof GGUF | keyof typeof PREQUANT;

/**
 * The GGUF quants nodefit tries, best quality first, when asked for "the best quant that fits". F16 is left out:
 * Q8_0 is within measurement noise of it at half the memory.
 */
export const GGUF_LADDER = ["Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "IQ4_XS", "Q3_K_M", "IQ3_M", "Q2_K", "IQ2_M"] as const satisfies readonly QuantName[];

/** Formats tried for vLLM (safetensors) and MLX, best quality first. */
export const VLLM_LADDER = ["BF16-SAFETENSORS", "FP8", "AWQ"] as const satisfies readonly QuantName[];
export const MLX_LADDER = ["MLX-8BIT", "MLX-4BIT"] as const satisfies readonly QuantName[];

/** Canonical names users type for the same format. */
const ALIASES: Readonly<Record<string, QuantName>> = {
  FP16: "F16",
  "MLX-4": "MLX-4BIT",
  "4BIT": "MLX-4BIT",
  "MLX-8": "MLX-8BIT",
  "8BIT": "MLX-8BIT",
  BF16_SAFETENSORS: "BF16-SAFETENSORS",
  SAFETENSORS: "BF16-SAFETENSORS",
  INT4: "AWQ",
  "AWQ-INT4": "AWQ",
  "GPTQ-INT4": "GPTQ",
  // Unsloth's dynamic quants pick types per model (no llama.cpp rule gives them); Q4_K_M is the nearest default mix
  // (Qwen3-4B's UD-Q4_K_XL file is 2% above its Q4_K_M, llama.cpp PR #13324's llama-bench table).
  "UD-Q4_K_XL": "Q4_K_M",
};

const isGguf = (key: string): key is keyof typeof GGUF => Object.hasOwn(GGUF, key);
const isPrequant = (key: string): key is keyof typeof PREQUANT => Object.hasOwn(PREQUANT, key);

/** The canonical name of a quant as people write it (any case, `-`/`_` tolerant, aliases); null when unknown. */
export function quantName(text: string): QuantName | null {
  const upper = text.trim().toUpperCase();
  const key = ALIASES[upper] ?? ALIASES[upper.replace(/-/g, "_")] ?? upper;
  if (isGguf(key) || isPrequant(key)) return key;
  const underscored = key.replace(/-/g, "_");
  return isGguf(underscored) ? underscored : null;
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
