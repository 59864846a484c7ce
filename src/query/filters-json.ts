// Filters echo: the normalized query as the envelope's `filters` object.
import type { FiltersJson } from "../contract/envelope.js";
import type { ModelQuery } from "./model-query.js";

export function filtersJson(q: ModelQuery): FiltersJson {
  return {
    limit: q.limit,
    perfect: q.perfect,
    min_fit: q.minFit,
    runtime: q.runtime,
    use_case: q.useCase,
    provider: q.provider,
    search: q.search,
    sort: q.sort,
    max_context: q.maxContext,
    include_too_tight: q.includeTooTight,
    top_only: q.topOnly,
    force_runtime: q.forceRuntime,
    installed: q.installed,
  };
}
