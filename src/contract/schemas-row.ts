// Schema of the model row: the zod form of row.ts (ModelRowJson), for tests and the OpenAPI document.
import { z } from "zod";
import { FIT_LEVELS, KV_CACHE_TYPES, RUN_MODES, RUNTIMES } from "../estimate/types.js";
import { CATEGORY_LABELS, FIT_LABELS, RUN_MODE_LABELS, RUNTIME_LABELS } from "./row.js";
import { InstalledAsSchema } from "./schemas-installed.js";

const labels = <T extends string>(table: Record<string, T>): [T, ...T[]] => {
  const values = [...new Set(Object.values(table))];
  if (values.length === 0) throw new RangeError("a label table is empty");
  return values as [T, ...T[]];
};

/** A size in GiB (2^30 bytes), two decimals. */
export const gib = () => z.number().nonnegative();
const score = () => z.number().min(0).max(100);

export const ScoreComponentsSchema = z.strictObject({ quality: score(), speed: score(), fit: score(), context: score() });

/** `estimate_basis`: every input and intermediate figure the estimate used, by name. */
export const EstimateBasisSchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .describe("Every input and intermediate figure the estimate used, so a person can redo it.");

/** Another option an estimate tried, beside the one it chose. */
export const AlternativeSchema = z
  .strictObject({
    quant: z.string(),
    runtime: z.enum(RUNTIMES),
    run_mode: z.enum(RUN_MODES),
    fit_level: z.enum(FIT_LEVELS),
    estimated_tps: z.number().nonnegative(),
    memory_required_gb: z.number().nonnegative(),
    quality_kept_pct: z.number().min(0).max(100).describe("Share of 16-bit quality the quant keeps, %."),
    why: z.string().describe("What it trades against the chosen option."),
  })
  .describe("Another option the estimate tried.");

export const CategoryLabelSchema = z.enum(labels(CATEGORY_LABELS));

/**
 * The memory fields' meaning, shared by the model row and the estimate result: one rule for every fit level, so
 * a scheduler can add them up and compare them the same way for rows that fit and rows that do not.
 */
export const MEMORY_DESCRIPTIONS = {
  required:
    "Memory the placement needs, GiB: weights + KV cache + overhead, which equals GPU + RAM (exactly, as printed). For a too_tight row, what its closest placement would need: always more than available (the notes say by how much).",
  available:
    "The pool of the run mode, GiB: free VRAM (gpu, tensor_parallel: vLLM's share of it), free VRAM + available RAM (moe_offload, cpu_offload), available RAM (cpu_only); 0 when the runtime has no device here or cannot load the quant.",
  weights: "The weights file (and the vision tower when the runtime loads one), GiB.",
  kvCache: "KV cache (and recurrent state) at the evaluated context, GiB.",
  overhead: "Runtime buffers beside weights and cache, GiB: compute buffers, backend context per GPU, host runtime.",
  gpu: "Of required, the part in GPU memory, GiB. A too_tight offload row has the GPUs full.",
  ram: "Of required, the part in system RAM, GiB. A too_tight offload row has here more than the available RAM.",
} as const;

/** The breakdown fields both answers carry, each with its meaning. */
export const MEMORY_PART_FIELDS = {
  weights_gb: gib().describe(MEMORY_DESCRIPTIONS.weights),
  kv_cache_gb: gib().describe(MEMORY_DESCRIPTIONS.kvCache),
  overhead_gb: gib().describe(MEMORY_DESCRIPTIONS.overhead),
  gpu_gb: gib().describe(MEMORY_DESCRIPTIONS.gpu),
  ram_gb: gib().describe(MEMORY_DESCRIPTIONS.ram),
};

/** The row's and the estimate result's weights_repo. */
export const WeightsRepoSchema = z
  .string()
  .nullable()
  .describe("Repository holding the weights this row sized: the GGUF repository (llama.cpp; for an entry imported from a GGUF file, that file), the pre-quantized export (AWQ, GPTQ, FP8, NVFP4, MXFP4, MLX) or the original (BF16; FP8 made on load by vLLM); null when the catalog lists none in that format.");

export const ModelRowSchema = z
  .strictObject({
    name: z.string().describe("Hugging Face id."),
    provider: z.string(),
    parameter_count: z.string().describe('How people write it: "8B", "568M".'),
    params_b: z.number().nonnegative().describe("Total parameters, billions."),
    context_length: z.number().int().positive().describe("Native context, tokens."),
    use_case: CategoryLabelSchema,
    category: CategoryLabelSchema,
    release_date: z.string().nullable(),
    is_moe: z.boolean(),
    fit_level: z.enum(FIT_LEVELS),
    fit_label: z.enum(labels(FIT_LABELS)),
    run_mode: z.enum(RUN_MODES),
    run_mode_label: z.enum(labels(RUN_MODE_LABELS)),
    score: score().describe("Composite score, 0-100, one decimal."),
    score_components: ScoreComponentsSchema,
    estimated_tps: z.number().nonnegative().describe("Decode tokens per second; 0 for a too_tight row."),
    runtime: z.enum(RUNTIMES),
    runtime_label: z.enum(labels(RUNTIME_LABELS)),
    best_quant: z.string(),
    memory_required_gb: gib().describe(MEMORY_DESCRIPTIONS.required),
    memory_available_gb: gib().describe(MEMORY_DESCRIPTIONS.available),
    utilization_pct: z.number().nonnegative().describe("required / available x 100, one decimal; never null or infinite (999.9 when nothing is available). Over 100 exactly for too_tight rows."),
    notes: z.array(z.string()).describe("Why this quant, run mode and fit level."),
    gguf_sources: z.array(z.string()),
    family: z.string(),
    active_params_b: z.number().nonnegative().nullable().describe("Active parameters per token (MoE), billions."),
    usable_context: z.number().int().nonnegative().describe("Largest context that fits beside the weights."),
    effective_context_length: z.number().int().nonnegative().describe("Context the row was computed at."),
    capabilities: z.array(z.string()),
    license: z.string(),
    installed: z
      .boolean()
      .nullable()
      .describe("On this node's disks (Ollama, the Hugging Face cache, LM Studio, llama.cpp's cache, --models-dir folders): false when every store was read and it is in none; null when the stores were not read (a described machine, the first scan still running) or not in full."),
    installed_as: z.array(InstalledAsSchema).describe("Each copy of the model found on this node's disks; empty when none."),
    disk_size_gb: gib(),
    weights_repo: WeightsRepoSchema,
    ollama_name: z.string().nullable(),
    memory: z
      .strictObject(MEMORY_PART_FIELDS)
      .describe("Memory breakdown, GiB: weights_gb + kv_cache_gb + overhead_gb = gpu_gb + ram_gb = memory_required_gb, for every fit level."),
    tps_range: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).describe("Decode speed range [low, high]."),
    prefill_tps: z.number().nonnegative().nullable(),
    ttft_ms: z.number().nonnegative().nullable().describe("Time to first token, ms."),
    concurrent_sessions: z.number().int().nonnegative().describe("Sessions at this context that fit at once (at most 256, llama.cpp's sequence limit)."),
    alternatives: z.array(AlternativeSchema).describe("The best other options tried: a better quality, a faster quant, another runtime (at most 3)."),
    kv_cache_type: z.enum(KV_CACHE_TYPES),
    estimate_basis: EstimateBasisSchema,
    verify_command: z.string().describe("A command that measures the same figure on the machine."),
    measured_tps: z.number().nonnegative().nullable().describe("A speed measured on this node, when one was recorded."),
  })
  .describe("One model estimated and scored on the machine: the seed's fields, then the documented additions.");
