// Benchmarks: the wire shape of a measured result (`nodefit bench`), the store's rows as the API, CLI --json and MCP
// give them, and the node's correction of its estimates. The store keeps these objects as they are served.
import type { NodeIdentity } from "../domain/machine.js";
import { nodeJson, type NodeJson } from "./envelope.js";

/** How a figure spread over a bench's runs (after the warm-up). */
export interface StatJson {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median, %: how much the runs disagreed. */
  spread_pct: number;
  /** Runs the figure was measured in. */
  runs: number;
}

/** One timed run, as measured. */
export interface BenchRunJson {
  decode_tps: number;
  /** Null when the runtime does not say how long the prompt took and no first token arrived to time it by. */
  prefill_tps: number | null;
  ttft_ms: number | null;
  prompt_tokens: number;
  generated_tokens: number;
}

/** nodefit's estimate for the measured model, quant and context on this node, beside the measurement. */
export interface BenchmarkEstimateJson {
  estimated_tps: number;
  tps_range: [number, number];
  prefill_tps: number | null;
  ttft_ms: number | null;
  quant: string;
  /** llamacpp | mlx | vllm: the engine estimated. */
  runtime: string;
  run_mode: string;
  context: number;
  /** Tokens in the KV cache while decoding, as the measurement had them (its prompt and half its output). */
  decode_fill_tokens: number;
  /** The calibration entry the decode figure used (`llamacpp/cpu`, `prior llamacpp/cpu`, ...). */
  calibration: string;
  device_class: string;
  /** The device the estimate was for: `cpu <name>` or `gpu <name> x<count>`. */
  device: string;
}

export interface BenchmarkJson {
  id: number;
  /** When the result was stored, ISO 8601. */
  recorded_at: string;
  node: string;
  /** The model measured: its catalog id, or the id of the entry read from its GGUF header. */
  model: string;
  /** What the bench was asked for: a reference, an Ollama tag, a GGUF path. */
  model_ref: string;
  in_catalog: boolean;
  quant: string | null;
  /** The engine that ran it, as estimates name it: llamacpp (llama.cpp, Ollama, LM Studio, node-llama-cpp), mlx, vllm. */
  runtime: string;
  /** How it was measured: node-llama-cpp in process, an OpenAI-compatible streaming API, or Ollama's /api/generate. */
  via: "node-llama-cpp" | "openai" | "ollama";
  endpoint: string | null;
  runtime_version: string | null;
  /** Context the model ran with (the runtime's when it does not say: null). */
  context: number | null;
  prompt_tokens: number;
  max_tokens: number;
  threads: number | null;
  warmup_runs: number;
  decode_tps: StatJson;
  prefill_tps: StatJson | null;
  ttft_ms: StatJson | null;
  runs: BenchRunJson[];
  /** Null when nodefit could not estimate the model (the reference named nothing it knows). */
  estimate: BenchmarkEstimateJson | null;
  /** Measured decode median / estimated decode, 3 decimals; null without an estimate. */
  measured_vs_estimated: number | null;
}

/** The node's correction of one kind of estimate, learned from its own benchmarks. */
export interface NodeCorrectionJson {
  runtime: string;
  run_mode: string;
  calibration: string;
  device: string;
  /** The factor applied to decode estimates of this kind on this node (the ratio, bounded). */
  factor: number;
  /** Median measured/estimated of the benchmarks it comes from, before the bound. */
  ratio: number;
  benchmarks: number;
  bounded: boolean;
}

export interface BenchmarksResponseJson {
  node: NodeJson;
  /** Newest first. */
  benchmarks: BenchmarkJson[];
  corrections: NodeCorrectionJson[];
}

export const benchmarksResponseJson = (node: NodeIdentity, benchmarks: readonly BenchmarkJson[], corrections: readonly NodeCorrectionJson[]): BenchmarksResponseJson => ({
  node: nodeJson(node),
  benchmarks: [...benchmarks],
  corrections: [...corrections],
});
