// Tool schemas: each MCP tool's input and output JSON Schema, generated from the contract's zod schemas (the ones the
// OpenAPI document and the tests use), once per process.
import { z } from "zod";
import { EstimateRequestSchema, EstimateResultSchema } from "../contract/schemas-estimate.js";
import { PlanRequestSchema, PlanResultSchema } from "../contract/schemas-plan.js";
import { BenchmarksResponseSchema } from "../contract/schemas-benchmarks.js";
import { RuntimesResponseSchema } from "../contract/schemas-runtimes.js";
import { SystemResponseSchema } from "../contract/schemas-system.js";
import { ModelQueryParamsSchema, ModelsEnvelopeDocSchema } from "../query/query-schema.js";

/** A tool's JSON Schema: MCP wants an object schema at the root. */
export type ObjectJsonSchema = { type: "object"; [key: string]: unknown };

/** The keys list_models and top_models read: every query key of the API's model routes. */
export const QUERY_ARGUMENTS = Object.keys(ModelQueryParamsSchema.shape);
/** model_info: the name (the path segment of the name route) and the query keys but `search`, which the name replaces. */
export const NAME_ARGUMENTS = ["name", ...QUERY_ARGUMENTS.filter((k) => k !== "search")];

const NameArgumentsSchema = ModelQueryParamsSchema.omit({ search: true })
  .partial()
  .extend({
    name: z
      .string()
      .min(1)
      .describe("A model name or part of it: a Hugging Face id (Qwen/Qwen3-8B), an Ollama tag (llama3.1:8b), a GGUF file name or loose words."),
  });

/**
 * JSON Schema (draft-07, what the SDK's own client validates with) of a zod schema. Answers may gain keys in later
 * versions, as the OpenAPI document says, so output objects are left open; inputs stay closed (unknown arguments are
 * refused).
 */
function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): ObjectJsonSchema {
  const json = z.toJSONSchema(schema, {
    target: "draft-7",
    io,
    override: (ctx) => {
      if (io === "output" && (ctx.jsonSchema as Record<string, unknown>)["additionalProperties"] === false)
        delete (ctx.jsonSchema as Record<string, unknown>)["additionalProperties"];
    },
  }) as Record<string, unknown>;
  if (json["type"] !== "object") throw new Error("an MCP tool schema must be an object schema");
  return json as ObjectJsonSchema;
}

export interface ToolSchemas {
  input: ObjectJsonSchema;
  output: ObjectJsonSchema;
}

export type ToolSchemaName = "get_system" | "list_models" | "top_models" | "model_info" | "estimate" | "plan" | "benchmarks" | "runtimes";

let cached: Readonly<Record<ToolSchemaName, ToolSchemas>> | null = null;

/** Every tool's schemas, generated on first use (a few milliseconds) and kept. */
export function toolSchemas(): Readonly<Record<ToolSchemaName, ToolSchemas>> {
  if (cached !== null) return cached;
  const envelope = jsonSchemaOf(ModelsEnvelopeDocSchema, "output");
  const query = jsonSchemaOf(ModelQueryParamsSchema.partial(), "input");
  cached = {
    get_system: { input: jsonSchemaOf(z.strictObject({}), "input"), output: jsonSchemaOf(SystemResponseSchema, "output") },
    list_models: { input: query, output: envelope },
    top_models: { input: query, output: envelope },
    model_info: { input: jsonSchemaOf(NameArgumentsSchema, "input"), output: envelope },
    estimate: { input: jsonSchemaOf(EstimateRequestSchema, "input"), output: jsonSchemaOf(EstimateResultSchema, "output") },
    plan: { input: jsonSchemaOf(PlanRequestSchema, "input"), output: jsonSchemaOf(PlanResultSchema, "output") },
    benchmarks: { input: jsonSchemaOf(z.strictObject({}), "input"), output: jsonSchemaOf(BenchmarksResponseSchema, "output") },
    runtimes: { input: jsonSchemaOf(z.strictObject({}), "input"), output: jsonSchemaOf(RuntimesResponseSchema, "output") },
  };
  return cached;
}
