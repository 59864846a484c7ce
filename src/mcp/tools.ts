// MCP tools: the API's answers for agents. Each tool parses its arguments with the API's own parser (parseModelQuery,
// parseEstimateRequest), asks the node service, and returns the API's object as structured content with a short summary.
import { parseEstimateRequest } from "../contract/estimate-request.js";
import { parsePlanRequest } from "../contract/plan-request.js";
import { isNodefitError, messageOf, type ErrorCode } from "../domain/errors.js";
import { parseModelQuery, type ModelRoute } from "../query/model-query.js";
import type { NodeService } from "../service/node-service.js";
import { argumentsObject, modelName, rawQueryOf, refuseUnknown } from "./arguments.js";
import { benchmarksSummary, envelopeSummary, estimateSummary, planSummary, runtimesSummary, systemSummary } from "./summaries.js";
import { NAME_ARGUMENTS, QUERY_ARGUMENTS, toolSchemas, type ObjectJsonSchema, type ToolSchemaName } from "./tool-schemas.js";

/** What tools/list says of a tool (the MCP `Tool` object). */
export interface ToolListing {
  name: string;
  title: string;
  description: string;
  inputSchema: ObjectJsonSchema;
  outputSchema: ObjectJsonSchema;
  annotations: { title: string; readOnlyHint: true; idempotentHint: true; destructiveHint: false; openWorldHint: false };
}

/** A tool result (the MCP `CallToolResult`): a summary and the answer as JSON text, and the answer itself. */
export interface ToolResult {
  [key: string]: unknown;
  content: Array<{ type: "text"; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

interface ToolDefinition<T> {
  name: ToolSchemaName;
  title: string;
  description: string;
  /** `signal`: the call's end (cancelled by the client, or its connection gone), which stops a Hub lookup made for it. */
  run(service: NodeService, args: unknown, signal: AbortSignal | undefined): Promise<T>;
  summary(answer: T): string;
}

const define = <T>(tool: ToolDefinition<T>): ToolDefinition<unknown> => tool as ToolDefinition<unknown>;

const QUERY_HELP =
  "Arguments are the API's query keys, with its defaults and its error texts; numbers and booleans may be given as JSON or as the text a query string carries.";

function modelsTool(name: "list_models" | "top_models", route: ModelRoute, title: string, description: string): ToolDefinition<unknown> {
  return define({
    name,
    title,
    description: `${description} ${QUERY_HELP}`,
    run: async (service, args) => {
      const given = argumentsObject(name, args);
      refuseUnknown(name, given, QUERY_ARGUMENTS);
      return service.modelsEnvelope(parseModelQuery(rawQueryOf(given, QUERY_ARGUMENTS), route));
    },
    summary: envelopeSummary,
  });
}

export const TOOLS: readonly ToolDefinition<unknown>[] = [
  define({
    name: "get_system",
    title: "This machine's hardware",
    description:
      "The node and the hardware nodefit answers for (GET /api/v1/system): GPUs with their memory, bandwidth and backend, RAM, CPU, and how each figure was obtained. No arguments.",
    run: async (service, args) => {
      refuseUnknown("get_system", argumentsObject("get_system", args), []);
      return service.system();
    },
    summary: systemSummary,
  }),
  modelsTool(
    "list_models",
    "models",
    "Rank the catalog's models on this machine",
    "Every catalog model estimated and scored on this machine (GET /api/v1/models): fit level, best quantization, runtime, memory, tokens/s, score and the notes that explain them, filtered, sorted and limited. The whole catalog is a few hundred rows: pass limit and filters.",
  ),
  modelsTool(
    "top_models",
    "top",
    "The best models to run here",
    "The best runnable models on this machine (GET /api/v1/models/top): the list_models query with scheduling defaults (limit 5, min_fit marginal, never a model that does not fit). Start here for 'which model should I run?'.",
  ),
  define({
    name: "model_info",
    title: "Details of a model by name",
    description:
      "The models a name matches, estimated on this machine (GET /api/v1/models/{name}): the name may be a Hugging Face id, an Ollama tag (llama3.1:8b), a GGUF file name or loose words; resolved_from says which model it resolves to and how (with candidates when it is ambiguous or unknown), and that model is among the rows beside substring matches. " +
      QUERY_HELP,
    run: async (service, args) => {
      const given = argumentsObject("model_info", args);
      refuseUnknown("model_info", given, NAME_ARGUMENTS);
      const name = modelName(given);
      return service.modelsEnvelope(parseModelQuery(rawQueryOf(given, NAME_ARGUMENTS.filter((k) => k !== "name")), "name", name));
    },
    summary: envelopeSummary,
  }),
  define({
    name: "estimate",
    title: "Estimate one model",
    description:
      "Estimate one model on this machine or on a described one (POST /api/v1/estimate, the same body): model is a catalog reference (Hugging Face id, Ollama tag, GGUF file name, loose words) or an architecture object; quant, context, runtime and kv_cache_type are optional; machine describes another machine (gpus, ram_gb, ...) to answer for it instead. Returns the fit, the memory breakdown, speed, alternatives and notes.",
    run: async (service, args, signal) => service.estimate(parseEstimateRequest(args ?? {}), signal ? { signal } : {}),
    summary: estimateSummary,
  }),
  define({
    name: "plan",
    title: "Plan the hardware for a model",
    description:
      "What hardware a model needs (POST /api/v1/plan, the same body): for each quant, the memory it needs (in GPU memory, offloaded, on the CPU), the memory bandwidth target_tps needs, and the cheapest known GPUs, GPU sets, Apple chips and unified boards that reach it, each checked by the estimator. model is a catalog reference or an architecture object; quant (plan one quant only), context and target_tps (default: the model's use case's speed) are optional.",
    run: async (service, args, signal) => service.plan(parsePlanRequest(args ?? {}), signal ? { signal } : {}),
    summary: planSummary,
  }),
  define({
    name: "benchmarks",
    title: "What this machine measured",
    description:
      "The benchmarks stored on this machine (GET /api/v1/benchmarks), newest first: models timed with `nodefit bench` (decode and prefill tok/s, time to first token, median and spread over the runs) beside nodefit's estimate for the same model, quant and context, and the corrections they give this machine's other estimates (a bounded measured/estimated factor per runtime, run mode and device). No arguments.",
    run: async (service, args) => {
      refuseUnknown("benchmarks", argumentsObject("benchmarks", args), []);
      return service.benchmarks();
    },
    summary: benchmarksSummary,
  }),
  define({
    name: "runtimes",
    title: "The runtimes on this machine",
    description:
      "The LLM runtimes running on this machine (GET /api/v1/runtimes): Ollama, llama.cpp's server, LM Studio, vLLM and mlx_lm.server, each with its version, endpoint, the models it holds in memory now and their memory, and its processes; the endpoints probed; and the model stores read (Ollama, the Hugging Face cache, LM Studio, llama.cpp's cache, --models-dir folders), whose copies list_models reports as installed / installed_as (filter with installed=true). The last snapshots, taken in the background. No arguments.",
    run: async (service, args) => {
      refuseUnknown("runtimes", argumentsObject("runtimes", args), []);
      return service.runtimes();
    },
    summary: runtimesSummary,
  }),
];

const BY_NAME: ReadonlyMap<string, ToolDefinition<unknown>> = new Map(TOOLS.map((t) => [t.name, t]));

const ANNOTATIONS = { readOnlyHint: true, idempotentHint: true, destructiveHint: false, openWorldHint: false } as const;

/** tools/list: every tool with its schemas and annotations. */
export function toolListings(): ToolListing[] {
  const schemas = toolSchemas();
  return TOOLS.map((t) => ({
    name: t.name,
    title: t.title,
    description: t.description,
    inputSchema: schemas[t.name].input,
    outputSchema: schemas[t.name].output,
    annotations: { title: t.title, ...ANNOTATIONS },
  }));
}

/** Codes the API answers with a 5xx: their text reads "server error: ...", as the API's does. */
const SERVER_SIDE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["overloaded", "invalid_catalog", "probe_failed", "internal"]);

/** The API's error text for anything a tool threw (http/error-reply.ts words the same errors the same way). */
export function errorText(e: unknown): string {
  if (!isNodefitError(e) || e.code === "internal") return "server error: internal";
  return SERVER_SIDE.has(e.code) ? `server error: ${e.message}` : e.message;
}

const toolError = (text: string): ToolResult => ({ content: [{ type: "text", text }], isError: true });

/**
 * tools/call: the tool's answer, or a tool error (isError) carrying the API's error text. Nothing a call does throws
 * out of here: an unexpected failure is logged and answered "server error: internal". `signal`: the call's end (the
 * SDK's, aborted by the client's notifications/cancelled or a closed connection).
 */
export async function callTool(service: NodeService, name: string, args: unknown, log: (message: string) => void, signal?: AbortSignal): Promise<ToolResult> {
  const tool = BY_NAME.get(name);
  if (tool === undefined) return toolError(`unknown tool ${name}: use ${TOOLS.map((t) => t.name).join(", ")}`);
  try {
    const answer = await tool.run(service, args, signal);
    return {
      content: [
        { type: "text", text: tool.summary(answer) },
        { type: "text", text: JSON.stringify(answer) },
      ],
      structuredContent: answer as Record<string, unknown>,
    };
  } catch (e) {
    if (!isNodefitError(e) || SERVER_SIDE.has(e.code)) log(`tool ${name} failed: ${messageOf(e)}`);
    return toolError(errorText(e));
  }
}
