// Calibration: decode and prefill efficiency per device class and generation, fitted on the public dev set
// (scripts/calibrate.ts writes data/decode-fit.json), with physics priors where there are no measurements.
import { largest } from "../catalog/extremes.js";
import decodeFit from "./data/decode-fit.json" with { type: "json" };
import type { DeviceClass } from "./device-family.js";
import type { FileType, QuantFormat } from "../domain/quants.js";

export { deviceClass, type DeviceClass } from "./device-family.js";

/** The constants of one decode calibration: how a device streams weights and what each layer costs beside. */
export interface DecodeCalibration {
  /** What it is the calibration of (`llamacpp/nvidia-gddr/ampere`, `vllm/nvidia-gddr`, ...), or the prior's. */
  key: string;
  /** Share of nominal memory bandwidth one decode step achieves on the bytes it streams. */
  bandwidthEfficiency: number;
  /** Fixed time per layer per token (kernel launches, synchronisation), microseconds. */
  perLayerMicros: number;
  /**
   * Extra time per MoE layer per token (routing, expert selection, the expert kernels) for a layer that runs
   * MOE_REFERENCE_ACTIVE_EXPERTS experts per token, microseconds; a layer running k experts costs k / 8 of it.
   */
  perMoeLayerMicros: number;
  /** Extra time per linear-attention / recurrent layer per token (DeltaNet, Mamba state updates), microseconds. */
  perLinearLayerMicros: number;
  /** Dev-set rows and devices it was fitted on; 0 = a physics prior, not a fit. */
  rows: number;
  devices: number;
  /** Median |error| on its rows: in sample, and leave-one-device-out cross-validated (null: not measured). */
  inSampleMedianErrorPct: number | null;
  cvMedianErrorPct: number | null;
  /** Half-width of the speed range, % (about the 80th percentile of the cross-validated |error|). */
  rangePct: number;
}

/**
 * The expert count the MoE cost is stated for. A token's pass through a MoE layer runs the router, then each expert it
 * picks (gate, up, down and their activation: one set of small GEMVs per expert), so the layer's fixed cost grows with
 * the experts a token runs rather than being one per layer: fitted that way, the dev set's cross-validated decode
 * error fell from 12.4% to 11.2% overall and from 13.6% to 11.8% on NVIDIA GDDR. gpt-oss-20b (4 experts) moved from
 * -31/-25/-31/-24% to -25/-21/-13/-21% on the RTX 4090, 4070 Ti, R9700 and GB10, and from +16/+9/+10% to
 * +20/+12/+21% on the A4000, 3060 and M1 Ultra: the term helps, the model is not yet exact for it. 8 is the most
 * common count (Qwen3 MoE, DeepSeek V3; Mixtral runs 2, gpt-oss 4).
 */
export const MOE_REFERENCE_ACTIVE_EXPERTS = 8;

/** The fitted table (`npm run calibrate -- --write` writes it from the dev set; a test holds it to the fit). */
export interface DecodeFit {
  generated: string;
  rows: number;
  devices: number;
  entries: Record<string, Omit<DecodeCalibration, "key">>;
}

export const DECODE_FIT: DecodeFit = decodeFit as DecodeFit;

/**
 * Priors for what the dev set has no measurements of, from physics and the nearest measured class: a class's share of
 * bandwidth and per-layer cost as llama.cpp achieves it on similar memory and kernels. The basis and notes say when
 * one is used, and their ranges are wide.
 */
export const DECODE_PRIORS: Record<string, Omit<DecodeCalibration, "key">> = {
  "llamacpp/nvidia-gddr": prior(0.75, 40, 60, 30, 25),
  "llamacpp/nvidia-hbm": prior(0.6, 60, 60, 30, 30),
  "llamacpp/nvidia-unified": prior(0.72, 20, 60, 30, 25),
  "llamacpp/apple": prior(0.8, 150, 60, 60, 25),
  "llamacpp/amd": prior(0.7, 30, 100, 30, 30),
  "llamacpp/vulkan": prior(0.5, 30, 100, 30, 40),
  // Intel and Ascend: no rows; the Vulkan figure stands in for Intel (llama.cpp's SYCL and Vulkan backends reach
  // similar shares on Arc), a generic one for NPUs.
  "llamacpp/intel": prior(0.45, 30, 100, 30, 40),
  "llamacpp/npu": prior(0.5, 50, 100, 50, 50),
  // CPU: efficiency relative to the RAM bandwidth nodefit *measures* (a multi-threaded memchr read, median pass), from
  // llama.cpp (node-llama-cpp 3.21.1) runs of real model shapes, 0.5B-3B, on a shared 2-vCPU x86 VM
  // (bench/llama-cpp-real.mjs): decode streamed 0.51-0.55 of the probe's figure.
  "llamacpp/cpu": prior(0.55, 10, 20, 20, 35),
  // vLLM decodes with CUDA graphs, so a layer's kernels launch at once, but each layer still runs several small
  // kernels at batch 1 (attention, the quantized GEMV, norms); its fused MoE kernel (routing, top-k, expert GEMV) and
  // the Gated DeltaNet / Mamba state kernels of hybrid models add per layer. Priors, not fits: there are too few vLLM
  // devices in the dev set to fit them by leaving one out.
  "vllm/nvidia-gddr": prior(0.85, 20, 25, 30, 40),
  "vllm/nvidia-hbm": prior(0.85, 20, 25, 30, 40),
  "vllm/amd": prior(0.7, 30, 40, 50, 45),
  "mlx/apple": prior(0.8, 100, 60, 60, 30),
};

function prior(bandwidthEfficiency: number, perLayerMicros: number, perMoeLayerMicros: number, perLinearLayerMicros: number, rangePct: number): Omit<DecodeCalibration, "key"> {
  return { bandwidthEfficiency, perLayerMicros, perMoeLayerMicros, perLinearLayerMicros, rows: 0, devices: 0, inSampleMedianErrorPct: null, cvMedianErrorPct: null, rangePct };
}

/**
 * The calibration of a device under a runtime: the most specific fitted entry (runtime/class/generation, then
 * runtime/class, then llama.cpp's), else the prior of the runtime and class, else llama.cpp's prior for the class.
 * `table` lets the calibration script evaluate a fold's fit.
 */
export function decodeCalibration(keys: readonly string[], table: Readonly<Record<string, Omit<DecodeCalibration, "key">>> = DECODE_FIT.entries): DecodeCalibration {
  for (const key of keys) {
    const fitted = table[key];
    if (fitted) return { key, ...fitted };
  }
  for (const key of keys) {
    const classKey = key.split("/").slice(0, 2).join("/");
    const p = DECODE_PRIORS[classKey];
    if (p) return { key: `prior ${classKey}`, ...p };
  }
  return { key: "prior llamacpp/vulkan", ...(DECODE_PRIORS["llamacpp/vulkan"] as Omit<DecodeCalibration, "key">) };
}

/**
 * Decode kernels of some GGUF quants cost more than their bytes: i-quants decode through codebook lookups and the 2- and
 * 3-bit k-quants through more unpacking per weight, so llama.cpp streams them at a lower share of bandwidth than the
 * 4- to 8-bit types. Factors on the weights' streaming time, as priors: the dev set's IQ4_XS rows ran a median 16.6%
 * slower than the 4-bit fit (10 rows), and users' 2-3-bit and IQ3 runs about 1.3x slower than their bytes (issue 12's
 * held-out measurements). Types without a factor stream at 1.
 */
export const KERNEL_COST_FACTORS: Readonly<Partial<Record<FileType, number>>> = {
  IQ4_NL: 1.15,
  IQ4_XS: 1.15,
  Q3_K_L: 1.2,
  Q3_K_M: 1.2,
  Q3_K_S: 1.2,
  IQ3_M: 1.3,
  IQ3_S: 1.3,
  IQ3_XS: 1.3,
  IQ3_XXS: 1.3,
  Q2_K: 1.25,
  Q2_K_S: 1.25,
  IQ2_M: 1.35,
  IQ2_S: 1.35,
  IQ2_XS: 1.35,
  IQ2_XXS: 1.35,
  IQ1_M: 1.4,
  IQ1_S: 1.4,
};

/** The factor on a format's weight-streaming time (1 for every format without a costlier kernel). */
export const kernelCostFactor = (f: QuantFormat): number => (f.gguf ? (KERNEL_COST_FACTORS[f.gguf.fileType] ?? 1) : 1);

/**
 * Tensor-parallel all-reduce cost per layer per token: two all-reduces of one hidden vector per layer, each a ring of
 * 2 x (cards - 1) steps of a few microseconds (NCCL's latency-bound small-message all-reduce) after a ~10 us launch.
 * A physics prior, no dev-set rows: 32 us per layer on 2 cards, 104 on 8.
 */
export const TP_ALLREDUCE_LAUNCH_MICROS = 10;
export const TP_ALLREDUCE_STEP_MICROS = 3;
export const tpAllReduceMicrosPerLayer = (cards: number): number => (cards > 1 ? 2 * (TP_ALLREDUCE_LAUNCH_MICROS + 2 * (cards - 1) * TP_ALLREDUCE_STEP_MICROS) : 0);

/**
 * Prefill of a mixture of experts reaches a smaller share of the device's compute than a dense model: each expert's
 * matrix multiplies only the prompt tokens routed to it, in small, uneven batches. The dev set's MoE prompt rows ran at
 * a median 0.40 of the dense rate their active parameters give (53 rows of seven MoE models, mostly on an RTX 3090;
 * dense rows: 1.00 over 112).
 */
export const MOE_PREFILL_FACTOR = 0.4;
/**
 * llama.cpp layer split: hand-off of the hidden state between cards, per extra card per token. With it the dev set's
 * 2-, 4-, 6- and 8-GPU rows are within 0-10% (`npm run calibrate -- --rows`).
 */
export const LAYER_SPLIT_HOP_MICROS = 100;

/**
 * Prefill efficiency: share of the device's dense FP16 TFLOPS (knowledge base figure) a 512-token prompt reaches,
 * as 2 FLOPs per prompt parameter per token (the LM head runs for the last token only). Medians over the dev set's
 * pp512 rows (`npm run calibrate`): nvidia-gddr 0.67 (26 rows), vulkan 0.22 (5), amd 0.54 (1), apple 0.99 (40, on the
 * per-core rates below), nvidia-hbm 0.12 (2 rows on older builds; 0.15 taken).
 * The other classes have no rows: their figure is a prior and the basis says so.
 */
export const PREFILL_EFFICIENCY: Record<DeviceClass, { efficiency: number; rows: number }> = {
  "nvidia-gddr": { efficiency: 0.67, rows: 26 },
  "nvidia-hbm": { efficiency: 0.15, rows: 2 },
  "nvidia-unified": { efficiency: 0.5, rows: 0 },
  // Apple: applied to appleEffectiveTflops, which is itself fitted on the dev set's rows; hence 1.
  apple: { efficiency: 1, rows: 40 },
  amd: { efficiency: 0.54, rows: 1 },
  vulkan: { efficiency: 0.22, rows: 5 },
  intel: { efficiency: 0.23, rows: 0 },
  npu: { efficiency: 0.3, rows: 0 },
  cpu: { efficiency: 0.5, rows: 0 },
};

/**
 * Prompt processing on Apple GPUs, effective TFLOPS per GPU core by chip generation: medians of the dev set's
 * pp512 rows (llama.cpp discussion #4167: Llama-2-7B, 2 FLOPs per parameter per token, divided by the GPU core
 * count): M1 0.21 (4 chips), M2 0.235 (5), M3 0.25 (3), M4 0.30 (3). Apple publishes no FP16 tensor figure.
 */
export const APPLE_PREFILL_TFLOPS_PER_GPU_CORE: Readonly<Record<number, number>> = { 1: 0.21, 2: 0.235, 3: 0.25, 4: 0.3 };

/** The effective prompt-processing TFLOPS of an Apple GPU from its chip generation and core count; null if unknown. */
export function appleEffectiveTflops(name: string, gpuCores: number | null): number | null {
  const gen = /\bM(\d)\b/i.exec(name)?.[1];
  if (gpuCores === null || gen === undefined) return null;
  // Later generations than the dev set covers get the latest measured rate (a floor: newer chips are faster).
  const latest = largest(Object.keys(APPLE_PREFILL_TFLOPS_PER_GPU_CORE).map(Number), 0);
  const rate = APPLE_PREFILL_TFLOPS_PER_GPU_CORE[Math.min(Number(gen), latest)];
  return rate === undefined ? null : rate * gpuCores;
}

/**
 * Dense matrix throughput of one CPU core running llama.cpp's quantized kernels, GFLOPS. Measured here
 * (`npm run bench:llama-cpp`, node-llama-cpp 3.21.1): 256-token prompts of four real model shapes (0.5B-3B, Q4_K and
 * Q8_0) on 2 AVX2 EPYC cores ran at 76-123 GFLOPS counting 2 FLOPs per prompt parameter, 38-61 per core, median 44.
 * One machine: cores with AVX-512 or AMX do more, so this is approximate (the basis says so).
 */
export const CPU_GFLOPS_PER_CORE = 44;
