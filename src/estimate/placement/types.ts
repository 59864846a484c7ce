// Placement types and thresholds: what a placement attempt returns, and the utilization and speed lines between fit levels.
import type { ModelSpec } from "../../catalog/schema.js";
import type { Machine } from "../../domain/machine.js";
import type { QuantFormat } from "../../domain/quants.js";
import type { Estimate, KvCacheType, Runtime } from "../types.js";

/** GPU placements: utilization at or under this is `perfect` (headroom for other buffers and fragmentation). */
export const PERFECT_MAX_UTILIZATION = 0.85;
/** ... and at or under this `good`; above, up to 1, `marginal`. */
export const GOOD_MAX_UTILIZATION = 0.95;
/** Offloaded placements are `good` only at or above this decode speed (a pace people read at), else `marginal`. */
export const USEFUL_TOKENS_PER_SECOND = 10;
/** Prompt length time-to-first-token is quoted for (or the context, if shorter). */
export const TTFT_PROMPT_TOKENS = 1024;

export interface PlacementInput {
  model: ModelSpec;
  machine: Machine;
  format: QuantFormat;
  contextTokens: number;
  runtime: Runtime;
  kvCacheType: KvCacheType;
  /** Tokens in the cache while decoding (see EstimateRequest.decodeFillTokens). */
  decodeFillTokens: number;
}

/** One quant placed: the estimate's figures for it (the estimator picks one placement and adds model and context). */
export type Placement = Pick<
  Estimate,
  | "runMode"
  | "fitLevel"
  | "memory"
  | "diskBytes"
  | "tokensPerSecond"
  | "speedKnown"
  | "tokensPerSecondRange"
  | "prefillTokensPerSecond"
  | "timeToFirstTokenMs"
  | "usableContextTokens"
  | "concurrentSessions"
  | "basis"
  | "notes"
  | "decodeTerms"
> & {
  format: QuantFormat;
  runtime: Runtime;
  /** The share of the model's own quality this format keeps (estimate/quants.ts qualityKept). */
  qualityFactor: number;
  /** A squeezed offload (GPU memory filled to its last byte): a last resort, chosen after every other placement. */
  squeezed?: boolean;
};
