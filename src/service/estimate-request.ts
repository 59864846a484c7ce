// Estimate requests: one parsed request (contract/estimate-request.ts) in, its model resolved and estimated, one result out.
import { correctEstimate } from "../bench/correction.js";
import type { NodeMeasurements } from "../bench/node-measurements.js";
import type { ModelSpec } from "../catalog/schema.js";
import { resolveModel } from "../catalog/resolve.js";
import { didYouMean, suggestModels } from "../catalog/resolve/suggest.js";
import { estimateResultJson, type EstimateResultJson } from "../contract/estimate.js";
import type { EstimateRequestInput } from "../contract/estimate-request.js";
import { NodefitError } from "../domain/errors.js";
import type { Machine } from "../domain/machine.js";
import type { QuantName } from "../domain/quants.js";
import { CATALOG_CAVEAT_PREFIX, estimate } from "../estimate/estimate.js";
import { nativeQuant } from "../estimate/quants.js";
import type { Runtime } from "../estimate/types.js";

/**
 * Ollama's default context window when a request sets no num_ctx: 4096 tokens (Ollama's FAQ, "How can I specify the
 * context window size?"; raised from 2048 in 2025).
 */
export const OLLAMA_DEFAULT_CONTEXT_TOKENS = 4096;
/** The quant of an Ollama library tag that names none (`llama3.1:8b`): the library publishes Q4_K_M by default. */
export const OLLAMA_DEFAULT_QUANT = "Q4_K_M" as const;

/**
 * A model found outside the catalog for a reference the catalog does not know (the Hugging Face Hub), or why none was:
 * what the service looked up before the request is answered.
 */
export type ExternalLookup = { found: ExternalModel } | { failure: string };

export interface ExternalModel {
  model: ModelSpec;
  /** How it was found ("hub"): `resolved_from.matched_by`. */
  matchedBy: string;
  /** The quant the reference names (a GGUF file's), as the estimator names it. */
  quant: QuantName | null;
  /** Where it came from (the repository and its revision), for the answer's notes. */
  note: string;
  /** An Ollama pull (`hf.co/owner/repo:QUANT`): answered as Ollama runs it. */
  ollamaPull: boolean;
}

/** How a request's model was found. */
export interface RequestResolution {
  input: string;
  matchedBy: string | null;
  confidence: number;
  quant: QuantName | null;
  note: string | null;
  ollama: boolean;
}

/**
 * What a reference means for how it runs: an Ollama tag is that tag's file (its quant, else the library's Q4_K_M, or
 * the model's native quant such as gpt-oss's MXFP4), on llama.cpp, at Ollama's default context. Other references
 * carry only the quant their name gives (a GGUF file's, a pre-quantized repository's format).
 */
export function servedAs(r: Pick<RequestResolution, "ollama" | "quant">, model: ModelSpec): { quant: QuantName | null; runtime: Runtime | null; contextTokens: number | null; note: string | null } {
  if (!r.ollama) return { quant: r.quant, runtime: null, contextTokens: null, note: null };
  const quant = r.quant ?? nativeQuant(model) ?? OLLAMA_DEFAULT_QUANT;
  return {
    quant,
    runtime: "llamacpp",
    contextTokens: Math.min(OLLAMA_DEFAULT_CONTEXT_TOKENS, model.context_length),
    note: `an Ollama tag: answered as Ollama runs it, ${quant} on llama.cpp at Ollama's default ${OLLAMA_DEFAULT_CONTEXT_TOKENS}-token context unless the request says otherwise`,
  };
}

export interface EstimateRequestContext {
  models: readonly ModelSpec[];
  /** This node's machine (used when the request has none). */
  machine: Machine;
  /** What the service found for a reference the catalog does not know (null or absent: nothing was looked up). */
  external?: ExternalLookup | null | undefined;
  /** This node's benchmarks: an estimate for this node (no machine in the request) gets their correction. */
  node?: NodeMeasurements | null | undefined;
}

/**
 * The model a request names and how it was found: the catalog's resolver, else what was found outside it. Throws
 * NodefitError `model_not_found` when the reference names no model (ambiguous: its candidates; else the names a few
 * typing mistakes away, and why nothing outside the catalog answered).
 */
export function requestModel(req: Pick<EstimateRequestInput, "model">, ctx: Pick<EstimateRequestContext, "models" | "external">): { model: ModelSpec; resolution: RequestResolution } {
  if (!("reference" in req.model)) return { model: req.model.described, resolution: { input: req.model.name, matchedBy: null, confidence: 1, quant: null, note: null, ollama: false } };
  const reference = req.model.reference;
  const r = resolveModel(ctx.models, reference);
  const external = ctx.external ?? null;
  // What the Hub found replaces a derivative's guess (sized from a name) as it answers a reference nothing names.
  const guessed = r.matchedBy === "derivative";
  if (r.model && !(guessed && external !== null && "found" in external))
    return { model: r.model, resolution: { input: r.input, matchedBy: r.matchedBy, confidence: r.confidence, quant: r.quant, note: r.note, ollama: r.matchedBy === "ollama_tag" } };
  if (external !== null && "found" in external && (guessed || r.candidates.length === 0)) {
    const f = external.found;
    return { model: f.model, resolution: { input: r.input, matchedBy: f.matchedBy, confidence: 1, quant: f.quant, note: f.note, ollama: f.ollamaPull } };
  }
  const alts = r.candidates.map((c) => c.model.id);
  // Nothing named: the names a few typing mistakes away, as suggestions in the message, never as the match.
  const suggestions = alts.length > 0 ? [] : suggestModels(ctx.models, reference);
  const hint = suggestions.length > 0 ? `; ${didYouMean(suggestions)}` : "";
  const failed = external !== null && "failure" in external ? external.failure : null;
  const elsewhere = failed ?? " (no id, alias, GGUF repository or Ollama tag matches it)";
  const advice = `${failed === null ? ":" : ";"} describe it with an architecture object, or add it to a catalog file`;
  throw new NodefitError(
    "model_not_found",
    alts.length > 0
      ? `model "${reference}" is ambiguous: did you mean ${alts.slice(0, 3).join(", ")}?`
      : `model "${reference}" is not in the catalog${elsewhere}${hint || advice}`,
    { candidates: alts, suggestions: suggestions.map((s) => s.model.id) },
  );
}

/** Answers one parsed request. Throws NodefitError `model_not_found` when its reference names no model. */
export function runEstimateRequest(req: EstimateRequestInput, ctx: EstimateRequestContext): EstimateResultJson {
  const { model, resolution } = requestModel(req, ctx);
  const served = servedAs(resolution, model);
  const raw = estimate({
    model,
    machine: req.machine ?? ctx.machine,
    quant: req.quant ?? served.quant ?? undefined,
    contextTokens: req.contextTokens ?? served.contextTokens ?? undefined,
    runtime: req.runtime ?? served.runtime ?? undefined,
    kvCacheType: req.kvCacheType ?? undefined,
  });
  const e = req.machine === null && ctx.node ? correctEstimate(raw, ctx.machine, ctx.node.corrections) : raw;
  const result = estimateResultJson(e, {
    input: resolution.input,
    matched_by: resolution.matchedBy ?? "architecture",
    confidence: resolution.confidence,
  });
  const notes = [resolution.note, served.note].filter((n): n is string => n !== null);
  return notes.length === 0 ? result : { ...result, notes: notes.reduceRight((acc, n) => withResolutionNote(acc, n), result.notes) };
}

/** The resolution's note (a derivative is sized as its base) after the catalog's caveats, which come first. */
export function withResolutionNote(notes: readonly string[], note: string): string[] {
  const caveats = notes.filter((n) => n.startsWith(CATALOG_CAVEAT_PREFIX)).length;
  return [...notes.slice(0, caveats), note, ...notes.slice(caveats)];
}
