// Quality benchmarks: which task each public benchmark measures, its reference range, and the table row's zod schema.
import { z } from "zod";
import type { Category } from "../../catalog/schema.js";

/**
 * A public benchmark the quality table records, the task (use case) it measures, and its reference range [lo, hi]:
 * a published figure x maps to the 0-100 index as clamp(100 * (x - lo) / (hi - lo)). `lo` is about where small or
 * old models sit (chance, or the floor of the models in the table) and `hi` about the best open models. Ranges are
 * set so that two benchmarks of the same task put a model that reports both at about the same index (a test checks the
 * agreement on the table's rows): harder benchmarks (AIME, LiveCodeBench) get a low `hi`, saturated ones (MATH-500,
 * HumanEval) a high `lo`. The index compares models within a family best; across families it inherits the
 * benchmarks' differences in protocol (shots, versions), which the table's notes record.
 */
export interface Benchmark {
  label: string;
  task: Category;
  lo: number;
  hi: number;
}

export const BENCHMARKS = {
  mmlu: { label: "MMLU", task: "general", lo: 45, hi: 95 },
  mmlu_redux: { label: "MMLU-Redux", task: "general", lo: 40, hi: 95 },
  mmlu_pro: { label: "MMLU-Pro", task: "general", lo: 10, hi: 85 },
  gpqa_diamond: { label: "GPQA-Diamond", task: "reasoning", lo: 25, hi: 85 },
  gpqa: { label: "GPQA", task: "reasoning", lo: 25, hi: 80 },
  math: { label: "MATH", task: "reasoning", lo: 45, hi: 110 },
  math500: { label: "MATH-500", task: "reasoning", lo: 78, hi: 102 },
  aime24: { label: "AIME 2024", task: "reasoning", lo: 10, hi: 100 },
  aime25: { label: "AIME 2025", task: "reasoning", lo: 5, hi: 95 },
  humaneval: { label: "HumanEval", task: "coding", lo: 45, hi: 100 },
  mbpp: { label: "MBPP", task: "coding", lo: 40, hi: 100 },
  livecodebench: { label: "LiveCodeBench", task: "coding", lo: 0, hi: 70 },
  ifeval: { label: "IFEval", task: "chat", lo: 30, hi: 95 },
  arena_hard: { label: "Arena-Hard", task: "chat", lo: 0, hi: 100 },
  mmmu: { label: "MMMU", task: "multimodal", lo: 30, hi: 80 },
  mteb_en: { label: "MTEB (English)", task: "embedding", lo: 56, hi: 76 },
  mmteb: { label: "MMTEB (multilingual)", task: "embedding", lo: 45, hi: 72 },
} as const satisfies Record<string, Benchmark>;

export type BenchmarkId = keyof typeof BENCHMARKS;
export const BENCHMARK_IDS = Object.keys(BENCHMARKS) as BenchmarkId[];

const clamp = (x: number, lo = 0, hi = 100): number => Math.min(hi, Math.max(lo, x));

/** A published figure on the 0-100 index of its benchmark. */
export function normalize(id: BenchmarkId, score: number): number {
  const b: Benchmark = BENCHMARKS[id];
  return clamp((100 * (score - b.lo)) / (b.hi - b.lo));
}

const percent = z.number().min(0).max(100);

/** One row of the quality table: the published figures of one catalog model, and where they are published. */
export const QualityRowSchema = z.strictObject({
  /** The catalog family (as in `src/catalog/data`); the row anchors that family's curve. */
  family: z.string().min(1),
  /** The catalog id of the model the figures are for. */
  model: z.string().regex(/^[\w.-]+\/[\w.-]+$/),
  /** Published figures, in percent, as the source prints them. */
  scores: z.partialRecord(z.enum(BENCHMARK_IDS as [BenchmarkId, ...BenchmarkId[]]), percent).refine((s) => Object.keys(s).length > 0, "a row needs at least one score"),
  /** The model card, technical report or leaderboard page that publishes these figures. */
  source: z.url(),
  /** Protocol details (mode, shots, benchmark version) where they matter. */
  note: z.string().min(1).optional(),
  /**
   * Whether the row anchors its family's size curve (default). A variant of the line (a base model beside
   * instruct ones, a later update, a thinking or reasoning variant) keeps its own figures but does not bend the
   * curve other models of the family are read from.
   */
  curve: z.boolean().default(true),
});

export type QualityRowInput = z.input<typeof QualityRowSchema>;
export type QualityRow = z.output<typeof QualityRowSchema>;
