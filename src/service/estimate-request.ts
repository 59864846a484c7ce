// Estimate requests: one `{"model", "machine", "quant", "context", "runtime", "kv_cache_type"}` in, one result out.
import type { z } from "zod";
import type { ModelSpec } from "../catalog/schema.js";
import { paramBreakdown } from "../catalog/params.js";
import { resolveModel, type Resolution } from "../catalog/resolve.js";
import { estimateResultJson, type EstimateResultJson } from "../contract/estimate.js";
import { CustomModelSchema, EstimateRequestSchema, MAX_REQUEST_CONTEXT } from "../contract/schemas-estimate.js";
import { NodefitError } from "../domain/errors.js";
import type { Machine } from "../domain/machine.js";
import { estimate } from "../estimate/estimate.js";

export interface EstimateRequestContext {
  models: readonly ModelSpec[];
  /** This node's machine (used when the request has none). */
  machine: Machine;
  /** Turns a request's `machine` description into a Machine. */
  describeMachine: (description: unknown) => Machine;
}

function customModel(c: z.output<typeof CustomModelSchema>): ModelSpec {
  const p = paramBreakdown(c.architecture);
  return {
    id: `custom/${c.name.replace(/[^\w.-]+/g, "-")}`,
    provider: c.provider,
    family: "custom",
    params_total: c.params_total ?? Math.round(p.total),
    params_active: c.architecture.moe ? (c.params_active ?? Math.round(p.activePerToken)) : null,
    context_length: c.context_length,
    architecture: c.architecture,
    license: "unknown",
    release_date: null,
    category: c.category,
    capabilities: [],
    ollama: [],
    gguf_sources: [],
    gguf_files: [],
    variants: [],
    aliases: [],
    sources: [],
    notes: "described in the request",
    caveats: [],
  };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid request";
  const path = issue.path.join(".");
  if (issue.code === "invalid_value" && path) return `invalid ${path} value: use ${(issue.values as unknown[]).join("|")}`;
  if (path === "context" && (issue.code === "too_small" || issue.code === "too_big" || issue.code === "invalid_type"))
    return `invalid context value: use an integer number of tokens from 1 to ${MAX_REQUEST_CONTEXT}`;
  if (issue.code === "unrecognized_keys") return `unknown field ${issue.keys.join(", ")}: use model, machine, quant, context, runtime, kv_cache_type`;
  return path ? `invalid ${path}: ${issue.message}` : issue.message;
}

/** Parses and answers one request. Throws NodefitError `invalid_argument` or `model_not_found`. */
export function runEstimateRequest(body: unknown, ctx: EstimateRequestContext): EstimateResultJson {
  const parsed = EstimateRequestSchema.safeParse(body);
  if (!parsed.success) throw new NodefitError("invalid_argument", describeIssue(parsed.error));
  const req = parsed.data;
  const machine = req.machine === undefined ? ctx.machine : ctx.describeMachine(req.machine);

  let model: ModelSpec;
  let resolution: Pick<Resolution, "matchedBy" | "confidence" | "quant"> & { input: string };
  if (typeof req.model === "string") {
    const r = resolveModel(ctx.models, req.model);
    if (!r.model) {
      const alts = r.candidates.map((c) => c.model.id);
      throw new NodefitError(
        "model_not_found",
        alts.length > 0 ? `model "${req.model}" is ambiguous: did you mean ${alts.slice(0, 3).join(", ")}?` : `model "${req.model}" is not in the catalog (no id, alias, GGUF repository or Ollama tag matches it): describe it with an architecture object, or add it to a catalog file`,
        { candidates: alts },
      );
    }
    model = r.model;
    resolution = r;
  } else {
    model = customModel(req.model);
    resolution = { input: req.model.name, matchedBy: null, confidence: 1, quant: null };
  }

  const e = estimate({
    model,
    machine,
    quant: req.quant ?? resolution.quant ?? undefined,
    contextTokens: req.context,
    runtime: req.runtime,
    kvCacheType: req.kv_cache_type,
  });
  return estimateResultJson(e, {
    input: resolution.input,
    matched_by: resolution.matchedBy ?? "architecture",
    confidence: resolution.confidence,
  });
}
