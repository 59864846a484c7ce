// Estimate types: what the estimator is asked and what it answers, in bytes and tokens per second.
import type { QuantName } from "../domain/quants.js";
import type { FitLevel, KvCacheType, RunMode, Runtime } from "../domain/vocabulary.js";
import type { DecodeTerms } from "./speed.js";
import type { Machine } from "../domain/machine.js";
import type { ModelSpec } from "../catalog/schema.js";

export { FIT_LEVELS, KV_CACHE_TYPES, RUN_MODES, RUNTIME_LABELS, RUNTIMES } from "../domain/vocabulary.js";
export type { FitLevel, KvCacheType, RunMode, Runtime } from "../domain/vocabulary.js";

export interface EstimateRequest {
  model: ModelSpec;
  machine: Machine;
  /** A quant to evaluate (parsed at the edge: `parseQuant`); omitted = the best quant that fits. */
  quant?: QuantName | undefined;
  /** Context to size the KV cache for; omitted = min(8192, native). */
  contextTokens?: number | undefined;
  /**
   * Tokens already in the cache while decoding, for the speed figure; omitted = half the context (the average over a
   * session that fills it). The calibration passes each measurement's own (its prompt and half its output).
   */
  decodeFillTokens?: number | undefined;
  /** A runtime to use; omitted = chosen from the machine and the model. */
  runtime?: Runtime | undefined;
  kvCacheType?: KvCacheType | undefined;
}

export interface MemoryBreakdown {
  /** Everything the placement needs: weights + KV cache + runtime overhead. */
  requiredBytes: number;
  weightsBytes: number;
  kvCacheBytes: number;
  overheadBytes: number;
  /** The pool of the run mode: VRAM, VRAM + RAM for offload modes, RAM for CPU. */
  availableBytes: number;
  /** Of requiredBytes, what sits in GPU memory and what in system RAM. */
  gpuBytes: number;
  ramBytes: number;
}

/** Every input an estimate used, so a person can redo it. Keys are stable and documented in the README. */
export type EstimateBasis = Record<string, string | number | boolean | null>;

/** Another option a person would weigh against the chosen one (a better quality, a faster quant, another runtime). */
export interface Alternative {
  quant: QuantName;
  runtime: Runtime;
  runMode: RunMode;
  fitLevel: FitLevel;
  tokensPerSecond: number;
  requiredBytes: number;
  qualityFactor: number;
  /** What it trades, in a sentence. */
  why: string;
}

export interface Estimate {
  model: ModelSpec;
  quant: QuantName;
  /** The share of the model's own quality the quant keeps (1 = lossless; a natively quantized model's own format is 1). */
  qualityFactor: number;
  runtime: Runtime;
  runMode: RunMode;
  fitLevel: FitLevel;
  /** Context the estimate was computed at. */
  contextTokens: number;
  /** Largest context that fits beside the weights in this placement (0 when nothing fits). */
  usableContextTokens: number;
  kvCacheType: KvCacheType;
  memory: MemoryBreakdown;
  /** Bytes of the weights files to download (memory.weightsBytes is what the placement holds, which may be less). */
  diskBytes: number;
  /** Decode speed at the context; 0 for too_tight, and 0 with `speedKnown` false when a bandwidth is unknown. */
  tokensPerSecond: number;
  /** False when a device's bandwidth is unknown and no speed could be estimated (never guessed). */
  speedKnown: boolean;
  /** Low and high decode speed from the calibration residuals. */
  tokensPerSecondRange: [number, number];
  /** Prompt processing speed; null when the device's compute is unknown. */
  prefillTokensPerSecond: number | null;
  /** Time to the first token of a prompt as long as the context; null when prefill is unknown. */
  timeToFirstTokenMs: number | null;
  /** Sessions of this context that fit at once beside one copy of the weights. */
  concurrentSessions: number;
  basis: EstimateBasis;
  notes: string[];
  /** What the decode figure is made of, before calibration (what `npm run calibrate` fits); null when not estimated. */
  decodeTerms: DecodeTerms | null;
  /** The best other options tried (none when a quant was asked). */
  alternatives: Alternative[];
}
