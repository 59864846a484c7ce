// Plans through the API: per quant, the memory it needs, the bandwidth the target needs (the speed model inverted, so
// the reference device at that bandwidth decodes at the target), and the cheapest known machines that meet it, each the
// estimator's own answer for that described machine (a plan never contradicts an estimate).
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { PlanResultJson } from "../../src/contract/plan.js";
import { parsePlanRequest } from "../../src/contract/plan-request.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { PlanRequestSchema, PlanResultSchema } from "../../src/contract/schemas-plan.js";
import { NodefitError } from "../../src/domain/errors.js";
import { GGUF_LADDER, MLX_LADDER, VLLM_LADDER, formatOf } from "../../src/domain/quants.js";
import { buildApp } from "../../src/http/app.js";
import { cheaperFirst, machineShapes } from "../../src/plan/machine-shapes.js";
import { planQuant } from "../../src/plan/plan.js";
import { bundledModels } from "../../src/catalog/bundled.js";
import { weightsSize } from "../../src/estimate/weights.js";
import { testService } from "../http/support/service.js";

// Compile time: the answer's TS type and its schema agree (as test/agent/contract-schemas.test.ts holds the others).
type DeepKeys<T> = T extends readonly (infer U)[] ? DeepKeys<U>[] : T extends object ? { [K in keyof T]-?: DeepKeys<T[K]> } : "leaf";
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Agrees<S extends z.ZodType, T> = Same<DeepKeys<z.output<S>>, DeepKeys<T>> extends true ? (z.output<S> extends T ? true : false) : false;
void (true satisfies Agrees<typeof PlanResultSchema, PlanResultJson>);

let app: FastifyInstance;
const plans = new Map<string, PlanResultJson>();

beforeAll(async () => {
  app = buildApp(testService());
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

async function post(url: string, payload: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.inject({ method: "POST", url, payload: payload as object });
  return { status: res.statusCode, body: res.json() as Record<string, unknown> };
}

async function plan(payload: Record<string, unknown>): Promise<PlanResultJson> {
  const key = JSON.stringify(payload);
  const known = plans.get(key);
  if (known) return known;
  const { status, body } = await post("/api/v1/plan", payload);
  expect(status, JSON.stringify(body)).toBe(200);
  const parsed = PlanResultSchema.safeParse(body);
  expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
  plans.set(key, body as unknown as PlanResultJson);
  return body as unknown as PlanResultJson;
}

const QWEN = { model: "Qwen/Qwen3-8B", context: 8192, target_tps: 30 };

describe("a plan", () => {
  it("answers per quant: llama.cpp's GGUF ladder, vLLM's formats, MLX's", async () => {
    const p = await plan(QWEN);
    expect(p.quants.map((q) => q.quant)).toEqual([...GGUF_LADDER, ...VLLM_LADDER, ...MLX_LADDER]);
    expect(p).toMatchObject({ context: 8192, target_tps: 30, target_source: "asked", kv_cache_type: "f16", resolved_from: { input: "Qwen/Qwen3-8B", matched_by: "hf_id", confidence: 1 } });
    for (const q of p.quants) {
      const gguf = q.runtime === "llamacpp";
      expect(q.memory.cpu_gb === null, q.quant).toBe(!gguf);
      expect(q.memory.offload === null, q.quant).toBe(!gguf);
      const g = q.memory.gpu;
      expect(Math.round((g.weights_gb + g.kv_cache_gb + g.overhead_gb) * 100) / 100, q.quant).toBe(g.required_gb);
    }
    // Smaller quants need less memory and less bandwidth.
    const gguf = p.quants.filter((q) => q.runtime === "llamacpp");
    for (let i = 1; i < gguf.length; i++) expect(gguf[i]!.memory.gpu.required_gb, gguf[i]!.quant).toBeLessThan(gguf[i - 1]!.memory.gpu.required_gb);
  });

  it("the default target is the model's use case's", async () => {
    const p = await plan({ model: "Qwen/Qwen3-8B", quant: "Q4_K_M" });
    expect(p).toMatchObject({ target_tps: 30, target_source: "the general use case's target", context: 8192 });
    expect(p.quants.map((q) => q.quant)).toEqual(["Q4_K_M"]);
  });

  it("inverts the speed model: the reference device at the bandwidth it asks for decodes at the target", async () => {
    const p = await plan(QWEN);
    for (const q of p.quants.filter((x) => ["Q8_0", "Q4_K_M", "IQ2_M", "FP8", "MLX-4BIT"].includes(x.quant))) {
      const b = q.bandwidth!;
      const gpu = q.runtime === "mlx" ? { name: b.reference_device, memory_bandwidth_gbps: b.required_gbps } : { name: b.reference_device, vram_gb: 1024, memory_bandwidth_gbps: b.required_gbps };
      const { body } = await post("/api/v1/estimate", { model: "Qwen/Qwen3-8B", quant: q.quant, context: 8192, machine: { gpus: [gpu], ram_gb: q.runtime === "mlx" ? 65536 : 256, cpu_cores: 16 } });
      expect(Math.abs((body["estimated_tps"] as number) - 30), `${q.quant}: ${String(body["estimated_tps"])}`).toBeLessThanOrEqual(0.1);
      expect(b.calibration).toBe((body["estimate_basis"] as Record<string, unknown>)["calibration"]);
    }
  });

  it("lists machines that meet the target, each exactly the estimator's answer for that machine", async () => {
    const p = await plan(QWEN);
    let checked = 0;
    for (const q of p.quants) {
      expect(q.machines.length, q.quant).toBeGreaterThan(0);
      expect(q.machines.length).toBeLessThanOrEqual(5);
      for (const m of q.machines) {
        expect(m.estimated_tps).toBeGreaterThanOrEqual(30);
        expect(["perfect", "good"]).toContain(m.fit_level);
        expect(["gpu", "tensor_parallel"]).toContain(m.run_mode);
        // Every other machine: the estimate is asked through the API, as anyone would ask it.
        if (checked++ % 3 !== 0) continue;
        const { status, body } = await post("/api/v1/estimate", { model: "Qwen/Qwen3-8B", quant: q.quant, context: 8192, machine: m.machine });
        expect(status).toBe(200);
        expect(body, `${q.quant} on ${m.name}`).toMatchObject({
          fit_level: m.fit_level,
          run_mode: m.run_mode,
          estimated_tps: m.estimated_tps,
          tps_range: m.tps_range,
          memory: { required_gb: m.memory_required_gb, available_gb: m.memory_available_gb },
        });
      }
    }
  });

  it("lists the cheapest: by memory, then bandwidth; every cheaper machine of the runtime's kind does not meet the target", async () => {
    const p = await plan(QWEN);
    const q4 = p.quants.find((q) => q.quant === "Q4_K_M")!;
    for (let i = 1; i < q4.machines.length; i++) {
      const [a, b] = [q4.machines[i - 1]!, q4.machines[i]!];
      expect(a.memory_gb < b.memory_gb || (a.memory_gb === b.memory_gb && a.bandwidth_gbps <= b.bandwidth_gbps), `${a.name} before ${b.name}`).toBe(true);
    }
    const shapes = machineShapes();
    const listed = new Set(q4.machines.map((m) => m.name));
    const last = shapes.find((s) => s.label === q4.machines.at(-1)!.name)!;
    const cheaper = shapes.filter((s) => cheaperFirst(s, last) < 0 && !listed.has(s.label));
    expect(cheaper.length).toBeGreaterThan(20);
    for (const s of cheaper) {
      const { body } = await post("/api/v1/estimate", { model: "Qwen/Qwen3-8B", quant: "Q4_K_M", context: 8192, machine: s.description });
      const meets = ["perfect", "good"].includes(body["fit_level"] as string) && ["gpu", "tensor_parallel"].includes(body["run_mode"] as string) && (body["estimated_tps"] as number) >= 30;
      expect(meets, `${s.label}: ${String(body["fit_level"])} ${String(body["run_mode"])} ${String(body["estimated_tps"])} tok/s`).toBe(false);
    }
  }, 60_000);

  it("covers cards, sets of cards, Apple chips by memory and unified boards", async () => {
    const kinds = new Set(machineShapes().map((s) => s.kind));
    expect([...kinds].sort()).toEqual(["apple", "board", "card", "cards"]);
    const names = machineShapes().map((s) => s.label);
    expect(names).toEqual(expect.arrayContaining(["NVIDIA GeForce RTX 4090", "8x NVIDIA H100 SXM5 80GB", "Apple M4 Max (40-core GPU) with 128 GB", "Apple M3 Ultra with 512 GB", "NVIDIA GB10 with 128 GB", "AMD Radeon 8060S Graphics with 128 GB"]));
    const p = await plan({ model: "Qwen/Qwen3-30B-A3B", context: 8192, target_tps: 30 });
    const kindsMet = new Set(p.quants.flatMap((q) => q.machines.map((m) => m.kind)));
    expect([...kindsMet].sort()).toEqual(["apple", "board", "card", "cards"]);
  });

  it("offloads as llama.cpp would: an MoE's experts all in RAM, half a dense model's layers on the GPU", async () => {
    const moe = (await plan({ model: "Qwen/Qwen3-30B-A3B", context: 8192, target_tps: 30 })).quants.find((q) => q.quant === "Q4_K_M")!;
    expect(moe.memory.offload).toMatchObject({ run_mode: "moe_offload", expert_fraction_on_gpu: 0, gpu_layers: null });
    expect(moe.memory.offload!.gpu_gb).toBeLessThan(moe.memory.gpu.required_gb / 4);
    // A card of that size (as a good placement fills it) runs it so, as the estimator says.
    const vram = Math.ceil((moe.memory.offload!.gpu_gb / 0.95) * 100) / 100 + 0.01;
    const { body } = await post("/api/v1/estimate", { model: "Qwen/Qwen3-30B-A3B", quant: "Q4_K_M", context: 8192, machine: { gpus: [{ name: "RTX 4090", vram_gb: vram }], ram_gb: 128, cpu_cores: 16 } });
    expect(body["run_mode"]).toBe("moe_offload");
    const dense = (await plan(QWEN)).quants.find((q) => q.quant === "Q4_K_M")!;
    expect(dense.memory.offload).toMatchObject({ run_mode: "cpu_offload", gpu_layers: 18, layers: 36, expert_fraction_on_gpu: null });
    expect(dense.memory.offload!.per_layer_gb).toBeGreaterThan(0);
    expect(dense.memory.cpu_gb).toBeGreaterThan(dense.memory.gpu.weights_gb);
  });

  it("says when no bandwidth reaches the target on the reference class, and lists nothing", async () => {
    const p = await plan({ model: "meta-llama/Llama-3.3-70B-Instruct", quant: "Q4_K_M", target_tps: 2000 });
    const q = p.quants[0]!;
    expect(q.bandwidth!.required_gbps).toBeNull();
    expect(q.machines).toEqual([]);
    expect(q.notes.join(" ")).toMatch(/2000 tok\/s is out of reach on NVIDIA GeForce RTX 4090's class at any bandwidth: its per-layer costs alone take .* ms a token/);
  });

  it("counts the input layer llama.cpp keeps in host RAM to the byte, not from the basis's rounded GiB", () => {
    const model = bundledModels().find((m) => m.id === "Qwen/Qwen3-8B")!;
    const q = planQuant({ model, quant: "Q4_K_M", contextTokens: 8192, kvCacheType: "f16", targetTps: 30 }, "Q4_K_M");
    const host = weightsSize(model, formatOf("Q4_K_M"), false).hostInputBytes;
    expect(host).toBeGreaterThan(0);
    expect(q.gpu.hostBytes).toBe(host);
    // Formats llama.cpp does not run keep nothing there.
    expect(planQuant({ model, quant: "FP8", contextTokens: 8192, kvCacheType: "f16", targetTps: 30 }, "FP8").gpu.hostBytes).toBe(0);
  });

  it("a quant whose runtime has no cache of the KV type asked says which it was sized with", () => {
    const model = bundledModels().find((m) => m.id === "Qwen/Qwen3-8B")!;
    const plan = (quant: "Q4_K_M" | "FP8", kvCacheType: "fp8" | "q8_0") => planQuant({ model, quant, contextTokens: 32768, kvCacheType, targetTps: 30 }, quant);
    expect(plan("Q4_K_M", "fp8").notes).toContain("llama.cpp has no fp8 KV cache: sized as q8_0, its nearest");
    expect(plan("FP8", "q8_0").notes).toContain("vLLM has no q8_0 KV cache: sized as fp8, its nearest");
    // As asked: no note, and fp8 on vLLM is a byte an element against q8_0's 34/32 on llama.cpp.
    expect(plan("FP8", "fp8").notes.some((n) => n.includes("KV cache"))).toBe(false);
    expect(plan("Q4_K_M", "fp8").gpu.kvCacheBytes / plan("FP8", "fp8").gpu.kvCacheBytes).toBeCloseTo(34 / 32, 2);
  });

  it("an architecture object plans as a reference does", async () => {
    const body = { model: { name: "tiny", context_length: 4096, architecture: { type: "llama", layers: 8, hidden_size: 1024, ffn_size: 2816, attention_heads: 16, kv_heads: 4, head_dim: 64, vocab_size: 32000, tied_embeddings: true, attention: { full_layers: 8 } } }, quant: "Q8_0", target_tps: 100 };
    const p = await plan(body);
    expect(p.resolved_from).toEqual({ input: "tiny", matched_by: "architecture", confidence: 1 });
    expect(p.quants[0]!.machines.length).toBeGreaterThan(0);
  });
});

describe("the plan request", () => {
  const text = (body: unknown): string => {
    try {
      parsePlanRequest(body);
    } catch (e) {
      expect(e).toBeInstanceOf(NodefitError);
      return (e as Error).message;
    }
    throw new Error("expected a refusal");
  };
  const estimateText = (body: unknown): string => {
    try {
      parseEstimateRequest(body);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("expected a refusal");
  };

  it("shares the estimate request's texts for the fields they share", () => {
    for (const body of [{ model: "qwen3:8b", context: "lots" }, { model: "qwen3:8b", quant: "Q9" }, { model: "qwen3:8b", kv_cache_type: "q2" }, {}, { model: "" }, { model: 7 }, { model: "qwen3:8b", context: 0 }])
      expect(text(body), JSON.stringify(body)).toBe(estimateText(body));
  });

  it("words its own fields: the target, unknown fields, a body that is not an object", () => {
    expect(text({ model: "qwen3:8b", target_tps: 0 })).toBe("invalid target_tps value: use a number of tokens per second greater than 0, at most 10000");
    expect(text({ model: "qwen3:8b", target_tps: "fast" })).toBe("invalid target_tps value: use a number of tokens per second greater than 0, at most 10000");
    expect(text({ model: "qwen3:8b", machine: {} })).toBe("unknown field machine: use model, quant, context, target_tps, kv_cache_type");
    expect(text([])).toMatch(/^send one plan request as a JSON object/);
    expect(text(null)).toMatch(/^send one plan request as a JSON object/);
  });

  it("the schema the OpenAPI document publishes accepts exactly what the parser does", () => {
    const bodies: unknown[] = [{ model: "x" }, { model: "x", target_tps: 1e6 }, { model: "x", runtime: "vllm" }, { model: "x", quant: "Q4_K_M", context: 4096, target_tps: 12.5, kv_cache_type: "q8_0" }, { model: "x", context: 1.5 }];
    for (const b of bodies) {
      let parser = true;
      try {
        parsePlanRequest(b);
      } catch {
        parser = false;
      }
      expect(PlanRequestSchema.safeParse(b).success, JSON.stringify(b)).toBe(parser);
    }
  });

  it("answers 400 with those texts at the door, 404 for a model nothing names", async () => {
    expect(await post("/api/v1/plan", { model: "qwen3:8b", target_tps: -1 })).toEqual({ status: 400, body: { error: "invalid target_tps value: use a number of tokens per second greater than 0, at most 10000" } });
    const missing = await post("/api/v1/plan", { model: "definitely-not-a-model-xyz" });
    expect(missing.status).toBe(404);
    expect(missing.body["error"]).toMatch(/^model "definitely-not-a-model-xyz" is not in the catalog/);
  });
});
