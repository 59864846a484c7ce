// A model known only to the (local test) Hub, estimated and planned through the API: POST /api/v1/estimate and
// /api/v1/plan look references the catalog does not know up on the Hub, say so in resolved_from and the notes, and
// explain a failure; the name route, which schedulers poll, never asks the Hub.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { readGgufHeader } from "../../src/catalog/gguf/read-gguf.js";
import { EstimateResultSchema } from "../../src/contract/schemas-estimate.js";
import { PlanResultSchema } from "../../src/contract/schemas-plan.js";
import { gib2 } from "../../src/domain/units.js";
import { buildApp } from "../../src/http/app.js";
import { fsHubCache } from "../../src/hub/real-io.js";
import { hubSettings } from "../../src/hub/settings.js";
import { analyzeCatalog } from "../../src/service/analyze.js";
import { runEstimateRequest } from "../../src/service/estimate-request.js";
import { hubExternalModels } from "../../src/service/hub-models.js";
import { fixedMachineSource } from "../../src/service/machine-source.js";
import { NodeService } from "../../src/service/node-service.js";
import { llamaShape, writeGguf } from "../support/gguf-writer.js";
import { startTestHub, type TestHub } from "../support/hub-server.js";
import { rtx4090Machine } from "../http/support/machine.js";

let dir = "";
let hub: TestHub;
let app: FastifyInstance;
let service: NodeService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-hub-api-"));
  const shape = llamaShape({ nEmbd: 512, nLayer: 8, nHead: 8, nHeadKv: 4, nFf: 1024, nVocab: 1024, ctx: 8192, type: "Q8_0", name: "Brand New Tiny" });
  writeGguf(join(dir, "brand-new-tiny-Q8_0.gguf"), shape.metadata, shape.tensors);
  const qwen = JSON.parse(readFileSync(new URL("../fixtures/hub/config/Qwen__Qwen3-8B.json", import.meta.url), "utf8")) as unknown;
  hub = await startTestHub({
    "new-lab/Brand-New-Tiny-GGUF": { files: { "brand-new-tiny-Q8_0.gguf": { path: join(dir, "brand-new-tiny-Q8_0.gguf") } } },
    "new-lab/Qwen3-8B-Twin": { files: { "config.json": { json: qwen } }, listing: { safetensors: { total: 8_190_735_360 } } },
    // bitsandbytes 4-bit: the Hub counts its packed tensors (two weights a byte), not the model's parameters.
    "new-lab/Qwen3-8B-Twin-bnb-4bit": {
      files: { "config.json": { json: { ...(qwen as object), quantization_config: { quant_method: "bitsandbytes", load_in_4bit: true } } } },
      listing: { safetensors: { total: 4_615_000_000 } },
    },
  });
  const settings = { ...hubSettings({ NODEFIT_HUB_URL: hub.url }), cacheDir: join(dir, "cache") };
  const machine = rtx4090Machine();
  service = new NodeService({
    models: bundledModels(),
    source: fixedMachineSource(machine),
    identity: machine.node,
    refreshIntervalMs: 0,
    analyze: analyzeCatalog,
    estimate: runEstimateRequest,
    external: hubExternalModels(settings, { fetch: (url, init) => fetch(url, init), cache: fsHubCache(settings.cacheDir), now: () => Date.now() }),
  });
  app = buildApp(service);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  service?.close();
  await hub?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const post = async (url: string, payload: object) => {
  const res = await app.inject({ method: "POST", url, payload });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
};

describe("POST /api/v1/estimate", () => {
  it("estimates a model known only to the Hub from its GGUF header: its exact tensor bytes, as Ollama runs an hf.co pull", async () => {
    const { status, body } = await post("/api/v1/estimate", { model: "hf.co/new-lab/Brand-New-Tiny-GGUF:Q8_0" });
    expect(status).toBe(200);
    EstimateResultSchema.parse(body);
    const header = await readGgufHeader(join(dir, "brand-new-tiny-Q8_0.gguf"));
    expect(body).toMatchObject({
      model: { name: "new-lab/Brand-New-Tiny-GGUF", context_length: 8192 },
      resolved_from: { input: "hf.co/new-lab/Brand-New-Tiny-GGUF:Q8_0", matched_by: "hub", confidence: 1 },
      quant: "Q8_0",
      runtime: "llamacpp",
      context: 4096,
      fit_level: "perfect",
    });
    // On a discrete GPU llama.cpp keeps the untied token embedding in host memory: the rest of the file is in GPU memory.
    const embedding = 512 * 1024 * (34 / 32);
    expect((body["memory"] as { weights_gb: number }).weights_gb).toBeCloseTo(gib2(header.tensorBytes - embedding), 2);
    const notes = body["notes"] as string[];
    expect(notes[0]).toBe(
      `"hf.co/new-lab/Brand-New-Tiny-GGUF:Q8_0" is not in the catalog: read from the Hugging Face Hub, ${hub.url}/new-lab/Brand-New-Tiny-GGUF at revision ${hub.shaOf("new-lab/Brand-New-Tiny-GGUF")} (the GGUF header of brand-new-tiny-Q8_0.gguf)`,
    );
    expect(notes[1]).toMatch(/^an Ollama tag: answered as Ollama runs it, Q8_0 on llama\.cpp at Ollama's default 4096-token context/);
  });

  it("estimates a repository with config.json as the catalog estimates the same architecture (the Hub's exact answer, not the derivative guess its name would give)", async () => {
    const twin = await post("/api/v1/estimate", { model: "new-lab/Qwen3-8B-Twin", quant: "Q4_K_M", context: 8192 });
    const catalog = await post("/api/v1/estimate", { model: "Qwen/Qwen3-8B", quant: "Q4_K_M", context: 8192 });
    expect(twin.status).toBe(200);
    expect(twin.body["resolved_from"]).toEqual({ input: "new-lab/Qwen3-8B-Twin", matched_by: "hub", confidence: 1 });
    for (const key of ["memory", "estimated_tps", "tps_range", "run_mode", "fit_level"]) expect(twin.body[key], key).toEqual(catalog.body[key]);
  });

  it("a quantized repository's packed tensor count is not compared with its architecture (bitsandbytes has no quant name)", async () => {
    const bnb = await post("/api/v1/estimate", { model: "new-lab/Qwen3-8B-Twin-bnb-4bit", quant: "Q4_K_M", context: 8192 });
    expect(bnb.status).toBe(200);
    expect(bnb.body["resolved_from"]).toMatchObject({ matched_by: "hub" });
    expect((bnb.body["notes"] as string[]).some((n) => n.includes("safetensors index"))).toBe(false);
    expect((bnb.body["model"] as { params_b: number }).params_b).toBeCloseTo(8.19, 1);
  });

  it("a derivative the Hub does not have keeps the catalog's guess (sized as the model its name carries)", async () => {
    const { status, body } = await post("/api/v1/estimate", { model: "new-lab/Qwen3-8B-Unreleased-Finetune" });
    expect(status).toBe(200);
    expect(body["resolved_from"]).toMatchObject({ matched_by: "derivative" });
    expect(hub.requests.some((r) => r.url.includes("Qwen3-8B-Unreleased-Finetune"))).toBe(true);
  });

  it("a reference neither the catalog nor the Hub knows says both", async () => {
    const { status, body } = await post("/api/v1/estimate", { model: "new-lab/Not-Released-Yet" });
    expect(status).toBe(404);
    expect(body["error"]).toBe(
      `model "new-lab/Not-Released-Yet" is not in the catalog, nor on the Hugging Face Hub (${hub.url}/api/models/new-lab/Not-Released-Yet?blobs=true: 404, no such repository, revision or file); describe it with an architecture object, or add it to a catalog file`,
    );
  });

  it("words, Ollama tags and catalog names never reach the Hub", async () => {
    const before = hub.requests.length;
    expect((await post("/api/v1/estimate", { model: "definitely not a model" })).status).toBe(404);
    expect((await post("/api/v1/estimate", { model: "qwen3:8b" })).status).toBe(200);
    expect((await post("/api/v1/estimate", { model: "Qwen/Qwen3-8B" })).status).toBe(200);
    expect(hub.requests.length).toBe(before);
  });
});

describe("POST /api/v1/plan", () => {
  it("plans a model known only to the Hub", async () => {
    const { status, body } = await post("/api/v1/plan", { model: "new-lab/Qwen3-8B-Twin", quant: "Q4_K_M", context: 8192, target_tps: 30 });
    expect(status).toBe(200);
    PlanResultSchema.parse(body);
    expect(body["resolved_from"]).toEqual({ input: "new-lab/Qwen3-8B-Twin", matched_by: "hub", confidence: 1 });
    expect((body["notes"] as string[])[0]).toMatch(/read from the Hugging Face Hub, .* at revision [0-9a-f]{40} \(config\.json\)/);
    expect((body["quants"] as Array<{ machines: unknown[] }>)[0]!.machines.length).toBeGreaterThan(0);
  });
});

describe("the name route", () => {
  it("never asks the Hub: a Hub-only name is not found there, a derivative stays the catalog's guess", async () => {
    const before = hub.requests.length;
    const res = await app.inject("/api/v1/models/new-lab%2FBrand-New-Tiny-GGUF");
    expect(res.statusCode).toBe(200);
    expect(res.json().resolved_from.status).toBe("not_found");
    const twin = await app.inject("/api/v1/models/new-lab%2FQwen3-8B-Twin");
    expect(twin.json().resolved_from).toMatchObject({ status: "matched", matched_by: "derivative", name: "Qwen/Qwen3-8B" });
    expect(hub.requests.length).toBe(before);
  });
});
