// The agent's MCP endpoint: POST /mcp answers the SDK's Streamable HTTP client, behind the same access token and Host
// allow-list as every route, with the agent's headers; the SDK is loaded by the first request, never by the start.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { parseAnswer, rawExchange } from "../agent/support/raw-http.js";
import { testService } from "./support/service.js";

const ROOT = path.join(import.meta.dirname, "..", "..");
const TOKEN = "mcp-test-token-0123456789";
const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
};
const MCP_ACCEPT = "application/json, text/event-stream";

const portOf = (s: RunningServer): number => Number(new URL(s.address).port);

/** A raw POST /mcp (or another request) on the socket, with the headers given. */
async function raw(server: RunningServer, method: string, target: string, headers: Record<string, string>, body = ""): Promise<ReturnType<typeof parseAnswer>> {
  const lines = Object.entries({ connection: "close", ...headers, ...(body === "" ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }) })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return parseAnswer(await rawExchange({ port: portOf(server) }, `${method} ${target} HTTP/1.1\r\n${lines}\r\n${body}`));
}

describe("POST /mcp with an access token", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(testService(), { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {}, accessToken: TOKEN });
  });
  afterAll(async () => {
    await server.close();
  });

  it("refuses a client without the token, with the API's 401", async () => {
    const client = new Client({ name: "no-token", version: "0" });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(`${server.address}/mcp`)))).rejects.toThrow();
    const mcp = await raw(server, "POST", "/mcp", { host: "127.0.0.1", accept: MCP_ACCEPT }, JSON.stringify(INITIALIZE));
    const api = await raw(server, "GET", "/api/v1/system", { host: "127.0.0.1" });
    expect(mcp.status).toBe(401);
    expect(mcp.headers["www-authenticate"]).toBe('Bearer realm="nodefit"');
    expect(mcp.body).toBe(api.body);
  });

  it("answers a client that sends it", async () => {
    const client = new Client({ name: "with-token", version: "0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.address}/mcp`), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
    const result = await client.callTool({ name: "get_system", arguments: {} });
    expect(result.isError ?? false).toBe(false);
    expect(result.structuredContent).toMatchObject({ node: { name: expect.any(String) }, system: { gpu_count: 1 } });
    await client.close();
  });
});

describe("POST /mcp on a loopback agent without a token", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(testService(), { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {} });
  });
  afterAll(async () => {
    await server.close();
  });

  it("refuses a Host it does not answer (DNS rebinding), as every route does", async () => {
    const mcp = await raw(server, "POST", "/mcp", { host: "evil.example.com", accept: MCP_ACCEPT }, JSON.stringify(INITIALIZE));
    const api = await raw(server, "GET", "/api/v1/system", { host: "evil.example.com" });
    expect(mcp.status).toBe(403);
    expect(mcp.body).toBe(api.body);
  });

  it("answers with the agent's headers; GET and DELETE are 405 with Allow: POST", async () => {
    const ok = await raw(server, "POST", "/mcp", { host: "localhost", accept: MCP_ACCEPT, "x-request-id": "mcp-1" }, JSON.stringify(INITIALIZE));
    expect(ok.status).toBe(200);
    expect(ok.headers["content-type"]).toMatch(/^application\/json/);
    expect(ok.headers["x-request-id"]).toBe("mcp-1");
    expect(ok.headers["x-content-type-options"]).toBe("nosniff");
    expect(JSON.parse(ok.body)).toMatchObject({ jsonrpc: "2.0", id: 1, result: { serverInfo: { name: "nodefit" }, capabilities: { tools: {}, resources: {}, prompts: {} } } });
    for (const method of ["GET", "DELETE"]) {
      const refused = await raw(server, method, "/mcp", { host: "localhost", accept: MCP_ACCEPT });
      expect(refused.status, method).toBe(405);
      expect(refused.headers["allow"]).toBe("POST");
    }
  });

  it("a notification is accepted with 202 and no body; a body that is not JSON-RPC is the transport's 400", async () => {
    const note = await raw(server, "POST", "/mcp", { host: "localhost", accept: MCP_ACCEPT }, JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
    expect(note.status).toBe(202);
    expect(note.body).toBe("");
    const bad = await raw(server, "POST", "/mcp", { host: "localhost", accept: MCP_ACCEPT }, JSON.stringify({ hello: "world" }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 } });
  });
});

describe("the app", () => {
  it("answers POST /mcp through inject too, and lists it in its index", async () => {
    const app = buildApp(testService());
    try {
      const res = await app.inject({ method: "POST", url: "/mcp", headers: { accept: MCP_ACCEPT }, payload: INITIALIZE });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ result: { serverInfo: { name: "nodefit" } } });
      const list = await app.inject({
        method: "POST",
        url: "/mcp",
        headers: { accept: MCP_ACCEPT, "mcp-protocol-version": "2025-06-18" },
        payload: { jsonrpc: "2.0", id: 2, method: "tools/list" },
      });
      expect((list.json() as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name)).toContain("estimate");
      expect((await app.inject("/")).json()).toMatchObject({ endpoints: expect.arrayContaining(["POST /mcp"]) });
    } finally {
      await app.close();
    }
  });

  /** Static imports (not `import type`, not `import()`) of a source file, resolved to files under src/ or packages. */
  function staticImports(file: string): string[] {
    const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest);
    const out: string[] = [];
    for (const node of source.statements) {
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
      else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) out.push(node.moduleSpecifier.text);
    }
    return out.map((s) => (s.startsWith(".") ? path.posix.join(path.posix.dirname(file), s).replace(/\.js$/, ".ts") : s));
  }

  it("loads the MCP SDK only on the first /mcp request: nothing the agent's start imports reaches it", () => {
    const seen = new Set<string>();
    const reached: string[] = [];
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const target of staticImports(file)) {
        if (target.startsWith("@modelcontextprotocol/") || target.startsWith("src/mcp/")) reached.push(`${file} imports ${target}`);
        else if (target.startsWith("src/")) walk(target);
      }
    };
    for (const entry of ["src/http/agent.ts", "src/http/listener.ts", "src/http/server.ts", "src/http/app.ts"]) walk(entry);
    expect(seen.has("src/http/mcp-route.ts")).toBe(true);
    expect(reached).toEqual([]);
  });
});
