// Fuzz: thousands of random methods, paths, query strings, headers and bodies through inject. Never a 5xx; every
// error a JSON `{"error": string}`; every success a JSON answer that passes its strict schema.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance, InjectOptions } from "fastify";
import { EstimateResultSchema } from "../../src/contract/schemas-estimate.js";
import { HealthSchema, SystemResponseSchema } from "../../src/contract/schemas-system.js";
import { ReadySchema } from "../../src/http/agent-schemas.js";
import { buildApp } from "../../src/http/app.js";
import { corsPolicy } from "../../src/http/cors.js";
import { ModelsEnvelopeDocSchema } from "../../src/query/query-schema.js";
import { DASHBOARD_CSP } from "../../src/http/dashboard.js";
import { SECURITY_HEADERS } from "../../src/http/security-headers.js";
import { startServer } from "../../src/http/server.js";
import { QUERY_KEYS } from "../../src/query/vocabulary.js";
import { testService } from "../http/support/service.js";
import { parseAnswer, rawExchange } from "./support/raw-http.js";

const TOKEN = "fuzz-token";
let open: FastifyInstance;
let guarded: FastifyInstance;

beforeAll(async () => {
  // The real analysis and estimator: a 5xx anywhere in them is what this test looks for.
  open = buildApp(testService());
  guarded = buildApp(testService(), { accessToken: TOKEN, cors: corsPolicy(["https://dash.example.com"]) });
  await Promise.all([open.ready(), guarded.ready()]);
  // Readiness done: a 503 from /ready would be expected before it, not a failure.
  for (const app of [open, guarded]) {
    for (let i = 0; i < 100 && (await app.inject("/ready")).statusCode !== 200; i++) await new Promise((r) => setTimeout(r, 20));
  }
});
afterAll(async () => {
  await Promise.all([open.close(), guarded.close()]);
});

const METHODS = ["GET", "GET", "GET", "HEAD", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;
const KNOWN_PATHS = ["/", "/health", "/ready", "/metrics", "/api/v1/openapi.json", "/api/v1/system", "/api/v1/models", "/api/v1/models/top", "/api/v1/estimate", "/api/v1/models/qwen", "/api/v1/models/Qwen%2FQwen3-8B", "/api/v1/models/meta-llama/Llama-3.1-8B-Instruct"];
const SEGMENT_PIECES = ["api", "v1", "models", "top", "health", "..", ".", "", "%2F", "%2e%2e", "%00", "%ZZ", "%", "%E2%82%AC", "€", "名前", "a b", ";x", "*", "?", "#", "\\", "qwen", "x".repeat(300)];
const VALUE_PIECES = ["", " ", "0", "1", "5", "-1", "1e3", "99999999999999999999", "yes", "No", "TRUE", "perfect", "Good", "too_tight", "any", "mlx", "vllm", "llamacpp", "coding", "score", "tps", "date", "use_case", "qwen", "%", "%ZZ", "%2F", "€", "<script>", "'\"", "2048", "4096"];
const KEY_PIECES = [...QUERY_KEYS, "__proto__", "constructor", "toString", "hasOwnProperty", "limit[]", "", "x", "LIMIT"];
/** Few distinct analyses: each valid (max_context, force_runtime) pair costs a catalog analysis. */
const CONTEXTS = ["1", "4096", "16777216"];

const segment = fc.oneof(fc.constantFrom(...SEGMENT_PIECES), fc.string({ maxLength: 12 }), fc.string({ maxLength: 6 }).map(encodeURIComponent));
const randomPath = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN_PATHS) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...KNOWN_PATHS), segment).map(([p, s]) => `${p}/${s}`) },
  { weight: 2, arbitrary: fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join("/")}`) },
  { weight: 2, arbitrary: segment.map((s) => `/api/v1/models/${s}`) },
);
const queryValue = fc.oneof(fc.constantFrom(...VALUE_PIECES), fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }).map(encodeURIComponent));
const queryPair = fc.oneof(
  fc.tuple(fc.constantFrom(...KEY_PIECES), queryValue),
  fc.tuple(fc.constant("max_context"), fc.constantFrom(...CONTEXTS)),
  fc.tuple(fc.constant("force_runtime"), fc.constantFrom("vllm", "auto", "")),
);
const queryString = fc.array(queryPair, { maxLength: 6 }).map((pairs) =>
  pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${k}=${v}`).join(fc.sample(fc.constantFrom("&"), 1)[0])}`,
);
const body = fc.oneof(
  fc.constant<string | undefined>(undefined),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc
    .record(
      {
        model: fc.constantFrom<unknown>("Qwen/Qwen3-8B", "qwen3:8b", "nope", "", 5, null, { name: "x" }),
        context: fc.constantFrom<unknown>(1, 4096, 0, -5, "x", 2 ** 40),
        quant: fc.constantFrom<unknown>("Q4_K_M", "Q2", "", 3),
        runtime: fc.constantFrom<unknown>("vllm", "mlx", "x"),
        kv_cache_type: fc.constantFrom<unknown>("q8_0", "q2"),
        machine: fc.constantFrom<unknown>({ ram_gb: 8 }, { ram_gb: 0 }, { ram_gb: 64, gpus: [{ name: "NVIDIA H100 80GB HBM3" }] }, { gpus: [{}] }, "x", { ram_gb: 32, available_ram_gb: 64 }),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
);
const headers = fc.record(
  {
    authorization: fc.oneof(fc.constant(`Bearer ${TOKEN}`), fc.constant(`bearer ${TOKEN}`), fc.string({ maxLength: 20 }), fc.constant("Bearer ")),
    "content-type": fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/jsonx"),
    accept: fc.constantFrom("*/*", "text/html", "application/xml"),
    "x-request-id": fc.string({ maxLength: 40 }),
    origin: fc.constantFrom("https://dash.example.com", "https://evil.example", "null"),
    "access-control-request-method": fc.constantFrom("GET", "POST", "DELETE"),
  },
  { requiredKeys: [] },
);

const request = fc.record({ guarded: fc.boolean(), method: fc.constantFrom(...METHODS), path: randomPath, query: queryString, headers, body });

const MODEL_ROUTE = /^\/api\/v1\/models(\/|$)/;

describe("fuzzed requests", () => {
  it("never a 5xx; errors are JSON {error}; answers pass their schemas", async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const app = r.guarded ? guarded : open;
        const url = `${r.path}${r.query}`;
        // inject parses the URL with WHATWG rules first; what it cannot send, the raw-socket test below sends.
        fc.pre(URL.canParse(url, "http://localhost"));
        const options: InjectOptions = { method: r.method, url, headers: r.headers as Record<string, string> };
        if (r.body !== undefined && r.method !== "GET" && r.method !== "HEAD") options.payload = r.body;
        const res = await app.inject(options);
        const label = `${r.method} ${options.url} ${JSON.stringify(r.headers)} ${String(r.body).slice(0, 80)} -> ${res.statusCode} ${res.body.slice(0, 200)}`;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        expect(res.statusCode, label).toBeLessThan(500);
        // The dashboard's page (GET / asked for as HTML) has its own policy and is revalidated rather than never kept.
        const page = res.statusCode < 400 && /^text\/html/.test(String(res.headers["content-type"]));
        const expected = page ? { ...SECURITY_HEADERS, "cache-control": "no-cache", "content-security-policy": DASHBOARD_CSP } : SECURITY_HEADERS;
        for (const [k, v] of Object.entries(expected)) expect(res.headers[k], label).toBe(v);
        if (page) expect(r.path.split("?")[0], label).toBe("/");
        if (r.method === "HEAD" || res.statusCode === 204) {
          expect(res.body, label).toBe("");
          return;
        }
        if (res.statusCode >= 400) {
          expect(res.headers["content-type"], label).toMatch(/^application\/json/);
          const parsed = JSON.parse(res.body) as Record<string, unknown>;
          expect(Object.keys(parsed), label).toEqual(["error"]);
          expect(typeof parsed["error"] === "string" && parsed["error"].length > 0, label).toBe(true);
          return;
        }
        const path = r.path.split("?")[0]!;
        if (page) return;
        if (path === "/metrics") {
          expect(res.headers["content-type"], label).toMatch(/^text\/plain/);
          return;
        }
        expect(res.headers["content-type"], label).toMatch(/^application\/json/);
        const json = JSON.parse(res.body) as unknown;
        const schema =
          r.method === "POST" ? EstimateResultSchema : path === "/health" ? HealthSchema : path === "/ready" ? ReadySchema : path === "/api/v1/system" ? SystemResponseSchema : MODEL_ROUTE.test(path) ? ModelsEnvelopeDocSchema : null;
        if (schema) {
          const parsed = schema.safeParse(json);
          expect(parsed.success, `${label} ${parsed.success ? "" : JSON.stringify(parsed.error.issues[0])}`).toBe(true);
        }
      }),
      { numRuns: 2000, seed: 20251129 },
    );
    // The generators reach answers, client errors of every kind, and the guarded app's refusals.
    for (const status of [200, 400, 401, 404, 405]) expect(statuses.get(status) ?? 0, `status ${status}: ${JSON.stringify([...statuses])}`).toBeGreaterThan(20);
  });
});

describe("raw request targets inject cannot send", () => {
  it("answer JSON, never a 5xx", async () => {
    const server = await startServer(testService(), { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {} });
    const port = Number(new URL(server.address).port);
    try {
      const targets = ["/\\", "/api/v1/models/\\..\\x", "//api//v1//models", "*", "http://evil.example/api/v1/system", "/api/v1/models/%ZZ?x=%", "/%00", "/api/v1/models/a%2F..%2F..%2Fetc", "/health?" + "a=1&".repeat(500), "/api/v1/models/top?limit=1#frag"];
      for (const target of targets) {
        const answer = parseAnswer(await rawExchange({ port }, `GET ${target} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n`));
        expect(answer.status, target).toBeGreaterThanOrEqual(200);
        expect(answer.status, target).toBeLessThan(500);
        // Reaches the routes (a loopback agent without a token refuses other Host names: 403).
        expect(answer.status, target).not.toBe(403);
        expect(answer.headers["content-type"], target).toMatch(/^application\/json/);
        const body = JSON.parse(answer.body) as Record<string, unknown>;
        if (answer.status >= 400) expect(Object.keys(body), target).toEqual(["error"]);
      }
    } finally {
      await server.close();
    }
  });
});
