// OpenAPI document: the committed docs/openapi.json is what the code generates, lists every route, and is served.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/http/app.js";
import { openApiDocument, openApiJson } from "../../src/http/openapi.js";
import { OPENAPI_DOC_FILE } from "../../src/http/openapi-write.js";
import { DASHBOARD_ROUTES, MCP_PATH, MODEL_NAME_PREFIX, MODEL_NAME_ROUTE, routeList } from "../../src/http/route-table.js";
import { testService, whenReady } from "../http/support/service.js";

type Json = Record<string, unknown>;
const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, Json>>; components: { schemas: Json; responses: Json } };

let app: FastifyInstance;
beforeAll(async () => {
  app = buildApp(testService());
  await app.ready();
  await whenReady(app);
});
afterAll(async () => {
  await app.close();
});

/** [path, method] pairs from fastify's route tree (each line a segment appended to its parent's path). */
function servedRoutes(tree: string): Array<[string, string]> {
  const stack: string[] = [];
  const out: Array<[string, string]> = [];
  for (const line of tree.split("\n")) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    // A wildcard is printed as "*" under its static parent, whose trailing "/" the tree leaves out.
    const path = stack.join("").replace(/([^/])\*$/, "$1/*");
    for (const method of m[3]?.split(", ") ?? []) out.push([path, method]);
  }
  return out;
}

describe("docs/openapi.json", () => {
  it("is what the code generates (run `npm run openapi` after changing a schema or a route)", () => {
    const committed = readFileSync(OPENAPI_DOC_FILE, "utf8");
    expect(committed, "docs/openapi.json is stale: run npm run openapi").toBe(openApiJson());
  });

  it("is OpenAPI 3.1 and every $ref resolves", () => {
    expect(doc.openapi).toBe("3.1.0");
    const refs = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (typeof v === "object" && v !== null)
        for (const [k, x] of Object.entries(v)) {
          if (k === "$ref" && typeof x === "string") refs.add(x);
          else walk(x);
        }
    };
    walk(doc);
    expect(refs.size).toBeGreaterThan(10);
    for (const r of refs) {
      const [, section, name] = /^#\/components\/(schemas|responses)\/(.+)$/.exec(r) ?? [];
      expect(section, r).toBeDefined();
      expect((doc.components[section as "schemas" | "responses"] as Json)[name!], r).toBeDefined();
    }
  });
});

describe("routes", () => {
  const documented = (): Array<[string, string]> =>
    Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m): [string, string] => [path, m.toUpperCase()]));
  const tabled = (): Array<[string, string]> => routeList().flatMap((r) => r.methods.map((m): [string, string] => [r.path, m]));

  it("the document lists exactly the route table's routes and methods", () => {
    expect(documented().sort()).toEqual(tabled().sort());
  });

  it("the app serves exactly the route table's routes", async () => {
    for (const [path, method] of tabled()) {
      const url = path === MODEL_NAME_ROUTE ? `${MODEL_NAME_PREFIX}qwen` : path;
      // The MCP endpoint takes JSON-RPC (an initialize request) from a client that accepts its answers.
      const post =
        path === MCP_PATH
          ? {
              headers: { accept: "application/json, text/event-stream" },
              payload: { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "0" } } },
            }
          : { payload: { model: "Qwen/Qwen3-8B" } };
      const res = await app.inject({ method: method as "GET", url, ...(method === "POST" ? post : {}) });
      expect(res.statusCode, `${method} ${path}`).toBeLessThan(300);
    }
    // The full radix tree (its segments joined give each path): the compact print hangs a wildcard under the nearest
    // node with a handler, which for /assets/* is "/".
    const served = servedRoutes(app.printRoutes());
    // Besides the API, the dashboard's files (not API routes: the document leaves them out).
    const dashboard = DASHBOARD_ROUTES.flatMap((r) => r.methods.map((m): [string, string] => [r.path, m]));
    const expected = [...tabled().map(([p, m]): [string, string] => [p === MODEL_NAME_ROUTE ? `${MODEL_NAME_PREFIX}*` : p, m]), ...dashboard];
    expect(served.sort()).toEqual(expected.sort());
  });

  it("the index lists every route but HEAD, and points at the document", async () => {
    const body = (await app.inject("/")).json<{ endpoints: string[]; documentation: string }>();
    expect(body.endpoints.sort()).toEqual(tabled().filter(([, m]) => m !== "HEAD").map(([p, m]) => `${m} ${p}`).sort());
    expect(body.documentation).toBe("/api/v1/openapi.json");
  });

  it("GET /api/v1/openapi.json serves the document", async () => {
    const res = await app.inject("/api/v1/openapi.json");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toBe(openApiJson());
  });

  it("documents every query key with its vocabulary", () => {
    const params = doc.paths["/api/v1/models/top"]!["get"]!["parameters"] as Array<{ name: string; schema: Json }>;
    const minFit = params.find((p) => p.name === "min_fit");
    expect(minFit?.schema).toEqual({ type: "string", enum: ["perfect", "good", "marginal", "too_tight"] });
    expect(params.map((p) => p.name)).toContain("force_runtime");
    const byName = doc.paths[MODEL_NAME_ROUTE]!["get"]!["parameters"] as Array<{ name: string; in: string }>;
    expect(byName[0]).toMatchObject({ name: "name", in: "path" });
  });
});
