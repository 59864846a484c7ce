// Placement attempt: the shared state of placing one quant (sizes, basis, notes) and the helpers every run mode uses.
import type { GpuDevice } from "../../domain/machine.js";
import { BYTES_PER_GIB, gib2 } from "../../domain/units.js";
import { decodeCalibration, MOE_PREFILL_FACTOR, PREFILL_EFFICIENCY, type DeviceClass } from "../calibration.js";
import { calibrationKeys } from "../device-family.js";
import { qualityKept } from "../quants.js";
import { decodeSpeed, prefillTokensPerSecond, type DecodeTerms, type StreamTier } from "../speed.js";
import type { EstimateBasis, FitLevel, MemoryBreakdown, RunMode } from "../types.js";
import type { WeightsSize } from "../weights.js";
import { GOOD_MAX_UTILIZATION, PERFECT_MAX_UTILIZATION, TTFT_PROMPT_TOKENS, type Placement, type PlacementInput } from "./types.js";

export const gib = (bytes: number): number => Math.round((bytes / BYTES_PER_GIB) * 1000) / 1000;
export const freeOf = (g: GpuDevice): number => g.memoryFreeBytes ?? g.memoryTotalBytes;

export function fitFromUtilization(u: number): FitLevel {
  if (u <= PERFECT_MAX_UTILIZATION) return "perfect";
  if (u <= GOOD_MAX_UTILIZATION) return "good";
  if (u <= 1) return "marginal";
  return "too_tight";
}

/** RAM a placement may use: the available RAM, less the OS reserve a described machine states (domain/machine.ts). */
export const ramPoolBytes = (m: { memory: { availableBytes: number; osReserveBytes?: number } }): number =>
  Math.max(0, m.memory.availableBytes - (m.memory.osReserveBytes ?? 0));

/** One placement attempt of one quant: its sizes, and the basis and notes it accumulates. */
export interface Attempt {
  input: PlacementInput;
  weights: WeightsSize;
  kvBytes: number;
  kvFixedBytes: number;
  kvBytesPerToken: number;
  kvReadBytes: number;
  kvReadFullBytes: number;
  layers: number;
  /** Layers with routed experts (0 for a dense model). */
  moeLayers: number;
  /** Experts a token runs in a MoE layer over MOE_REFERENCE_ACTIVE_EXPERTS: what a MoE layer's fixed cost scales by. */
  moeExpertWeight: number;
  /** Linear-attention / recurrent layers (DeltaNet, Mamba, RWKV-like mixers; 0 for a transformer). */
  linearLayers: number;
  activeParams: number;
  /**
   * Weight bytes a decode step streams, as the decode kernels cost them: the active weights times the quant's kernel
   * factor (calibration.ts), so an i-quant's cheaper bytes are not read as proportionally faster. Routed experts: of it.
   */
  streamBytesPerToken: number;
  streamRoutedBytesPerToken: number;
  /** Parameters multiplied per prompt token (no LM head): what prefill computes. */
  promptParams: number;
  /**
   * Of weights.totalBytes, what stays in system RAM whatever share of the layers the GPUs take (llama.cpp's input
   * layer beside discrete GPUs): an offloaded placement splits the rest and counts this in its RAM tier. 0 otherwise.
   */
  hostWeightsBytes: number;
  /** Bytes of the weights files to download (weights.totalBytes before any placement leaves a part out). */
  diskBytes: number;
  basis: EstimateBasis;
  notes: string[];
}

/** A copy of the context for one placement attempt, so a failed attempt leaves no notes or basis behind. */
export const fork = (c: Attempt): Attempt => ({ ...c, basis: { ...c.basis }, notes: [...c.notes] });

/** Low and high speed `rangePct` around `tps`; the low end never below a tenth of the figure. */
export function speedRange(tps: number, rangePct: number): [number, number] {
  const r = rangePct / 100;
  return [Math.round(tps * Math.max(0.1, 1 - r) * 10) / 10, Math.round(tps * (1 + r) * 10) / 10];
}

/** The CPU's calibration keys: llama.cpp's CPU backend, whatever the GPU runtime beside it. */
export const CPU_KEYS = ["llamacpp/cpu"] as const;

/** System RAM as a tier: `layerShare` of the model's layers computed on the CPU. */
export function ramTier(c: Attempt, label: string, bytes: number, layerShare: number): StreamTier | null {
  const { bandwidthGBps: bw, bandwidthAssumedPct, bandwidthSource } = c.input.machine.memory;
  if (bw === null) return null;
  const assumed = bandwidthAssumedPct ?? 0;
  return {
    label,
    bytesPerToken: bytes,
    bandwidthGBps: bw,
    keys: CPU_KEYS,
    layers: c.layers * layerShare,
    moeExpertLayers: c.moeLayers * c.moeExpertWeight * layerShare,
    linearLayers: c.linearLayers * layerShare,
    bandwidthAssumedPct: assumed,
    bandwidthAssumption: assumed > 0 ? `RAM bandwidth ${bw} GB/s ${bandwidthSource ?? "assumed"}` : null,
  };
}


export function gpuTiers(c: Attempt, gpus: GpuDevice[], shares: number[], bytes: number, layerShare: number): StreamTier[] {
  const tiers: StreamTier[] = [];
  gpus.forEach((g, i) => {
    const share = shares[i] ?? 0;
    if (share <= 0) return;
    tiers.push({
      label: `gpu${g.index}`,
      bytesPerToken: bytes * share,
      bandwidthGBps: g.memoryBandwidthGBps ?? 0,
      keys: calibrationKeys(g, g.backend, c.input.runtime),
      layers: c.layers * share * layerShare,
      moeExpertLayers: c.moeLayers * c.moeExpertWeight * share * layerShare,
      linearLayers: c.linearLayers * share * layerShare,
      bandwidthAssumedPct: g.bandwidthAssumedPct ?? 0,
      bandwidthAssumption: (g.bandwidthAssumedPct ?? 0) > 0 ? `${g.name} bandwidth ${g.memoryBandwidthGBps} GB/s ${g.bandwidthSource ?? "assumed"}` : null,
    });
  });
  return tiers;
}

export function describeSpeed(c: Attempt, primary: GpuDevice | null, cls: DeviceClass, tiers: StreamTier[]): { ok: boolean } {
  const cal = decodeCalibration(tiers[0]?.keys ?? CPU_KEYS);
  c.basis.device_class = cls;
  c.basis.calibration = cal.key;
  c.basis.bandwidth_efficiency = cal.bandwidthEfficiency;
  c.basis.per_layer_us = cal.perLayerMicros;
  c.basis.per_moe_layer_us = cal.perMoeLayerMicros;
  c.basis.per_linear_layer_us = cal.perLinearLayerMicros;
  c.basis.calibration_rows = cal.rows;
  c.basis.calibration_devices = cal.devices;
  c.basis.calibration_cv_median_error_pct = cal.cvMedianErrorPct;
  if (primary) {
    c.basis.gpu_bandwidth_gbps = primary.memoryBandwidthGBps;
    c.basis.gpu_bandwidth_source = primary.bandwidthSource;
  }
  const unknown = tiers.some((t) => !(t.bandwidthGBps > 0));
  if (unknown) c.notes.push("memory bandwidth unknown for a device: speed not estimated");
  if (cal.rows === 0) c.notes.push(`speed for ${cls} under ${c.input.runtime} is not calibrated on measurements yet (a physics prior, ${cal.key.replace(/^prior /, "")})`);
  return { ok: !unknown };
}

/**
 * Decode speed at the attempt's fill (and at a full context, for the basis). Its range is its widest tier's calibration
 * range, widened by the most uncertain assumed bandwidth of its tiers (each assumption named in the notes).
 */
export function finishSpeed(c: Attempt, tiersAt: (kvRead: number) => StreamTier[], parallel: boolean): Speed {
  const tiers = tiersAt(c.kvReadBytes);
  const s = decodeSpeed(tiers, { parallelTiers: parallel, totalLayers: c.layers });
  const full = decodeSpeed(tiersAt(c.kvReadFullBytes), { parallelTiers: parallel, totalLayers: c.layers });
  c.basis.decode_ms_per_token = Math.round(s.secondsPerToken * 1e5) / 100;
  c.basis.tps_at_full_context = Math.round(full.tokensPerSecond * 10) / 10;
  const tps = Math.round(s.tokensPerSecond * 10) / 10;
  const assumedPct = tiers.reduce((m, t) => Math.max(m, t.bandwidthAssumedPct), 0);
  const assumptions = [...new Set(tiers.map((t) => t.bandwidthAssumption).filter((a): a is string => a !== null))];
  for (const a of assumptions) c.notes.push(`speed assumes ${a}: the range is ${assumedPct}% wider`);
  c.basis.bandwidth_assumed_pct = assumedPct;
  const rangePct = s.calibrations.reduce((m, cal) => Math.max(m, cal.rangePct), 0) + assumedPct;
  return { tps, range: speedRange(tps, rangePct), terms: s.terms };
}

export function prefill(c: Attempt, tflops: number | null, cls: DeviceClass): { pp: number | null; ttft: number | null } {
  if (tflops === null || tflops <= 0) {
    c.basis.prefill = "unknown: device TFLOPS not known";
    return { pp: null, ttft: null };
  }
  const { efficiency: dense, rows } = PREFILL_EFFICIENCY[cls];
  const eff = c.input.model.architecture.moe ? dense * MOE_PREFILL_FACTOR : dense;
  const pp = prefillTokensPerSecond(c.promptParams, tflops, eff);
  c.basis.prefill_tflops = tflops;
  c.basis.prefill_efficiency = eff;
  c.basis.prefill_calibration_rows = rows;
  if (rows === 0) c.notes.push(`prefill speed for ${cls} is not calibrated on measurements yet (physics prior)`);
  const prompt = Math.min(c.input.contextTokens, TTFT_PROMPT_TOKENS);
  c.basis.ttft_prompt_tokens = prompt;
  return { pp: Math.round(pp), ttft: Math.round((prompt / pp) * 1000) };
}

export function usableContext(c: Attempt, spareBytes: number): number {
  // spareBytes: what the pool has left after weights, overhead and the fixed (sliding/recurrent) cache.
  if (spareBytes <= 0) return 0;
  if (c.kvBytesPerToken <= 0) return c.input.model.context_length;
  return Math.min(c.input.model.context_length, Math.floor(spareBytes / c.kvBytesPerToken));
}

/**
 * A placement that does not fit: `memory` is what the best attempt would need if it ran (weights, KV cache at the
 * evaluated context and the runtime overhead of that placement, split across GPU and RAM as it would place them),
 * so required = weights + KV + overhead = GPU + RAM as for any placement, and required > available. The notes say
 * why and by how much.
 */
export function tooTight(c: Attempt, runMode: RunMode, memory: MemoryBreakdown, why: string): Placement {
  const need = `needs ${gib2Text(memory.requiredBytes)} GiB`;
  const short = `${gib2Text(memory.requiredBytes - memory.availableBytes)} GiB short`;
  c.notes.push(memory.availableBytes > 0 ? `${why}: ${need}, ${gib2Text(memory.availableBytes)} GiB available, ${short}` : `${why}: ${need}, none available`);
  return {
    format: c.input.format,
    runtime: c.input.runtime,
    qualityFactor: qualityKept(c.input.format, c.input.model),
    runMode,
    fitLevel: "too_tight",
    memory,
    diskBytes: c.diskBytes,
    tokensPerSecond: 0,
    speedKnown: true,
    tokensPerSecondRange: [0, 0],
    prefillTokensPerSecond: null,
    timeToFirstTokenMs: null,
    usableContextTokens: 0,
    concurrentSessions: 0,
    basis: c.basis,
    notes: c.notes,
    decodeTerms: null,
  };
}

/** GiB to two decimals as the contract prints them, for notes. */
const gib2Text = (bytes: number): string => gib2(bytes).toFixed(2);

export interface Speed {
  tps: number;
  range: [number, number];
  /** What the figure is made of (null: not estimated, or capped by compute). */
  terms: DecodeTerms | null;
}

/** No speed estimate (a bandwidth is unknown): 0 tok/s, and the notes say why. */
export const NO_SPEED: Speed = { tps: 0, range: [0, 0], terms: null };

/** A placement's memory: weights + KV cache + `overheadBytes`, of which `ramBytes` sit in system RAM. */
export function memoryOf(c: Attempt, overheadBytes: number, availableBytes: number, ramBytes = 0): MemoryBreakdown {
  const requiredBytes = c.weights.totalBytes + c.kvBytes + overheadBytes;
  return { requiredBytes, weightsBytes: c.weights.totalBytes, kvCacheBytes: c.kvBytes, overheadBytes, availableBytes, gpuBytes: requiredBytes - ramBytes, ramBytes };
}

export interface Outcome {
  runMode: RunMode;
  fitLevel: FitLevel;
  memory: MemoryBreakdown;
  speed: Speed;
  prefill?: { pp: number | null; ttft: number | null };
  /** Memory left for KV caches once the weights and buffers are placed: sets usable context and sessions. */
  kvRoomBytes: number;
}

/** llama.cpp serves at most this many sequences at once (LLAMA_MAX_SEQ, src/llama-cparams.h). */
export const MAX_SEQUENCES = 256;

/** Sessions whose cache fits in the room left; a model that keeps no per-session cache is bounded by the runtime. */
export function concurrentSessions(roomBytes: number, perSessionBytes: number): number {
  if (roomBytes <= 0) return 0;
  if (perSessionBytes <= 0) return MAX_SEQUENCES;
  return Math.min(MAX_SEQUENCES, Math.floor(roomBytes / perSessionBytes));
}

/** Assembles the placement of an attempt. */
export function placed(c: Attempt, o: Outcome): Placement {
  return {
    format: c.input.format,
    runtime: c.input.runtime,
    qualityFactor: qualityKept(c.input.format, c.input.model),
    runMode: o.runMode,
    fitLevel: o.fitLevel,
    memory: o.memory,
    diskBytes: c.diskBytes,
    tokensPerSecond: o.speed.tps,
    speedKnown: o.speed !== NO_SPEED,
    tokensPerSecondRange: o.speed.range,
    prefillTokensPerSecond: o.prefill?.pp ?? null,
    timeToFirstTokenMs: o.prefill?.ttft ?? null,
    usableContextTokens: usableContext(c, o.kvRoomBytes - c.kvFixedBytes),
    concurrentSessions: concurrentSessions(o.kvRoomBytes, c.kvBytes),
    basis: c.basis,
    notes: c.notes,
    decodeTerms: o.speed.terms,
  };
}
