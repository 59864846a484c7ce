// Catalog analysis: every model estimated and scored on one machine; the work the service caches per snapshot.
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

/** One row per catalog model, in catalog order; sorting and filtering are the query layer's. */
export function analyzeCatalog(models: readonly ModelSpec[], machine: Machine, options: AnalyzeOptions): ModelRowJson[] {
  return models.map((model) => {
    const e = estimate({
      model,
      machine,
      contextTokens: options.contextTokens === null ? undefined : Math.min(options.contextTokens, model.context_length),
      runtime: options.forceRuntime ?? undefined,
    });
    return modelRow(e, scoreEstimate(e));
  });
}
