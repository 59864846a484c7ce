// Decode and prefill speed: time per token from the bytes each memory tier streams, and prompt speed from compute.
import { BYTES_PER_GB } from "../domain/units.js";
import { LAYER_SPLIT_HOP_MICROS, TP_ALLREDUCE_MICROS_PER_LAYER, type DecodeCalibration } from "./calibration.js";

/** One memory tier a decode step streams from: a GPU (or its share of a split), or system RAM for the CPU. */
export interface StreamTier {
  label: string;
  bytesPerToken: number;
  bandwidthGBps: number;
  calibration: DecodeCalibration;
  /** Layers this tier computes (their fixed per-layer cost). */
  layers: number;
}

export interface DecodeSpeed {
  tokensPerSecond: number;
  secondsPerToken: number;
  /** Seconds per token spent on each tier, for the basis. */
  tierSeconds: Record<string, number>;
}

/** Seconds one tier spends per token: its bytes over its effective bandwidth, plus its layers' fixed cost. */
function tierSecondsPerToken(t: StreamTier): number {
  return t.bytesPerToken / (t.bandwidthGBps * BYTES_PER_GB * t.calibration.bandwidthEfficiency) + (t.layers * t.calibration.perLayerMicros) / 1e6;
}

/**
 * Decode time per token = sum over tiers of bytes / (bandwidth x efficiency) + layers x per-layer cost, plus the
 * hand-offs of a layer split or the all-reduces of tensor parallelism. Tiers run one after the other (llama.cpp
 * splits by layers), except tensor parallelism, where `parallelTiers` stream at once.
 */
export function decodeSpeed(tiers: readonly StreamTier[], options: { parallelTiers?: boolean; totalLayers: number }): DecodeSpeed {
  const tierSeconds: Record<string, number> = {};
  let seconds = 0;
  if (options.parallelTiers && tiers.length > 0) {
    let slowest = 0;
    for (const t of tiers) {
      const s = tierSecondsPerToken(t);
      tierSeconds[t.label] = s;
      slowest = Math.max(slowest, s);
    }
    seconds = slowest + (tiers.length > 1 ? (options.totalLayers * TP_ALLREDUCE_MICROS_PER_LAYER) / 1e6 : 0);
  } else {
    for (const t of tiers) {
      const s = tierSecondsPerToken(t);
      tierSeconds[t.label] = (tierSeconds[t.label] ?? 0) + s;
      seconds += s;
    }
    const gpuTiers = tiers.filter((t) => t.label.startsWith("gpu")).length;
    if (gpuTiers > 1) seconds += ((gpuTiers - 1) * LAYER_SPLIT_HOP_MICROS) / 1e6;
  }
  return { tokensPerSecond: seconds > 0 ? 1 / seconds : 0, secondsPerToken: seconds, tierSeconds };
}

/** Prompt tokens per second: 2 FLOPs per prompt parameter (no LM head) per token at `efficiency` of the TFLOPS. */
export function prefillTokensPerSecond(promptParams: number, tflops: number, efficiency: number): number {
  return (tflops * 1e12 * efficiency) / (2 * promptParams);
}
