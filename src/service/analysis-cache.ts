// Analysis cache: analyses of the current snapshot keyed by (context, forced runtime), least recently used out; an
// analysis still running is shared by every request that asks for it.
import type { ModelRowJson } from "../contract/row.js";
import type { Runtime } from "../estimate/types.js";

export interface AnalysisKey {
  contextTokens: number | null;
  forceRuntime: Runtime | null;
}

const DEFAULT_KEY = "default|auto";
const keyOf = (k: AnalysisKey): string => `${k.contextTokens ?? "default"}|${k.forceRuntime ?? "auto"}`;

export class AnalysisCache {
  readonly #entries = new Map<string, Promise<readonly ModelRowJson[]>>();

  /** `capacity`: distinct (context, runtime) answers kept; `max_context` is free-form, so the cache is bounded. */
  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("analysis cache capacity must be an integer >= 1");
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The cached rows (or the analysis computing them), else `compute()`'s, stored: frozen, as requests share them and
   * the query layer caches sorted views of frozen arrays only. A failed computation is forgotten.
   */
  getOrCompute(key: AnalysisKey, compute: () => Promise<readonly ModelRowJson[]>): Promise<readonly ModelRowJson[]> {
    const k = keyOf(key);
    const hit = this.#entries.get(k);
    if (hit) {
      this.#entries.delete(k);
      this.#entries.set(k, hit);
      return hit;
    }
    const rows = compute().then((r) => Object.freeze(r));
    rows.catch(() => {
      if (this.#entries.get(k) === rows) this.#entries.delete(k);
    });
    this.#entries.set(k, rows);
    // The default analysis (what schedulers poll, what /metrics reads) is never evicted by other queries.
    for (const old of this.#entries.keys()) {
      if (this.#entries.size <= this.capacity) break;
      if (old !== DEFAULT_KEY) this.#entries.delete(old);
    }
    return rows;
  }

  /** Drops every entry (a new snapshot makes them all stale). */
  clear(): void {
    this.#entries.clear();
  }
}
