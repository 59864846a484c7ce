import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { openLocalService } from "../../src/service/local-service.js";
import { FIXTURE_MACHINE, runCli } from "./run-cli.js";

/** Snapshot times are the only values allowed to differ between two answers for the same machine. */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "snapshot_at").map(([k, v]) => [k, withoutTimes(v)]));
  return value;
}

let app: FastifyInstance;
beforeAll(async () => {
  app = buildApp(openLocalService({ machineFile: FIXTURE_MACHINE, overrides: {}, nodeName: null, refreshIntervalMs: 0 }));
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const cases: Array<[string, string[], string]> = [
  ["models", ["models", "--json"], "/api/v1/models"],
  ["models with filters", ["models", "--json", "--limit", "7", "--sort", "mem", "--use-case", "coding", "--max-context", "16384"], "/api/v1/models?limit=7&sort=mem&use_case=coding&max_context=16384"],
  ["top", ["models", "--top", "--json", "--min-fit", "good"], "/api/v1/models/top?min_fit=good"],
  ["system", ["system", "--json"], "/api/v1/system"],
  ["info", ["info", "Qwen/Qwen3-8B", "--json"], "/api/v1/models/Qwen%2FQwen3-8B"],
];

describe("CLI --json and HTTP give the same objects for the same machine", () => {
  it.each(cases)("%s", async (_label, args, url) => {
    const cli = await runCli([...args, "--machine", FIXTURE_MACHINE]);
    expect(cli.code, cli.stderr).toBe(0);
    const res = await app.inject({ method: "GET", url });
    expect(res.statusCode).toBe(200);
    expect(withoutTimes(JSON.parse(cli.stdout))).toEqual(withoutTimes(res.json()));
  });

  it("estimate", async () => {
    const cli = await runCli(["estimate", "--model", "qwen3:8b", "--context", "4096", "--json", "--machine", FIXTURE_MACHINE]);
    expect(cli.code, cli.stderr).toBe(0);
    const res = await app.inject({ method: "POST", url: "/api/v1/estimate", payload: { model: "qwen3:8b", context: 4096 } });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(cli.stdout)).toEqual(res.json());
  });

  it("a model too tight here: the row and the estimate, by every door, carry the same memory figures", async () => {
    const id = "deepseek-ai/DeepSeek-V3";
    const info = await runCli(["info", id, "--json", "--machine", FIXTURE_MACHINE]);
    expect(info.code, info.stderr).toBe(0);
    const est = await runCli(["estimate", "--model", id, "--json", "--machine", FIXTURE_MACHINE]);
    expect(est.code, est.stderr).toBe(0);
    const rowRes = await app.inject({ method: "GET", url: `/api/v1/models/${encodeURIComponent(id)}` });
    const estRes = await app.inject({ method: "POST", url: "/api/v1/estimate", payload: { model: id } });
    type Row = { name: string; fit_level: string; run_mode: string; best_quant: string; memory_required_gb: number; memory_available_gb: number; memory: Record<string, number> };
    const rows = [JSON.parse(info.stdout), rowRes.json()].map((envelope: { models: Row[] }) => envelope.models.find((m) => m.name === id)!);
    const results = [JSON.parse(est.stdout), estRes.json()] as Array<{ fit_level: string; run_mode: string; quant: string; memory: Record<string, number> }>;
    const row = rows[0]!;
    expect(row.fit_level).toBe("too_tight");
    expect(rows[1]).toEqual(rows[0]);
    expect(results[1]).toEqual(results[0]);
    const m = row.memory;
    expect(results[0]).toMatchObject({
      fit_level: row.fit_level,
      run_mode: row.run_mode,
      quant: row.best_quant,
      memory: { required_gb: row.memory_required_gb, available_gb: row.memory_available_gb, weights_gb: m.weights_gb, kv_cache_gb: m.kv_cache_gb, overhead_gb: m.overhead_gb, gpu_gb: m.gpu_gb, ram_gb: m.ram_gb },
    });
    expect(Math.round(((m.weights_gb ?? 0) + (m.kv_cache_gb ?? 0) + (m.overhead_gb ?? 0)) * 100) / 100).toBe(row.memory_required_gb);
    expect(Math.round(((m.gpu_gb ?? 0) + (m.ram_gb ?? 0)) * 100) / 100).toBe(row.memory_required_gb);
    expect(m.overhead_gb).toBeGreaterThan(0);
    expect(row.memory_required_gb).toBeGreaterThan(row.memory_available_gb);
  });
});
