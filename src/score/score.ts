// Scoring: quality, speed, fit and context of an estimate, each 0-100, and their composite per use case.
import type { Category } from "../catalog/schema.js";
import type { Estimate, FitLevel, RunMode } from "../estimate/types.js";
import { quantFormat } from "../estimate/quants.js";
import { PERFECT_MAX_UTILIZATION } from "../estimate/placement.js";

export interface ScoreComponents {
  quality: number;
  speed: number;
  fit: number;
  context: number;
}

export interface Score {
  components: ScoreComponents;
  composite: number;
  /** One line per component saying how it was reached. */
  explanation: string[];
}

/** What each use case weighs (quality, speed, fit, context); sums to 1. */
export const USE_CASE_WEIGHTS: Record<Category, ScoreComponents> = {
  general: { quality: 0.55, speed: 0.15, fit: 0.15, context: 0.15 },
  coding: { quality: 0.55, speed: 0.2, fit: 0.1, context: 0.15 },
  reasoning: { quality: 0.6, speed: 0.15, fit: 0.1, context: 0.15 },
  chat: { quality: 0.5, speed: 0.2, fit: 0.15, context: 0.15 },
  multimodal: { quality: 0.55, speed: 0.15, fit: 0.15, context: 0.15 },
  embedding: { quality: 0.45, speed: 0.15, fit: 0.25, context: 0.15 },
};

/**
 * Decode speed at which a use case feels fully served (tokens/s): reading pace for chat is ~10 tok/s, coding
 * assistants and reasoning traces emit long outputs and want several times that.
 */
export const TARGET_TOKENS_PER_SECOND: Record<Category, number> = {
  general: 30,
  coding: 40,
  reasoning: 50,
  chat: 25,
  multimodal: 25,
  embedding: 100,
};

/** Context a use case needs to be fully served: a long chat, a repository slice, a reasoning trace, a document chunk. */
export const TARGET_CONTEXT_TOKENS: Record<Category, number> = {
  general: 8192,
  coding: 32768,
  reasoning: 32768,
  chat: 8192,
  multimodal: 8192,
  embedding: 512,
};

/**
 * Below this decode speed a generative model is barely usable interactively: its composite is scaled down in
 * proportion (a model at 1 tok/s keeps a fifth of its score), so a large model crawling on a CPU does not outrank
 * a smaller one that answers.
 */
export const USABLE_TOKENS_PER_SECOND = 5;

const clamp = (x: number, lo = 0, hi = 100): number => Math.min(hi, Math.max(lo, x));
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The evaluation date quality ages are measured from (the catalog's "as of"). */
export const QUALITY_REFERENCE_DATE = Date.parse("2026-11-01");

/**
 * A prior for model quality, not a benchmark. Size, dense-equivalent on a log scale (0.1B -> 0, 1T -> 100): within a
 * generation, quality on public leaderboards grows roughly with log parameters. Age discounts it by 10% a year (at
 * most by half): open models of a given size improve about that fast. The quant's quality factor (llama.cpp's
 * perplexity tables) scales the result. MoE models count at the geometric mean of total and active parameters, a
 * common rule of thumb for their dense equivalent. Embedding models are scored on their own scale (they answer no
 * prompts), so in a ranking of every model they sit below generative models of their age.
 */
export function qualityScore(e: Estimate): { value: number; why: string } {
  const m = e.model;
  const totalB = m.params_total / 1e9;
  const activeB = (m.params_active ?? m.params_total) / 1e9;
  const effB = m.params_active ? Math.sqrt(totalB * activeB) : totalB;
  const size = clamp(25 * (Math.log10(effB) + 1));
  const released = m.release_date ? Date.parse(m.release_date) : Date.parse("2023-06-01");
  const ageYears = Math.max(0, (QUALITY_REFERENCE_DATE - released) / (365.25 * 86400e3));
  const recency = Math.max(0.5, 1 - 0.1 * ageYears);
  const qf = quantFormat(e.quant)?.qualityFactor ?? 1;
  const base = m.category === "embedding" ? 0.6 * size : size;
  const value = clamp(base * recency * qf);
  return {
    value: round1(value),
    why: `quality ${round1(value)}: ${effB.toFixed(1)}B dense-equivalent (size ${round1(size)}), ${ageYears.toFixed(1)} years old (x${recency.toFixed(2)}), ${e.quant} keeps ${Math.round(qf * 1000) / 10}%`,
  };
}

export function speedScore(tps: number, category: Category): number {
  if (tps <= 0) return 0;
  const target = TARGET_TOKENS_PER_SECOND[category];
  return round1(clamp((100 * Math.log1p(tps)) / Math.log1p(target)));
}

const MODE_FIT_CAP: Record<RunMode, number> = { gpu: 100, tensor_parallel: 100, moe_offload: 80, cpu_offload: 70, cpu_only: 55 };

export function fitScore(level: FitLevel, runMode: RunMode, utilization: number): number {
  if (level === "too_tight") return 0;
  const cap = MODE_FIT_CAP[runMode];
  if (level === "perfect") return round1(clamp(cap - 10 * Math.max(0, (utilization - 0.5) / (PERFECT_MAX_UTILIZATION - 0.5)), 0, cap));
  if (level === "good") return round1(Math.min(cap, 85));
  return round1(Math.min(cap, 50));
}

export function contextScore(usableContextTokens: number, nativeContext: number, category: Category): number {
  const need = TARGET_CONTEXT_TOKENS[category];
  return round1(clamp((100 * Math.min(usableContextTokens, nativeContext)) / need));
}

/** Scores an estimate for a use case (the model's own category when omitted). Deterministic. */
export function scoreEstimate(e: Estimate, useCase?: Category): Score {
  const category = useCase ?? e.model.category;
  const q = qualityScore(e);
  const utilization = e.memory.availableBytes > 0 ? e.memory.requiredBytes / e.memory.availableBytes : Infinity;
  const components: ScoreComponents = {
    quality: q.value,
    speed: speedScore(e.tokensPerSecond, category),
    fit: fitScore(e.fitLevel, e.runMode, utilization),
    context: contextScore(e.usableContextTokens, e.model.context_length, category),
  };
  const w = USE_CASE_WEIGHTS[category];
  // An unknown speed is left out of the composite (the other weights rescaled), not counted as 0 tok/s.
  const speedWeight = e.speedKnown ? w.speed : 0;
  const weighted = (components.quality * w.quality + components.speed * speedWeight + components.fit * w.fit + components.context * w.context) / (w.quality + speedWeight + w.fit + w.context);
  const tooTight = e.fitLevel === "too_tight";
  const slow = !tooTight && e.speedKnown && e.model.category !== "embedding" && e.tokensPerSecond < USABLE_TOKENS_PER_SECOND;
  // A model that does not fit scores 0: it must not outrank one that runs, however slowly.
  const composite = tooTight ? 0 : round1(slow ? weighted * (e.tokensPerSecond / USABLE_TOKENS_PER_SECOND) : weighted);
  const explanation = [
    q.why,
    `speed ${components.speed}: ${e.tokensPerSecond} tok/s against ${TARGET_TOKENS_PER_SECOND[category]} tok/s for ${category}`,
    `fit ${components.fit}: ${e.fitLevel} in ${e.runMode}`,
    `context ${components.context}: ${e.usableContextTokens} usable tokens against ${TARGET_CONTEXT_TOKENS[category]} needed for ${category}`,
  ];
  if (!e.speedKnown) explanation.push("speed unknown (a bandwidth is not known): left out of the score");
  if (tooTight) explanation.push("score 0: the model does not fit this machine");
  if (slow) explanation.push(`score scaled by ${(e.tokensPerSecond / USABLE_TOKENS_PER_SECOND).toFixed(2)}: below ${USABLE_TOKENS_PER_SECOND} tok/s`);
  return { components, composite, explanation };
}

