import { describe, expect, it } from "vitest";
import type { ModelRowJson } from "../contract/row.js";
import type { FitLevel, Runtime } from "../estimate/types.js";
import { parseModelQuery, type ModelRoute, type RawQuery } from "./model-query.js";
import { selectRows } from "./select-rows.js";

interface RowSeed {
  name: string;
  provider?: string;
  fit?: FitLevel;
  score?: number;
  tps?: number;
  params?: number;
  mem?: number;
  ctx?: number;
  date?: string | null;
  category?: string;
  runtime?: Runtime;
  count?: string;
  installed?: boolean | null;
}

/** A row with only the fields the query reads set from the seed; the rest are fixed, valid values. */
function row(s: RowSeed): ModelRowJson {
  const fit = s.fit ?? "good";
  const category = s.category ?? "General";
  return {
    name: s.name,
    provider: s.provider ?? s.name.split("/")[0] ?? "",
    parameter_count: s.count ?? `${s.params ?? 7}B`,
    params_b: s.params ?? 7,
    context_length: s.ctx ?? 32768,
    use_case: category,
    category,
    release_date: s.date === undefined ? "2025-01-01" : s.date,
    is_moe: false,
    fit_level: fit,
    fit_label: fit,
    run_mode: "gpu",
    run_mode_label: "GPU",
    score: s.score ?? 50,
    score_components: { quality: 50, speed: 50, fit: 50, context: 50 },
    estimated_tps: s.tps ?? 10,
    runtime: s.runtime ?? "llamacpp",
    runtime_label: "llama.cpp",
    best_quant: "Q4_K_M",
    memory_required_gb: s.mem ?? 5,
    memory_available_gb: 24,
    utilization_pct: 20,
    notes: [],
    gguf_sources: [],
    family: "x",
    active_params_b: null,
    usable_context: 8192,
    effective_context_length: 8192,
    capabilities: [],
    license: "apache-2.0",
    installed: s.installed === undefined ? false : s.installed,
    installed_as: [],
    disk_size_gb: 4,
    weights_repo: null,
    ollama_name: null,
    memory: { weights_gb: 4, kv_cache_gb: 0.5, overhead_gb: 0.5, gpu_gb: 5, ram_gb: 0 },
    tps_range: [8, 12],
    prefill_tps: null,
    ttft_ms: null,
    concurrent_sessions: 1,
    alternatives: [],
    kv_cache_type: "f16",
    estimate_basis: {},
    verify_command: "",
    measured_tps: null,
  };
}

const ROWS: ModelRowJson[] = [
  row({ name: "Qwen/Qwen3-8B", fit: "perfect", score: 80, tps: 40, params: 8.2, mem: 6, ctx: 40960, date: "2025-04-29", category: "General" }),
  row({ name: "Qwen/Qwen2.5-Coder-7B-Instruct", fit: "good", score: 80, tps: 45, params: 7.6, mem: 5.5, ctx: 32768, date: "2024-11-12", category: "Coding" }),
  row({ name: "meta-llama/Llama-3.1-8B-Instruct", provider: "Meta", fit: "good", score: 75, tps: 38, params: 8, mem: 6.2, ctx: 131072, date: "2024-07-23" }),
  row({ name: "mistralai/Mistral-7B-Instruct-v0.3", provider: "Mistral AI", fit: "marginal", score: 60, tps: 12, params: 7.2, mem: 5, ctx: 32768, date: null, runtime: "mlx", category: "Chat" }),
  row({ name: "deepseek-ai/DeepSeek-V3", provider: "DeepSeek", fit: "too_tight", score: 95, tps: 0, params: 671, mem: 400, ctx: 131072, date: "2024-12-26" }),
  row({ name: "meta-llama/Llama-3.3-70B-Instruct", provider: "Meta", fit: "too_tight", score: 20, tps: 0, params: 70, mem: 42, ctx: 131072, date: "2024-12-06" }),
  row({ name: "BAAI/bge-m3", provider: "BAAI", fit: "perfect", score: 80, tps: 900, params: 0.57, mem: 1, ctx: 8192, date: "2024-01-30", category: "Embedding", count: "568M", installed: true }),
];

const names = (raw: RawQuery, route: ModelRoute = "models", name?: string): string[] =>
  selectRows(ROWS, parseModelQuery(raw, route, name)).rows.map((r) => r.name);

describe("selectRows sorting", () => {
  it("score: too_tight last, ties by name ascending (case-insensitive)", () => {
    expect(names({})).toEqual([
      "BAAI/bge-m3",
      "Qwen/Qwen2.5-Coder-7B-Instruct",
      "Qwen/Qwen3-8B",
      "meta-llama/Llama-3.1-8B-Instruct",
      "mistralai/Mistral-7B-Instruct-v0.3",
      "deepseek-ai/DeepSeek-V3",
      "meta-llama/Llama-3.3-70B-Instruct",
    ]);
  });

  const cases: Array<[string, string[]]> = [
    ["tps", ["BAAI/bge-m3", "Qwen/Qwen2.5-Coder-7B-Instruct", "Qwen/Qwen3-8B", "meta-llama/Llama-3.1-8B-Instruct", "mistralai/Mistral-7B-Instruct-v0.3", "deepseek-ai/DeepSeek-V3", "meta-llama/Llama-3.3-70B-Instruct"]],
    ["params", ["Qwen/Qwen3-8B", "meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-Coder-7B-Instruct", "mistralai/Mistral-7B-Instruct-v0.3", "BAAI/bge-m3", "deepseek-ai/DeepSeek-V3", "meta-llama/Llama-3.3-70B-Instruct"]],
    ["mem", ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen3-8B", "Qwen/Qwen2.5-Coder-7B-Instruct", "mistralai/Mistral-7B-Instruct-v0.3", "BAAI/bge-m3", "deepseek-ai/DeepSeek-V3", "meta-llama/Llama-3.3-70B-Instruct"]],
    ["ctx", ["meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen3-8B", "Qwen/Qwen2.5-Coder-7B-Instruct", "mistralai/Mistral-7B-Instruct-v0.3", "BAAI/bge-m3", "deepseek-ai/DeepSeek-V3", "meta-llama/Llama-3.3-70B-Instruct"]],
    ["date", ["Qwen/Qwen3-8B", "Qwen/Qwen2.5-Coder-7B-Instruct", "meta-llama/Llama-3.1-8B-Instruct", "BAAI/bge-m3", "mistralai/Mistral-7B-Instruct-v0.3", "deepseek-ai/DeepSeek-V3", "meta-llama/Llama-3.3-70B-Instruct"]],
    ["use_case", ["mistralai/Mistral-7B-Instruct-v0.3", "Qwen/Qwen2.5-Coder-7B-Instruct", "BAAI/bge-m3", "Qwen/Qwen3-8B", "meta-llama/Llama-3.1-8B-Instruct", "deepseek-ai/DeepSeek-V3", "meta-llama/Llama-3.3-70B-Instruct"]],
  ];
  it.each(cases)("sort=%s", (sort, expected) => {
    expect(names({ sort })).toEqual(expected);
  });

  it("is deterministic whatever the input order", () => {
    const q = parseModelQuery({ sort: "score" }, "models");
    const a = selectRows(ROWS, q).rows.map((r) => r.name);
    const b = selectRows([...ROWS].reverse(), q).rows.map((r) => r.name);
    expect(b).toEqual(a);
  });
});

describe("selectRows filters", () => {
  const cases: Array<[string, RawQuery, string[]]> = [
    ["perfect", { perfect: "yes" }, ["BAAI/bge-m3", "Qwen/Qwen3-8B"]],
    ["perfect=false keeps all", { perfect: "false", limit: "2" }, ["BAAI/bge-m3", "Qwen/Qwen2.5-Coder-7B-Instruct"]],
    ["min_fit good", { min_fit: "good" }, ["BAAI/bge-m3", "Qwen/Qwen2.5-Coder-7B-Instruct", "Qwen/Qwen3-8B", "meta-llama/Llama-3.1-8B-Instruct"]],
    ["runtime mlx", { runtime: "mlx" }, ["mistralai/Mistral-7B-Instruct-v0.3"]],
    ["runtime any", { runtime: "any", limit: "1" }, ["BAAI/bge-m3"]],
    ["use_case coding", { use_case: "coding" }, ["Qwen/Qwen2.5-Coder-7B-Instruct"]],
    ["provider substring", { provider: "mEtA" }, ["meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.3-70B-Instruct"]],
    ["search name", { search: "qwen3" }, ["Qwen/Qwen3-8B"]],
    ["search parameter count", { search: "568m" }, ["BAAI/bge-m3"]],
    ["search category", { search: "embedding" }, ["BAAI/bge-m3"]],
    ["search provider", { search: "mistral ai" }, ["mistralai/Mistral-7B-Instruct-v0.3"]],
    ["exclude too_tight", { include_too_tight: "false", sort: "params", limit: "1" }, ["Qwen/Qwen3-8B"]],
    ["limit 0", { limit: "0" }, []],
    ["installed", { installed: "true" }, ["BAAI/bge-m3"]],
    ["not installed", { installed: "no", min_fit: "good" }, ["Qwen/Qwen2.5-Coder-7B-Instruct", "Qwen/Qwen3-8B", "meta-llama/Llama-3.1-8B-Instruct"]],
  ];
  it.each(cases)("%s", (_label, raw, expected) => {
    expect(names(raw)).toEqual(expected);
  });

  it("total counts filtered rows before the limit", () => {
    const sel = selectRows(ROWS, parseModelQuery({ limit: "2", min_fit: "marginal" }, "models"));
    expect(sel.total).toBe(5);
    expect(sel.rows).toHaveLength(2);
  });

  it("/top: five runnable rows at most", () => {
    const sel = selectRows(ROWS, parseModelQuery({ include_too_tight: "true", min_fit: "too_tight", limit: "50" }, "top"));
    expect(sel.rows.every((r) => r.fit_level !== "too_tight")).toBe(true);
    expect(sel.total).toBe(5);
    expect(names({}, "top")).toHaveLength(5);
  });

  it("/{name}: the name is a case-insensitive substring search", () => {
    expect(names({ search: "bge" }, "name", "meta-llama/")).toEqual(["meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.3-70B-Instruct"]);
  });
});

describe("selectRows on a frozen analysis (the service's cached rows)", () => {
  const seeds: RowSeed[] = Array.from({ length: 60 }, (_, i) => ({
    name: `org/model-${String(i).padStart(2, "0")}`,
    score: (i * 37) % 100,
    tps: (i * 13) % 50,
    fit: (["perfect", "good", "marginal", "too_tight"] as const)[i % 4]!,
    runtime: i % 3 === 0 ? "vllm" : "llamacpp",
  }));
  const fresh = (): ModelRowJson[] => seeds.map(row);

  it("answers exactly as on a fresh array, for every sort key and filter, request after request", () => {
    const frozen = Object.freeze(fresh());
    const queries: Array<[ModelRoute, RawQuery]> = [
      ["models", {}],
      ["models", { sort: "tps", limit: "7" }],
      ["models", { min_fit: "good", sort: "params" }],
      ["top", { runtime: "vllm" }],
      ["top", { sort: "date", limit: "3" }],
      ["models", { search: "model-1", sort: "mem" }],
      ["models", { use_case: "general", provider: "ORG", perfect: "true" }],
      ["top", { use_case: "coding" }],
    ];
    for (let round = 0; round < 2; round++)
      for (const [route, raw] of queries) {
        const q = parseModelQuery(raw, route);
        const names = (s: ReturnType<typeof selectRows>): string[] => s.rows.map((r) => r.name);
        const expected = selectRows(fresh(), q);
        const got = selectRows(frozen, q);
        expect(names(got), JSON.stringify(raw)).toEqual(names(expected));
        expect(got.total).toBe(expected.total);
      }
  });
});

describe("selectRows: installed", () => {
  it("a row whose stores were not read (installed null) passes neither installed=true nor installed=false", () => {
    const rows = [row({ name: "a/on-disk", installed: true }), row({ name: "a/absent", installed: false }), row({ name: "a/unknown", installed: null })];
    const pick = (raw: RawQuery): string[] => selectRows(rows, parseModelQuery(raw, "models")).rows.map((r) => r.name);
    expect(pick({ installed: "true" })).toEqual(["a/on-disk"]);
    expect(pick({ installed: "false" })).toEqual(["a/absent"]);
    expect(pick({})).toHaveLength(3);
    expect(selectRows(Object.freeze([...rows]), parseModelQuery({ installed: "1" }, "models")).rows.map((r) => r.name)).toEqual(["a/on-disk"]);
  });
});
