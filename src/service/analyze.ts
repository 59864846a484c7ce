// Catalog analysis: every model estimated and scored on one machine; the work the service caches per snapshot.
import { correctEstimate } from "../bench/correction.js";
import type { NodeMeasurements } from "../bench/node-measurements.js";
import type { ModelSpec } from "../catalog/schema.js";
import type { Machine } from "../domain/machine.js";
import { modelRow, type ModelRowJson } from "../contract/row.js";
import { estimate } from "../estimate/estimate.js";
import type { Runtime } from "../estimate/types.js";
import { scoreEstimate } from "../score/score.js";

export interface AnalyzeOptions {
  /** Context for every estimate; null = each model's min(8192, native). */
  contextTokens: number | null;
  forceRuntime: Runtime | null;
}

/**
 * One row per catalog model, in catalog order; sorting and filtering are the query layer's. On this node (`node`), a
 * decode estimate of a kind its benchmarks measured is corrected by them before it is scored, and a model measured at
 * the row's quant shows its latest measured speed.
 */
export function analyzeCatalog(models: readonly ModelSpec[], machine: Machine, options: AnalyzeOptions, node: NodeMeasurements | null = null): ModelRowJson[] {
  return models.map((model) => {
    const raw = estimate({
      model,
      machine,
      contextTokens: options.contextTokens === null ? undefined : Math.min(options.contextTokens, model.context_length),
      runtime: options.forceRuntime ?? undefined,
    });
    const e = node === null ? raw : correctEstimate(raw, machine, node.corrections);
    const row = modelRow(e, scoreEstimate(e));
    if (node !== null) row.measured_tps = node.measuredTps(row.name, row.best_quant);
    return row;
  });
}
