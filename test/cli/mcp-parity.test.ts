// MCP and HTTP give the same objects: the SDK's own client drives both transports (the built CLI's `nodefit mcp` on
// stdio, the agent's POST /mcp), lists the tools, calls each, and compares every structuredContent with the API's
// answer to the same query; a mistake is a tool error carrying the API's error text, and the server keeps answering.
import { spawn } from "node:child_process";
import path from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPENAPI_DOC_FILE } from "../../src/http/openapi-write.js";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { openLocalService } from "../../src/service/local-service.js";
import type { NodeService } from "../../src/service/node-service.js";
import { sampleBenchmark, seededStore } from "../support/benchmarks.js";
import { FIXTURE_MACHINE, MAIN } from "./run-cli.js";

/** Snapshot times are the only values allowed to differ between two answers for the same machine (the stdio server
 *  is another process, with its own snapshot). */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "snapshot_at").map(([k, v]) => [k, withoutTimes(v)]));
  return value;
}

interface ToolCase {
  tool: string;
  args: Record<string, unknown>;
  /** The same question to the API. */
  api: { method: "GET" | "POST"; url: string; payload?: unknown };
}

/** Questions with an answer: structuredContent must equal the API's 200 body. */
const ANSWERS: ToolCase[] = [
  { tool: "get_system", args: {}, api: { method: "GET", url: "/api/v1/system" } },
  { tool: "benchmarks", args: {}, api: { method: "GET", url: "/api/v1/benchmarks" } },
  // A described machine: runtimes and stores are not looked at, by either door; rows say installed null, so
  // installed=false keeps none.
  { tool: "runtimes", args: {}, api: { method: "GET", url: "/api/v1/runtimes" } },
  { tool: "list_models", args: { installed: false, limit: 3 }, api: { method: "GET", url: "/api/v1/models?installed=false&limit=3" } },
  { tool: "list_models", args: {}, api: { method: "GET", url: "/api/v1/models" } },
  {
    tool: "list_models",
    args: { limit: 7, sort: "mem", use_case: "coding", max_context: 16384 },
    api: { method: "GET", url: "/api/v1/models?limit=7&sort=mem&use_case=coding&max_context=16384" },
  },
  { tool: "list_models", args: { search: "qwen", min_fit: "good", runtime: "llamacpp" }, api: { method: "GET", url: "/api/v1/models?search=qwen&min_fit=good&runtime=llamacpp" } },
  { tool: "list_models", args: { perfect: true, n: 3 }, api: { method: "GET", url: "/api/v1/models?perfect=true&n=3" } },
  {
    tool: "list_models",
    args: { provider: "Meta", include_too_tight: false, force_runtime: "llamacpp", limit: 4 },
    api: { method: "GET", url: "/api/v1/models?provider=Meta&include_too_tight=false&force_runtime=llamacpp&limit=4" },
  },
  // Text as a query string carries it: case, spaces, "yes", digits in a string.
  { tool: "list_models", args: { sort: " TPS ", limit: "4", perfect: "yes" }, api: { method: "GET", url: "/api/v1/models?sort=%20TPS%20&limit=4&perfect=yes" } },
  { tool: "list_models", args: { limit: 5, search: null }, api: { method: "GET", url: "/api/v1/models?limit=5" } },
  { tool: "top_models", args: {}, api: { method: "GET", url: "/api/v1/models/top" } },
  { tool: "top_models", args: { min_fit: "good", limit: 3, include_too_tight: true }, api: { method: "GET", url: "/api/v1/models/top?min_fit=good&limit=3&include_too_tight=true" } },
  { tool: "top_models", args: { use_case: "reasoning", max_context: 32768 }, api: { method: "GET", url: "/api/v1/models/top?use_case=reasoning&max_context=32768" } },
  { tool: "model_info", args: { name: "Qwen/Qwen3-8B" }, api: { method: "GET", url: "/api/v1/models/Qwen%2FQwen3-8B" } },
  { tool: "model_info", args: { name: "llama3.1:8b", max_context: 32768 }, api: { method: "GET", url: "/api/v1/models/llama3.1%3A8b?max_context=32768" } },
  { tool: "model_info", args: { name: "Qwen/Qwen3-8B/", force_runtime: "vllm" }, api: { method: "GET", url: "/api/v1/models/Qwen/Qwen3-8B/?force_runtime=vllm" } },
  { tool: "model_info", args: { name: "no-such-model-zzzz" }, api: { method: "GET", url: "/api/v1/models/no-such-model-zzzz" } },
  { tool: "estimate", args: { model: "qwen3:8b", context: 4096 }, api: { method: "POST", url: "/api/v1/estimate", payload: { model: "qwen3:8b", context: 4096 } } },
  {
    tool: "estimate",
    args: { model: "Qwen/Qwen3-8B", quant: "Q4_K_M", runtime: "llamacpp", kv_cache_type: "q8_0", context: 32768 },
    api: { method: "POST", url: "/api/v1/estimate", payload: { model: "Qwen/Qwen3-8B", quant: "Q4_K_M", runtime: "llamacpp", kv_cache_type: "q8_0", context: 32768 } },
  },
  {
    tool: "estimate",
    args: { model: "deepseek-ai/DeepSeek-V3", machine: { gpus: [{ name: "NVIDIA H100 80GB HBM3", count: 8 }], ram_gb: 1024 } },
    api: { method: "POST", url: "/api/v1/estimate", payload: { model: "deepseek-ai/DeepSeek-V3", machine: { gpus: [{ name: "NVIDIA H100 80GB HBM3", count: 8 }], ram_gb: 1024 } } },
  },
  { tool: "plan", args: { model: "qwen3:8b", quant: "Q4_K_M" }, api: { method: "POST", url: "/api/v1/plan", payload: { model: "qwen3:8b", quant: "Q4_K_M" } } },
  {
    tool: "plan",
    args: { model: "Qwen/Qwen3-30B-A3B", context: 8192, target_tps: 30 },
    api: { method: "POST", url: "/api/v1/plan", payload: { model: "Qwen/Qwen3-30B-A3B", context: 8192, target_tps: 30 } },
  },
];

/** Mistakes: the tool error's text must be the API's error body. */
const MISTAKES: ToolCase[] = [
  { tool: "list_models", args: { min_fit: "bogus" }, api: { method: "GET", url: "/api/v1/models?min_fit=bogus" } },
  { tool: "list_models", args: { limit: -1 }, api: { method: "GET", url: "/api/v1/models?limit=-1" } },
  { tool: "list_models", args: { limit: 2.5 }, api: { method: "GET", url: "/api/v1/models?limit=2.5" } },
  { tool: "list_models", args: { perfect: "maybe" }, api: { method: "GET", url: "/api/v1/models?perfect=maybe" } },
  { tool: "list_models", args: { installed: "perhaps" }, api: { method: "GET", url: "/api/v1/models?installed=perhaps" } },
  { tool: "list_models", args: { max_context: 0 }, api: { method: "GET", url: "/api/v1/models?max_context=0" } },
  // A value of the wrong JSON type reads as an empty value would in a URL.
  { tool: "list_models", args: { sort: ["mem"] }, api: { method: "GET", url: "/api/v1/models?sort=" } },
  { tool: "top_models", args: { force_runtime: "any" }, api: { method: "GET", url: "/api/v1/models/top?force_runtime=any" } },
  { tool: "model_info", args: { name: "qwen3", runtime: "ollama" }, api: { method: "GET", url: "/api/v1/models/qwen3?runtime=ollama" } },
  { tool: "estimate", args: {}, api: { method: "POST", url: "/api/v1/estimate", payload: {} } },
  { tool: "estimate", args: { model: "qwen3:8b", quant: "Q9" }, api: { method: "POST", url: "/api/v1/estimate", payload: { model: "qwen3:8b", quant: "Q9" } } },
  { tool: "estimate", args: { model: "qwen3:8b", colour: "red" }, api: { method: "POST", url: "/api/v1/estimate", payload: { model: "qwen3:8b", colour: "red" } } },
  { tool: "estimate", args: { model: "qwen3:8b", context: 0 }, api: { method: "POST", url: "/api/v1/estimate", payload: { model: "qwen3:8b", context: 0 } } },
  { tool: "estimate", args: { model: "no-such-model-zzzz" }, api: { method: "POST", url: "/api/v1/estimate", payload: { model: "no-such-model-zzzz" } } },
  { tool: "plan", args: {}, api: { method: "POST", url: "/api/v1/plan", payload: {} } },
  { tool: "plan", args: { model: "qwen3:8b", target_tps: 0 }, api: { method: "POST", url: "/api/v1/plan", payload: { model: "qwen3:8b", target_tps: 0 } } },
  { tool: "plan", args: { model: "qwen3:8b", runtime: "vllm" }, api: { method: "POST", url: "/api/v1/plan", payload: { model: "qwen3:8b", runtime: "vllm" } } },
  { tool: "plan", args: { model: "qwen3:8b", context: "lots" }, api: { method: "POST", url: "/api/v1/plan", payload: { model: "qwen3:8b", context: "lots" } } },
  { tool: "plan", args: { model: "no-such-model-zzzz" }, api: { method: "POST", url: "/api/v1/plan", payload: { model: "no-such-model-zzzz" } } },
  {
    tool: "estimate",
    args: { model: "qwen3:8b", machine: { gpus: [{ name: "NVIDIA GeForce RTX 4090", vram_gb: -1 }], ram_gb: 32 } },
    api: { method: "POST", url: "/api/v1/estimate", payload: { model: "qwen3:8b", machine: { gpus: [{ name: "NVIDIA GeForce RTX 4090", vram_gb: -1 }], ram_gb: 32 } } },
  },
];

/** Mistakes only MCP can make, with the texts the tools give. */
const MCP_MISTAKES: Array<{ tool: string; args: Record<string, unknown>; text: RegExp }> = [
  { tool: "list_models", args: { colour: "red" }, text: /^unknown argument colour of list_models: use limit, n, perfect, min_fit, runtime, use_case, provider, search, sort, max_context, include_too_tight, force_runtime, installed$/ },
  { tool: "get_system", args: { verbose: true }, text: /^unknown argument verbose of get_system: use $/ },
  { tool: "model_info", args: {}, text: /^give a model name: model_info/ },
  { tool: "model_info", args: { name: "  " }, text: /^give a model name/ },
  { tool: "model_info", args: { name: "qwen3", search: "llama" }, text: /^unknown argument search of model_info/ },
  { tool: "list_models", args: { provider: { name: "Meta" } }, text: /^invalid provider value: use a string$/ },
  { tool: "benchmarks", args: { model: "qwen3" }, text: /^unknown argument model of benchmarks: use $/ },
  { tool: "runtimes", args: { endpoint: "http://x" }, text: /^unknown argument endpoint of runtimes: use $/ },
  { tool: "benchmark_everything", args: {}, text: /^unknown tool benchmark_everything: use get_system, list_models, top_models, model_info, estimate, plan, benchmarks, runtimes$/ },
];

type Door = "stdio" | "http";
type CallResult = Awaited<ReturnType<Client["callTool"]>>;
const texts = (r: CallResult): string[] => (r.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? "");

let service: NodeService;
let server: RunningServer;
const clients = new Map<Door, Client>();
const stdioErrors: string[] = [];
let stdioStderr = "";

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
  // Both doors read the same benchmarks store: two results, one per kind of estimate.
  const benchmarksFile = await seededStore([sampleBenchmark(), sampleBenchmark({ model: "meta-llama/Llama-3.1-8B-Instruct", model_ref: "llama3.1:8b" })]);
  service = openLocalService({ machineFile: FIXTURE_MACHINE, overrides: {}, nodeName: null, refreshIntervalMs: 0, benchmarksFile });
  server = await startServer(service, { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {} });

  const http = new Client({ name: "nodefit-test", version: "0" });
  await http.connect(new StreamableHTTPClientTransport(new URL(`${server.address}/mcp`)));
  clients.set("http", http);

  const stdio = new Client({ name: "nodefit-test", version: "0" });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [MAIN, "mcp", "--machine", FIXTURE_MACHINE],
    env: { ...(process.env as Record<string, string>), NO_COLOR: "1", NODEFIT_DATA_DIR: path.dirname(benchmarksFile) },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Buffer) => (stdioStderr += chunk.toString("utf8")));
  // A line on stdout that is not a JSON-RPC message would be reported here.
  stdio.onerror = (e) => stdioErrors.push(e.message);
  await stdio.connect(transport);
  clients.set("stdio", stdio);
}, 60_000);

afterAll(async () => {
  for (const client of clients.values()) await client.close();
  await server?.close();
  service?.close();
});

async function apiAnswer(c: ToolCase): Promise<{ status: number; body: unknown }> {
  const res = await server.app.inject({ method: c.api.method, url: c.api.url, ...(c.api.payload === undefined ? {} : { payload: c.api.payload as object }) });
  return { status: res.statusCode, body: res.json() };
}

describe.each<Door>(["stdio", "http"])("MCP over %s", (door) => {
  const client = (): Client => clients.get(door)!;

  it("names the server and lists the eight tools, each with schemas and read-only annotations", async () => {
    expect(client().getServerVersion()).toMatchObject({ name: "nodefit" });
    expect(client().getInstructions()).toMatch(/top_models/);
    const { tools } = await client().listTools();
    expect(tools.map((t) => t.name)).toEqual(["get_system", "list_models", "top_models", "model_info", "estimate", "plan", "benchmarks", "runtimes"]);
    for (const t of tools) {
      expect(t.inputSchema.type, t.name).toBe("object");
      expect(t.outputSchema?.type, t.name).toBe("object");
      expect(t.annotations, t.name).toMatchObject({ readOnlyHint: true, idempotentHint: true, destructiveHint: false });
      expect(t.description!.length, t.name).toBeGreaterThan(40);
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    // The query keys with the API's vocabulary; the estimate body as POST /api/v1/estimate takes it.
    const listProps = byName.get("list_models")!.inputSchema.properties as Record<string, { enum?: string[] }>;
    expect(Object.keys(listProps)).toEqual(["limit", "n", "perfect", "min_fit", "runtime", "use_case", "provider", "search", "sort", "max_context", "include_too_tight", "force_runtime", "installed"]);
    expect(listProps["min_fit"]!.enum).toEqual(["perfect", "good", "marginal", "too_tight"]);
    expect(byName.get("model_info")!.inputSchema.required).toEqual(["name"]);
    expect(byName.get("estimate")!.inputSchema.required).toEqual(["model"]);
    expect(Object.keys(byName.get("estimate")!.inputSchema.properties!)).toEqual(["model", "machine", "quant", "context", "runtime", "kv_cache_type"]);
    // The plan body as POST /api/v1/plan takes it: the estimate's fields but the machine and the runtime, and a target.
    expect(byName.get("plan")!.inputSchema.required).toEqual(["model"]);
    expect(Object.keys(byName.get("plan")!.inputSchema.properties!)).toEqual(["model", "quant", "context", "kv_cache_type", "target_tps"]);
    expect(Object.keys(byName.get("list_models")!.outputSchema!.properties!)).toEqual(["node", "system", "total_models", "returned_models", "filters", "resolved_from", "models"]);
  });

  // The client validates each structuredContent against the tool's output schema (it listed the tools above).
  it(`answers ${ANSWERS.length} questions with the API's objects`, async () => {
    for (const c of ANSWERS) {
      const api = await apiAnswer(c);
      expect(api.status, c.api.url).toBe(200);
      const result = await client().callTool({ name: c.tool, arguments: c.args });
      const label = `${c.tool} ${JSON.stringify(c.args)}`;
      expect(result.isError ?? false, `${label}: ${texts(result)[0]}`).toBe(false);
      expect(withoutTimes(result.structuredContent), label).toEqual(withoutTimes(api.body));
      const [summary, json] = texts(result);
      expect(summary!.length, label).toBeGreaterThan(20);
      expect(summary!.length, label).toBeLessThan(2000);
      expect(JSON.parse(json!), label).toEqual(result.structuredContent);
    }
  }, 60_000);

  it(`gives the API's error text for ${MISTAKES.length} mistakes, as tool errors, and keeps answering`, async () => {
    for (const c of MISTAKES) {
      const api = await apiAnswer(c);
      expect(api.status, c.api.url).toBeGreaterThanOrEqual(400);
      const result = await client().callTool({ name: c.tool, arguments: c.args });
      expect(result.isError, c.api.url).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      expect(texts(result), c.api.url).toEqual([(api.body as { error: string }).error]);
    }
    for (const c of MCP_MISTAKES) {
      const result = await client().callTool({ name: c.tool, arguments: c.args });
      expect(result.isError, c.tool).toBe(true);
      expect(texts(result)[0], JSON.stringify(c.args)).toMatch(c.text);
    }
    const after = await client().callTool({ name: "top_models", arguments: { limit: 1 } });
    expect(after.isError ?? false).toBe(false);
    expect((after.structuredContent as { returned_models: number }).returned_models).toBe(1);
  }, 60_000);

  it("serves the OpenAPI document and the machine snapshot as resources", async () => {
    const { resources } = await client().listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(["nodefit://openapi.json", "nodefit://system"]);
    const openapi = await client().readResource({ uri: "nodefit://openapi.json" });
    expect(openapi.contents[0]).toMatchObject({ mimeType: "application/json", text: readFileSync(OPENAPI_DOC_FILE, "utf8") });
    const system = await client().readResource({ uri: "nodefit://system" });
    const api = await server.app.inject("/api/v1/system");
    expect(withoutTimes(JSON.parse((system.contents[0] as { text: string }).text))).toEqual(withoutTimes(api.json()));
  });

  it("offers the choose_model prompt, its arguments checked as the query checks them", async () => {
    const { prompts } = await client().listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(["choose_model"]);
    expect(prompts[0]!.arguments?.map((a) => [a.name, a.required ?? false])).toEqual([
      ["task", true],
      ["use_case", false],
      ["max_context", false],
    ]);
    const prompt = await client().getPrompt({ name: "choose_model", arguments: { task: "code review of a Go service", use_case: "Coding", max_context: "32768" } });
    const text = (prompt.messages[0]!.content as { text: string }).text;
    expect(text).toMatch(/code review of a Go service/);
    expect(text).toMatch(/top_models with use_case "coding" and max_context 32768/);
    for (const tool of ["get_system", "top_models", "model_info", "estimate"]) expect(text).toContain(tool);
    await expect(client().getPrompt({ name: "choose_model", arguments: { task: "x", max_context: "lots" } })).rejects.toThrow(
      /invalid max_context value: use an integer >= 1/,
    );
  });
});

describe("the stdio server", () => {
  it("wrote only protocol on stdout, and nothing failed on stderr", () => {
    expect(stdioErrors).toEqual([]);
    expect(stdioStderr).not.toMatch(/server error|failed/);
  });

  it("answers a piped session, writing only JSON-RPC lines on stdout, and exits 0 when its input ends", async () => {
    const lines = [
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "sh", version: "0" } } },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
      { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "list_models", arguments: { sort: "nope" } } },
      "this line is not JSON",
      { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "top_models", arguments: { limit: 2 } } },
      { jsonrpc: "2.0", id: 5, method: "resources/read", params: { uri: "nodefit://system" } },
    ];
    const child = spawn(process.execPath, [MAIN, "mcp", "--machine", FIXTURE_MACHINE], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const code = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.end(lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
    expect(await code, stderr).toBe(0);

    const messages = stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as { jsonrpc: string; id: number; result?: Record<string, unknown> });
    expect(messages.every((m) => m.jsonrpc === "2.0")).toBe(true);
    const byId = new Map(messages.map((m) => [m.id, m.result]));
    expect([...byId.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(byId.get(3)).toMatchObject({ isError: true, content: [{ type: "text", text: "invalid sort value: use score|tps|params|mem|ctx|date|use_case" }] });
    expect(byId.get(4)).toMatchObject({ structuredContent: { returned_models: 2, filters: { top_only: true } } });
    // The line that is not JSON is reported on stderr; the server went on.
    expect(stderr).toMatch(/not valid JSON/);
  }, 30_000);

  it("a bad --machine file: exits 1 with the reason on stderr, nothing on stdout", async () => {
    const child = spawn(process.execPath, [MAIN, "mcp", "--machine", "/nonexistent/machine.json"], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/\/nonexistent\/machine\.json/);
  }, 30_000);
});
