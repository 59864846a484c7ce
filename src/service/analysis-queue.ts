// Analysis queue: catalog analyses run one at a time, in slices that yield to the event loop, behind a bounded queue,
// so a flood of new contexts neither blocks the agent (liveness answers between slices) nor piles up work without end.
import type { ModelSpec } from "../catalog/schema.js";
import type { ModelRowJson } from "../contract/row.js";
import { NodefitError } from "../domain/errors.js";
import type { Machine } from "../domain/machine.js";
import type { AnalysisKey } from "./analysis-cache.js";

/** The catalog analysis of a list of models (each model independent of the others, so it can run in slices). */
export type SliceAnalyzer = (models: readonly ModelSpec[], machine: Machine, options: AnalysisKey) => ModelRowJson[];

/**
 * Milliseconds of analysis between two yields to the event loop. A liveness probe that arrives during an analysis
 * waits at most about this long (plus the request it queues behind); Kubernetes' default probe timeout is 1 s.
 */
export const SLICE_BUDGET_MS = 8;

/** Models analyzed between two looks at the clock (an estimate takes 0.1-1 ms). */
const MODELS_PER_CHECK = 4;

/** Analyses waiting for their turn at most; one more is refused with `overloaded` (HTTP 503, Retry-After). */
export const MAX_QUEUED_ANALYSES = 8;

/** Seconds a refused client is asked to wait: about what the queue takes to drain on a small machine. */
export const RETRY_AFTER_S = 2;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Analyzes `models` in slices of about SLICE_BUDGET_MS, yielding to the event loop between slices. */
export async function analyzeInSlices(
  models: readonly ModelSpec[],
  machine: Machine,
  options: AnalysisKey,
  analyze: SliceAnalyzer,
  budgetMs = SLICE_BUDGET_MS,
): Promise<ModelRowJson[]> {
  const rows: ModelRowJson[] = [];
  let i = 0;
  while (i < models.length) {
    const start = performance.now();
    do {
      for (const row of analyze(models.slice(i, i + MODELS_PER_CHECK), machine, options)) rows.push(row);
      i += MODELS_PER_CHECK;
    } while (i < models.length && performance.now() - start < budgetMs);
    if (i < models.length) await nextTurn();
  }
  return rows;
}

interface Job {
  run: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
}

/** Runs jobs one at a time, first come first served (priority jobs first), with at most `maxQueued` waiting. */
export class AnalysisQueue {
  readonly #waiting: Job[] = [];
  #running = false;

  constructor(private readonly maxQueued = MAX_QUEUED_ANALYSES) {}

  /** Jobs waiting for their turn (not counting the running one). */
  get queued(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `job` when its turn comes. A priority job (the default analysis schedulers poll) goes to the front and is
   * never refused; another is refused with `overloaded` when the queue is full.
   */
  run<T>(job: () => Promise<T>, priority = false): Promise<T> {
    if (!priority && this.#waiting.length >= this.maxQueued) {
      return Promise.reject(
        new NodefitError("overloaded", `busy: ${this.#waiting.length} jobs are waiting (catalog analyses, each new max_context or force_runtime needs one, and plans); retry in ${RETRY_AFTER_S} s`, {
          retryAfterS: RETRY_AFTER_S,
        }),
      );
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Job = { run: job, resolve: resolve as (value: unknown) => void, reject };
      if (priority) this.#waiting.unshift(entry);
      else this.#waiting.push(entry);
      this.#next();
    });
  }

  #next(): void {
    if (this.#running) return;
    const job = this.#waiting.shift();
    if (job === undefined) return;
    this.#running = true;
    job
      .run()
      .then(job.resolve, job.reject)
      .finally(() => {
        this.#running = false;
        this.#next();
      });
  }
}
