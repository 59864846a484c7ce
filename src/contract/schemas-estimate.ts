// Schemas of the estimate request and result: the zod form of estimate.ts and of the POST /api/v1/estimate body.
import { z } from "zod";
import { MAX_CONTEXT_TOKENS, MAX_NAME_LENGTH, MAX_PARAMS } from "../domain/limits.js";
import { quantName } from "../domain/quants.js";
import { ArchitectureSchema, CATEGORIES } from "../catalog/schema.js";
import { FIT_LEVELS, KV_CACHE_TYPES, RUN_MODES, RUNTIMES } from "../estimate/types.js";
import { MachineDescriptionSchema } from "../hardware/describe.js";
import { AlternativeSchema, CategoryLabelSchema, EstimateBasisSchema, gib, MEMORY_DESCRIPTIONS, MEMORY_PART_FIELDS, WeightsRepoSchema } from "./schemas-row.js";

/** Longest context a request may ask for (2^24 tokens, the longest native context any model may have: domain/limits.ts). */
export const MAX_REQUEST_CONTEXT = MAX_CONTEXT_TOKENS;

/** A bound's message, worded as the architecture's are ("at most 1024"). */
const atMost = (max: number, unit = ""): string => `at most ${max}${unit}`;
const nameText = () => z.string().min(1).max(MAX_NAME_LENGTH, atMost(MAX_NAME_LENGTH, " characters"));

export const CustomModelSchema = z
  .strictObject({
    name: nameText().default("custom model"),
    provider: nameText().default("custom"),
    params_total: z.number().int().positive().max(MAX_PARAMS, atMost(MAX_PARAMS)).optional(),
    params_active: z.number().int().positive().max(MAX_PARAMS, atMost(MAX_PARAMS)).optional(),
    context_length: z.number().int().positive().max(MAX_CONTEXT_TOKENS, atMost(MAX_CONTEXT_TOKENS)),
    category: z.enum(CATEGORIES).default("general"),
    architecture: ArchitectureSchema,
  })
  .describe("A model the catalog lacks, described by its architecture (config.json figures).");

export const MachineRequestSchema = MachineDescriptionSchema.describe("A machine to estimate for; omitted = this node. Every field but ram_gb optional; sizes GiB, bandwidth GB/s; unknown figures filled from the hardware knowledge base by GPU name.");

export const EstimateRequestSchema = z
  .strictObject({
    model: z
      .union([z.string().trim().min(1, "model must not be empty").max(MAX_NAME_LENGTH, atMost(MAX_NAME_LENGTH, " characters")), CustomModelSchema])
      .describe("A Hugging Face id, a GGUF file name, an Ollama tag, loose words, or an architecture object."),
    machine: MachineRequestSchema.optional(),
    quant: z
      .string()
      .trim()
      .min(1)
      .transform((text, ctx) => quantName(text) ?? (ctx.addIssue({ code: "custom", message: "unknown quant", input: text }), z.NEVER))
      .optional()
      .describe("Quantization to evaluate, e.g. Q4_K_M, Q8_0, AWQ, FP8, MLX-4BIT (default: the best that fits)."),
    context: z.number().int().positive().max(MAX_REQUEST_CONTEXT).optional().describe("Context to size the KV cache for, tokens."),
    runtime: z.enum(RUNTIMES).optional(),
    kv_cache_type: z.enum(KV_CACHE_TYPES).optional(),
  })
  .describe("One estimate request; only model is required.");

export const EstimateResultSchema = z
  .strictObject({
    model: z
      .strictObject({
        name: z.string(),
        provider: z.string(),
        params_b: z.number().nonnegative(),
        active_params_b: z.number().nonnegative().nullable(),
        context_length: z.number().int().positive(),
        is_moe: z.boolean(),
        category: CategoryLabelSchema,
      })
      .nullable(),
    resolved_from: z
      .strictObject({ input: z.string(), matched_by: z.string(), confidence: z.number().min(0).max(1) })
      .describe("What the reference resolved from and how."),
    quant: z.string(),
    weights_repo: WeightsRepoSchema,
    context: z.number().int().positive(),
    kv_cache_type: z.enum(KV_CACHE_TYPES),
    runtime: z.enum(RUNTIMES),
    run_mode: z.enum(RUN_MODES),
    fit_level: z.enum(FIT_LEVELS),
    memory: z
      .strictObject({
        required_gb: gib().describe(MEMORY_DESCRIPTIONS.required),
        available_gb: gib().describe(MEMORY_DESCRIPTIONS.available),
        ...MEMORY_PART_FIELDS,
      })
      .describe("Memory, GiB: weights_gb + kv_cache_gb + overhead_gb = gpu_gb + ram_gb = required_gb, for every fit level; the same figures as the model's row."),
    estimated_tps: z.number().nonnegative(),
    tps_range: z.tuple([z.number().nonnegative(), z.number().nonnegative()]),
    prefill_tps: z.number().nonnegative().nullable(),
    ttft_ms: z.number().nonnegative().nullable(),
    usable_context: z.number().int().nonnegative(),
    concurrent_sessions: z.number().int().nonnegative().describe("Sessions at this context that fit at once (at most 256, llama.cpp's sequence limit)."),
    alternatives: z.array(AlternativeSchema).describe("The best other options tried (none when a quant was asked)."),
    estimate_basis: EstimateBasisSchema,
    verify_command: z.string().describe("A command that measures the same figure on the machine, for this quant, runtime and weights."),
    notes: z.array(z.string()),
  })
  .describe("One estimate: the quant, run mode and fit chosen, memory, speed, and why.");
