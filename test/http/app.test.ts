import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/http/app.js";
import type { ModelsEnvelopeJson } from "../../src/contract/envelope.js";
import { testService } from "./support/service.js";

let app: FastifyInstance;

beforeAll(async () => {
  app = buildApp(testService());
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const get = (url: string) => app.inject({ method: "GET", url });
const envelope = async (url: string): Promise<ModelsEnvelopeJson> => {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  return res.json<ModelsEnvelopeJson>();
};

describe("GET /health and /api/v1/system", () => {
  it("health", async () => {
    const res = await get("/health");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok", node: { name: "test-node", os: "linux" } });
  });

  it("system: node and the seed's system fields", async () => {
    const body = (await get("/api/v1/system")).json();
    expect(Object.keys(body)).toEqual(["node", "system"]);
    expect(body.node).toEqual({ name: "test-node", os: "linux" });
    expect(body.system).toMatchObject({
      total_ram_gb: 64,
      available_ram_gb: 48,
      cpu_cores: 16,
      cpu_name: "AMD Ryzen 9 7950X",
      has_gpu: true,
      gpu_vram_gb: 24,
      gpu_name: "NVIDIA GeForce RTX 4090",
      gpu_count: 1,
      unified_memory: false,
      backend: "CUDA",
      gpus: [{ name: "NVIDIA GeForce RTX 4090", vram_gb: 24, backend: "CUDA", count: 1, unified_memory: false }],
    });
  });

  it("GET / is a short JSON index", async () => {
    const res = await get("/");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: "nodefit", endpoints: expect.arrayContaining(["GET /api/v1/models/top"]) });
  });
});

describe("GET /api/v1/models", () => {
  it("the envelope: keys in order, counts, full filters echo", async () => {
    const body = await envelope("/api/v1/models");
    expect(Object.keys(body)).toEqual(["node", "system", "total_models", "returned_models", "filters", "resolved_from", "models"]);
    expect(body.total_models).toBeGreaterThan(0);
    expect(body.returned_models).toBe(body.models.length);
    expect(body.total_models).toBe(body.models.length);
    expect(body.filters).toEqual({
      limit: null,
      perfect: null,
      min_fit: null,
      runtime: null,
      use_case: null,
      provider: null,
      search: null,
      sort: "score",
      max_context: null,
      include_too_tight: true,
      top_only: false,
      force_runtime: null,
      installed: null,
    });
  });

  it("the seed's example query", async () => {
    const body = await envelope("/api/v1/models?limit=20&min_fit=marginal&sort=score");
    expect(body.filters).toMatchObject({ limit: 20, min_fit: "marginal", sort: "score", include_too_tight: true, top_only: false });
    expect(body.models.every((m) => m.fit_level !== "too_tight")).toBe(true);
    expect(body.returned_models).toBeLessThanOrEqual(20);
  });

  it("limit counts before and after", async () => {
    const all = await envelope("/api/v1/models");
    const two = await envelope("/api/v1/models?n=2");
    expect(two.total_models).toBe(all.total_models);
    expect(two.returned_models).toBe(Math.min(2, all.total_models));
    expect(two.models).toEqual(all.models.slice(0, 2));
    expect(two.filters.limit).toBe(2);
  });

  it("too_tight rows come last; score desc then name asc", async () => {
    const { models } = await envelope("/api/v1/models");
    const firstTight = models.findIndex((m) => m.fit_level === "too_tight");
    if (firstTight >= 0) expect(models.slice(firstTight).every((m) => m.fit_level === "too_tight")).toBe(true);
    const runnable = firstTight >= 0 ? models.slice(0, firstTight) : models;
    for (let i = 1; i < runnable.length; i++) {
      const a = runnable[i - 1]!;
      const b = runnable[i]!;
      expect(a.score > b.score || (a.score === b.score && a.name.toLowerCase() <= b.name.toLowerCase())).toBe(true);
    }
  });

  it("max_context and force_runtime reach the analysis and the echo", async () => {
    const body = await envelope("/api/v1/models?max_context=2048&force_runtime=VLLM");
    expect(body.filters).toMatchObject({ max_context: 2048, force_runtime: "vllm" });
    expect(body.models.every((m) => m.runtime === "vllm" && m.effective_context_length <= 2048)).toBe(true);
  });

  it("filters: runtime, use_case, provider, search, perfect, include_too_tight", async () => {
    expect((await envelope("/api/v1/models?runtime=mlx")).models).toEqual([]);
    const meta = await envelope("/api/v1/models?provider=META");
    expect(meta.models.length).toBeGreaterThan(0);
    expect(meta.models.every((m) => m.provider.toLowerCase().includes("meta"))).toBe(true);
    const general = await envelope("/api/v1/models?use_case=general");
    expect(general.models.every((m) => m.category === "General")).toBe(true);
    const perfect = await envelope("/api/v1/models?perfect=YES");
    expect(perfect.models.every((m) => m.fit_level === "perfect")).toBe(true);
    const runnable = await envelope("/api/v1/models?include_too_tight=0");
    expect(runnable.models.every((m) => m.fit_level !== "too_tight")).toBe(true);
    const search = await envelope("/api/v1/models?search=8B");
    expect(search.models.every((m) => /8b/i.test(`${m.name} ${m.provider} ${m.parameter_count} ${m.use_case} ${m.category}`))).toBe(true);
  });

  it("unknown keys are ignored, the last repeated key wins", async () => {
    const body = await envelope("/api/v1/models?foo=bar&limit=1&limit=3");
    expect(body.filters.limit).toBe(3);
  });

  const invalid: Array<[string, string]> = [
    ["min_fit=great", "invalid min_fit value: use perfect|good|marginal|too_tight"],
    ["runtime=ollama", "invalid runtime value: use any|mlx|llamacpp|vllm"],
    ["use_case=", "invalid use_case value: use general|coding|reasoning|chat|multimodal|embedding"],
    ["sort=name", "invalid sort value: use score|tps|params|mem|ctx|date|use_case"],
    ["limit=-3", "invalid limit value: use an integer >= 0"],
    ["n=x", "invalid n value: use an integer >= 0"],
    ["perfect", "invalid perfect value: use true|false|1|0|yes|no"],
    ["include_too_tight=maybe", "invalid include_too_tight value: use true|false|1|0|yes|no"],
    ["max_context=0", "invalid max_context value: use an integer >= 1"],
    ["force_runtime=any", "invalid force_runtime value: use mlx|llamacpp|vllm"],
  ];
  it.each(invalid)("400 for %s", async (query, message) => {
    for (const route of ["/api/v1/models", "/api/v1/models/top", "/api/v1/models/llama"]) {
      const res = await get(`${route}?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ error: message });
    }
  });
});

describe("GET /api/v1/models/top", () => {
  it("scheduling defaults", async () => {
    const body = await envelope("/api/v1/models/top");
    expect(body.filters).toMatchObject({ limit: 5, min_fit: "marginal", include_too_tight: false, top_only: true, sort: "score" });
    expect(body.returned_models).toBeLessThanOrEqual(5);
    expect(body.models.every((m) => m.fit_level !== "too_tight")).toBe(true);
  });

  it("never returns too_tight rows", async () => {
    const body = await envelope("/api/v1/models/top?include_too_tight=true&min_fit=too_tight&limit=1000");
    expect(body.models.every((m) => m.fit_level !== "too_tight")).toBe(true);
    expect(body.filters.include_too_tight).toBe(false);
  });

  it("the seed's example", async () => {
    const body = await envelope("/api/v1/models/top?limit=5&min_fit=good&use_case=coding");
    expect(body.filters).toMatchObject({ limit: 5, min_fit: "good", use_case: "coding", top_only: true });
  });
});

describe("GET /api/v1/models/{name}", () => {
  it("the decoded name is the search; %2F and a plain / alike", async () => {
    const all = await envelope("/api/v1/models");
    const target = all.models[0]!.name;
    const encoded = await envelope(`/api/v1/models/${encodeURIComponent(target)}?search=ignored`);
    expect(encoded.filters.search).toBe(target);
    expect(encoded.models.map((m) => m.name)).toContain(target);
    const plain = await envelope(`/api/v1/models/${target}`);
    expect(plain).toEqual(encoded);
  });

  it("case-insensitive substring", async () => {
    const body = await envelope("/api/v1/models/LLAMA");
    expect(body.models.length).toBeGreaterThan(0);
    expect(body.filters).toMatchObject({ search: "LLAMA", limit: null, include_too_tight: true, top_only: false });
    expect(body.models.every((m) => /llama/i.test(`${m.name} ${m.provider} ${m.parameter_count} ${m.category}`))).toBe(true);
  });

  it("a model the name describes rather than finds (expert-pruned) is analyzed for the answer: one row of its own", async () => {
    const body = await envelope("/api/v1/models/cerebras%2FQwen3-Coder-REAP-25B-A3B");
    expect(body.resolved_from).toMatchObject({ status: "matched", name: "cerebras/Qwen3-Coder-REAP-25B-A3B", matched_by: "derivative" });
    expect(body.models.map((m) => m.name)).toEqual(["cerebras/Qwen3-Coder-REAP-25B-A3B"]);
    expect(body.models[0]!.params_b).toBeCloseTo(25.1, 1);
  });

  it("no match is an empty envelope, not an error", async () => {
    const body = await envelope("/api/v1/models/no-such-model-anywhere");
    expect(body.total_models).toBe(0);
    expect(body.models).toEqual([]);
  });

  it("a malformed %-sequence is a JSON 400", async () => {
    const res = await get("/api/v1/models/%ZZ");
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: expect.stringMatching(/invalid URL/) });
  });
});

describe("POST /api/v1/estimate", () => {
  const post = (payload: unknown, headers: Record<string, string> = { "content-type": "application/json" }) =>
    app.inject({ method: "POST", url: "/api/v1/estimate", payload: typeof payload === "string" ? payload : JSON.stringify(payload), headers });

  it("answers one request", async () => {
    const all = await envelope("/api/v1/models");
    const res = await post({ model: all.models[0]!.name });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ model: { name: all.models[0]!.name }, fit_level: expect.any(String) });
  });

  it("a request may describe its own machine", async () => {
    const res = await post({ model: "Qwen/Qwen3-8B", machine: { ram_gb: 16, cpu_cores: 4 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ run_mode: "cpu_only", memory: { available_gb: expect.any(Number) } });
    const bad = await post({ model: "Qwen/Qwen3-8B", machine: { gpus: [] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: expect.stringContaining("ram_gb") });
  });

  it("an invalid field is a 400 naming it", async () => {
    const res = await post({ model: "Qwen/Qwen3-8B", kv_cache_type: "q2" });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: "invalid kv_cache_type value: use f16|q8_0|q4_0|fp8" });
  });

  it("an unknown model is 404 with a JSON error", async () => {
    const res = await post({ model: "no-such-model" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: expect.any(String) });
  });

  it("bad bodies are JSON 4xx", async () => {
    const cases: Array<[unknown, Record<string, string> | undefined, number]> = [
      ["{not json", undefined, 400],
      ["", undefined, 400],
      [{}, undefined, 400],
      ["model=x", { "content-type": "application/x-www-form-urlencoded" }, 415],
      ["x", { "content-type": "text/plain" }, 415],
      [{ model: "x".repeat(70_000) }, undefined, 413],
    ];
    for (const [payload, headers, status] of cases) {
      const res = await post(payload, headers);
      expect(res.statusCode, `${String(payload).slice(0, 20)} ${res.body}`).toBe(status);
      expect(res.json()).toEqual({ error: expect.any(String) });
    }
  });
});

describe("methods and unknown paths", () => {
  it("HEAD wherever GET", async () => {
    for (const url of ["/", "/health", "/api/v1/system", "/api/v1/models", "/api/v1/models/top", "/api/v1/models/llama"]) {
      const res = await app.inject({ method: "HEAD", url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe("");
    }
  });

  it("405 with Allow on known routes", async () => {
    const cases: Array<[string, string, string]> = [
      ["POST", "/api/v1/models", "GET, HEAD"],
      ["DELETE", "/api/v1/models/top", "GET, HEAD"],
      ["PUT", "/api/v1/models/Qwen%2FQwen3-8B", "GET, HEAD"],
      ["POST", "/health", "GET, HEAD"],
      ["PATCH", "/api/v1/system", "GET, HEAD"],
      ["GET", "/api/v1/estimate", "POST"],
      ["OPTIONS", "/api/v1/estimate", "POST"],
    ];
    for (const [method, url, allow] of cases) {
      const res = await app.inject({ method: method as "GET", url, payload: method === "GET" ? undefined : "{broken", headers: { "content-type": "application/json" } });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.headers["allow"]).toBe(allow);
      expect(res.json()).toEqual({ error: expect.stringContaining("not allowed") });
    }
  });

  it("a trailing slash on the top route is still /top, not a search for \"top/\"", async () => {
    const body = (await get("/api/v1/models/top/?limit=2")).json();
    expect(body.filters.top_only).toBe(true);
    expect(body.filters.search).toBeNull();
    expect(body.returned_models).toBe(2);
  });

  it("404 JSON for unknown paths", async () => {
    for (const url of ["/nope", "/api/v1", "/api/v2/models", "/api/v1/models/", "/health/x"]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ error: expect.any(String) });
    }
  });
});
