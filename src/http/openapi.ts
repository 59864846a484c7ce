// OpenAPI 3.1 document: generated from the zod schemas the tests hold the answers to, and the route table.
import { z } from "zod";
import { ErrorSchema } from "../contract/schemas-error.js";
import { CustomModelSchema, EstimateRequestSchema, EstimateResultSchema, MachineRequestSchema } from "../contract/schemas-estimate.js";
import { PlanRequestSchema, PlanResultSchema } from "../contract/schemas-plan.js";
import { EndpointSchema, LoadedModelSchema, RuntimeProcessSchema, RuntimeSchema, RuntimesResponseSchema } from "../contract/schemas-runtimes.js";
import { InstalledAsSchema, StoreSchema } from "../contract/schemas-installed.js";
import { BenchmarkEstimateSchema, BenchmarkSchema, BenchmarksResponseSchema, BenchRunSchema, NodeCorrectionSchema, StatSchema } from "../contract/schemas-benchmarks.js";
import { EstimateBasisSchema, ModelRowSchema, ScoreComponentsSchema } from "../contract/schemas-row.js";
import { HealthSchema, NodeSchema, SystemDeviceSchema, SystemGpuGroupSchema, SystemResponseSchema, SystemSchema } from "../contract/schemas-system.js";
import { ArchitectureSchema } from "../catalog/schema.js";
import { packageVersion } from "../service/package-version.js";
import { IndexSchema, ReadinessChecksSchema, ReadySchema } from "./agent-schemas.js";
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_URL_BYTES } from "./limits.js";
import { FiltersDocSchema, ModelQueryParamsSchema, ModelsEnvelopeDocSchema } from "../query/query-schema.js";
import { API_PREFIX, MCP_PATH, MODEL_NAME_ROUTE, OPENAPI_PATH } from "./route-table.js";

type Json = Record<string, unknown>;
type Registry = ReturnType<typeof z.registry<{ id: string }>>;

const ref = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });
const jsonContent = (schema: Json): Json => ({ "application/json": { schema } });

/** Answers: additional keys are forward-compatible additions, so the document does not close the objects. */
function responseSchemas(): Record<string, Json> {
  const registry: Registry = z.registry<{ id: string }>();
  const entries: Array<[z.ZodType, string]> = [
    [NodeSchema, "Node"],
    [HealthSchema, "Health"],
    [ReadinessChecksSchema, "ReadinessChecks"],
    [ReadySchema, "Ready"],
    [IndexSchema, "Index"],
    [SystemGpuGroupSchema, "SystemGpuGroup"],
    [SystemDeviceSchema, "SystemDevice"],
    [SystemSchema, "System"],
    [SystemResponseSchema, "SystemResponse"],
    [ScoreComponentsSchema, "ScoreComponents"],
    [EstimateBasisSchema, "EstimateBasis"],
    [ModelRowSchema, "ModelRow"],
    [FiltersDocSchema, "Filters"],
    [ModelsEnvelopeDocSchema, "ModelsEnvelope"],
    [EstimateResultSchema, "EstimateResult"],
    [PlanResultSchema, "PlanResult"],
    [StatSchema, "BenchStat"],
    [BenchRunSchema, "BenchRun"],
    [BenchmarkEstimateSchema, "BenchmarkEstimate"],
    [BenchmarkSchema, "Benchmark"],
    [NodeCorrectionSchema, "NodeCorrection"],
    [BenchmarksResponseSchema, "Benchmarks"],
    [InstalledAsSchema, "InstalledAs"],
    [StoreSchema, "Store"],
    [LoadedModelSchema, "LoadedModel"],
    [RuntimeProcessSchema, "RuntimeProcess"],
    [RuntimeSchema, "Runtime"],
    [EndpointSchema, "RuntimeEndpoint"],
    [RuntimesResponseSchema, "Runtimes"],
    [ErrorSchema, "Error"],
  ];
  for (const [schema, id] of entries) registry.add(schema, { id });
  return convert(registry, "output", (json) => {
    if (json["additionalProperties"] === false) delete json["additionalProperties"];
  });
}

/** Requests: the server rejects unknown fields, so the objects stay closed. */
function requestSchemas(): Record<string, Json> {
  const registry: Registry = z.registry<{ id: string }>();
  registry.add(EstimateRequestSchema, { id: "EstimateRequest" });
  registry.add(PlanRequestSchema, { id: "PlanRequest" });
  registry.add(CustomModelSchema, { id: "CustomModel" });
  registry.add(ArchitectureSchema, { id: "Architecture" });
  registry.add(MachineRequestSchema, { id: "MachineDescription" });
  return convert(registry, "input", () => {});
}

function convert(registry: Registry, io: "input" | "output", adjust: (json: Json) => void): Record<string, Json> {
  const { schemas } = z.toJSONSchema(registry, {
    target: "draft-2020-12",
    io,
    uri: (id) => `#/components/schemas/${id}`,
    override: (ctx) => adjust(ctx.jsonSchema as Json),
  });
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as Json;
    out[id] = rest;
  }
  return out;
}

function queryParameters(): Json[] {
  return Object.entries(ModelQueryParamsSchema.shape).map(([name, schema]) => {
    const { $schema: _s, description, ...rest } = z.toJSONSchema(schema) as Json;
    return { name, in: "query", required: false, description, schema: rest };
  });
}

const errorResponse = (description: string, headers?: Json): Json => ({
  description,
  ...(headers ? { headers } : {}),
  content: jsonContent(ref("Error")),
});

const RESPONSES: Record<string, Json> = {
  BadRequest: errorResponse("An invalid query value or request body, e.g. `invalid min_fit value: use perfect|good|marginal|too_tight`."),
  Unauthorized: errorResponse("The agent runs with an access token and the request did not carry it.", {
    "WWW-Authenticate": { schema: { type: "string" }, description: 'Bearer realm="nodefit"' },
  }),
  NotFound: errorResponse("No such path (or, for POST /api/v1/estimate and /api/v1/plan, a model reference that resolves to nothing: not in the catalog, nor found on the Hugging Face Hub)."),
  PayloadTooLarge: errorResponse(`A body over ${DEFAULT_BODY_LIMIT_BYTES} bytes, or a path and query over ${DEFAULT_MAX_URL_BYTES} bytes.`),
  UnsupportedMediaType: errorResponse("A body that is not application/json."),
  ServerError: errorResponse('An unexpected failure: "server error: internal" (details stay in the agent\'s log).'),
  Unavailable: errorResponse('The first hardware scan failed: "server error: hardware scan failed: ..."; the next request starts a new scan.'),
};
const respond = (name: string): Json => ({ $ref: `#/components/responses/${name}` });

/** Routes guarded by the optional token: either anonymous (no token configured) or a bearer token. */
const GUARDED = [{}, { bearerToken: [] }];
const OPEN: Json[] = [];

interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Json[];
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
}

function withHead(get: Operation): Json {
  return {
    get,
    head: {
      operationId: `${get.operationId}Head`,
      summary: `Headers of GET (no body).`,
      tags: get.tags,
      security: get.security,
      ...(get.parameters ? { parameters: get.parameters } : {}),
      responses: { "200": { description: "The headers GET would send." } },
    },
  };
}

function modelsOperation(operationId: string, summary: string, description: string, extraParameters: Json[] = []): Operation {
  return {
    operationId,
    summary,
    description,
    tags: ["models"],
    security: GUARDED,
    parameters: [...extraParameters, ...queryParameters()],
    responses: {
      "200": { description: "The models envelope.", content: jsonContent(ref("ModelsEnvelope")) },
      "400": respond("BadRequest"),
      "401": respond("Unauthorized"),
      "413": respond("PayloadTooLarge"),
      "500": respond("ServerError"),
      "503": respond("Unavailable"),
    },
  };
}

/** A POST that analyses a JSON request body (estimate, plan): the errors every such request can meet. */
function analysisOperation(operationId: string, summary: string, description: string | null, request: string, result: string, resultDescription: string): Operation {
  return {
    operationId,
    summary,
    ...(description === null ? {} : { description }),
    tags: ["estimate"],
    security: GUARDED,
    requestBody: { required: true, content: jsonContent(ref(request)) },
    responses: {
      "200": { description: resultDescription, content: jsonContent(ref(result)) },
      "400": respond("BadRequest"),
      "401": respond("Unauthorized"),
      "404": respond("NotFound"),
      "413": respond("PayloadTooLarge"),
      "415": respond("UnsupportedMediaType"),
      "500": respond("ServerError"),
      "503": respond("Unavailable"),
    },
  };
}

function paths(): Record<string, Json> {
  return {
    "/": withHead({
      operationId: "getIndex",
      summary: "A short JSON index of the agent; the dashboard to a browser",
      description:
        "Answers the JSON index, unless the request's Accept names text/html (a browser): then the dashboard's page, which needs no token (it holds no data; it asks for the token and sends it with the API requests it makes) and whose files are served under /assets/.",
      tags: ["agent"],
      security: GUARDED,
      responses: {
        "200": {
          description: "The index, or the dashboard's page when Accept names text/html.",
          content: { ...jsonContent(ref("Index")), "text/html": { schema: { type: "string" } } },
        },
        "401": respond("Unauthorized"),
      },
    }),
    "/health": withHead({
      operationId: "getHealth",
      summary: "Liveness",
      description: "Answers at once, even while the first hardware scan runs. Never requires the token.",
      tags: ["agent"],
      security: OPEN,
      responses: { "200": { description: "The process runs.", content: jsonContent(ref("Health")) } },
    }),
    "/ready": withHead({
      operationId: "getReady",
      summary: "Readiness",
      description:
        "200 once the first hardware snapshot exists and the default analysis (every catalog model at its default context) is cached; 503 before, or while a failed step is retried. Answers at once. Never requires the token.",
      tags: ["agent"],
      security: OPEN,
      responses: {
        "200": { description: "Ready.", content: jsonContent(ref("Ready")) },
        "503": { description: "Starting: the body says what the agent waits for.", content: jsonContent(ref("Ready")) },
      },
    }),
    "/metrics": withHead({
      operationId: "getMetrics",
      summary: "Prometheus metrics",
      description:
        "Text exposition format 0.0.4: process (resident memory, heap, CPU time, uptime, event-loop lag), HTTP (requests by route, method and status; a latency histogram), and this node (GPU memory total and free per device, RAM total and available, models per fit level in the default analysis, snapshot age, readiness). docs/agent.md lists every family.",
      tags: ["agent"],
      security: GUARDED,
      responses: {
        "200": { description: "The metrics.", content: { "text/plain; version=0.0.4": { schema: { type: "string" } } } },
        "401": respond("Unauthorized"),
      },
    }),
    [OPENAPI_PATH]: withHead({
      operationId: "getOpenApi",
      summary: "This document",
      tags: ["agent"],
      security: GUARDED,
      responses: {
        "200": { description: "The OpenAPI 3.1 document.", content: jsonContent({ type: "object" }) },
        "401": respond("Unauthorized"),
      },
    }),
    [`${API_PREFIX}/system`]: withHead({
      operationId: "getSystem",
      summary: "This node and its hardware",
      description: "Answers from the first hardware snapshot, waiting for it if needed; later refreshes never make a request wait.",
      tags: ["system"],
      security: GUARDED,
      responses: {
        "200": { description: "Node and system objects.", content: jsonContent(ref("SystemResponse")) },
        "401": respond("Unauthorized"),
        "500": respond("ServerError"),
        "503": respond("Unavailable"),
      },
    }),
    [`${API_PREFIX}/models`]: withHead(
      modelsOperation("listModels", "Every catalog model, estimated and scored on this node", "Filtered, sorted and limited by the query; defaults: every row, too_tight included."),
    ),
    [`${API_PREFIX}/models/top`]: withHead(
      modelsOperation(
        "topModels",
        "The best runnable models, for schedulers",
        "Same query as /api/v1/models with scheduling defaults: limit 5, min_fit marginal, and never a too_tight row.",
      ),
    ),
    [MODEL_NAME_ROUTE]: withHead(
      modelsOperation("modelsByName", "Models whose name matches", "{name} (URL-decoded; %2F or a plain / alike) becomes the search filter, replacing any search= key.", [
        { name: "name", in: "path", required: true, description: "Case-insensitive substring of the model name, provider, size or category.", schema: { type: "string" } },
      ]),
    ),
    [`${API_PREFIX}/estimate`]: { post: analysisOperation("estimate", "Estimate one model on this node or a described machine", null, "EstimateRequest", "EstimateResult", "The estimate.") },
    [`${API_PREFIX}/plan`]: {
      post: analysisOperation(
        "plan",
        "Plan the hardware for one model",
        "For each quant (llama.cpp's GGUF ladder, vLLM's and MLX's formats; or the one asked): the memory it needs (wholly in GPU memory, offloaded by llama.cpp, on the CPU alone), the bandwidth target_tps needs on a reference device (the speed model inverted on its class's calibration), and the known cards, card sets, Apple chips and unified boards that meet the target with the quant wholly in accelerator memory, cheapest first, each checked by the estimator on that described machine. Never waits for this node's hardware.",
        "PlanRequest",
        "PlanResult",
        "The plan.",
      ),
    },
    [`${API_PREFIX}/benchmarks`]: withHead({
      operationId: "getBenchmarks",
      summary: "This node's benchmarks and the corrections they give its estimates",
      description:
        "The results `nodefit bench` stored on this node (its SQLite store under the data directory), newest first: decode and prefill tok/s and TTFT with median and spread over the timed runs, each run, and nodefit's estimate for the same model, quant and context beside them. `corrections`: per runtime, run mode, calibration entry and device, the median measured/estimated ratio of those benchmarks, bounded to 0.5-2x, which multiplies this node's other decode estimates of that kind (their estimate_basis says `node_correction`). Read from the store only when a bench stored results since the last read.",
      tags: ["benchmarks"],
      security: GUARDED,
      responses: {
        "200": { description: "The benchmarks and corrections.", content: jsonContent(ref("Benchmarks")) },
        "401": respond("Unauthorized"),
        "500": respond("ServerError"),
        "503": respond("Unavailable"),
      },
    }),
    [`${API_PREFIX}/runtimes`]: withHead({
      operationId: "getRuntimes",
      summary: "The LLM runtimes on this node, what they hold in memory, and its model stores",
      description:
        "Ollama (/api/version, /api/tags, /api/ps; OLLAMA_HOST), llama.cpp's server (/health, /props, /v1/models), LM Studio (/api/v0/models, /v1/models), vLLM (/version, /v1/models, /metrics) and mlx_lm.server (/v1/models), at their default addresses, those given (--runtime-endpoint NAME=URL, NODEFIT_RUNTIME_ENDPOINTS, `runtime_endpoints` in the config file) and the ports their processes' command lines give (the process list: ps, Win32_Process, tasklist; only where the process listens on this host: loopback, an any-address or one of its interfaces' addresses, and at most 16 such endpoints a round); each request with a 300 ms timeout. `installed`: the model stores read (Ollama, the Hugging Face cache, LM Studio, llama.cpp's cache, --models-dir), whose copies rows report as installed / installed_as. The last snapshots, taken in the background once the agent listens and again on a timer (runtimes with the hardware refresh, stores every 5 minutes): this answer never waits for a probe or a scan (`status: pending` before the first), and a hung endpoint is a warning.",
      tags: ["runtimes"],
      security: GUARDED,
      responses: {
        "200": { description: "The runtimes object.", content: jsonContent(ref("Runtimes")) },
        "401": respond("Unauthorized"),
        "500": respond("ServerError"),
      },
    }),
    [MCP_PATH]: {
      post: {
        operationId: "mcp",
        summary: "MCP for agents (Streamable HTTP)",
        description:
          "The Model Context Protocol, stateless: each POST carries JSON-RPC 2.0 messages and gets one JSON answer (no server-sent stream, so GET is 405). Tools get_system, list_models, top_models, model_info, estimate, plan, benchmarks and runtimes return this API's objects as structuredContent; resources: the system object and this document; prompt: choose_model. Send `Accept: application/json, text/event-stream`; errors of the protocol are JSON-RPC errors, mistakes in a tool's arguments are tool results with isError and this API's error text.",
        tags: ["mcp"],
        security: GUARDED,
        requestBody: { required: true, content: jsonContent({ description: "A JSON-RPC 2.0 request or notification, or a batch of them.", type: ["object", "array"] }) },
        responses: {
          "200": { description: "The JSON-RPC answer.", content: jsonContent({ type: ["object", "array"] }) },
          "202": { description: "Accepted: the body held only notifications or responses." },
          "400": { description: "Not JSON-RPC: a JSON-RPC error.", content: jsonContent({ type: "object" }) },
          "401": respond("Unauthorized"),
          "406": { description: "The Accept header does not name both application/json and text/event-stream: a JSON-RPC error.", content: jsonContent({ type: "object" }) },
          "413": respond("PayloadTooLarge"),
          "415": respond("UnsupportedMediaType"),
          "500": respond("ServerError"),
        },
      },
    },
  };
}

const DESCRIPTION = [
  "The nodefit node agent: which open-weight LLMs run well on this node, at which quantization and context, how fast, in how much memory, and why.",
  "",
  "- Every answer is JSON (but /metrics), every error `{\"error\": \"...\"}`; 5xx answers never carry internals.",
  "- HEAD is answered wherever GET is. Another method on a known path: 405 with an `Allow` header. Unknown paths: 404.",
  "- Access token: when the agent runs with one (NODEFIT_TOKEN, --token-file), every route but /health and /ready requires `Authorization: Bearer <token>`.",
  "- CORS is off unless the agent runs with --cors-origin.",
  "- Every answer carries `Cache-Control: no-store`, `X-Content-Type-Options: nosniff`, `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`, `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer` and `X-Request-Id` (the caller's, when it is a short plain token).",
  `- Limits: request bodies ${DEFAULT_BODY_LIMIT_BYTES} bytes, path and query ${DEFAULT_MAX_URL_BYTES} bytes, request line and headers ${DEFAULT_MAX_HEADER_BYTES} bytes (431).`,
  "- Answer objects may gain keys in later versions: parse the keys you need and ignore the others.",
].join("\n");

export function openApiDocument(): Json {
  return {
    openapi: "3.1.0",
    info: { title: "nodefit node agent", version: packageVersion(), description: DESCRIPTION, license: { name: "MIT", identifier: "MIT" } },
    servers: [{ url: "http://127.0.0.1:8787", description: "The default listen address" }],
    tags: [
      { name: "agent", description: "Index, probes, metrics, this document." },
      { name: "system", description: "This node's hardware." },
      { name: "models", description: "The catalog estimated and scored on this node." },
      { name: "estimate", description: "One model on any machine." },
      { name: "benchmarks", description: "What this node measured (`nodefit bench`) and how it corrects its estimates." },
      { name: "runtimes", description: "The LLM runtimes on this node and its model stores." },
      { name: "mcp", description: "The same answers for agents, over the Model Context Protocol." },
    ],
    paths: paths(),
    components: {
      schemas: { ...responseSchemas(), ...requestSchemas() },
      responses: RESPONSES,
      securitySchemes: { bearerToken: { type: "http", scheme: "bearer", description: "The agent's access token, when it runs with one." } },
    },
  };
}

/** The document as committed in docs/openapi.json: two-space indented, one trailing newline. */
export function openApiJson(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}
