// Row selection: filter, sort and limit analyzed rows for one model query.
import type { ModelRowJson } from "../contract/row.js";
import { factsFilter, factsOf, filterRows, type RowFacts } from "./filter-rows.js";
import type { ModelQuery } from "./model-query.js";
import { sortedView, sortRows } from "./sort-rows.js";

export interface RowSelection {
  /** Rows that passed the filters, before the limit. */
  total: number;
  rows: ModelRowJson[];
}

/** The facts of each row of a sorted view, in the view's order (views are cached, so are these). */
const viewFacts = new WeakMap<readonly ModelRowJson[], readonly RowFacts[]>();

function factsOfView(view: readonly ModelRowJson[]): readonly RowFacts[] {
  let facts = viewFacts.get(view);
  if (facts === undefined) viewFacts.set(view, (facts = view.map(factsOf)));
  return facts;
}

/**
 * Filters, sorts, then applies the limit. A frozen array (the service's cached analyses) is walked in its cached
 * sorted order (see sortedView), reading each row's facts (uniform objects, computed once), keeping the first `limit`
 * rows that pass and counting the rest: one pass, no copy of the catalog. Any other array is filtered first, then
 * what is left is sorted.
 */
export function selectRows(rows: readonly ModelRowJson[], q: ModelQuery): RowSelection {
  if (!Object.isFrozen(rows)) {
    const kept = sortRows(filterRows(rows, q), q.sort);
    return { total: kept.length, rows: q.limit === null ? kept : kept.slice(0, q.limit) };
  }
  const view = sortedView(rows, q.sort);
  const facts = factsOfView(view);
  const keep = factsFilter(q);
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
