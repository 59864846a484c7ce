// Query vocabulary: the accepted values of every model-query key, in the contract's order and wording.
import { CATEGORIES, type Category } from "../catalog/categories.js";
import { FIT_LEVELS, type FitLevel, type Runtime } from "../estimate/types.js";

export const MIN_FIT_VALUES: readonly FitLevel[] = FIT_LEVELS;

/** The `runtime` filter: `any` or one runtime (contract order: any, mlx, llamacpp, vllm). */
export const RUNTIME_FILTER_VALUES = ["any", "mlx", "llamacpp", "vllm"] as const;
export type RuntimeFilter = (typeof RUNTIME_FILTER_VALUES)[number];

/** `force_runtime` has no `any`: leaving it out means automatic. */
export const FORCE_RUNTIME_VALUES: readonly Runtime[] = ["mlx", "llamacpp", "vllm"];

export const USE_CASE_VALUES: readonly Category[] = CATEGORIES;

export const SORT_KEYS = ["score", "tps", "params", "mem", "ctx", "date", "use_case"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const TRUE_WORDS = ["true", "1", "yes"] as const;
export const FALSE_WORDS = ["false", "0", "no"] as const;
export const BOOLEAN_ACCEPTED = "true|false|1|0|yes|no";

/** Every key the model routes read (`n` is the alias of `limit`). Anything else is ignored. */
export const QUERY_KEYS = [
  "limit",
  "n",
  "perfect",
  "min_fit",
  "runtime",
  "use_case",
  "provider",
  "search",
  "sort",
  "max_context",
  "include_too_tight",
  "force_runtime",
  "installed",
] as const;

/** Rank of a fit level: higher is better (perfect > good > marginal > too_tight). */
export function fitRank(level: FitLevel): number {
  return FIT_LEVELS.length - 1 - FIT_LEVELS.indexOf(level);
}
