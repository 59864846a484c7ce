// Test double of the catalog analysis and the estimate request: simple, deterministic rows for route tests.
import { bundledModels } from "../../../src/catalog/bundled.js";
import type { AnalyzeFn } from "../../../src/service/node-service.js";
import type { EstimateRequestInput } from "../../../src/contract/estimate-request.js";
import type { ModelSpec } from "../../../src/catalog/schema.js";
import type { EstimateResultJson } from "../../../src/contract/estimate.js";
import type { ModelRowJson } from "../../../src/contract/row.js";
import { NodefitError } from "../../../src/domain/errors.js";
import type { Machine } from "../../../src/domain/machine.js";
import { gib2 } from "../../../src/domain/units.js";
import type { FitLevel, Runtime } from "../../../src/estimate/types.js";

const label = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Rows whose memory is 0.6 bytes per parameter plus the KV of the context: enough to sort and filter on. */
export function fakeAnalyze(models: readonly ModelSpec[], machine: Machine, options: { contextTokens: number | null; forceRuntime: Runtime | null }): ModelRowJson[] {
  const vram = machine.gpus.reduce((s, g) => s + g.memoryTotalBytes, 0);
  return models.map((m) => {
    const context = Math.min(options.contextTokens ?? 8192, m.context_length);
    const required = m.params_total * 0.6 + context * 131072;
    const fit: FitLevel = required < vram * 0.7 ? "perfect" : required < vram ? "good" : required < vram + machine.memory.totalBytes ? "marginal" : "too_tight";
    const runtime: Runtime = options.forceRuntime ?? "llamacpp";
    const tps = fit === "too_tight" ? 0 : Math.round((1e12 / required) * 10) / 10;
    const score = fit === "too_tight" ? 0 : Math.round((100 - m.params_total / 1e10) * 10) / 10;
    return {
      name: m.id,
      provider: m.provider,
      parameter_count: `${Math.round(m.params_total / 1e9)}B`,
      params_b: Math.round(m.params_total / 1e7) / 100,
      context_length: m.context_length,
      use_case: label(m.category),
      category: label(m.category),
      release_date: m.release_date,
      is_moe: m.architecture.moe !== null,
      fit_level: fit,
      fit_label: fit,
      run_mode: "gpu",
      run_mode_label: "GPU",
      score,
      score_components: { quality: score, speed: score, fit: score, context: score },
      estimated_tps: tps,
      runtime,
      runtime_label: runtime,
      best_quant: "Q4_K_M",
      memory_required_gb: gib2(required),
      memory_available_gb: gib2(vram),
      utilization_pct: Math.round((required / vram) * 1000) / 10,
      notes: [],
      gguf_sources: [...m.gguf_sources],
      family: m.family,
      active_params_b: null,
      usable_context: context,
      effective_context_length: context,
      capabilities: [...m.capabilities],
      license: m.license,
      installed: false,
      installed_as: [],
      disk_size_gb: gib2(m.params_total * 0.6),
      weights_repo: m.gguf_sources[0] ?? null,
      ollama_name: m.ollama[0] ?? null,
      memory: { weights_gb: gib2(m.params_total * 0.6), kv_cache_gb: gib2(context * 131072), overhead_gb: 0, gpu_gb: gib2(required), ram_gb: 0 },
      tps_range: [tps, tps],
      prefill_tps: null,
      ttft_ms: null,
      concurrent_sessions: 1,
      alternatives: [],
      kv_cache_type: "f16",
      estimate_basis: { context },
      verify_command: "",
      measured_tps: null,
    };
  });
}

export function fakeEstimate(request: EstimateRequestInput, ctx: { models: readonly ModelSpec[]; machine: Machine }): EstimateResultJson {
  if (!("reference" in request.model)) throw new NodefitError("invalid_argument", "the fake estimate takes catalog references only");
  const ref = request.model.reference;
  const row = fakeAnalyze(ctx.models, ctx.machine, { contextTokens: null, forceRuntime: null }).find((r) => r.name.toLowerCase() === ref.toLowerCase());
  if (!row) throw new NodefitError("model_not_found", `no model matches "${ref}"`);
  return {
    model: { name: row.name, provider: row.provider, params_b: row.params_b, active_params_b: null, context_length: row.context_length, is_moe: row.is_moe, category: row.category },
    resolved_from: { input: ref, matched_by: "id", confidence: 1 },
    quant: row.best_quant,
    weights_repo: row.weights_repo,
    context: row.effective_context_length,
    kv_cache_type: "f16",
    runtime: row.runtime,
    run_mode: row.run_mode,
    fit_level: row.fit_level,
    memory: { required_gb: row.memory_required_gb, weights_gb: row.memory.weights_gb, kv_cache_gb: row.memory.kv_cache_gb, overhead_gb: 0, available_gb: row.memory_available_gb, gpu_gb: row.memory.gpu_gb, ram_gb: 0 },
    estimated_tps: row.estimated_tps,
    tps_range: row.tps_range,
    prefill_tps: null,
    ttft_ms: null,
    usable_context: row.usable_context,
    concurrent_sessions: 1,
    alternatives: [],
    estimate_basis: {},
    verify_command: row.verify_command,
    notes: [],
  };
}

/**
 * The analyses a mocked analyzer ran, by their options: the service analyzes the catalog in slices (a few models per
 * call), so an analysis is the call that starts with the catalog's first model.
 */
export function analysesOf(analyze: { mock: { calls: ReadonlyArray<Parameters<AnalyzeFn>> } }): Array<Parameters<AnalyzeFn>[2]> {
  const first = bundledModels()[0];
  return analyze.mock.calls.filter(([models]) => models[0] === first).map(([, , options]) => options);
}
