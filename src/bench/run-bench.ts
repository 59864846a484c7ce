// A bench: a runner prepared, warmed up, then timed over N runs; the result built with nodefit's estimate for the same
// model, quant and context on this node beside it.
import type { ModelSpec } from "../catalog/schema.js";
import type { BenchmarkEstimateJson } from "../contract/benchmarks.js";
import { NodefitError } from "../domain/errors.js";
import type { Machine } from "../domain/machine.js";
import { quantName, type QuantName } from "../domain/quants.js";
import { estimate } from "../estimate/estimate.js";
import type { Runtime } from "../estimate/types.js";
import { estimateDevice } from "./correction.js";
import { round1 } from "../domain/units.js";
import { round3, stat } from "./stats.js";
import type { NewBenchmark } from "./store.js";
import { deadlineError, type BenchDeadline } from "./runners/http-stream.js";
import type { BenchRunner, RunMeasurement, RunnerInfo } from "./runners/types.js";

export interface BenchPlan {
  /** Timed runs (after the warm-up). */
  runs: number;
  warmup: number;
  /** Tokens generated per run. */
  maxTokens: number;
  /** Called before each generation: "warm-up 1/1", "run 2/5". */
  onProgress?: (what: string) => void;
  /** When the bench must be over (--max-time): no generation starts after it (a runtime's stream ends at it). */
  deadline?: BenchDeadline | null;
}

/** Fails when the bench's time is up, before a generation that could not finish in it starts. */
function checkDeadline(deadline: BenchDeadline | null | undefined, what: string): void {
  if (deadline && performance.now() >= deadline.at) throw deadlineError(what, null, deadline.limitMs);
}

export interface BenchOutcome {
  info: RunnerInfo;
  runs: RunMeasurement[];
}

/** Prepares the runner, runs the warm-up (untimed), then the timed runs. Closes the runner whatever happens. */
export async function runBench(runner: BenchRunner, plan: BenchPlan): Promise<BenchOutcome> {
  try {
    const info = await runner.prepare();
    let n = 0;
    for (let i = 0; i < plan.warmup; i++) {
      checkDeadline(plan.deadline, `warm-up ${i + 1}/${plan.warmup}`);
      plan.onProgress?.(`warm-up ${i + 1}/${plan.warmup}`);
      await runner.generate(++n, plan.maxTokens);
    }
    const runs: RunMeasurement[] = [];
    for (let i = 0; i < plan.runs; i++) {
      checkDeadline(plan.deadline, `run ${i + 1}/${plan.runs}`);
      plan.onProgress?.(`run ${i + 1}/${plan.runs}`);
      const m = await runner.generate(++n, plan.maxTokens);
      if (!(m.decodeTps > 0))
        throw new NodefitError("probe_failed", `run ${i + 1} generated ${m.generatedTokens} token${m.generatedTokens === 1 ? "" : "s"}: a decode speed needs at least 2 (raise --max-tokens, or check the runtime)`);
      runs.push(m);
    }
    return { info, runs };
  } finally {
    await runner.close();
  }
}

/** What was benched, as nodefit knows it. */
export interface BenchSubject {
  /** The entry to estimate (a catalog model, or one read from the GGUF header); null when nothing names it. */
  model: ModelSpec | null;
  /** The id results are kept under (rows show it as measured_tps): the catalog id when the model is in the catalog. */
  modelId: string;
  modelRef: string;
  inCatalog: boolean;
  quant: QuantName | null;
  /** The engine that runs it, as estimates name it. */
  runtime: Runtime;
}

/** The context an estimate assumes when the runtime does not say: Ollama's default num_ctx (4096). */
export const BENCH_DEFAULT_CONTEXT = 4096;

/**
 * nodefit's estimate (without any node correction) for the measured model, at the quant measured, at the context the
 * runtime ran, with the KV cache as full as during the measurement (its prompt and half its output). Null when the
 * model or its quant is unknown: an estimate of another quant would not be the same thing measured.
 */
export function estimateBeside(subject: BenchSubject, machine: Machine, context: number, fillTokens: number): BenchmarkEstimateJson | null {
  if (subject.model === null || subject.quant === null) return null;
  const contextTokens = Math.max(1, Math.min(context, subject.model.context_length));
  const e = estimate({
    model: subject.model,
    machine,
    contextTokens,
    decodeFillTokens: Math.min(contextTokens, fillTokens),
    runtime: subject.runtime,
    quant: subject.quant,
  });
  const calibration = e.basis["calibration"];
  const deviceClass = e.basis["device_class"];
  return {
    estimated_tps: e.tokensPerSecond,
    tps_range: e.tokensPerSecondRange,
    prefill_tps: e.prefillTokensPerSecond,
    ttft_ms: e.timeToFirstTokenMs,
    quant: e.quant,
    runtime: e.runtime,
    run_mode: e.runMode,
    context: contextTokens,
    decode_fill_tokens: Math.min(contextTokens, Math.round(fillTokens)),
    calibration: typeof calibration === "string" ? calibration : "unknown",
    device_class: typeof deviceClass === "string" ? deviceClass : "unknown",
    device: estimateDevice(e, machine),
  };
}

/** A quant as a runtime writes it (`Q4_K_M`, `q8_0`, `F16`), as the estimator names it; null when it names none. */
export const benchQuant = (text: string | null): QuantName | null => (text === null ? null : quantName(text));

export interface ResultOptions {
  /** The context the estimate assumes when the runtime does not say. */
  context: number;
  maxTokens: number;
  warmup: number;
  endpoint: string | null;
  via: NewBenchmark["via"];
  runtimeVersion: string | null;
}

/** The stored result of a bench: medians and spreads of the runs, each run, and the estimate beside them. */
export function benchResult(subject: BenchSubject, outcome: BenchOutcome, machine: Machine, o: ResultOptions): NewBenchmark {
  const runs = outcome.runs;
  const decode = stat(runs.map((r) => r.decodeTps));
  if (decode === null) throw new NodefitError("probe_failed", "no run measured a decode speed");
  const promptTokens = Math.round(runs.reduce((s, r) => s + r.promptTokens, 0) / runs.length);
  const generated = Math.round(runs.reduce((s, r) => s + r.generatedTokens, 0) / runs.length);
  const context = outcome.info.context ?? o.context;
  const est = estimateBeside(subject, machine, context, promptTokens + generated / 2);
  return {
    node: machine.node.name,
    model: subject.modelId,
    model_ref: subject.modelRef,
    in_catalog: subject.inCatalog,
    quant: subject.quant ?? outcome.info.quant,
    runtime: subject.runtime,
    via: o.via,
    endpoint: o.endpoint,
    runtime_version: o.runtimeVersion ?? outcome.info.runtimeVersion,
    context: outcome.info.context,
    prompt_tokens: promptTokens,
    max_tokens: o.maxTokens,
    threads: outcome.info.threads,
    warmup_runs: o.warmup,
    decode_tps: decode,
    prefill_tps: stat(runs.map((r) => r.prefillTps)),
    ttft_ms: stat(runs.map((r) => r.ttftMs)),
    runs: runs.map((r) => ({
      decode_tps: round1(r.decodeTps),
      prefill_tps: r.prefillTps === null ? null : round1(r.prefillTps),
      ttft_ms: r.ttftMs === null ? null : round1(r.ttftMs),
      prompt_tokens: r.promptTokens,
      generated_tokens: r.generatedTokens,
    })),
    estimate: est,
    measured_vs_estimated: est !== null && est.estimated_tps > 0 ? round3(decode.median / est.estimated_tps) : null,
  };
}
