// What this node's benchmarks say, read once per change of the store: the latest measured decode speed per model and
// quant (rows' measured_tps), and the corrections of its estimates.
import type { BenchmarkJson } from "../contract/benchmarks.js";
import { CorrectionTable, nodeCorrections } from "./correction.js";

export class NodeMeasurements {
  /** Newest first. */
  readonly results: readonly BenchmarkJson[];
  readonly corrections: CorrectionTable;
  readonly #latest: ReadonlyMap<string, number>;

  constructor(results: readonly BenchmarkJson[]) {
    this.results = results;
    this.corrections = new CorrectionTable(nodeCorrections(results));
    const latest = new Map<string, number>();
    for (const r of results) {
      const key = keyOf(r.model, r.quant);
      if (!latest.has(key)) latest.set(key, r.decode_tps.median);
    }
    this.#latest = latest;
  }

  static readonly EMPTY = new NodeMeasurements([]);

  /** The latest measured decode median of a model at a quant on this node; null when never measured. */
  measuredTps(model: string, quant: string): number | null {
    return this.#latest.get(keyOf(model, quant)) ?? null;
  }
}

const keyOf = (model: string, quant: string | null): string => `${model.toLowerCase()}\u0000${(quant ?? "").toUpperCase()}`;
