// Row filtering: which analyzed rows a model query keeps (fit, runtime, use case, provider, search).
import type { ModelRowJson } from "../contract/row.js";
import type { ModelQuery } from "./model-query.js";
import { fitRank } from "./vocabulary.js";

/**
 * What the filters read of a row, lower-cased. Every instance has the same shape, so a filter over thousands of
 * rows reads monomorphic properties instead of the rows' own (whose shapes differ with their optional fields).
 */
export interface RowFacts {
  name: string;
  fitRank: number;
  tooTight: boolean;
  perfect: boolean;
  runtime: string;
  category: string;
  provider: string;
  /** The row's `installed`: true, false, or null when the stores were not read. */
  installed: boolean | null;
  /** Name, provider, parameter count, use case and category: what search looks in. */
  searchFields: readonly string[];
}

/** What the filters read of a row (computed on each call: cache it only for rows that do not change). */
export function factsOf(row: ModelRowJson): RowFacts {
  return {
    name: row.name,
    fitRank: fitRank(row.fit_level),
    tooTight: row.fit_level === "too_tight",
    perfect: row.fit_level === "perfect",
    runtime: row.runtime,
    category: row.category.toLowerCase(),
    provider: row.provider.toLowerCase(),
    installed: row.installed,
    searchFields: [row.name, row.provider, row.parameter_count, row.use_case, row.category].map((s) => s.toLowerCase()),
  };
}

/**
 * The query's filters as a predicate on a row's facts. `resolved`: the row the name resolver found for the name
 * route's `{name}`, which `search` keeps beside the substring matches (the other filters still apply to it).
 */
export function factsFilter(q: ModelQuery, resolved: string | null = null): (f: RowFacts) => boolean {
  const minRank = q.minFit === null ? null : fitRank(q.minFit);
  const runtime = q.runtime === null || q.runtime === "any" ? null : q.runtime;
  const provider = q.provider?.toLowerCase() ?? null;
  const search = q.search?.toLowerCase() ?? null;
  return (f) => {
    if (!q.includeTooTight && f.tooTight) return false;
    if (q.perfect === true && !f.perfect) return false;
    if (minRank !== null && f.fitRank < minRank) return false;
    if (runtime !== null && f.runtime !== runtime) return false;
    if (q.useCase !== null && f.category !== q.useCase) return false;
    if (provider !== null && !f.provider.includes(provider)) return false;
    // A row whose stores were not read (null) is neither: it passes neither installed=true nor installed=false.
    if (q.installed !== null && f.installed !== q.installed) return false;
    if (search !== null && f.name !== resolved && !f.searchFields.some((s) => s.includes(search))) return false;
    return true;
  };
}

export function rowFilter(q: ModelQuery, resolved: string | null = null): (row: ModelRowJson) => boolean {
  const keep = factsFilter(q, resolved);
  return (row) => keep(factsOf(row));
}

export function filterRows(rows: readonly ModelRowJson[], q: ModelQuery, resolved: string | null = null): ModelRowJson[] {
  return rows.filter(rowFilter(q, resolved));
}
