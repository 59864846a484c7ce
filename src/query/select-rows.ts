// Row selection: filter, sort and limit analyzed rows for one model query.
import type { ModelRowJson } from "../contract/row.js";
import { filterRows } from "./filter-rows.js";
import type { ModelQuery } from "./model-query.js";
import { sortedView } from "./sort-rows.js";

export interface RowSelection {
  /** Rows that passed the filters, before the limit. */
  total: number;
  rows: ModelRowJson[];
}

/** Filters the sorted view of `rows` (see sortedView), then applies the limit. */
export function selectRows(rows: readonly ModelRowJson[], q: ModelQuery): RowSelection {
  const kept = filterRows(sortedView(rows, q.sort), q);
  return { total: kept.length, rows: q.limit === null ? kept : kept.slice(0, q.limit) };
}
