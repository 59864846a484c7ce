// Schemas of the models envelope and its filters echo: the zod form of envelope.ts, for tests and the OpenAPI document.
// The query vocabulary (sort keys, runtime filter) sits above the contract; src/query/query-schema.ts narrows those keys.
import { z } from "zod";
import { CATEGORIES } from "../catalog/schema.js";
import { FIT_LEVELS, RUNTIMES } from "../estimate/types.js";
import { ModelRowSchema } from "./schemas-row.js";
import { NodeSchema, SystemSchema } from "./schemas-system.js";

export const FiltersSchema = z
  .strictObject({
    limit: z.number().int().nonnegative().nullable(),
    perfect: z.boolean().nullable(),
    min_fit: z.enum(FIT_LEVELS).nullable(),
    /** The query layer's runtime filter (`any` or a runtime); its vocabulary is added by the HTTP document. */
    runtime: z.string().nullable(),
    use_case: z.enum(CATEGORIES).nullable(),
    provider: z.string().nullable(),
    search: z.string().nullable(),
    /** The query layer's sort key; its vocabulary is added by the HTTP document. */
    sort: z.string(),
    max_context: z.number().int().positive().nullable(),
    include_too_tight: z.boolean(),
    top_only: z.boolean(),
    force_runtime: z.enum(RUNTIMES).nullable(),
    installed: z.boolean().nullable(),
  })
  .describe("The effective query: every key present, null where unset, values normalized.");

export const ResolvedFromSchema = z
  .strictObject({
    input: z.string(),
    status: z.enum(["matched", "ambiguous", "not_found"]),
    name: z.string().nullable().describe("The model the name resolves to (a row's name); null when ambiguous or not found."),
    matched_by: z.string().nullable().describe("How it matched: hf_id, alias, gguf_repo, ollama_tag, gguf_file, quantizer_repo, words, derivative."),
    confidence: z.number().min(0).max(1),
    quant: z.string().nullable().describe("The quant the name carries (GGUF file, Ollama tag), as the estimator names it."),
    candidates: z.array(z.string()).describe("The match first, then alternatives, best first."),
    note: z.string().nullable().describe("What the match assumes (a derivative is sized as its base); null when nothing."),
  })
  .describe("What the name resolver made of {name} on the name route (its model is kept beside the substring matches); null on the other routes.");

export const ModelsEnvelopeSchema = z
  .strictObject({
    node: NodeSchema,
    system: SystemSchema,
    total_models: z.number().int().nonnegative().describe("Rows that passed the filters, before limit."),
    returned_models: z.number().int().nonnegative().describe("models.length."),
    filters: FiltersSchema,
    resolved_from: ResolvedFromSchema.nullable(),
    models: z.array(ModelRowSchema),
  })
  .describe("The answer of the three model routes.");
