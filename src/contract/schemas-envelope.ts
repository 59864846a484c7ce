// Schemas of the models envelope and its filters echo: the zod form of envelope.ts, for tests and the OpenAPI document.
// The query vocabulary (sort keys, runtime filter) sits above the contract; src/http/query-schema.ts narrows those keys.
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
  })
  .describe("The effective query: every key present, null where unset, values normalized.");

export const ModelsEnvelopeSchema = z
  .strictObject({
    node: NodeSchema,
    system: SystemSchema,
    total_models: z.number().int().nonnegative().describe("Rows that passed the filters, before limit."),
    returned_models: z.number().int().nonnegative().describe("models.length."),
    filters: FiltersSchema,
    models: z.array(ModelRowSchema),
  })
  .describe("The answer of the three model routes.");
