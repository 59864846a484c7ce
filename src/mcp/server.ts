// MCP server: nodefit's tools, resources and prompt on one NodeService, for any transport (stdio.ts, streamable-http.ts).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { isNodefitError, messageOf } from "../domain/errors.js";
import type { NodeService } from "../service/node-service.js";
import { packageVersion } from "../service/package-version.js";
import { CHOOSE_MODEL_PROMPT, chooseModelText } from "./prompts.js";
import { OPENAPI_URI, SYSTEM_URI, openApiText } from "./resources.js";
import { callTool, errorText, toolListings } from "./tools.js";

export interface NodefitMcpOptions {
  /** One line for a person (stderr): failures a tool answered "server error" for, transport errors. */
  log: (message: string) => void;
}

const JSON_TYPE = "application/json";

/**
 * A resource or prompt that failed: a JSON-RPC error with the API's text (a caller's mistake is invalid params). A plain
 * Error with a code, as the SDK sends its message as is (an McpError's message carries an "MCP error" prefix the client
 * adds again).
 */
const protocolError = (e: unknown): Error & { code: number } =>
  Object.assign(new Error(errorText(e)), { code: isNodefitError(e) && e.code === "invalid_argument" ? ErrorCode.InvalidParams : ErrorCode.InternalError });

const INSTRUCTIONS = [
  "nodefit answers which open-weight LLMs run well on this machine (or a described one): at which quantization and context, how fast, in how much memory, and why.",
  "Start with top_models (or list_models with filters and a limit); model_info resolves a name (Hugging Face id, Ollama tag, GGUF file) and estimates it; estimate answers one model at a given quant, context, runtime or KV cache type, on this machine or a described one.",
  "benchmarks lists what this machine measured with nodefit bench, beside the estimates, and the corrections its estimates get from them.",
  "runtimes lists the LLM runtimes running here (Ollama, llama.cpp, LM Studio, vLLM, MLX) with the models they hold in memory, and the model stores on disk; list_models with installed=true keeps the models already on this machine.",
  "Every answer is the nodefit HTTP API's object (see the openapi resource); figures are estimates, and each row's notes and estimate_basis say where they come from.",
].join(" ");

/**
 * Builds the server. Tools are listed and called by nodefit's own handlers, not the SDK's `registerTool`: the SDK would
 * validate arguments with zod before the tool runs and answer with its own text, while every mistake must read as the
 * API words it (the arguments go through parseModelQuery and parseEstimateRequest). Their JSON Schemas are generated
 * from the same zod schemas (tool-schemas.ts).
 */
export function createNodefitMcpServer(service: NodeService, options: NodefitMcpOptions): McpServer {
  const mcp = new McpServer({ name: "nodefit", title: "nodefit", version: packageVersion() }, { instructions: INSTRUCTIONS });
  const server = mcp.server;
  server.onerror = (e) => options.log(`mcp: ${messageOf(e)}`);

  server.registerCapabilities({ tools: { listChanged: false } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolListings() }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => callTool(service, request.params.name, request.params.arguments, options.log, extra.signal));

  mcp.registerResource(
    "system",
    SYSTEM_URI,
    { title: "This machine's hardware", description: "The node and system object of GET /api/v1/system: the snapshot the tools answer from.", mimeType: JSON_TYPE },
    async (uri) => {
      try {
        return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify(await service.system()) }] };
      } catch (e) {
        throw protocolError(e);
      }
    },
  );
  mcp.registerResource(
    "openapi",
    OPENAPI_URI,
    { title: "The nodefit HTTP API", description: "The OpenAPI 3.1 document of the node agent's HTTP API, whose objects the tools return.", mimeType: JSON_TYPE },
    (uri) => ({ contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: openApiText() }] }),
  );

  mcp.registerPrompt(
    CHOOSE_MODEL_PROMPT,
    {
      title: "Choose a model for a task",
      description: "Steps to pick the open-weight LLM that suits a task on this machine, with the nodefit tools.",
      argsSchema: {
        task: z.string().describe("What the model is for, e.g. 'code completion in a TypeScript repository' or 'summarize long PDFs'."),
        use_case: z.string().optional().describe("general, coding, reasoning, chat, multimodal or embedding (default: chosen from the task)."),
        max_context: z.string().optional().describe("The context the task needs, in tokens (default: each model's default, at most 8192)."),
      },
    },
    (args) => {
      try {
        return { messages: [{ role: "user", content: { type: "text", text: chooseModelText(args) } }] };
      } catch (e) {
        throw protocolError(e);
      }
    },
  );
  return mcp;
}
