// Row selection: filter, sort and limit analyzed rows for one model query.
import type { ModelRowJson } from "../contract/row.js";
import { filterRows } from "./filter-rows.js";
import type { ModelQuery } from "./model-query.js";
import { sortedView, sortRows } from "./sort-rows.js";

export interface RowSelection {
  /** Rows that passed the filters, before the limit. */
  total: number;
  rows: ModelRowJson[];
}

/**
 * Filters, sorts, then applies the limit. A frozen array (the service's cached analyses) is filtered in its cached
 * sorted order (see sortedView); any other is filtered first, then what is left is sorted.
 */
export function selectRows(rows: readonly ModelRowJson[], q: ModelQuery): RowSelection {
  const kept = Object.isFrozen(rows) ? filterRows(sortedView(rows, q.sort), q) : sortRows(filterRows(rows, q), q.sort);
  return { total: kept.length, rows: q.limit === null ? kept : kept.slice(0, q.limit) };
}
