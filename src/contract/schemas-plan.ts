// Schemas of the plan request and result: the zod form of plan.ts and of the POST /api/v1/plan body.
import { z } from "zod";
import { FIT_LEVELS, RUN_MODES, RUNTIMES } from "../estimate/types.js";
import { MachineDescriptionSchema } from "../hardware/describe.js";
import { SHAPE_KINDS } from "../plan/machine-shapes.js";
import { EstimateRequestSchema, EstimateResultSchema } from "./schemas-estimate.js";
import { gib } from "./schemas-row.js";

/** The fastest decode a plan may aim at, tokens per second (well past any single stream on any device). */
export const MAX_TARGET_TPS = 10_000;

export const PlanRequestSchema = EstimateRequestSchema.omit({ machine: true, runtime: true })
  .extend({
    target_tps: z
      .number()
      .positive()
      .max(MAX_TARGET_TPS)
      .optional()
      .describe("Decode speed to reach, tokens per second (default: the model's use case's target: 30 general, 40 coding, 50 reasoning, 25 chat)."),
  })
  .describe("One plan request; only model is required. quant: plan that one only (default: every quant of llama.cpp's, vLLM's and MLX's ladders).");

const PlanMachineSchema = z
  .strictObject({
    name: z.string().describe('The shape: "2x NVIDIA GeForce RTX 3090", "Apple M4 Max (40-core GPU) with 64 GB".'),
    kind: z.enum(SHAPE_KINDS),
    gpu: z.string().describe("The knowledge base's name of the device."),
    count: z.number().int().positive(),
    memory_gb: gib().describe("Accelerator memory in all, GiB (a unified machine: its RAM)."),
    bandwidth_gbps: z.number().nonnegative().describe("Nominal memory bandwidth of one device, GB/s."),
    machine: MachineDescriptionSchema.describe("The machine as POST /api/v1/estimate takes it: this very estimate, with the plan's model, quant and context."),
    fit_level: z.enum(FIT_LEVELS),
    run_mode: z.enum(RUN_MODES),
    estimated_tps: z.number().nonnegative(),
    tps_range: z.tuple([z.number().nonnegative(), z.number().nonnegative()]),
    memory_required_gb: gib(),
    memory_available_gb: gib(),
  })
  .describe("A known machine that meets the target with the quant wholly in accelerator memory, as the estimator answers for it.");

const PlanQuantSchema = z
  .strictObject({
    quant: z.string(),
    runtime: z.enum(RUNTIMES),
    quality_kept_pct: z.number().min(0).max(100).describe("Share of 16-bit quality the quant keeps, %."),
    disk_size_gb: gib().describe("The weights to download, GiB."),
    memory: z.strictObject({
      gpu: z
        .strictObject({
          required_gb: gib(),
          weights_gb: gib(),
          kv_cache_gb: gib(),
          overhead_gb: gib(),
          host_ram_gb: gib().describe("Kept in system RAM beside it (llama.cpp's memory-mapped input layer), GiB."),
          devices: z.number().int().positive().describe("Reference devices of 1 TiB it was measured on (1 unless the quant needs more)."),
        })
        .describe("Wholly in GPU memory, on the reference device: weights + KV cache + overhead = required, GiB."),
      offload: z
        .strictObject({
          run_mode: z.enum(RUN_MODES),
          gpu_gb: gib(),
          ram_gb: gib(),
          gpu_layers: z.number().nonnegative().nullable(),
          layers: z.number().int().positive(),
          per_layer_gb: gib().nullable().describe("Layer offload: GPU memory each more layer on the GPU takes, GiB."),
          expert_fraction_on_gpu: z.number().min(0).max(1).nullable(),
        })
        .nullable()
        .describe("llama.cpp offloaded: an MoE with every routed expert in RAM (its least GPU memory), a dense model with half its layers on the GPU; null for vLLM and MLX formats."),
      cpu_gb: gib().nullable().describe("Everything in RAM on the CPU alone (llama.cpp), GiB; null for vLLM and MLX formats."),
    }),
    bandwidth: z
      .strictObject({
        required_gbps: z.number().nonnegative().nullable().describe("GB/s one reference device needs for the target; null when its per-layer costs alone take longer than the target allows."),
        bytes_per_token: z.number().int().nonnegative().describe("Bytes a decode step streams: weights as their kernels cost them, plus the KV cache read at half the context."),
        reference_device: z.string(),
        calibration: z.string().describe("The calibration of the reference device's class the speed model was inverted with."),
        bandwidth_efficiency: z.number().positive(),
        fixed_ms_per_token: z.number().nonnegative().describe("Milliseconds a token takes that no bandwidth buys: per-layer, MoE and linear-layer costs."),
        reference_tps: z.number().nonnegative().describe("The reference device's own speed at its own bandwidth."),
        reference_bandwidth_gbps: z.number().nonnegative(),
      })
      .nullable(),
    machines: z.array(PlanMachineSchema).describe("The cheapest known machines that meet the target (least memory, then least bandwidth first), at most 5, each checked by the estimator."),
    machines_checked: z.number().int().nonnegative().describe("Machines estimated to find them (those whose memory and bandwidth could meet the target)."),
    notes: z.array(z.string()),
  })
  .describe("One quant of the plan.");

export const PlanResultSchema = z
  .strictObject({
    model: EstimateResultSchema.shape.model,
    resolved_from: EstimateResultSchema.shape.resolved_from,
    context: z.number().int().positive(),
    kv_cache_type: EstimateResultSchema.shape.kv_cache_type,
    target_tps: z.number().positive(),
    target_source: z.string().describe("Where the target came from: asked, or the model's use case."),
    quants: z.array(PlanQuantSchema),
    notes: z.array(z.string()),
  })
  .describe("A hardware plan: per quant, the memory it needs, the bandwidth the target needs, and the known machines that meet it.");
