// Benchmark results for tests: a stored result's shape with plain figures, and a store seeded with them.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BenchmarkStore, type NewBenchmark } from "../../src/bench/store.js";

/** A result as `nodefit bench` stores it: llama.cpp on a CPU, 3 runs, the estimate beside them. */
export function sampleBenchmark(over: Partial<NewBenchmark> = {}): NewBenchmark {
  const decode = over.decode_tps?.median ?? 20;
  const estimated = over.estimate?.estimated_tps ?? 25;
  return {
    node: "test-node",
    model: "Qwen/Qwen3-8B",
    model_ref: "qwen3:8b",
    in_catalog: true,
    quant: "Q4_K_M",
    runtime: "llamacpp",
    via: "ollama",
    endpoint: "http://127.0.0.1:11434",
    runtime_version: "ollama 0.12.0",
    context: 4096,
    prompt_tokens: 256,
    max_tokens: 128,
    threads: null,
    warmup_runs: 1,
    decode_tps: { median: decode, min: decode - 1, max: decode + 1, spread_pct: 10, runs: 3 },
    prefill_tps: { median: 200, min: 190, max: 210, spread_pct: 10, runs: 3 },
    ttft_ms: { median: 1300, min: 1250, max: 1350, spread_pct: 7.7, runs: 3 },
    runs: [19, 20, 21].map((d) => ({ decode_tps: d, prefill_tps: 200, ttft_ms: 1300, prompt_tokens: 256, generated_tokens: 128 })),
    estimate: {
      estimated_tps: estimated,
      tps_range: [estimated * 0.7, estimated * 1.3],
      prefill_tps: 250,
      ttft_ms: 1000,
      quant: "Q4_K_M",
      runtime: "llamacpp",
      run_mode: "cpu_only",
      context: 4096,
      decode_fill_tokens: 320,
      calibration: "llamacpp/cpu",
      device_class: "cpu",
      device: "cpu Test CPU",
    },
    measured_vs_estimated: Math.round((decode / estimated) * 1000) / 1000,
    ...over,
  };
}

/** A fresh data directory (its store not created yet). */
export const tempDataDir = (prefix = "nodefit-bench-"): string => mkdtempSync(path.join(tmpdir(), prefix));

/** A store in a fresh data directory with these results added, closed again; returns the store's file. */
export async function seededStore(results: readonly NewBenchmark[], dir = tempDataDir()): Promise<string> {
  const file = path.join(dir, "benchmarks.db");
  const store = await BenchmarkStore.open(file);
  try {
    results.forEach((r, i) => store.add(r, new Date(Date.UTC(2026, 0, 1, 0, 0, i))));
  } finally {
    store.close();
  }
  return file;
}
