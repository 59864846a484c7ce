// Row filtering: which analyzed rows a model query keeps (fit, runtime, use case, provider, search).
import type { ModelRowJson } from "../contract/row.js";
import type { ModelQuery } from "./model-query.js";
import { fitRank } from "./vocabulary.js";

const contains = (haystack: string, needleLower: string): boolean => haystack.toLowerCase().includes(needleLower);

/** Search looks at the name, provider, parameter count, use case and category. */
function matchesSearch(row: ModelRowJson, needleLower: string): boolean {
  return [row.name, row.provider, row.parameter_count, row.use_case, row.category].some((f) => contains(f, needleLower));
}

export function rowFilter(q: ModelQuery): (row: ModelRowJson) => boolean {
  const minRank = q.minFit === null ? null : fitRank(q.minFit);
  const runtime = q.runtime === null || q.runtime === "any" ? null : q.runtime;
  const provider = q.provider?.toLowerCase() ?? null;
  const search = q.search?.toLowerCase() ?? null;
  return (row) => {
    if (!q.includeTooTight && row.fit_level === "too_tight") return false;
    if (q.perfect === true && row.fit_level !== "perfect") return false;
    if (minRank !== null && fitRank(row.fit_level) < minRank) return false;
    if (runtime !== null && row.runtime !== runtime) return false;
    if (q.useCase !== null && row.category.toLowerCase() !== q.useCase) return false;
    if (provider !== null && !contains(row.provider, provider)) return false;
    if (search !== null && !matchesSearch(row, search)) return false;
    return true;
  };
}

export function filterRows(rows: readonly ModelRowJson[], q: ModelQuery): ModelRowJson[] {
  return rows.filter(rowFilter(q));
}
