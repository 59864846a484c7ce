// Quantization formats: bits per weight by tensor class for GGUF quants and pre-quantized formats, and their quality.

/**
 * Bits per weight of one format, by tensor class. GGUF quant "mixes" (Q4_K_M, ...) store different tensors at
 * different types: llama.cpp keeps the output head at Q6_K for most mixes (Q5_K for the 1-2-bit i-quants), the token
 * embedding at the mix's base type, and upgrades some attention and FFN-down tensors. So a single bits-per-weight
 * figure is wrong by up to 8% across architectures; four classes are right within ~1%.
 */
export interface QuantFormat {
  name: string;
  /** Average bits per weight over attention projections (and linear-layer mixers). */
  attentionBpw: number;
  /** Average bits per weight over FFN and expert weights. */
  ffnBpw: number;
  embeddingBpw: number;
  outputBpw: number;
  /** Runtime family that loads this format. */
  container: "gguf" | "safetensors" | "mlx";
  /**
   * Quality kept relative to 16-bit weights (1 = lossless), from llama.cpp's published perplexity / KL-divergence
   * tables for Llama-3-8B and Llama-2 (github.com/ggml-org/llama.cpp/tree/master/tools/perplexity, PR #5747 and
   * discussion #5962); approximate and used only to rank quants.
   */
  qualityFactor: number;
}

// Bits per block element of ggml types (ggml/src/ggml-common.h block layouts): Q8_0 34 B / 32, Q6_K 210 B / 256,
// Q5_K 176 B / 256, Q4_K 144 B / 256, Q3_K 110 B / 256, Q2_K 84 B / 256, IQ4_XS 136 B / 256, IQ3_S 110 B / 256.
const Q8_0 = 8.5;
const Q6_K = 6.5625;
const Q5_K = 5.5;
const Q4_K = 4.5;
const Q3_K = 3.4375;
const Q2_K = 2.625;
const IQ4_XS = 4.25;

/**
 * attention / ffn bits per weight: least-squares fit of the published GGUF file sizes of Llama-3.1-8B, Qwen2.5-7B,
 * Qwen2.5-32B, Qwen3-30B-A3B and Llama-3.1-70B (bartowski's quant tables on Hugging Face, e.g.
 * huggingface.co/bartowski/Meta-Llama-3.1-70B-Instruct-GGUF) with embedding and output at llama.cpp's types
 * (src/llama-quant.cpp `llama_tensor_get_type`). Max error over those files in the comment; the `_L`/`_XL` mixes are
 * bartowski's, with embedding and output at Q8_0.
 */
const GGUF: Record<string, Omit<QuantFormat, "name" | "container">> = {
  F32: { attentionBpw: 32, ffnBpw: 32, embeddingBpw: 32, outputBpw: 32, qualityFactor: 1 },
  F16: { attentionBpw: 16, ffnBpw: 16, embeddingBpw: 16, outputBpw: 16, qualityFactor: 1 },
  BF16: { attentionBpw: 16, ffnBpw: 16, embeddingBpw: 16, outputBpw: 16, qualityFactor: 1 },
  Q8_0: { attentionBpw: 8.453, ffnBpw: 8.513, embeddingBpw: Q8_0, outputBpw: Q8_0, qualityFactor: 0.998 }, // 0.09%
  Q6_K_L: { attentionBpw: 6.481, ffnBpw: 6.582, embeddingBpw: Q8_0, outputBpw: Q8_0, qualityFactor: 0.992 }, // 0.13%
  Q6_K: { attentionBpw: 6.491, ffnBpw: 6.58, embeddingBpw: Q6_K, outputBpw: Q6_K, qualityFactor: 0.99 }, // 0.2%
  Q5_K_L: { attentionBpw: 5.436, ffnBpw: 5.699, embeddingBpw: Q8_0, outputBpw: Q8_0, qualityFactor: 0.982 }, // 0.27%
  Q5_K_M: { attentionBpw: 5.447, ffnBpw: 5.697, embeddingBpw: Q5_K, outputBpw: Q6_K, qualityFactor: 0.98 }, // 0.18%
  Q5_K_S: { attentionBpw: 5.413, ffnBpw: 5.521, embeddingBpw: Q5_K, outputBpw: Q6_K, qualityFactor: 0.975 }, // 0.17%
  Q5_0: { attentionBpw: 5.5, ffnBpw: 5.5, embeddingBpw: Q5_K, outputBpw: Q6_K, qualityFactor: 0.975 }, // block size only
  Q4_K_L: { attentionBpw: 4.422, ffnBpw: 4.879, embeddingBpw: Q8_0, outputBpw: Q8_0, qualityFactor: 0.962 }, // 0.26%
  Q4_K_M: { attentionBpw: 4.425, ffnBpw: 4.879, embeddingBpw: Q4_K, outputBpw: Q6_K, qualityFactor: 0.96 }, // 0.27%
  Q4_K_S: { attentionBpw: 3.786, ffnBpw: 4.705, embeddingBpw: Q4_K, outputBpw: Q6_K, qualityFactor: 0.95 }, // 1.0%
  Q4_1: { attentionBpw: 5.016, ffnBpw: 5.016, embeddingBpw: 5, outputBpw: Q6_K, qualityFactor: 0.945 }, // 0.18%
  Q4_0: { attentionBpw: 3.955, ffnBpw: 4.617, embeddingBpw: Q4_K, outputBpw: Q6_K, qualityFactor: 0.935 }, // 0.79%
  IQ4_NL: { attentionBpw: 4.369, ffnBpw: 4.542, embeddingBpw: Q4_K, outputBpw: Q6_K, qualityFactor: 0.95 }, // 0.44%
  IQ4_XS: { attentionBpw: 4.123, ffnBpw: 4.293, embeddingBpw: IQ4_XS, outputBpw: Q6_K, qualityFactor: 0.945 }, // 0.52%
  Q3_K_XL: { attentionBpw: 6.271, ffnBpw: 3.756, embeddingBpw: Q8_0, outputBpw: Q8_0, qualityFactor: 0.91 }, // 1.99%
  Q3_K_L: { attentionBpw: 6.233, ffnBpw: 3.757, embeddingBpw: Q3_K, outputBpw: Q6_K, qualityFactor: 0.905 }, // 2.2%
  Q3_K_M: { attentionBpw: 4.85, ffnBpw: 3.641, embeddingBpw: Q3_K, outputBpw: Q6_K, qualityFactor: 0.89 }, // 0.98%
  Q3_K_S: { attentionBpw: 3.333, ffnBpw: 3.484, embeddingBpw: Q3_K, outputBpw: Q6_K, qualityFactor: 0.86 }, // 0.68%
  IQ3_M: { attentionBpw: 3.191, ffnBpw: 3.658, embeddingBpw: Q3_K, outputBpw: Q6_K, qualityFactor: 0.89 }, // 1.33%
  IQ3_S: { attentionBpw: 3.459, ffnBpw: 3.459, embeddingBpw: Q3_K, outputBpw: Q6_K, qualityFactor: 0.875 }, // one file
  IQ3_XS: { attentionBpw: 3.113, ffnBpw: 3.304, embeddingBpw: Q3_K, outputBpw: Q6_K, qualityFactor: 0.865 }, // 0.42%
  IQ3_XXS: { attentionBpw: 2.494, ffnBpw: 3.197, embeddingBpw: Q3_K, outputBpw: Q5_K, qualityFactor: 0.85 }, // 1.09%
  Q2_K_L: { attentionBpw: 3.591, ffnBpw: 2.806, embeddingBpw: Q8_0, outputBpw: Q8_0, qualityFactor: 0.79 }, // 0.64%
  Q2_K: { attentionBpw: 3.577, ffnBpw: 2.807, embeddingBpw: Q2_K, outputBpw: Q6_K, qualityFactor: 0.78 }, // 0.84%
  Q2_K_S: { attentionBpw: 2.719, ffnBpw: 2.719, embeddingBpw: Q2_K, outputBpw: Q6_K, qualityFactor: 0.74 }, // one file
  IQ2_M: { attentionBpw: 3.404, ffnBpw: 2.529, embeddingBpw: Q3_K, outputBpw: Q5_K, qualityFactor: 0.76 }, // 0.76%
  IQ2_S: { attentionBpw: 3.619, ffnBpw: 2.217, embeddingBpw: Q3_K, outputBpw: Q5_K, qualityFactor: 0.72 }, // 1.58%
  IQ2_XS: { attentionBpw: 2.934, ffnBpw: 2.223, embeddingBpw: Q2_K, outputBpw: Q5_K, qualityFactor: 0.69 }, // 1.4%
  IQ2_XXS: { attentionBpw: 2.972, ffnBpw: 1.927, embeddingBpw: Q2_K, outputBpw: Q5_K, qualityFactor: 0.64 }, // 2.18%
  IQ1_M: { attentionBpw: 1.833, ffnBpw: 1.833, embeddingBpw: Q2_K, outputBpw: Q5_K, qualityFactor: 0.5 }, // one model
  // gpt-oss as ggml-org publishes it: experts in MXFP4 (4.25 bpw), everything else Q8_0 (ggml-org/gpt-oss-20b-GGUF).
  MXFP4: { attentionBpw: Q8_0, ffnBpw: 4.25, embeddingBpw: Q8_0, outputBpw: Q8_0, qualityFactor: 0.97 },
  IQ1_S: { attentionBpw: 1.669, ffnBpw: 1.669, embeddingBpw: Q2_K, outputBpw: Q5_K, qualityFactor: 0.42 }, // one file
};

/**
 * Pre-quantized checkpoint formats, bits per weight from their storage layouts:
 * FP8 (e4m3, per-channel/block scales: ~8.0; embedding and head kept in BF16, as in the FP8 releases of Qwen3/DeepSeek);
 * NVFP4 (4-bit E2M1 + one FP8 scale per 16 values = 4.5; NVIDIA TensorRT Model Optimizer docs);
 * MXFP4 (4-bit + one E8M0 scale per 32 values = 4.25, OCP MX spec; gpt-oss quantizes only the experts);
 * AWQ / GPTQ int4 (group 128, FP16 scale + packed zero per group: 4 + 16/128 + 4/128 ~ 4.16);
 * MLX 4-bit / 8-bit (group 64 with FP16 scale and bias: +0.5 bit; mlx-lm quantizes embedding and head too).
 */
const PREQUANT: Record<string, Omit<QuantFormat, "name">> = {
  FP8: { attentionBpw: 8.03, ffnBpw: 8.03, embeddingBpw: 16, outputBpw: 16, container: "safetensors", qualityFactor: 0.995 },
  NVFP4: { attentionBpw: 4.5, ffnBpw: 4.5, embeddingBpw: 16, outputBpw: 16, container: "safetensors", qualityFactor: 0.95 },
  "MXFP4-SAFETENSORS": { attentionBpw: 16, ffnBpw: 4.25, embeddingBpw: 16, outputBpw: 16, container: "safetensors", qualityFactor: 0.97 },
  AWQ: { attentionBpw: 4.16, ffnBpw: 4.16, embeddingBpw: 16, outputBpw: 16, container: "safetensors", qualityFactor: 0.955 },
  GPTQ: { attentionBpw: 4.16, ffnBpw: 4.16, embeddingBpw: 16, outputBpw: 16, container: "safetensors", qualityFactor: 0.95 },
  "MLX-4BIT": { attentionBpw: 4.5, ffnBpw: 4.5, embeddingBpw: 4.5, outputBpw: 4.5, container: "mlx", qualityFactor: 0.95 },
  "MLX-8BIT": { attentionBpw: 8.5, ffnBpw: 8.5, embeddingBpw: 8.5, outputBpw: 8.5, container: "mlx", qualityFactor: 0.997 },
  "BF16-SAFETENSORS": { attentionBpw: 16, ffnBpw: 16, embeddingBpw: 16, outputBpw: 16, container: "safetensors", qualityFactor: 1 },
};

/**
 * The GGUF quants nodefit tries, best quality first, when asked for "the best quant that fits". F16 is left out:
 * Q8_0 is within measurement noise of it at half the memory.
 */
export const GGUF_LADDER = ["Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "IQ4_XS", "Q3_K_M", "IQ3_M", "Q2_K", "IQ2_M"] as const;

/** Formats tried for vLLM (safetensors) and MLX, best quality first. */
export const VLLM_LADDER = ["BF16-SAFETENSORS", "FP8", "AWQ"] as const;
export const MLX_LADDER = ["MLX-8BIT", "MLX-4BIT"] as const;

/** Canonical names users type for the same format. */
const ALIASES: Record<string, string> = {
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
  "UD-Q4_K_XL": "Q4_K_M",
};

/** Looks a quant up by name (any case, `-`/`_` tolerant); null when nodefit does not know it. */
export function quantFormat(name: string): QuantFormat | null {
  const upper = name.trim().toUpperCase();
  const key = ALIASES[upper] ?? ALIASES[upper.replace(/-/g, "_")] ?? upper;
  const gguf = GGUF[key] ?? GGUF[key.replace(/-/g, "_")];
  if (gguf) return { name: GGUF[key] ? key : key.replace(/-/g, "_"), container: "gguf", ...gguf };
  const pre = PREQUANT[key];
  if (pre) return { name: key, ...pre };
  return null;
}

export const knownQuantNames = (): string[] => [...Object.keys(GGUF), ...Object.keys(PREQUANT)];
