// The quality prior for models without benchmark figures, and the task factors; both fitted on the quality table.
import type { Category } from "../../catalog/schema.js";
import type { Anchor } from "./anchors.js";

/**
 * The size-and-age prior: index = a + b x log10(dense-equivalent B) + c x years old, clamped to 0-100. Its
 * coefficients are the least-squares fit of the table's rows (`fitPrior`; a test recomputes it and requires these
 * constants to match): generative models on their general index, embedding models on their embedding index.
 *
 * Generative (75 dated rows): a = 90.9, b = 24.6 per decade of size, c = -29.5 per year of age; RMS residual 11.6
 * points (leave-one-out 12.2). Undated rows are left out of this fit. The age term is steep because these benchmarks
 * moved fast (an 8B model gained about 30 points of MMLU-Redux index from mid-2024 to mid-2025), so the lookup holds
 * ages inside the span the rows cover (about 0.9 to 3.3 years) instead of extrapolating, reads an unknown release date
 * as the rows' mean age (1.7 years), and caps the prior at `PRIOR_CAP`.
 *
 * Embedding (15 rows, many undated): size only, since an age term cannot be fitted on undated rows: a = 59.2,
 * b = 24.2 per decade; RMS residual 13.3 (leave-one-out 16.0).
 */
export const PRIOR = {
  generative: { a: 90.9, b: 24.6, c: -29.5, n: 75, rms: 11.6 },
  embedding: { a: 59.2, b: 24.2, c: 0, n: 15, rms: 13.3 },
} as const;

/**
 * A task's index relative to the general index, for a model whose figures do not cover the task: the least-squares
 * slope through the origin of the task's index on the general index over the table's rows that have both
 * (`fitTaskFactors`; a test keeps these constants within 0.01 of the fit). `all` is fitted on every such row;
 * `specialist` on the rows of models whose catalog category is that task (reasoning models' reasoning index is
 * 0.93 of their general index, everyone's 0.75), used for such models where at least 5 rows exist.
 * Fitted now: coding 0.91 (68 rows; 3 coder rows with general figures, too few for a specialist factor), reasoning
 * 0.75 (74) and 0.93 (16), chat 0.99 (38), multimodal 0.90 (7) and 0.89 (5).
 */
export const TASK_FACTORS: Record<Exclude<Category, "embedding" | "general">, { all: number; specialist: number | null }> = {
  coding: { all: 0.91, specialist: null },
  reasoning: { all: 0.75, specialist: 0.93 },
  chat: { all: 0.99, specialist: null },
  multimodal: { all: 0.9, specialist: 0.89 },
};

/** Rows a specialist factor needs before it is used. */
export const SPECIALIST_MIN_ROWS = 5;

/**
 * The prior never places a model above this index: without figures a model is not ranked among the best measured
 * ones (the fit alone would give any large 2025 model 100).
 */
export const PRIOR_CAP = 90;

const clamp = (x: number): number => Math.min(100, Math.max(0, x));

/** The prior's index for a size (dense-equivalent, billions) and an age (years). */
export function priorIndex(kind: keyof typeof PRIOR, sizeB: number, ageYears: number): number {
  const p = PRIOR[kind];
  return Math.min(PRIOR_CAP, clamp(p.a + p.b * Math.log10(sizeB) + p.c * ageYears));
}

export interface PriorFit {
  a: number;
  b: number;
  c: number;
  n: number;
  rms: number;
  /** Leave-one-out RMS: how far the prior lands from a row it was not fitted on. */
  looRms: number;
}

interface Sample {
  x: number[];
  y: number;
}

/** Ordinary least squares by the normal equations (small, well-conditioned systems only). */
function leastSquares(samples: readonly Sample[]): number[] {
  const k = samples[0]!.x.length;
  const m = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (const s of samples)
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) m[i]![j]! += s.x[i]! * s.x[j]!;
      m[i]![k]! += s.x[i]! * s.y;
    }
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < k; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= k; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[k]! / row[i]!);
}

/** Refits the prior of one kind on the table's anchors (what `PRIOR` holds, rounded). */
export function fitPrior(anchors: readonly Anchor[], kind: keyof typeof PRIOR): PriorFit {
  const task: Category = kind === "embedding" ? "embedding" : "general";
  const withAge = kind === "generative";
  const samples: Sample[] = anchors
    // An undated model reads as old (2023-06): it would bend the age term, so only dated rows fit a prior with age.
    .filter((a) => (a.model.category === "embedding") === (kind === "embedding") && a.tasks[task] && (!withAge || a.ageYears !== null))
    .map((a) => ({ x: withAge ? [1, Math.log10(a.sizeB), a.ageYears!] : [1, Math.log10(a.sizeB)], y: a.tasks[task]!.value }));
  const coef = leastSquares(samples);
  const predict = (c: number[], s: Sample): number => s.x.reduce((sum, x, i) => sum + x * c[i]!, 0);
  const rms = (errs: number[]): number => Math.sqrt(errs.reduce((s, e) => s + e * e, 0) / errs.length);
  const loo = samples.map((s, i) => predict(leastSquares(samples.filter((_, j) => j !== i)), s) - s.y);
  return { a: coef[0]!, b: coef[1]!, c: withAge ? coef[2]! : 0, n: samples.length, rms: rms(samples.map((s) => predict(coef, s) - s.y)), looRms: rms(loo) };
}

export interface FactorFit {
  factor: number;
  n: number;
}

function slopeThroughOrigin(anchors: readonly Anchor[], task: Category): FactorFit {
  const both = anchors.filter((a) => a.tasks.general && a.tasks[task]);
  const gt = both.reduce((s, a) => s + a.tasks.general!.value * a.tasks[task]!.value, 0);
  const gg = both.reduce((s, a) => s + a.tasks.general!.value ** 2, 0);
  return { factor: gg > 0 ? gt / gg : 1, n: both.length };
}

/** Refits the task factors on the table's anchors (what `TASK_FACTORS` holds, rounded). */
export function fitTaskFactors(anchors: readonly Anchor[]): Record<keyof typeof TASK_FACTORS, { all: FactorFit; specialist: FactorFit }> {
  const out = {} as Record<keyof typeof TASK_FACTORS, { all: FactorFit; specialist: FactorFit }>;
  for (const task of Object.keys(TASK_FACTORS) as (keyof typeof TASK_FACTORS)[])
    out[task] = { all: slopeThroughOrigin(anchors, task), specialist: slopeThroughOrigin(anchors.filter((a) => a.model.category === task), task) };
  return out;
}

/** The factor for a model of `category` on `task`: the specialist one for the task's own models, where fitted. */
export function taskFactor(task: keyof typeof TASK_FACTORS, category: Category): number {
  const f = TASK_FACTORS[task];
  return category === task && f.specialist !== null ? f.specialist : f.all;
}
