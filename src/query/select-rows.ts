// Row selection: filter, sort and limit analyzed rows for one model query.
import type { ModelRowJson } from "../contract/row.js";
import { factsFilter, factsOf, filterRows, type RowFacts } from "./filter-rows.js";
import type { ModelQuery } from "./model-query.js";
import { sortRows } from "./sort-rows.js";
import type { SortKey } from "./vocabulary.js";

export interface RowSelection {
  /** Rows that passed the filters, before the limit. */
  total: number;
  rows: ModelRowJson[];
}

/** A frozen analysis in one sort order, with each row's filter facts in the same order. */
interface SortedAnalysis {
  rows: readonly ModelRowJson[];
  facts: readonly RowFacts[];
}

/**
 * Per frozen rows array (the service's cached analyses, whose rows never change) and sort key. The order is total
 * (ties end on the name), so filtering a sorted copy gives what sorting the filtered rows would.
 */
const sortedAnalyses = new WeakMap<readonly ModelRowJson[], Map<SortKey, SortedAnalysis>>();

function sortedAnalysis(rows: readonly ModelRowJson[], sort: SortKey): SortedAnalysis {
  let byKey = sortedAnalyses.get(rows);
  if (byKey === undefined) sortedAnalyses.set(rows, (byKey = new Map()));
  let sorted = byKey.get(sort);
  if (sorted === undefined) {
    const view = sortRows(rows, sort);
    byKey.set(sort, (sorted = { rows: view, facts: view.map(factsOf) }));
  }
  return sorted;
}

/**
 * Filters, sorts, then applies the limit. A frozen array (the service's cached analyses) is walked in its cached
 * sorted order, reading each row's facts (uniform objects, computed once), keeping the first `limit` rows that pass
 * and counting the rest: one pass, no copy of the catalog. Any other array is filtered first, then what is left is
 * sorted. `resolved`: the row the name route's resolver found, kept beside the substring matches.
 */
export function selectRows(rows: readonly ModelRowJson[], q: ModelQuery, resolved: string | null = null): RowSelection {
  if (!Object.isFrozen(rows)) {
    const kept = sortRows(filterRows(rows, q, resolved), q.sort);
    return { total: kept.length, rows: q.limit === null ? kept : kept.slice(0, q.limit) };
  }
  const { rows: view, facts } = sortedAnalysis(rows, q.sort);
  const keep = factsFilter(q, resolved);
  const limit = q.limit ?? Infinity;
  const out: ModelRowJson[] = [];
  let total = 0;
  for (let i = 0; i < facts.length; i++) {
    if (!keep(facts[i]!)) continue;
    total += 1;
    if (out.length < limit) out.push(view[i]!);
  }
  return { total, rows: out };
}
