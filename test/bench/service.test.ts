// Benchmarks through the node service and the API: read once, again only when a bench stored results (on a refresh or
// GET /api/v1/benchmarks, never per request); rows' measured_tps and the node's correction on this node's own machine
// only; the API's object against its schema; an unreadable store.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { BenchmarkStore, BenchmarkStoreReader } from "../../src/bench/store.js";
import { bundledModels } from "../../src/catalog/bundled.js";
import type { BenchmarksResponseJson } from "../../src/contract/benchmarks.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { BenchmarksResponseSchema } from "../../src/contract/schemas-benchmarks.js";
import type { Machine } from "../../src/domain/machine.js";
import { buildApp } from "../../src/http/app.js";
import { parseModelQuery } from "../../src/query/model-query.js";
import { analyzeCatalog } from "../../src/service/analyze.js";
import { runEstimateRequest } from "../../src/service/estimate-request.js";
import { NodeService, type BenchmarkSource } from "../../src/service/node-service.js";
import { sampleBenchmark, seededStore, tempDataDir } from "../support/benchmarks.js";
import { machine } from "../support/machines.js";

const MODELS = bundledModels().filter((m) => ["Qwen/Qwen3-8B", "Qwen/Qwen3-0.6B", "meta-llama/Llama-3.1-8B-Instruct"].includes(m.id));
const DETECTED: Machine = { ...machine({ ramGib: 64 }), origin: "detected" };

const closing: Array<{ close(): void | Promise<void> }> = [];
afterEach(async () => {
  for (const c of closing.splice(0).reverse()) await c.close();
});

/** The store's reader, counting what the service asks of it. */
function counted(file: string): BenchmarkSource & { reads: number; checks: number } {
  const reader = new BenchmarkStoreReader(file);
  const source = {
    reads: 0,
    checks: 0,
    changed: () => (source.checks++, reader.changed()),
    read: () => (source.reads++, reader.read()),
    close: () => reader.close(),
  };
  return source;
}

function serviceOf(m: Machine, benchmarks: BenchmarkSource, errors: string[] = []): NodeService {
  const s = new NodeService({
    models: MODELS,
    source: { initial: () => Promise.resolve(m), refresh: () => Promise.resolve({ ...m, snapshotAt: new Date().toISOString() }) },
    identity: m.node,
    refreshIntervalMs: 0,
    analyze: analyzeCatalog,
    estimate: runEstimateRequest,
    benchmarks,
    onBackgroundError: (e) => errors.push(e),
  });
  closing.push(s);
  return s;
}

const rowOf = async (s: NodeService, name: string) => (await s.rows(null, null)).find((r) => r.name === name)!;

/** The quant the analysis picks for Qwen3-8B on the test CPU: a result measured at it shows as measured_tps. */
const qwenQuant = analyzeCatalog(MODELS, DETECTED, { contextTokens: null, forceRuntime: null }).find((r) => r.name === "Qwen/Qwen3-8B")!.best_quant;
const qwenResult = (decode: number) => sampleBenchmark({ quant: qwenQuant, decode_tps: { median: decode, min: decode, max: decode, spread_pct: 0, runs: 3 }, measured_vs_estimated: 0.8 });

describe("the service reads the benchmarks store", () => {
  it("rows on this node: measured_tps of the latest result at the row's quant, the correction on rows of its kind; the store read once", async () => {
    const file = await seededStore([qwenResult(11), qwenResult(12.5)]);
    const source = counted(file);
    const s = serviceOf(DETECTED, source);
    const row = await rowOf(s, "Qwen/Qwen3-8B");
    expect(row.measured_tps).toBe(12.5);
    expect(row.estimate_basis["node_correction"]).toBe("0.8 from 1 benchmark");
    expect((await rowOf(s, "Qwen/Qwen3-0.6B")).measured_tps).toBeNull();
    for (let i = 0; i < 5; i++) await s.rows(4096, null);
    await s.modelsEnvelope(parseModelQuery({}, "models"));
    expect(source.reads).toBe(1);
    expect(source.checks).toBe(0);
  });

  it("a result a bench stores later: seen on the next refresh (never per request), as a new snapshot", async () => {
    const file = await seededStore([qwenResult(11)]);
    const source = counted(file);
    const s = serviceOf(DETECTED, source);
    expect((await rowOf(s, "Qwen/Qwen3-8B")).measured_tps).toBe(11);
    const before = await s.machine();
    const writer = await BenchmarkStore.open(file);
    closing.push(writer);
    writer.add(qwenResult(14));
    // Requests alone do not look at the store.
    expect((await rowOf(s, "Qwen/Qwen3-8B")).measured_tps).toBe(11);
    await s.refresh();
    expect((await rowOf(s, "Qwen/Qwen3-8B")).measured_tps).toBe(14);
    expect(await s.machine()).not.toBe(before);
    expect(source.reads).toBe(2);
  });

  it("estimates for this node get the correction; for a described machine they do not", async () => {
    const s = serviceOf(DETECTED, counted(await seededStore([qwenResult(11)])));
    const here = await s.estimate(parseEstimateRequest({ model: "Qwen/Qwen3-8B", quant: qwenQuant }));
    expect(here.estimate_basis["node_correction"]).toBe("0.8 from 1 benchmark");
    const there = await s.estimate(parseEstimateRequest({ model: "Qwen/Qwen3-8B", quant: qwenQuant, machine: { ram_gb: 64, cpu_cores: 16, cpu_name: "Test CPU" } }));
    expect(there.estimate_basis["node_correction"]).toBeUndefined();
  });

  it("a described machine (--machine) is not this node: no measured_tps, no correction, the store not read for rows", async () => {
    const source = counted(await seededStore([qwenResult(11)]));
    const s = serviceOf(machine({ ramGib: 64 }), source);
    const row = await rowOf(s, "Qwen/Qwen3-8B");
    expect(row.measured_tps).toBeNull();
    expect(row.estimate_basis["node_correction"]).toBeUndefined();
    expect(source.reads).toBe(0);
  });
});

describe("GET /api/v1/benchmarks", () => {
  async function appOf(s: NodeService): Promise<FastifyInstance> {
    const app = buildApp(s);
    await app.ready();
    closing.push(app);
    return app;
  }

  it("the stored results, newest first, and the corrections, as the schema says; a new result shows at once and rows follow", async () => {
    const file = await seededStore([sampleBenchmark({ model: "old" }), qwenResult(11)]);
    const s = serviceOf(DETECTED, counted(file));
    const app = await appOf(s);
    const res = await app.inject({ method: "GET", url: "/api/v1/benchmarks" });
    expect(res.statusCode).toBe(200);
    const body = BenchmarksResponseSchema.parse(res.json()) as BenchmarksResponseJson;
    expect(body.node).toEqual({ name: "test-node", os: "linux" });
    expect(body.benchmarks.map((b) => [b.id, b.model])).toEqual([
      [2, "Qwen/Qwen3-8B"],
      [1, "old"],
    ]);
    expect(body.corrections).toEqual([{ runtime: "llamacpp", run_mode: "cpu_only", calibration: "llamacpp/cpu", device: "cpu Test CPU", factor: 0.8, ratio: 0.8, benchmarks: 2, bounded: false }]);
    expect((await app.inject({ method: "GET", url: "/api/v1/models?search=Qwen3-8B" })).json().models[0].measured_tps).toBe(11);

    const writer = await BenchmarkStore.open(file);
    closing.push(writer);
    writer.add(qwenResult(15));
    const again = (await app.inject({ method: "GET", url: "/api/v1/benchmarks" })).json() as BenchmarksResponseJson;
    expect(again.benchmarks[0]).toMatchObject({ id: 3, decode_tps: { median: 15 } });
    // The models answer cached before is not served again: the new result made a new snapshot.
    expect((await app.inject({ method: "GET", url: "/api/v1/models?search=Qwen3-8B" })).json().models[0].measured_tps).toBe(15);
    expect((await app.inject({ method: "POST", url: "/api/v1/benchmarks" })).statusCode).toBe(405);
  });

  it("no store yet: an empty list; an unreadable one: 503 with the reason, rows still answered, one background error", async () => {
    const dir = tempDataDir();
    const app = await appOf(serviceOf(DETECTED, counted(path.join(dir, "benchmarks.db"))));
    expect((await app.inject({ method: "GET", url: "/api/v1/benchmarks" })).json()).toEqual({ node: { name: "test-node", os: "linux" }, benchmarks: [], corrections: [] });

    const bad = path.join(tempDataDir(), "benchmarks.db");
    writeFileSync(bad, "not a database ".repeat(20));
    const errors: string[] = [];
    const s = serviceOf(DETECTED, counted(bad), errors);
    const broken = await appOf(s);
    const res = await broken.inject({ method: "GET", url: "/api/v1/benchmarks" });
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatch(/^server error: benchmarks store unreadable: cannot open the benchmarks store .*benchmarks\.db: /);
    expect((await rowOf(s, "Qwen/Qwen3-8B")).measured_tps).toBeNull();
    await broken.inject({ method: "GET", url: "/api/v1/benchmarks" });
    expect(errors.filter((e) => e.startsWith("benchmarks store unreadable"))).toHaveLength(1);
  });
});
