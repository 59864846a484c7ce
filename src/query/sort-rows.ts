// Row sorting: runnable rows first, then the sort key, then score descending and name ascending, so order is stable.
import type { ModelRowJson } from "../contract/row.js";
import type { SortKey } from "./vocabulary.js";

type Compare = (a: ModelRowJson, b: ModelRowJson) => number;

const desc = (f: (r: ModelRowJson) => number): Compare => (a, b) => f(b) - f(a);

/** Release dates (ISO, so string order is date order), newest first, missing dates last. */
const byDateDesc: Compare = (a, b) => {
  if (a.release_date === b.release_date) return 0;
  if (a.release_date === null) return 1;
  if (b.release_date === null) return -1;
  return a.release_date < b.release_date ? 1 : -1;
};

const ascText = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);


const byScoreDesc = desc((r) => r.score);

const PRIMARY: Record<SortKey, Compare> = {
  score: byScoreDesc,
  tps: desc((r) => r.estimated_tps),
  params: desc((r) => r.params_b),
  mem: desc((r) => r.memory_required_gb),
  ctx: desc((r) => r.context_length),
  date: byDateDesc,
  use_case: (a, b) => ascText(a.category.toLowerCase(), b.category.toLowerCase()),
};

const runnableFirst: Compare = (a, b) => Number(a.fit_level === "too_tight") - Number(b.fit_level === "too_tight");

/** Lower-case names, computed once per row object (analyses are cached, so rows live across requests). */
const lowerNames = new WeakMap<ModelRowJson, string>();
const lowerName = (r: ModelRowJson): string => {
  let n = lowerNames.get(r);
  if (n === undefined) {
    n = r.name.toLowerCase();
    lowerNames.set(r, n);
  }
  return n;
};

/** Names tie-break case-insensitively, then in code-point order: the same on every machine whatever its locale. */
const byNameAsc: Compare = (a, b) => ascText(lowerName(a), lowerName(b)) || ascText(a.name, b.name);

/** A sorted copy. */
export function sortRows(rows: readonly ModelRowJson[], sort: SortKey): ModelRowJson[] {
  const primary = PRIMARY[sort];
  return [...rows].sort((a, b) => runnableFirst(a, b) || primary(a, b) || byScoreDesc(a, b) || byNameAsc(a, b));
}
