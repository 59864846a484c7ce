// Scoring: quality, speed, fit and context of an estimate, each 0-100, and their composite per use case.
import type { Category } from "../catalog/schema.js";
import type { Estimate, FitLevel, RunMode } from "../estimate/types.js";
import { TARGET_TOKENS_PER_SECOND } from "../estimate/choice.js";
import { PERFECT_MAX_UTILIZATION } from "../estimate/placement.js";
import { qualityIndex } from "./quality/lookup.js";
import { round1 } from "../domain/units.js";

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

/**
 * What each use case weighs (quality, speed, fit, context); sums to 1. These weights, the fit scores and the
 * thresholds below are product choices, not measured figures: quality leads every use case, speed matters more where
 * outputs are long (coding, chat), fit more where a model runs beside others (embedding). test/estimate/score.test.ts
 * checks what they must guarantee: a model that does not fit scores 0, below any model that runs; an unknown speed
 * is left out, not scored as 0 tok/s; scores are deterministic and bounded.
 */
export const USE_CASE_WEIGHTS: Record<Category, ScoreComponents> = {
  general: { quality: 0.55, speed: 0.15, fit: 0.15, context: 0.15 },
  coding: { quality: 0.55, speed: 0.2, fit: 0.1, context: 0.15 },
  reasoning: { quality: 0.6, speed: 0.15, fit: 0.1, context: 0.15 },
  chat: { quality: 0.5, speed: 0.2, fit: 0.15, context: 0.15 },
  multimodal: { quality: 0.55, speed: 0.15, fit: 0.15, context: 0.15 },
  embedding: { quality: 0.45, speed: 0.15, fit: 0.25, context: 0.15 },
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
 * a smaller one that answers. A product choice: about the pace a person reads at.
 */
export const USABLE_TOKENS_PER_SECOND = 5;

const clamp = (x: number, lo = 0, hi = 100): number => Math.min(hi, Math.max(lo, x));

/**
 * Embedding models answer no prompts, so their index (MTEB) is on a scale of its own: scaled by this factor, they sit
 * below generative models in a ranking of every model, as they did under the size prior (a product choice).
 */
export const EMBEDDING_QUALITY_SCALE = 0.6;

/**
 * Quality for a use case, 0-100: the model's quality index for the use case's task (`quality/lookup.ts`: published
 * benchmark figures per family and size, interpolated by dense-equivalent size, else a size-and-age prior fitted on
 * those figures), times the quant's quality factor (llama.cpp's perplexity tables). The reason names the table,
 * the anchors, the benchmarks and their source, or says the prior was used.
 */
export function qualityScore(e: Estimate, useCase?: Category): { value: number; why: string } {
  const task = useCase ?? e.model.category;
  const q = qualityIndex(e.model, task);
  const qf = e.qualityFactor;
  const scale = e.model.category === "embedding" && task === "embedding" ? EMBEDDING_QUALITY_SCALE : 1;
  const value = round1(clamp(q.value * scale * qf));
  const scaled = scale !== 1 ? `, embedding scale x${scale}` : "";
  return { value, why: `quality ${value} (${task}): ${q.why}${scaled}, ${e.quant} keeps ${Math.round(qf * 1000) / 10}%` };
}

export function speedScore(tps: number, category: Category): number {
  if (tps <= 0) return 0;
  const target = TARGET_TOKENS_PER_SECOND[category];
  return round1(clamp((100 * Math.log1p(tps)) / Math.log1p(target)));
}

/** The best fit score each run mode can reach (a product choice): all on the GPU first, CPU-only last. */
const MODE_FIT_CAP: Record<RunMode, number> = { gpu: 100, tensor_parallel: 100, moe_offload: 80, cpu_offload: 70, cpu_only: 55 };
/** Fit scores of the levels below perfect (a product choice: good is close to perfect, marginal is half). */
const GOOD_FIT_SCORE = 85;
const MARGINAL_FIT_SCORE = 50;

export function fitScore(level: FitLevel, runMode: RunMode, utilization: number): number {
  if (level === "too_tight") return 0;
  const cap = MODE_FIT_CAP[runMode];
  if (level === "perfect") return round1(clamp(cap - 10 * Math.max(0, (utilization - 0.5) / (PERFECT_MAX_UTILIZATION - 0.5)), 0, cap));
  if (level === "good") return round1(Math.min(cap, GOOD_FIT_SCORE));
  return round1(Math.min(cap, MARGINAL_FIT_SCORE));
}

export function contextScore(usableContextTokens: number, nativeContext: number, category: Category): number {
  const need = TARGET_CONTEXT_TOKENS[category];
  return round1(clamp((100 * Math.min(usableContextTokens, nativeContext)) / need));
}

/** Scores an estimate for a use case (the model's own category when omitted). Deterministic. */
export function scoreEstimate(e: Estimate, useCase?: Category): Score {
  const category = useCase ?? e.model.category;
  const q = qualityScore(e, category);
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

