// Row selection: filter, sort and limit analyzed rows for one model query.
import type { ModelRowJson } from "../contract/row.js";
import { filterRows } from "./filter-rows.js";
import type { ModelQuery } from "./model-query.js";
import { sortRows } from "./sort-rows.js";

export interface RowSelection {
  /** Rows that passed the filters, before the limit. */
  total: number;
  rows: ModelRowJson[];
}

export function selectRows(rows: readonly ModelRowJson[], q: ModelQuery): RowSelection {
  const sorted = sortRows(filterRows(rows, q), q.sort);
  return { total: sorted.length, rows: q.limit === null ? sorted : sorted.slice(0, q.limit) };
}
