// Estimate result: the wire shape of `nodefit estimate` and `POST /api/v1/estimate`, one object per request.
import { round2 } from "../domain/units.js";
import type { Estimate, FitLevel, KvCacheType, RunMode, Runtime } from "../estimate/types.js";
import { CATEGORY_LABELS, memoryGib, memoryPartsJson, alternativeJson, type AlternativeJson } from "./row.js";
import { verifyCommand, weightsRepo } from "./weights-source.js";

export interface EstimateResultJson {
  model: {
    name: string;
    provider: string;
    params_b: number;
    active_params_b: number | null;
    context_length: number;
    is_moe: boolean;
    category: string;
  } | null;
  /** What the reference resolved from and how: `{"input", "matched_by", "confidence"}`. */
  resolved_from: { input: string; matched_by: string; confidence: number };
  quant: string;
  /** As the row's weights_repo: where the sized weights are; null = the catalog lists none in that format. */
  weights_repo: string | null;
  context: number;
  kv_cache_type: KvCacheType;
  runtime: Runtime;
  run_mode: RunMode;
  fit_level: FitLevel;
  memory: {
    required_gb: number;
    weights_gb: number;
    kv_cache_gb: number;
    overhead_gb: number;
    available_gb: number;
    gpu_gb: number;
    ram_gb: number;
  };
  estimated_tps: number;
  tps_range: [number, number];
  prefill_tps: number | null;
  ttft_ms: number | null;
  usable_context: number;
  concurrent_sessions: number;
  /** The best other options tried (none when a quant was asked). */
  alternatives: AlternativeJson[];
  estimate_basis: Record<string, string | number | boolean | null>;
  /** As the row's: a command that measures the same figure, for this quant, runtime and weights. */
  verify_command: string;
  notes: string[];
}

/** The result of one estimate: the one serializer behind `nodefit estimate` and `POST /api/v1/estimate`. */
export function estimateResultJson(e: Estimate, resolvedFrom: EstimateResultJson["resolved_from"]): EstimateResultJson {
  const m = e.model;
  const mem = memoryGib(e.memory);
  return {
    model: {
      name: m.id,
      provider: m.provider,
      params_b: round2(m.params_total / 1e9),
      active_params_b: m.params_active === null ? null : round2(m.params_active / 1e9),
      context_length: m.context_length,
      is_moe: m.architecture.moe !== null,
      category: CATEGORY_LABELS[m.category],
    },
    resolved_from: resolvedFrom,
    quant: e.quant,
    weights_repo: weightsRepo(m, e.runtime, e.quant),
    context: e.contextTokens,
    kv_cache_type: e.kvCacheType,
    runtime: e.runtime,
    run_mode: e.runMode,
    fit_level: e.fitLevel,
    memory: { required_gb: mem.required, available_gb: mem.available, ...memoryPartsJson(mem) },
    estimated_tps: e.tokensPerSecond,
    tps_range: e.tokensPerSecondRange,
    prefill_tps: e.prefillTokensPerSecond,
    ttft_ms: e.timeToFirstTokenMs,
    usable_context: e.usableContextTokens,
    concurrent_sessions: e.concurrentSessions,
    alternatives: e.alternatives.map(alternativeJson),
    estimate_basis: e.basis,
    verify_command: verifyCommand(e),
    notes: e.notes,
  };
}
