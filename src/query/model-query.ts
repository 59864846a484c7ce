// Model query: the normalized query of the three model routes, parsed from raw key/values with each route's defaults.
import type { Category } from "../catalog/schema.js";
import type { FitLevel, Runtime } from "../estimate/types.js";
import { lastValue, parseBooleanValue, parseEnumValue, parseIntegerValue, parseTextValue, type RawValue } from "./values.js";
import {
  FORCE_RUNTIME_VALUES,
  MIN_FIT_VALUES,
  RUNTIME_FILTER_VALUES,
  SORT_KEYS,
  USE_CASE_VALUES,
  type RuntimeFilter,
  type SortKey,
} from "./vocabulary.js";

/** `models`: GET /api/v1/models; `name`: GET /api/v1/models/{name}; `top`: GET /api/v1/models/top. */
export type ModelRoute = "models" | "name" | "top";

/** Raw key/values as a query string parser gives them (a repeated key as an array). Unknown keys are ignored. */
export type RawQuery = Readonly<Record<string, RawValue>>;

export interface ModelQuery {
  route: ModelRoute;
  /** Rows to return at most; null = unlimited. */
  limit: number | null;
  /** true = only `perfect` rows; null = not given (same as false). */
  perfect: boolean | null;
  minFit: FitLevel | null;
  /** null = not given (same as `any`). */
  runtime: RuntimeFilter | null;
  useCase: Category | null;
  provider: string | null;
  search: string | null;
  sort: SortKey;
  /** Context for memory and speed estimates; null = each model's default. */
  maxContext: number | null;
  includeTooTight: boolean;
  topOnly: boolean;
  /** Re-evaluate every row on this runtime; null = automatic. */
  forceRuntime: Runtime | null;
  /** true: only models on this node's disks; false: only those known not to be; null = not given. */
  installed: boolean | null;
}

/** Route defaults: `/top` returns 5 runnable rows at `marginal` or better; the others everything. */
const TOP_LIMIT = 5;

/**
 * The name of the name route as a person gives it (already URL-decoded by HTTP): trailing slashes are dropped, so
 * `/models/Qwen/Qwen3-8B/` and `nodefit info Qwen/Qwen3-8B/` ask for the same thing, and `/models/top/` is `/top`.
 */
export const modelNameOf = (name: string): string => name.replace(/\/+$/, "");

/**
 * Parses and validates a model query. Throws NodefitError `invalid_argument` with the contract's text
 * (`invalid <key> value: use <accepted>`) on the first invalid value.
 * On the `name` route, `name` (already URL-decoded) replaces any `search` key.
 */
export function parseModelQuery(raw: RawQuery, route: ModelRoute, name?: string): ModelQuery {
  const get = (key: string): string | undefined => (Object.hasOwn(raw, key) ? lastValue(raw[key]) : undefined);
  const top = route === "top";

  // `limit` wins over its alias `n` when both are given.
  const limitKey = get("limit") !== undefined ? "limit" : "n";
  const limitRaw = get(limitKey);
  const limit = limitRaw === undefined ? (top ? TOP_LIMIT : null) : parseIntegerValue(limitKey, limitRaw, 0);

  const perfectRaw = get("perfect");
  const minFitRaw = get("min_fit");
  const runtimeRaw = get("runtime");
  const useCaseRaw = get("use_case");
  const providerRaw = get("provider");
  const searchRaw = get("search");
  const sortRaw = get("sort");
  const maxContextRaw = get("max_context");
  const includeRaw = get("include_too_tight");
  const forceRaw = get("force_runtime");
  const installedRaw = get("installed");

  const includeTooTight = includeRaw === undefined ? !top : parseBooleanValue("include_too_tight", includeRaw);
  const search = route === "name" ? parseTextValue(modelNameOf(name ?? "")) : searchRaw === undefined ? null : parseTextValue(searchRaw);

  return {
    route,
    limit,
    perfect: perfectRaw === undefined ? null : parseBooleanValue("perfect", perfectRaw),
    minFit: minFitRaw === undefined ? (top ? "marginal" : null) : parseEnumValue("min_fit", minFitRaw, MIN_FIT_VALUES),
    runtime: runtimeRaw === undefined ? null : parseEnumValue("runtime", runtimeRaw, RUNTIME_FILTER_VALUES),
    useCase: useCaseRaw === undefined ? null : parseEnumValue("use_case", useCaseRaw, USE_CASE_VALUES),
    provider: providerRaw === undefined ? null : parseTextValue(providerRaw),
    search,
    sort: sortRaw === undefined ? "score" : parseEnumValue("sort", sortRaw, SORT_KEYS),
    maxContext: maxContextRaw === undefined ? null : parseIntegerValue("max_context", maxContextRaw, 1),
    // `/top` never returns too_tight rows, whatever `include_too_tight` says: the echo shows the effective value.
    includeTooTight: top ? false : includeTooTight,
    topOnly: top,
    forceRuntime: forceRaw === undefined ? null : parseEnumValue("force_runtime", forceRaw, FORCE_RUNTIME_VALUES),
    installed: installedRaw === undefined ? null : parseBooleanValue("installed", installedRaw),
  };
}
