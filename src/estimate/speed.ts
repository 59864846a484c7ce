// Decode and prefill speed: time per token from the bytes each memory tier streams and the layers it runs, and prompt
// speed from compute.
import { BYTES_PER_GB } from "../domain/units.js";
import { decodeCalibration, LAYER_SPLIT_HOP_MICROS, tpAllReduceMicrosPerLayer, type DecodeCalibration } from "./calibration.js";

/** One memory tier a decode step streams from: a GPU (or its share of a split), or system RAM for the CPU. */
export interface StreamTier {
  label: string;
  bytesPerToken: number;
  bandwidthGBps: number;
  /** The calibration keys of the tier's device under the runtime, most specific first (device-family.ts). */
  keys: readonly string[];
  /** Layers this tier computes (their fixed per-layer cost). */
  layers: number;
  /**
   * Of those, layers with routed experts, each weighted by the experts a token runs there over
   * MOE_REFERENCE_ACTIVE_EXPERTS (their routing and expert kernels cost more per layer, and more with more experts).
   */
  moeExpertLayers: number;
  /** Of those, linear-attention / recurrent layers (DeltaNet, Mamba: state kernels of their own). */
  linearLayers: number;
  /** How uncertain the tier's bandwidth is, % (an assumed figure: the machine says so); 0 for a known one. */
  bandwidthAssumedPct: number;
  /** Where an assumed bandwidth came from (the machine's own words), for the notes; null when known. */
  bandwidthAssumption: string | null;
}

/** What a decode step is made of, before any calibration constant: what the calibration fit reads. */
export interface DecodeTerms {
  tiers: Array<{ label: string; keys: readonly string[]; streamSeconds: number; layers: number; moeExpertLayers: number; linearLayers: number }>;
  /** Tiers stream at once (tensor parallelism) rather than one after the other (a layer split, an offload). */
  parallel: boolean;
  /** Seconds per token no calibration scales: hand-offs of a layer split, all-reduces of tensor parallelism. */
  fixedSeconds: number;
}

export interface DecodeSpeed {
  tokensPerSecond: number;
  secondsPerToken: number;
  /** Seconds per token spent on each tier, for the basis. */
  tierSeconds: Record<string, number>;
  terms: DecodeTerms;
  /** The calibration of each tier, in order. */
  calibrations: DecodeCalibration[];
}

type Table = Parameters<typeof decodeCalibration>[1];

/** Seconds one tier's layers cost per token beside the bytes they stream: launches, MoE routing and experts, state kernels. */
export function layerSeconds(t: DecodeTerms["tiers"][number], cal: DecodeCalibration): number {
  return (t.layers * cal.perLayerMicros + t.moeExpertLayers * cal.perMoeLayerMicros + t.linearLayers * cal.perLinearLayerMicros) / 1e6;
}

/** Seconds one tier spends per token: its bytes over its effective bandwidth, plus its layers' fixed costs. */
export function tierSeconds(t: DecodeTerms["tiers"][number], cal: DecodeCalibration): number {
  return t.streamSeconds / cal.bandwidthEfficiency + layerSeconds(t, cal);
}

/** Seconds per token of a decode step under a calibration table (the estimator's, or a calibration fold's). */
export function decodeSeconds(terms: DecodeTerms, table?: Table): number {
  const seconds = terms.tiers.map((t) => tierSeconds(t, decodeCalibration(t.keys, table)));
  const streaming = terms.parallel ? seconds.reduce((m, s) => Math.max(m, s), 0) : seconds.reduce((sum, s) => sum + s, 0);
  return streaming + terms.fixedSeconds;
}

/**
 * Decode time per token = sum over tiers of bytes / (bandwidth x efficiency) + layers x per-layer cost + MoE layers x
 * per-MoE-layer cost + linear-attention layers x their cost, plus the hand-offs of a layer split or the all-reduces of tensor parallelism. Tiers run one
 * after the other (llama.cpp splits by layers), except tensor parallelism, where `parallelTiers` stream at once.
 */
export function decodeSpeed(tiers: readonly StreamTier[], options: { parallelTiers?: boolean; totalLayers: number }): DecodeSpeed {
  const parallel = options.parallelTiers === true && tiers.length > 0;
  const gpuTiers = tiers.filter((t) => t.label.startsWith("gpu")).length;
  const fixedMicros = parallel ? options.totalLayers * tpAllReduceMicrosPerLayer(tiers.length) : gpuTiers > 1 ? (gpuTiers - 1) * LAYER_SPLIT_HOP_MICROS : 0;
  const terms: DecodeTerms = {
    tiers: tiers.map((t) => ({ label: t.label, keys: t.keys, streamSeconds: t.bytesPerToken / (t.bandwidthGBps * BYTES_PER_GB), layers: t.layers, moeExpertLayers: t.moeExpertLayers, linearLayers: t.linearLayers })),
    parallel,
    fixedSeconds: fixedMicros / 1e6,
  };
  const calibrations = terms.tiers.map((t) => decodeCalibration(t.keys));
  const tierSecondsByLabel: Record<string, number> = {};
  terms.tiers.forEach((t, i) => (tierSecondsByLabel[t.label] = (tierSecondsByLabel[t.label] ?? 0) + tierSeconds(t, calibrations[i]!)));
  const seconds = decodeSeconds(terms);
  return { tokensPerSecond: seconds > 0 ? 1 / seconds : 0, secondsPerToken: seconds, tierSeconds: tierSecondsByLabel, terms, calibrations };
}

/** Prompt tokens per second: 2 FLOPs per prompt parameter (no LM head) per token at `efficiency` of the TFLOPS. */
export function prefillTokensPerSecond(promptParams: number, tflops: number, efficiency: number): number {
  return (tflops * 1e12 * efficiency) / (2 * promptParams);
}
