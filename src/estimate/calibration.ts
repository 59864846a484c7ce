// Calibration: decode and prefill efficiency per device class, fitted on the public dev set (see scripts/calibrate.mjs).
import type { Backend, GpuDevice } from "../domain/machine.js";
import { largest } from "../catalog/extremes.js";
import type { Runtime } from "./types.js";

export type DeviceClass = "nvidia-gddr" | "nvidia-hbm" | "nvidia-unified" | "apple" | "amd" | "vulkan" | "intel" | "npu" | "cpu";

export interface DecodeCalibration {
  /** Share of nominal memory bandwidth one decode step achieves on the bytes it streams. */
  bandwidthEfficiency: number;
  /** Fixed time per layer per token (kernel launches, synchronisation), microseconds. */
  perLayerMicros: number;
  /** Median absolute % error of this class on the dev set and its row count (0 rows: not calibrated). */
  devSetMedianErrorPct: number | null;
  devSetRows: number;
  /** Half-width of the speed range, from this class's residuals (about the 80th percentile of |error|). */
  rangePct: number;
}

/**
 * Fitted by least squares on log(tokens/s) over the fully-offloaded rows of the public dev set (llama.cpp's Apple
 * Silicon and CUDA scoreboards, github.com/ggml-org/llama.cpp/discussions/4167 and its CUDA counterpart, and GPU
 * benchmark READMEs; each row cites its source): t = bytes / (bandwidth x efficiency) + layers x perLayer.
 * `npm run calibrate` prints the fit, the per-class errors quoted here and the per-row residuals. Rows the dev set
 * marks as outliers (model larger than the GPU working set, host-limited) are left out.
 */
export const DECODE_CALIBRATION: Record<DeviceClass, DecodeCalibration> = {
  "nvidia-gddr": { bandwidthEfficiency: 0.77, perLayerMicros: 41, devSetMedianErrorPct: 11.0, devSetRows: 51, rangePct: 16 },
  "nvidia-hbm": { bandwidthEfficiency: 0.57, perLayerMicros: 79, devSetMedianErrorPct: 18.2, devSetRows: 6, rangePct: 24 },
  "nvidia-unified": { bandwidthEfficiency: 0.72, perLayerMicros: 0, devSetMedianErrorPct: 5.9, devSetRows: 6, rangePct: 13 },
  apple: { bandwidthEfficiency: 0.85, perLayerMicros: 168, devSetMedianErrorPct: 6.4, devSetRows: 58, rangePct: 10 },
  amd: { bandwidthEfficiency: 0.71, perLayerMicros: 29, devSetMedianErrorPct: 4.7, devSetRows: 5, rangePct: 12 },
  vulkan: { bandwidthEfficiency: 0.46, perLayerMicros: 0, devSetMedianErrorPct: 14.4, devSetRows: 8, rangePct: 35 },
  // No Intel or Ascend rows in the dev set: the Vulkan figure stands in, and the range is wide.
  intel: { bandwidthEfficiency: 0.46, perLayerMicros: 0, devSetMedianErrorPct: null, devSetRows: 0, rangePct: 40 },
  npu: { bandwidthEfficiency: 0.5, perLayerMicros: 50, devSetMedianErrorPct: null, devSetRows: 0, rangePct: 50 },
  // CPU: efficiency relative to the RAM bandwidth nodefit *measures* (a multi-threaded memchr read, median pass),
  // from llama.cpp (node-llama-cpp 3.21.1) runs of real model shapes, 0.5B-3B, on a shared 2-vCPU x86 VM
  // (bench/llama-cpp-real.mjs, the probe run in the same process just before decoding): decode streamed 0.51-0.55
  // of the probe's figure (one row 0.89, when the probe dipped). The dev set's one CPU row quotes nominal bandwidth
  // and is not comparable.
  cpu: { bandwidthEfficiency: 0.55, perLayerMicros: 10, devSetMedianErrorPct: null, devSetRows: 0, rangePct: 35 },
};

/**
 * vLLM decodes with CUDA graphs (no per-layer launch cost) and streams weights at a higher share of HBM bandwidth
 * than llama.cpp at batch 1; there are no vLLM rows in the dev set, so this is a physics prior, not a fit.
 */
export const VLLM_DECODE: DecodeCalibration = { bandwidthEfficiency: 0.75, perLayerMicros: 0, devSetMedianErrorPct: null, devSetRows: 0, rangePct: 35 };
/**
 * Tensor-parallel all-reduce cost per layer per token (two all-reduces of one hidden vector over NVLink / PCIe):
 * a physics prior of ~10 us per small all-reduce (NCCL latency), no dev-set rows.
 */
export const TP_ALLREDUCE_MICROS_PER_LAYER = 20;
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

const HBM_PARTS = /\b(A100|A800|A30|H100|H800|H200|H20|GH200|B200|B100|GB200|V100|P100|MI\d{3})/i;

export function deviceClass(gpu: Pick<GpuDevice, "name" | "backend" | "vendor" | "unifiedMemory"> | null, backend: Backend): DeviceClass {
  if (gpu === null) return "cpu";
  if (backend === "Vulkan") return "vulkan";
  if (gpu.vendor === "apple" || backend === "Metal") return "apple";
  if (gpu.vendor === "nvidia") {
    if (gpu.unifiedMemory) return "nvidia-unified";
    return HBM_PARTS.test(gpu.name) ? "nvidia-hbm" : "nvidia-gddr";
  }
  if (gpu.vendor === "amd") return "amd";
  if (gpu.vendor === "intel") return "intel";
  if (gpu.vendor === "huawei") return "npu";
  return "vulkan";
}

export function decodeCalibration(cls: DeviceClass, runtime: Runtime): DecodeCalibration {
  if (runtime === "vllm" && cls !== "cpu") return VLLM_DECODE;
  return DECODE_CALIBRATION[cls];
}
