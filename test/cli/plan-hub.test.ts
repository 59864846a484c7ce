// The built CLI: `nodefit plan` answers per quant what POST /api/v1/plan answers, and `nodefit estimate` finds a model
// only the (local test) Hub knows, caches it, answers it offline from the cache, and says when it cannot.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import type { OpenService } from "../../src/cli/open-service.js";
import { runCli as runInProcess } from "../../src/cli/run.js";
import { PlanResultSchema } from "../../src/contract/schemas-plan.js";
import { buildApp } from "../../src/http/app.js";
import { llamaShape, writeGguf } from "../support/gguf-writer.js";
import { startTestHub, type TestHub } from "../support/hub-server.js";
import { testService } from "../http/support/service.js";
import { FIXTURE_MACHINE, runCli } from "./run-cli.js";

let dir = "";
let hub: TestHub;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-cli-hub-"));
  const shape = llamaShape({ nEmbd: 256, nLayer: 4, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 512, ctx: 4096, type: "Q8_0", name: "Hub Only Tiny" });
  writeGguf(join(dir, "hub-only-tiny-Q8_0.gguf"), shape.metadata, shape.tensors);
  hub = await startTestHub({ "hub-lab/Hub-Only-Tiny-GGUF": { files: { "hub-only-tiny-Q8_0.gguf": { path: join(dir, "hub-only-tiny-Q8_0.gguf") } } } });
  app = buildApp(testService());
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await hub?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The CLI against the stand-in Hub, caching under `cache`. */
const withHub = (cache: string, extra: Record<string, string> = {}) => ({ env: { NODEFIT_HUB_URL: hub.url, XDG_CACHE_HOME: join(dir, cache), ...extra } });

describe("nodefit plan", () => {
  it("MODEL --context 8192 --target-tps 30 --json answers per quant, as POST /api/v1/plan does", async () => {
    const cli = await runCli(["plan", "Qwen/Qwen3-8B", "--context", "8192", "--target-tps", "30", "--json"], withHub("plan"));
    expect(cli.code, cli.stderr).toBe(0);
    const body = JSON.parse(cli.stdout) as unknown;
    PlanResultSchema.parse(body);
    const api = await app.inject({ method: "POST", url: "/api/v1/plan", payload: { model: "Qwen/Qwen3-8B", context: 8192, target_tps: 30 } });
    expect(body).toEqual(api.json());
    const quants = (body as { quants: Array<{ quant: string; machines: unknown[] }> }).quants;
    expect(quants.length).toBe(20);
    expect(quants.every((q) => q.machines.length > 0)).toBe(true);
  }, 60_000);

  it("for people: each quant's memory, bandwidth and cheapest machines", async () => {
    const cli = await runCli(["plan", "qwen3:8b", "--quant", "Q4_K_M", "--target-tps", "40.5"], { env: { COLUMNS: "100" } });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(/^model {3}Qwen\/Qwen3-8B \(8\.2B\), matched by ollama_tag\ntarget  40\.5 tok\/s \(asked\)/);
    // Unwrapped: each value continues under its start.
    const flat = cli.stdout.replace(/\n {2,}/g, " ");
    expect(flat).toMatch(/\nQ4_K_M {2}llama\.cpp, keeps 96\.0% of 16-bit quality; GPU \d+\.\d\d GiB; offload \d+\.\d\d GiB GPU \+ \d+\.\d\d GiB RAM \(18 of 36 layers on the GPU\); CPU \d+\.\d\d GiB; needs \d+ GB\/s on the class of the reference NVIDIA GeForce RTX 4090\. Cheapest that meet it: [^\n]+ tok\/s\)/);
    expect(flat).toMatch(/\nnote {2}machines: the knowledge base's cards alone and in sets of 2, 4, 8/);
    for (const line of cli.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("refuses a bad flag with the API's text, before anything runs", async () => {
    const bad = await runCli(["plan", "qwen3:8b", "--target-tps", "fast"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("nodefit: invalid target_tps value: use a number of tokens per second greater than 0, at most 10000\n");
    const ctx = await runCli(["plan", "qwen3:8b", "--context", "lots", "--json"]);
    expect(ctx.code).toBe(2);
    expect(JSON.parse(ctx.stdout).error).toMatch(/^invalid context value: use an integer number of tokens/);
    const env = await runCli(["plan", "qwen3:8b"], { env: { NODEFIT_OFFLINE: "perhaps" } });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/invalid NODEFIT_OFFLINE value/);
  });
});

describe("flags and the Hub's environment are parsed before anything opens", () => {
  it.each([
    [["plan", "qwen3:8b", "--target-tps", "0"], {}, /^nodefit: invalid target_tps value/],
    [["plan", "qwen3:8b", "--quant", "Q9_Z"], {}, /^nodefit: invalid quant value: use /],
    [["plan", "qwen3:8b", "--kv-cache-type", "q2"], {}, /^nodefit: invalid kv_cache_type value: use f16\|q8_0\|q4_0/],
    [["plan", "qwen3:8b"], { NODEFIT_HUB_URL: "file:///etc" }, /^nodefit: invalid NODEFIT_HUB_URL value/],
    [["estimate", "--model", "qwen3:8b"], { NODEFIT_HUB_CACHE_TTL: "soon" }, /^nodefit: invalid NODEFIT_HUB_CACHE_TTL value/],
    [["estimate", "--model", "qwen3:8b"], { NODEFIT_OFFLINE: "2" }, /^nodefit: invalid NODEFIT_OFFLINE value/],
    [["mcp"], { HF_HUB_OFFLINE: "sometimes" }, /^nodefit: invalid HF_HUB_OFFLINE value/],
  ] as Array<[string[], Record<string, string>, RegExp]>)("%j %j", async (args, env, message) => {
    let stderr = "";
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env, readStdin: async () => "" };
    const openService = vi.fn<OpenService>(() => Promise.reject(new Error("the service must not open")));
    expect(await runInProcess(args, io, { openService })).toBe(2);
    expect(stderr).toMatch(message);
    expect(openService).not.toHaveBeenCalled();
  });
});

describe("nodefit estimate with a model only the Hub knows", () => {
  it("estimates it from its GGUF header, caches it, answers from the cache offline, and says when offline without it", async () => {
    const ref = "hf.co/hub-lab/Hub-Only-Tiny-GGUF:Q8_0";
    const first = await runCli(["estimate", "--model", ref, "--json", "--machine", FIXTURE_MACHINE], withHub("est"));
    expect(first.code, first.stderr).toBe(0);
    const r = JSON.parse(first.stdout) as { resolved_from: unknown; quant: string; notes: string[] };
    expect(r.resolved_from).toEqual({ input: ref, matched_by: "hub", confidence: 1 });
    expect(r.quant).toBe("Q8_0");
    expect(r.notes[0]).toContain(`at revision ${hub.shaOf("hub-lab/Hub-Only-Tiny-GGUF")} (the GGUF header of hub-only-tiny-Q8_0.gguf)`);
    // The entry of what the reference resolved to, and the aliases file (reference -> entry).
    const cached = readdirSync(join(dir, "est", "nodefit", "hub"));
    expect(cached).toHaveLength(2);
    expect(cached).toEqual(expect.arrayContaining(["aliases.json", expect.stringMatching(/^[0-9a-f]{40}\.json$/)]));

    const before = hub.requests.length;
    const offline = await runCli(["estimate", "--model", ref, "--json", "--offline", "--machine", FIXTURE_MACHINE], withHub("est"));
    expect(offline.code, offline.stderr).toBe(0);
    expect((JSON.parse(offline.stdout) as { notes: string[] }).notes[0]).toMatch(/; cached \d{4}-\d\d-\d\dT/);
    expect(hub.requests.length).toBe(before);

    const none = await runCli(["estimate", "--model", ref, "--machine", FIXTURE_MACHINE], withHub("empty", { NODEFIT_OFFLINE: "1" }));
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^nodefit: model "hf\.co\/hub-lab\/Hub-Only-Tiny-GGUF:Q8_0" is not in the catalog, and nodefit is offline \(--offline, NODEFIT_OFFLINE or HF_HUB_OFFLINE\): the Hugging Face Hub was not asked; /);
    expect(hub.requests.length).toBe(before);
  });

  it("a Hub that cannot be reached is said so", async () => {
    const r = await runCli(["estimate", "--model", "hub-lab/Anything-New", "--machine", FIXTURE_MACHINE], withHub("down", { NODEFIT_HUB_URL: "http://127.0.0.1:1" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^nodefit: model "hub-lab\/Anything-New" is not in the catalog, and the Hub could not be reached: fetch failed/);
  });

  it("nodefit plan plans it too", async () => {
    const r = await runCli(["plan", "hf.co/hub-lab/Hub-Only-Tiny-GGUF:Q8_0", "--target-tps", "100", "--json"], withHub("plan-hub"));
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { resolved_from: { matched_by: string }; quants: Array<{ quant: string; machines: unknown[] }> };
    expect(body.resolved_from.matched_by).toBe("hub");
    expect(body.quants.map((q) => q.quant)).toEqual(["Q8_0"]);
    expect(body.quants[0]!.machines.length).toBeGreaterThan(0);
  });
});
