// Model row: the wire shape of one model in the models envelope, the same for HTTP, CLI --json and MCP.
import type { Category } from "../catalog/schema.js";
import { gib2, round2 } from "../domain/units.js";
import { RUNTIME_LABELS, type Alternative, type Estimate, type FitLevel, type MemoryBreakdown, type RunMode, type Runtime } from "../estimate/types.js";
import type { Score } from "../score/score.js";
import type { InstalledAsJson } from "./installed.js";
import { verifyCommand, weightsRepo } from "./weights-source.js";

export interface ScoreComponentsJson {
  quality: number;
  speed: number;
  fit: number;
  context: number;
}

/** The seed's row fields, then the documented additions (see README "Model rows"). */
/** Another option the estimate tried, as the API shows it. */
export interface AlternativeJson {
  quant: string;
  runtime: string;
  run_mode: string;
  fit_level: string;
  estimated_tps: number;
  memory_required_gb: number;
  /** Share of 16-bit quality the quant keeps, %. */
  quality_kept_pct: number;
  why: string;
}

export const alternativeJson = (a: Alternative): AlternativeJson => ({
  quant: a.quant,
  runtime: a.runtime,
  run_mode: a.runMode,
  fit_level: a.fitLevel,
  estimated_tps: a.tokensPerSecond,
  memory_required_gb: gib2(a.requiredBytes),
  quality_kept_pct: Math.round(a.qualityFactor * 1000) / 10,
  why: a.why,
});

export interface ModelRowJson {
  name: string;
  provider: string;
  parameter_count: string;
  params_b: number;
  context_length: number;
  use_case: string;
  category: string;
  release_date: string | null;
  is_moe: boolean;
  fit_level: FitLevel;
  fit_label: string;
  run_mode: RunMode;
  run_mode_label: string;
  score: number;
  score_components: ScoreComponentsJson;
  estimated_tps: number;
  runtime: Runtime;
  runtime_label: string;
  best_quant: string;
  memory_required_gb: number;
  memory_available_gb: number;
  utilization_pct: number;
  notes: string[];
  gguf_sources: string[];
  // --- additions
  family: string;
  active_params_b: number | null;
  usable_context: number;
  effective_context_length: number;
  capabilities: string[];
  license: string;
  /** Whether the model is on this node's disks (Ollama, the Hugging Face cache, LM Studio, llama.cpp's cache, --models-dir):
   *  false when every store was read and it is in none; null when the stores were not (or not fully) read. */
  installed: boolean | null;
  /** Each copy found: runtime, store, tag or path, quant, bytes (src/contract/installed.ts); empty when none. */
  installed_as: InstalledAsJson[];
  disk_size_gb: number;
  /** The repository holding the weights this row sized (GGUF repo, pre-quantized export, or the original); null = none listed. */
  weights_repo: string | null;
  ollama_name: string | null;
  memory: {
    weights_gb: number;
    kv_cache_gb: number;
    overhead_gb: number;
    gpu_gb: number;
    ram_gb: number;
  };
  tps_range: [number, number];
  prefill_tps: number | null;
  ttft_ms: number | null;
  concurrent_sessions: number;
  /** The best other options tried: a better quality, a faster quant, another runtime. */
  alternatives: AlternativeJson[];
  kv_cache_type: string;
  estimate_basis: Record<string, string | number | boolean | null>;
  verify_command: string;
  /** A speed measured on this node, when one was recorded; null otherwise (nodefit does not benchmark by itself). */
  measured_tps: number | null;
}

export const FIT_LABELS: Record<FitLevel, string> = { perfect: "Perfect", good: "Good", marginal: "Marginal", too_tight: "Too Tight" };
export const RUN_MODE_LABELS: Record<RunMode, string> = { gpu: "GPU", moe_offload: "MoE", cpu_offload: "CPU+GPU", cpu_only: "CPU", tensor_parallel: "TP" };
export { RUNTIME_LABELS };
export const CATEGORY_LABELS: Record<Category, string> = {
  general: "General",
  coding: "Coding",
  reasoning: "Reasoning",
  chat: "Chat",
  multimodal: "Multimodal",
  embedding: "Embedding",
};

/** "8B", "7.6B", "600M", "1T": how people write parameter counts. */
export function formatParameterCount(params: number): string {
  if (params >= 1e12) return `${trimNumber(params / 1e12)}T`;
  if (params >= 1e9) return `${trimNumber(params / 1e9)}B`;
  return `${Math.round(params / 1e6)}M`;
}

function trimNumber(x: number): string {
  return x >= 10 ? String(Math.round(x)) : String(Math.round(x * 10) / 10);
}

/** A memory breakdown in GiB as every door prints it. */
export interface MemoryGib {
  required: number;
  weights: number;
  kvCache: number;
  overhead: number;
  available: number;
  gpu: number;
  ram: number;
}

/**
 * The breakdown in GiB, two decimals, adding up as printed: required = weights + KV cache + overhead, and
 * required = GPU + RAM (the larger of the two tiers takes what rounding leaves), for every fit level.
 */
export function memoryGib(m: MemoryBreakdown): MemoryGib {
  // Required is rounded from its own bytes, so it compares with available as the bytes do (rounding keeps order);
  // the largest part absorbs what rounding the parts separately adds or loses, so they still add up as printed.
  const required = gib2(m.requiredBytes);
  let weights = gib2(m.weightsBytes);
  let kvCache = gib2(m.kvCacheBytes);
  let overhead = gib2(m.overheadBytes);
  const drift = round2(required - (weights + kvCache + overhead));
  if (weights >= kvCache && weights >= overhead) weights = round2(weights + drift);
  else if (kvCache >= overhead) kvCache = round2(kvCache + drift);
  else overhead = round2(overhead + drift);
  const ramSmaller = m.ramBytes <= m.gpuBytes;
  const smaller = Math.min(required, gib2(ramSmaller ? m.ramBytes : m.gpuBytes));
  const larger = round2(required - smaller);
  return { required, weights, kvCache, overhead, available: gib2(m.availableBytes), gpu: ramSmaller ? larger : smaller, ram: ramSmaller ? smaller : larger };
}

/** The breakdown fields the row and the estimate result both carry (MEMORY_PART_FIELDS in schemas-row.ts). */
export function memoryPartsJson(mem: MemoryGib): { weights_gb: number; kv_cache_gb: number; overhead_gb: number; gpu_gb: number; ram_gb: number } {
  return { weights_gb: mem.weights, kv_cache_gb: mem.kvCache, overhead_gb: mem.overhead, gpu_gb: mem.gpu, ram_gb: mem.ram };
}

/**
 * Utilization in percent, one decimal; never null or infinite (an empty pool reads as 999.9). Over 100 exactly when
 * required exceeds available (too_tight), even by less than the rounding: 100.1 at least.
 */
export function utilizationPct(requiredBytes: number, availableBytes: number): number {
  if (availableBytes <= 0) return requiredBytes > 0 ? 999.9 : 0;
  const pct = Math.min(999.9, Math.round((requiredBytes / availableBytes) * 1000) / 10);
  return requiredBytes > availableBytes ? Math.max(pct, 100.1) : pct;
}

/** The row of one estimated model: the one serializer behind HTTP, CLI --json and MCP. */
export function modelRow(e: Estimate, s: Score): ModelRowJson {
  const m = e.model;
  const category = CATEGORY_LABELS[m.category];
  const mem = memoryGib(e.memory);
  return {
    name: m.id,
    provider: m.provider,
    parameter_count: formatParameterCount(m.params_total),
    params_b: round2(m.params_total / 1e9),
    context_length: m.context_length,
    use_case: category,
    category,
    release_date: m.release_date,
    is_moe: m.architecture.moe !== null,
    fit_level: e.fitLevel,
    fit_label: FIT_LABELS[e.fitLevel],
    run_mode: e.runMode,
    run_mode_label: RUN_MODE_LABELS[e.runMode],
    score: s.composite,
    score_components: s.components,
    estimated_tps: e.tokensPerSecond,
    runtime: e.runtime,
    runtime_label: RUNTIME_LABELS[e.runtime],
    best_quant: e.quant,
    memory_required_gb: mem.required,
    memory_available_gb: mem.available,
    utilization_pct: utilizationPct(e.memory.requiredBytes, e.memory.availableBytes),
    notes: [...e.notes, ...s.explanation],
    gguf_sources: [...m.gguf_sources],
    family: m.family,
    active_params_b: m.params_active === null ? null : round2(m.params_active / 1e9),
    usable_context: e.usableContextTokens,
    effective_context_length: e.contextTokens,
    capabilities: [...m.capabilities],
    license: m.license,
    installed: null,
    installed_as: [],
    disk_size_gb: gib2(e.diskBytes),
    weights_repo: weightsRepo(m, e.runtime, e.quant),
    ollama_name: m.ollama[0] ?? null,
    memory: memoryPartsJson(mem),
    tps_range: e.tokensPerSecondRange,
    prefill_tps: e.prefillTokensPerSecond,
    ttft_ms: e.timeToFirstTokenMs,
    concurrent_sessions: e.concurrentSessions,
    alternatives: e.alternatives.map(alternativeJson),
    kv_cache_type: e.kvCacheType,
    estimate_basis: e.basis,
    verify_command: verifyCommand(e),
    measured_tps: null,
  };
}
