// The node's correction: what its own benchmarks say about its estimates. For each kind of estimate (runtime, run
// mode, calibration entry, device), the median of measured / estimated decode speed over the benchmarks of that kind,
// bounded, multiplies this node's other decode estimates of the same kind. Pure: results and estimates in, figures out.
import type { BenchmarkJson, NodeCorrectionJson } from "../contract/benchmarks.js";
import type { Machine } from "../domain/machine.js";
import type { Estimate } from "../estimate/types.js";
import { round1 } from "../domain/units.js";
import { median, round3 } from "./stats.js";

/**
 * The bound of the factor: a node's own runs may say its estimates are up to 2x off either way; beyond that the
 * benchmark more likely measured something else (another quant or context, a busy machine, a runtime misconfigured)
 * than the node's speed, so the factor stops at the bound and says so (`bounded`).
 */
export const NODE_CORRECTION_MIN = 0.5;
export const NODE_CORRECTION_MAX = 2;
/** The latest results of a kind that count (one per model, quant and context: a model benched ten times counts once). */
export const NODE_CORRECTION_MAX_RESULTS = 20;

/** The device an estimate on this machine was for: its CPU for a CPU-only run, else its GPUs (names and count). */
export function estimateDevice(e: Pick<Estimate, "runMode" | "basis">, machine: Machine): string {
  if (e.runMode === "cpu_only") return `cpu ${machine.cpu.name}`;
  const gpus = machine.gpus.filter((g) => g.backend === machine.backend);
  const used = typeof e.basis["gpus_used"] === "number" ? e.basis["gpus_used"] : gpus.length;
  const names = [...new Set(gpus.map((g) => g.name))].join(" + ");
  return `gpu ${names || "unknown"} x${used}`;
}

const kindOf = (k: { runtime: string; run_mode: string; calibration: string; device: string }): string => `${k.runtime}\u0000${k.run_mode}\u0000${k.calibration}\u0000${k.device}`;

/** The corrections the results give, newest results first in; one per kind of estimate. */
export function nodeCorrections(results: readonly BenchmarkJson[]): NodeCorrectionJson[] {
  const byKind = new Map<string, { key: Omit<NodeCorrectionJson, "factor" | "ratio" | "benchmarks" | "bounded">; ratios: number[]; seen: Set<string> }>();
  for (const r of results) {
    const e = r.estimate;
    if (e === null || r.measured_vs_estimated === null || !(r.measured_vs_estimated > 0)) continue;
    // Only results measured on the engine the estimate was for (a vLLM figure says nothing of llama.cpp's estimate).
    if (e.runtime !== r.runtime) continue;
    const key = { runtime: e.runtime, run_mode: e.run_mode, calibration: e.calibration, device: e.device };
    const kind = kindOf(key);
    let group = byKind.get(kind);
    if (!group) byKind.set(kind, (group = { key, ratios: [], seen: new Set() }));
    const same = `${r.model}\u0000${r.quant ?? ""}\u0000${e.context}`;
    if (group.seen.has(same) || group.ratios.length >= NODE_CORRECTION_MAX_RESULTS) continue;
    group.seen.add(same);
    group.ratios.push(r.measured_vs_estimated);
  }
  return [...byKind.values()].map(({ key, ratios }) => {
    const ratio = round3(median(ratios));
    const factor = round3(Math.min(NODE_CORRECTION_MAX, Math.max(NODE_CORRECTION_MIN, ratio)));
    return { ...key, factor, ratio, benchmarks: ratios.length, bounded: factor !== ratio } as NodeCorrectionJson;
  });
}

/** Corrections by kind, for estimates to look up. */
export class CorrectionTable {
  readonly #byKind: ReadonlyMap<string, NodeCorrectionJson>;
  readonly list: readonly NodeCorrectionJson[];

  constructor(corrections: readonly NodeCorrectionJson[]) {
    this.list = corrections;
    this.#byKind = new Map(corrections.map((c) => [kindOf(c), c]));
  }

  get size(): number {
    return this.#byKind.size;
  }

  /** The correction of an estimate on this machine; undefined when its kind has none. */
  of(e: Pick<Estimate, "runtime" | "runMode" | "basis">, machine: Machine): NodeCorrectionJson | undefined {
    const calibration = e.basis["calibration"];
    if (typeof calibration !== "string") return undefined;
    return this.#byKind.get(kindOf({ runtime: e.runtime, run_mode: e.runMode, calibration, device: estimateDevice(e, machine) }));
  }
}

const benchmarksText = (n: number): string => `${n} benchmark${n === 1 ? "" : "s"}`;

/**
 * The estimate with its decode speed corrected by this node's benchmarks of the same kind: speed, range and the
 * alternatives of the same runtime and run mode (the same device and calibration), with the factor and its source in
 * the basis and the notes. An estimate of no benchmarked kind, or without a speed, is returned as it is.
 */
export function correctEstimate(e: Estimate, machine: Machine, table: CorrectionTable): Estimate {
  if (table.size === 0 || !e.speedKnown || e.tokensPerSecond <= 0) return e;
  const c = table.of(e, machine);
  if (c === undefined) return e;
  const f = c.factor;
  const scale = (x: number): number => round1(x * f);
  const bound = c.bounded ? ` (their ratio ${c.ratio}, bounded to ${NODE_CORRECTION_MIN}-${NODE_CORRECTION_MAX}x)` : "";
  return {
    ...e,
    tokensPerSecond: scale(e.tokensPerSecond),
    tokensPerSecondRange: [scale(e.tokensPerSecondRange[0]), scale(e.tokensPerSecondRange[1])],
    alternatives: e.alternatives.map((a) => (a.runtime === e.runtime && a.runMode === e.runMode && a.tokensPerSecond > 0 ? { ...a, tokensPerSecond: scale(a.tokensPerSecond) } : a)),
    basis: { ...e.basis, node_correction: `${f} from ${benchmarksText(c.benchmarks)}`, tps_before_node_correction: e.tokensPerSecond },
    notes: [...e.notes, `speed corrected by this node's own benchmarks: x${f} from ${benchmarksText(c.benchmarks)} of ${c.runtime} ${c.run_mode} estimates on ${c.device}${bound}`],
  };
}
