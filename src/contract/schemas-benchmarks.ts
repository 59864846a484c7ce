// Schemas of the benchmarks answer: the zod form of benchmarks.ts, for the store's reads, tests, the OpenAPI document
// and the MCP tool's output schema.
import { z } from "zod";
import { RUN_MODES, RUNTIMES } from "../estimate/types.js";
import { NodeSchema } from "./schemas-system.js";

const rate = () => z.number().nonnegative();

export const StatSchema = z
  .strictObject({
    median: rate(),
    min: rate(),
    max: rate(),
    spread_pct: z.number().nonnegative().describe("(max - min) / median, %: how much the runs disagreed."),
    runs: z.number().int().positive().describe("Timed runs the figure comes from (the warm-up left out)."),
  })
  .describe("A figure over a bench's timed runs: median and spread.");

export const BenchRunSchema = z
  .strictObject({
    decode_tps: rate(),
    prefill_tps: rate().nullable(),
    ttft_ms: rate().nullable(),
    prompt_tokens: z.number().int().nonnegative(),
    generated_tokens: z.number().int().nonnegative(),
  })
  .describe("One timed run.");

export const BenchmarkEstimateSchema = z
  .strictObject({
    estimated_tps: rate(),
    tps_range: z.tuple([rate(), rate()]),
    prefill_tps: rate().nullable(),
    ttft_ms: rate().nullable(),
    quant: z.string(),
    runtime: z.enum(RUNTIMES),
    run_mode: z.enum(RUN_MODES),
    context: z.number().int().positive(),
    decode_fill_tokens: z.number().int().nonnegative().describe("Tokens in the KV cache while decoding, as the measurement had them."),
    calibration: z.string().describe("The calibration entry of the decode figure (llamacpp/cpu, prior llamacpp/cpu, ...)."),
    device_class: z.string(),
    device: z.string().describe("The device the estimate was for: `cpu <name>` or `gpu <name> x<count>`."),
  })
  .describe("nodefit's estimate (without the node's correction) for the measured model, quant and context on this node.");

export const BenchmarkSchema = z
  .strictObject({
    id: z.number().int().positive(),
    recorded_at: z.string().describe("When the result was stored, ISO 8601."),
    node: z.string(),
    model: z.string().describe("The model measured: its catalog id, or the id of the entry read from its GGUF header."),
    model_ref: z.string().describe("What the bench was asked for: a reference, an Ollama tag, a GGUF path."),
    in_catalog: z.boolean(),
    quant: z.string().nullable(),
    runtime: z.enum(RUNTIMES).describe("The engine that ran it: llamacpp (llama.cpp, Ollama, LM Studio, node-llama-cpp), mlx or vllm."),
    via: z.enum(["node-llama-cpp", "openai", "ollama"]).describe("node-llama-cpp in process, an OpenAI-compatible streaming API, or Ollama's /api/generate."),
    endpoint: z.string().nullable(),
    runtime_version: z.string().nullable(),
    context: z.number().int().positive().nullable().describe("Context the model ran with; null when the runtime chose it and did not say."),
    prompt_tokens: z.number().int().nonnegative(),
    max_tokens: z.number().int().positive(),
    threads: z.number().int().positive().nullable(),
    warmup_runs: z.number().int().nonnegative(),
    decode_tps: StatSchema.describe("Generated tokens per second after the first token."),
    prefill_tps: StatSchema.nullable().describe("Prompt tokens per second."),
    ttft_ms: StatSchema.nullable().describe("Time to the first generated token, ms, from the request."),
    runs: z.array(BenchRunSchema),
    estimate: BenchmarkEstimateSchema.nullable(),
    measured_vs_estimated: z.number().positive().nullable().describe("Measured decode median / estimated decode."),
  })
  .describe("A benchmark stored on this node.");

export const NodeCorrectionSchema = z
  .strictObject({
    runtime: z.enum(RUNTIMES),
    run_mode: z.enum(RUN_MODES),
    calibration: z.string(),
    device: z.string(),
    factor: z.number().positive().describe("Applied to this node's decode estimates of this runtime, run mode, calibration and device."),
    ratio: z.number().positive().describe("Median measured/estimated of the benchmarks it comes from, before the bound."),
    benchmarks: z.number().int().positive(),
    bounded: z.boolean().describe("True when the ratio was outside the bound and the factor is the bound."),
  })
  .describe("The node's correction of one kind of estimate, learned from its own benchmarks.");

export const BenchmarksResponseSchema = z
  .strictObject({
    node: NodeSchema,
    benchmarks: z.array(BenchmarkSchema).describe("Newest first."),
    corrections: z.array(NodeCorrectionSchema),
  })
  .describe("The benchmarks stored on this node and the corrections they give its estimates.");
