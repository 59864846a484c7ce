// Estimate requests: one parsed request (contract/estimate-request.ts) in, its model resolved and estimated, one result out.
import type { ModelSpec } from "../catalog/schema.js";
import { resolveModel, type Resolution } from "../catalog/resolve.js";
import { didYouMean, suggestModels } from "../catalog/resolve/suggest.js";
import { estimateResultJson, type EstimateResultJson } from "../contract/estimate.js";
import type { EstimateRequestInput } from "../contract/estimate-request.js";
import { NodefitError } from "../domain/errors.js";
import type { Machine } from "../domain/machine.js";
import { CATALOG_CAVEAT_PREFIX, estimate } from "../estimate/estimate.js";

export interface EstimateRequestContext {
  models: readonly ModelSpec[];
  /** This node's machine (used when the request has none). */
  machine: Machine;
}

/** Answers one parsed request. Throws NodefitError `model_not_found` when its reference names no model. */
export function runEstimateRequest(req: EstimateRequestInput, ctx: EstimateRequestContext): EstimateResultJson {
  let model: ModelSpec;
  let resolution: Pick<Resolution, "matchedBy" | "confidence" | "quant" | "note"> & { input: string };
  if ("reference" in req.model) {
    const reference = req.model.reference;
    const r = resolveModel(ctx.models, reference);
    if (!r.model) {
      const alts = r.candidates.map((c) => c.model.id);
      // Nothing named: the names a few typing mistakes away, as suggestions in the message, never as the match.
      const suggestions = alts.length > 0 ? [] : suggestModels(ctx.models, reference);
      const hint = suggestions.length > 0 ? `; ${didYouMean(suggestions)}` : "";
      throw new NodefitError(
        "model_not_found",
        alts.length > 0
          ? `model "${reference}" is ambiguous: did you mean ${alts.slice(0, 3).join(", ")}?`
          : `model "${reference}" is not in the catalog (no id, alias, GGUF repository or Ollama tag matches it)${hint || ": describe it with an architecture object, or add it to a catalog file"}`,
        { candidates: alts, suggestions: suggestions.map((s) => s.model.id) },
      );
    }
    model = r.model;
    resolution = r;
  } else {
    model = req.model.described;
    resolution = { input: req.model.name, matchedBy: null, confidence: 1, quant: null, note: null };
  }

  const e = estimate({
    model,
    machine: req.machine ?? ctx.machine,
    quant: req.quant ?? resolution.quant ?? undefined,
    contextTokens: req.contextTokens ?? undefined,
    runtime: req.runtime ?? undefined,
    kvCacheType: req.kvCacheType ?? undefined,
  });
  const result = estimateResultJson(e, {
    input: resolution.input,
    matched_by: resolution.matchedBy ?? "architecture",
    confidence: resolution.confidence,
  });
  return resolution.note === null ? result : { ...result, notes: withResolutionNote(result.notes, resolution.note) };
}

/** The resolution's note (a derivative is sized as its base) after the catalog's caveats, which come first. */
function withResolutionNote(notes: readonly string[], note: string): string[] {
  const caveats = notes.filter((n) => n.startsWith(CATALOG_CAVEAT_PREFIX)).length;
  return [...notes.slice(0, caveats), note, ...notes.slice(caveats)];
}
