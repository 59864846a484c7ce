// Query schema: the model routes' query parameters and the filters echo with the query vocabulary, for the OpenAPI document
// and the MCP tools' input and output schemas (both edges import it from here).
import { z } from "zod";
import { FiltersSchema, ModelsEnvelopeSchema } from "../contract/schemas-envelope.js";
import {
  BOOLEAN_ACCEPTED,
  FORCE_RUNTIME_VALUES,
  MIN_FIT_VALUES,
  RUNTIME_FILTER_VALUES,
  SORT_KEYS,
  USE_CASE_VALUES,
} from "./vocabulary.js";

const caseless = "Trimmed; case-insensitive.";
const booleanWords = `Accepts ${BOOLEAN_ACCEPTED.split("|").join(", ")}, in any case.`;

/**
 * One schema per key the model routes read, in their canonical form. The wire value is text: enums and booleans are
 * trimmed and matched without case, integers are plain decimal digits; an empty value is invalid except for the two
 * free-text keys, where it means unset. Any invalid value is a 400 `invalid <key> value: use <accepted>`.
 */
export const ModelQueryParamsSchema = z.strictObject({
  limit: z.number().int().min(0).describe("Return at most this many rows. Default: unlimited; 5 on /top."),
  n: z.number().int().min(0).describe("Alias of limit; limit wins when both are given."),
  perfect: z.boolean().describe(`true: only perfect fits. ${booleanWords}`),
  min_fit: z.enum(MIN_FIT_VALUES).describe(`Keep rows at or above this fit (perfect > good > marginal > too_tight). Default: none; marginal on /top. ${caseless}`),
  runtime: z.enum(RUNTIME_FILTER_VALUES).describe(`Keep rows whose chosen runtime is this one. Default any. ${caseless}`),
  use_case: z.enum(USE_CASE_VALUES).describe(`Keep rows of this category. ${caseless}`),
  provider: z.string().describe("Case-insensitive substring of the provider; empty = unset."),
  search: z.string().describe("Case-insensitive substring of name, provider, parameter count, use case or category; empty = unset. Replaced by {name} on the name route."),
  sort: z.enum(SORT_KEYS).describe(`Sort column; too_tight rows always last; ties by score then name. Default score. ${caseless}`),
  max_context: z.number().int().min(1).describe("Context for memory and speed estimates, tokens. Default: min(8192, the model's context)."),
  include_too_tight: z.boolean().describe(`Include rows that do not fit. Default true; /top never returns them. ${booleanWords}`),
  force_runtime: z.enum(FORCE_RUNTIME_VALUES).describe(`Evaluate every row on this runtime (no "any": leave it out for automatic). ${caseless}`),
  installed: z
    .boolean()
    .describe(`true: only models on this node's disks (installed_as says where); false: only models the stores were read and do not hold. Rows whose stores were not read (installed null) pass neither. ${booleanWords}`),
});

export const FiltersDocSchema = FiltersSchema.extend({
  runtime: z.enum(RUNTIME_FILTER_VALUES).nullable(),
  sort: z.enum(SORT_KEYS),
});

/** The models envelope with the query vocabulary: what the three model routes answer. */
export const ModelsEnvelopeDocSchema = ModelsEnvelopeSchema.extend({ filters: FiltersDocSchema });
