// Estimate result: the wire shape of `nodefit estimate` and `POST /api/v1/estimate`, one object per request.
import type { FitLevel, KvCacheType, RunMode, Runtime } from "../estimate/types.js";

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
  estimate_basis: Record<string, string | number | boolean | null>;
  notes: string[];
}
