// Statistics of a bench's timed runs: median and spread, the figures a result shows and the store keeps.
import type { StatJson } from "../contract/benchmarks.js";
import { round1 } from "../domain/units.js";

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("median of no values");
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Rates to one decimal, times to one decimal of a millisecond; ratios to three decimals. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Median, range and spread of values measured over runs; null when no run measured the figure. */
export function stat(values: ReadonlyArray<number | null>): StatJson | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (xs.length === 0) return null;
  const m = median(xs);
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return { median: round1(m), min: round1(min), max: round1(max), spread_pct: m > 0 ? round1(((max - min) / m) * 100) : 0, runs: xs.length };
}
