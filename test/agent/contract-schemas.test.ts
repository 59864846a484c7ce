// Contract schemas: the TS wire types and the zod schemas agree (at compile time), and every serializer's real output
// parses with the strict schemas (an extra or missing key, or a value out of its vocabulary, fails).
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { bundledModels } from "../../src/catalog/bundled.js";
import type { HealthJson, ModelsEnvelopeJson, NodeJson, SystemResponseJson, FiltersJson } from "../../src/contract/envelope.js";
import type { EstimateResultJson } from "../../src/contract/estimate.js";
import type { ModelRowJson } from "../../src/contract/row.js";
import { EstimateRequestSchema, EstimateResultSchema } from "../../src/contract/schemas-estimate.js";
import { FiltersSchema, ModelsEnvelopeSchema } from "../../src/contract/schemas-envelope.js";
import { ModelRowSchema } from "../../src/contract/schemas-row.js";
import { HealthSchema, NodeSchema, SystemResponseSchema, SystemSchema } from "../../src/contract/schemas-system.js";
import { systemJson, type SystemJson } from "../../src/contract/system.js";
import { isNodefitError } from "../../src/domain/errors.js";
import type { Machine } from "../../src/domain/machine.js";
import { describeMachine } from "../../src/hardware/describe.js";
import { detectMachine } from "../../src/hardware/detect.js";
import { fixtureIO } from "../../src/hardware/fixture-io.js";
import { buildApp } from "../../src/http/app.js";
import { ModelQueryParamsSchema, ModelsEnvelopeDocSchema } from "../../src/query/query-schema.js";
import { parseModelQuery } from "../../src/query/model-query.js";
import { QUERY_KEYS } from "../../src/query/vocabulary.js";
import { analyzeCatalog } from "../../src/service/analyze.js";
import { runEstimateRequest } from "../../src/service/estimate-request.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { testService } from "../http/support/service.js";

// ---- Compile time: `tsc --noEmit` fails when a TS wire type and its schema drift apart.

/** The key structure of a type, all the way down (arrays by their items; leaves collapsed). */
type DeepKeys<T> = T extends readonly (infer U)[]
  ? DeepKeys<U>[]
  : T extends object
    ? { [K in keyof T]-?: DeepKeys<T[K]> }
    : "leaf";
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Same keys at every depth, and every value the schema accepts is a value of the TS type (the schema may be narrower). */
type Agrees<S extends z.ZodType, T> = Same<DeepKeys<z.output<S>>, DeepKeys<T>> extends true ? (z.output<S> extends T ? true : false) : false;

const agreement = {
  node: true satisfies Agrees<typeof NodeSchema, NodeJson>,
  health: true satisfies Agrees<typeof HealthSchema, HealthJson>,
  system: true satisfies Agrees<typeof SystemSchema, SystemJson>,
  systemResponse: true satisfies Agrees<typeof SystemResponseSchema, SystemResponseJson>,
  row: true satisfies Agrees<typeof ModelRowSchema, ModelRowJson>,
  filters: true satisfies Agrees<typeof FiltersSchema, FiltersJson>,
  envelope: true satisfies Agrees<typeof ModelsEnvelopeSchema, ModelsEnvelopeJson>,
  envelopeDoc: true satisfies Agrees<typeof ModelsEnvelopeDocSchema, ModelsEnvelopeJson>,
  estimate: true satisfies Agrees<typeof EstimateResultSchema, EstimateResultJson>,
};

// The check bites: pairs that disagree are refused (if `Agrees` ever accepted anything, these directives would be
// unused and `tsc --noEmit`, part of `npm test`, would fail).
const Probe = z.strictObject({ a: z.string(), nested: z.strictObject({ n: z.number() }) });
// @ts-expect-error: the type has a key the schema lacks
void (true satisfies Agrees<typeof Probe, { a: string; nested: { n: number }; extra: boolean }>);
// @ts-expect-error: the schema has a key the type lacks, one level down
void (true satisfies Agrees<typeof Probe, { a: string; nested: Record<string, never> }>);
// @ts-expect-error: the schema accepts a value the type does not
void (true satisfies Agrees<typeof Probe, { a: "x"; nested: { n: number } }>);
void (true satisfies Agrees<typeof Probe, { a: string; nested: { n: number } }>);

// ---- Run time: the serializers' real outputs.

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "machines");
const DESCRIBED = path.join(import.meta.dirname, "..", "fixtures", "described");

const strictParse = <S extends z.ZodType>(schema: S, value: unknown, label: string): void => {
  const r = schema.safeParse(value);
  expect(r.success, `${label}: ${r.success ? "" : JSON.stringify(r.error.issues.slice(0, 3))}`).toBe(true);
};

const describedMachines = (): Machine[] =>
  readdirSync(DESCRIBED).map((f) => describeMachine(JSON.parse(readFileSync(path.join(DESCRIBED, f), "utf8")), { label: f }));

describe("TS types and schemas", () => {
  it("agree at compile time (see the Agrees<> checks above)", () => {
    expect(Object.values(agreement).every((v) => v === true)).toBe(true);
  });
});

describe("system objects of every fixture machine parse strictly", () => {
  for (const name of readdirSync(FIXTURES)) {
    it(name, async () => {
      const machine = await detectMachine(await fixtureIO(path.join(FIXTURES, name)), { timeoutMs: 50, measureRamBandwidth: false });
      strictParse(SystemSchema, systemJson(machine), name);
    });
  }

  it("described machines too", () => {
    for (const m of describedMachines()) strictParse(SystemSchema, systemJson(m), m.node.name);
  });
});

describe("model rows parse strictly", () => {
  const models = bundledModels();
  it("every catalog model on every described machine, automatic runtime, default context", () => {
    for (const machine of describedMachines()) {
      const rows = analyzeCatalog(models, machine, { contextTokens: null, forceRuntime: null });
      for (const row of rows) strictParse(ModelRowSchema, row, `${machine.node.name} ${row.name}`);
    }
  });

  it("forced runtimes and a long context", () => {
    const [machine] = describedMachines();
    for (const forceRuntime of ["vllm", "mlx"] as const) {
      const rows = analyzeCatalog(models.slice(0, 60), machine!, { contextTokens: 131072, forceRuntime });
      for (const row of rows) strictParse(ModelRowSchema, row, `${forceRuntime} ${row.name}`);
    }
  });

  it("an extra key, a missing key or a label out of vocabulary fails", () => {
    const [row] = analyzeCatalog(models.slice(0, 1), describedMachines()[0]!, { contextTokens: null, forceRuntime: null });
    expect(ModelRowSchema.safeParse({ ...row, extra: 1 }).success).toBe(false);
    const { score: _dropped, ...missing } = row!;
    expect(ModelRowSchema.safeParse(missing).success).toBe(false);
    expect(ModelRowSchema.safeParse({ ...row, fit_label: "Fine" }).success).toBe(false);
    expect(ModelRowSchema.safeParse({ ...row, memory: { ...row!.memory, swap_gb: 0 } }).success).toBe(false);
  });
});

describe("HTTP answers parse strictly", () => {
  it("health, system and the three model routes", async () => {
    const app = buildApp(testService());
    try {
      strictParse(HealthSchema, (await app.inject("/health")).json(), "/health");
      strictParse(SystemResponseSchema, (await app.inject("/api/v1/system")).json(), "/api/v1/system");
      for (const url of ["/api/v1/models", "/api/v1/models/top?use_case=coding", "/api/v1/models/qwen?sort=tps&max_context=32768", "/api/v1/models?force_runtime=vllm&limit=3"]) {
        const res = await app.inject(url);
        expect(res.statusCode, url).toBe(200);
        strictParse(ModelsEnvelopeDocSchema, res.json(), url);
      }
    } finally {
      await app.close();
    }
  });

  it("estimate results: catalog models, GGUF names, Ollama tags, described machines, an architecture object", async () => {
    const [machine] = describedMachines();
    const models = bundledModels();
    const bodies: unknown[] = [
      { model: "Qwen/Qwen3-8B" },
      { model: "qwen3:8b", machine: { ram_gb: 16, cpu_cores: 8 } },
      { model: "Qwen3-30B-A3B-Q4_K_M.gguf", context: 32768, kv_cache_type: "q8_0" },
      { model: "llama 3.1 8b", runtime: "vllm", machine: { ram_gb: 128, gpus: [{ name: "NVIDIA H100 80GB HBM3", count: 2 }] } },
      {
        model: {
          name: "tiny",
          context_length: 4096,
          architecture: {
            type: "llama",
            layers: 2,
            hidden_size: 256,
            ffn_size: 512,
            attention_heads: 4,
            kv_heads: 4,
            head_dim: 64,
            vocab_size: 1000,
            tied_embeddings: true,
            attention: { full_layers: 2 },
          },
        },
      },
    ];
    for (const body of bodies) {
      strictParse(EstimateRequestSchema, body, JSON.stringify(body));
      const result = runEstimateRequest(parseEstimateRequest(body), { models, machine: machine! });
      strictParse(EstimateResultSchema, result, JSON.stringify(body));
    }
  });
});

describe("the query schema and the query parser agree", () => {
  const shape = ModelQueryParamsSchema.shape;
  type Key = keyof typeof shape;
  const ModelQueryParamsSchemaJson = (key: Key): { type?: unknown; enum?: unknown } => z.toJSONSchema(shape[key]) as { type?: unknown; enum?: unknown };

  it("one schema per key the parser reads", () => {
    expect(Object.keys(shape).sort()).toEqual([...QUERY_KEYS].sort());
  });

  it("each enum's values are accepted, and the 400 text lists exactly them", () => {
    for (const key of Object.keys(shape) as Key[]) {
      const json = ModelQueryParamsSchemaJson(key);
      if (!Array.isArray(json.enum)) continue;
      for (const value of json.enum as string[]) expect(() => parseModelQuery({ [key]: ` ${value.toUpperCase()} ` }, "models"), `${key}=${value}`).not.toThrow();
      expect(() => parseModelQuery({ [key]: "no-such-value" }, "models")).toThrow(`invalid ${key} value: use ${(json.enum as string[]).join("|")}`);
    }
  });

  /** The documented normalization: trimmed, enums and booleans without case, integers as plain digits. */
  const canonical = (key: Key, raw: string): unknown => {
    const text = raw.trim();
    const json = ModelQueryParamsSchemaJson(key);
    if (json.type === "integer") return /^\d+$/.test(text) ? Number(text) : text;
    if (json.type === "boolean") {
      const w = text.toLowerCase();
      return ["true", "1", "yes"].includes(w) ? true : ["false", "0", "no"].includes(w) ? false : text;
    }
    if (json.type === "string" && Array.isArray(json.enum)) return text.toLowerCase();
    return raw;
  };

  it("random raw values: the schema accepts exactly what the parser accepts", () => {
    const keys = Object.keys(shape) as Key[];
    const pieces = ["", " ", "0", "1", "-1", "5", "05", "1e3", "9007199254740993", "yes", "NO", "True", "maybe", "perfect", "good", "Marginal", "too_tight", "any", "mlx", "llamacpp", "vllm", "coding", "Embedding", "score", "tps", "use_case", "x", "Qwen"];
    const seen = { accepted: 0, rejected: 0 };
    const rawValue = fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 8 }), fc.tuple(fc.constantFrom(...pieces), fc.constantFrom("", " ", "\t")).map(([p, ws]) => `${ws}${p}${ws}`));
    fc.assert(
      fc.property(fc.constantFrom(...keys), rawValue, (key, raw) => {
        let parserAccepts = true;
        try {
          parseModelQuery({ [key]: raw }, "models");
        } catch (e) {
          if (!isNodefitError(e)) throw e;
          parserAccepts = false;
        }
        const free = key === "provider" || key === "search";
        const schemaAccepts = free || shape[key].safeParse(canonical(key, raw)).success;
        expect(schemaAccepts, `${key}=${JSON.stringify(raw)}`).toBe(parserAccepts);
        seen[parserAccepts ? "accepted" : "rejected"] += 1;
      }),
      { numRuns: 2000, seed: 6 },
    );
    // Both outcomes are well exercised.
    expect(Math.min(seen.accepted, seen.rejected)).toBeGreaterThan(200);
  });
});

describe("the estimate request schema and the request parser agree", () => {
  it("random bodies: a schema failure is exactly an invalid_argument from the parser", () => {
    const [machine] = describedMachines();
    const models = bundledModels().slice(0, 20);
    const junk = fc.oneof(
      fc.constantFrom<unknown>(null, "", " ", 0, -1, 1.5, 2 ** 25, true, "q2", "ollama", {}, []),
      fc.string({ maxLength: 6 }),
    );
    /** Mostly valid values for a field, sometimes junk. */
    const field = (...valid: unknown[]) => fc.oneof({ weight: 5, arbitrary: fc.constantFrom<unknown>(...valid) }, { weight: 1, arbitrary: junk });
    const machineValue = fc.oneof(
      fc.record({ ram_gb: field(16, 64), available_ram_gb: fc.constantFrom<unknown>(undefined, 8, 32), cpu_cores: field(undefined, 8) }, { requiredKeys: ["ram_gb"] }),
      fc.constant<unknown>({ gpus: [] }),
      fc.constant<unknown>({ ram_gb: 8, nope: 1 }),
    );
    const body = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record(
          {
            model: field("Qwen/Qwen3-8B", "no-such-model-xyz", "qwen3:8b"),
            quant: field(undefined, "Q4_K_M", "Q8_0"),
            context: field(undefined, 4096, 8192),
            runtime: field(undefined, "llamacpp", "vllm"),
            kv_cache_type: field(undefined, "f16", "q8_0"),
            machine: fc.oneof(fc.constant<unknown>(undefined), machineValue),
          },
          { requiredKeys: [] },
        ),
      },
      { weight: 1, arbitrary: fc.record({ model: field("Qwen/Qwen3-8B"), color: junk }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: junk },
    );
    const seen = { accepted: 0, rejected: 0 };
    fc.assert(
      fc.property(body, (b) => {
        const clean = JSON.parse(JSON.stringify(b ?? null)) as unknown;
        const schemaAccepts = EstimateRequestSchema.safeParse(clean).success;
        let invalid = false;
        try {
          runEstimateRequest(parseEstimateRequest(clean), { models, machine: machine! });
        } catch (e) {
          if (!isNodefitError(e)) throw e;
          invalid = e.code === "invalid_argument";
        }
        expect(schemaAccepts, JSON.stringify(clean)).toBe(!invalid);
        seen[schemaAccepts ? "accepted" : "rejected"] += 1;
      }),
      { numRuns: 600, seed: 6 },
    );
    expect(Math.min(seen.accepted, seen.rejected)).toBeGreaterThan(30);
  });
});
