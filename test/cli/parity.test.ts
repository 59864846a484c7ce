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
});
