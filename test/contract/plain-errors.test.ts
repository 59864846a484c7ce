// Errors in plain words: whatever is wrong in a request body or a machine description, the answer names the field
// and what it accepts, and never carries the validator's wording ("Invalid input: expected number, received string").
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { bundledModels } from "../../src/catalog/bundled.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { NodefitError } from "../../src/domain/errors.js";
import { parseMachineFile } from "../../src/hardware/describe.js";
import { buildApp } from "../../src/http/app.js";
import { testService } from "../http/support/service.js";

/** The validator's own phrases: none may reach a person. */
const VALIDATOR_WORDING = /Invalid input|Invalid option|Invalid string|Too small|Too big|Unrecognized key|\bexpected\b|\breceived\b/i;

const architecture = bundledModels().find((m) => m.id === "Qwen/Qwen3-8B")!.architecture;
const VALID = {
  model: "qwen3:8b",
  context: 4096,
  quant: "Q4_K_M",
  runtime: "llamacpp",
  kv_cache_type: "f16",
  machine: { ram_gb: 64, available_ram_gb: 48, cpu_cores: 8, cpu_name: "AMD Ryzen 9 7950X", ram_bandwidth_gbps: 80, node_name: "box", gpus: [{ name: "NVIDIA GeForce RTX 4090", vram_gb: 24, count: 1, memory_bandwidth_gbps: 1008, unified_memory: false }] },
};
const CUSTOM = { name: "mine", provider: "me", context_length: 32768, category: "general", architecture };

const FIELDS = [
  "model", "context", "quant", "runtime", "kv_cache_type", "machine", "extra",
  "machine.ram_gb", "machine.available_ram_gb", "machine.cpu_cores", "machine.cpu_name", "machine.ram_bandwidth_gbps", "machine.node_name", "machine.gpus", "machine.extra",
  "machine.gpus.0", "machine.gpus.0.name", "machine.gpus.0.vram_gb", "machine.gpus.0.count", "machine.gpus.0.memory_bandwidth_gbps", "machine.gpus.0.unified_memory", "machine.gpus.0.extra",
];
const CUSTOM_FIELDS = [
  "model.name", "model.provider", "model.context_length", "model.params_total", "model.params_active", "model.category", "model.architecture", "model.extra",
  "model.architecture.type", "model.architecture.layers", "model.architecture.hidden_size", "model.architecture.ffn_size", "model.architecture.attention_heads",
  "model.architecture.kv_heads", "model.architecture.head_dim", "model.architecture.vocab_size", "model.architecture.tied_embeddings", "model.architecture.attention",
  "model.architecture.moe", "model.architecture.ffn_sizes", "model.architecture.attention.sliding_window", "model.architecture.extra",
];
const BAD = fc.constantFrom<unknown>("lots", "", " ", "24", "NaN", -1, 0, 1.5, -0.5, 2 ** 60, 1e300, null, true, false, [], [1], ["x"], {}, { x: 1 }, undefined);

const DELETE = Symbol("delete");

function withValue(root: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  const keys = path.split(".");
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    if (next === null || typeof next !== "object") return copy;
    at = next as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (value === DELETE) delete at[last];
  else at[last] = value;
  return copy;
}

const badBody = fc.oneof(
  fc.tuple(fc.constantFrom(...FIELDS), fc.oneof(BAD, fc.constant(DELETE))).map(([path, v]) => withValue(VALID, path, v)),
  fc.tuple(fc.constantFrom(...CUSTOM_FIELDS), fc.oneof(BAD, fc.constant(DELETE))).map(([path, v]) => withValue({ ...VALID, model: CUSTOM }, path, v)),
  fc.array(fc.tuple(fc.constantFrom(...FIELDS), BAD), { minLength: 2, maxLength: 4 }).map((edits) => edits.reduce<unknown>((b, [p, v]) => withValue(b, p, v), VALID)),
  BAD,
  fc.json({ maxDepth: 3 }).map((s) => JSON.parse(s) as unknown),
);

function refusal(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof NodefitError) return e.message;
    throw e;
  }
}

describe("errors in plain words", () => {
  it("a fuzz over bad request bodies and machine files: never the validator's wording", () => {
    let refused = 0;
    fc.assert(
      fc.property(badBody, (body) => {
        const request = refusal(() => parseEstimateRequest(body));
        const machine = body !== null && typeof body === "object" && "machine" in body ? (body as { machine: unknown }).machine : body;
        const file = refusal(() => parseMachineFile(JSON.stringify(machine) ?? "null", "m.json"));
        for (const message of [request, file]) {
          if (message === null) continue;
          refused++;
          expect(message, JSON.stringify(body)).not.toMatch(VALIDATOR_WORDING);
          expect(message.length, JSON.stringify(body)).toBeGreaterThan(0);
        }
      }),
      { numRuns: 3000, seed: 20260515 },
    );
    expect(refused).toBeGreaterThan(3000);
  });

  it("names the field, what it accepts and what it got", () => {
    const cases: Array<[unknown, string]> = [
      [{ model: "q", machine: { ram_gb: "lots" } }, 'machine: ram_gb: must be a number of GiB greater than 0 (got "lots")'],
      [{ model: "q", machine: { ram_gb: 0 } }, "machine: ram_gb: must be a number of GiB greater than 0 (got 0)"],
      [{ model: "q", machine: {} }, "machine: ram_gb: missing: give a number of GiB greater than 0"],
      [{ model: "q", machine: { ram_gb: 64, gpus: [{ name: "x", count: 1.5 }] } }, "machine: gpus[0].count: must be a whole number of GPUs, 1 or more (got 1.5)"],
      [{ model: "q", machine: { ram_gb: 64, gpus: [{ name: "x", vram_gb: "24" }] } }, 'machine: gpus[0].vram_gb: must be a number of GiB greater than 0 (got "24")'],
      [{ model: "q", machine: { ram_gb: 64, gpus: [{ name: "x", unified_memory: "yes" }] } }, 'machine: gpus[0].unified_memory: must be true or false (got "yes")'],
      [{ model: "q", machine: "x" }, 'machine: must be an object such as {"ram_gb": 64, "gpus": [{"name": "RTX 4090"}]} (got "x")'],
      [{}, "invalid model: missing: give a model name (a Hugging Face id, GGUF file name, Ollama tag or loose words) or an architecture object"],
      [{ model: 5 }, "invalid model: must be a model name (a Hugging Face id, GGUF file name, Ollama tag or loose words) or an architecture object (got 5)"],
      [[], 'send one estimate request as a JSON object, e.g. {"model": "Qwen/Qwen3-8B"} (got an empty list)'],
      [{ model: { context_length: "x", architecture }, }, 'invalid model.context_length: must be the model\'s native context, a whole number of tokens (got "x")'],
      [{ model: { context_length: 4096, architecture: { ...architecture, layers: 0 } } }, "invalid model.architecture.layers: must be a number greater than 0 (got 0)"],
    ];
    for (const [body, message] of cases) expect(refusal(() => parseEstimateRequest(body)), JSON.stringify(body)).toBe(message);
  });
});

describe("errors in plain words, over HTTP", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildApp(testService());
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it("POST /api/v1/estimate answers bad bodies with 400 and a plain sentence", async () => {
    await fc.assert(
      fc.asyncProperty(badBody, async (body) => {
        const res = await app.inject({ method: "POST", url: "/api/v1/estimate", payload: JSON.stringify(body) ?? "null", headers: { "content-type": "application/json" } });
        if (res.statusCode < 400) return;
        const error = (JSON.parse(res.body) as { error: string }).error;
        expect(error, `${JSON.stringify(body)} -> ${res.statusCode}`).not.toMatch(VALIDATOR_WORDING);
      }),
      { numRuns: 300, seed: 20260516 },
    );
  });
});
