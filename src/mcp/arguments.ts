// Tool arguments: an MCP call's JSON arguments turned into what the API's parsers read (a raw query, a request body),
// so a mistake gets the API's own text whichever door it came through.
import { NodefitError, invalidValue } from "../domain/errors.js";
import { modelNameOf, type RawQuery } from "../query/model-query.js";

/** Keys whose value is free text (any string is valid; an empty one means unset). */
const TEXT_KEYS: ReadonlySet<string> = new Set(["provider", "search", "name"]);

/** A call's arguments as a plain object; absent arguments are an empty one. */
export function argumentsObject(tool: string, args: unknown): Readonly<Record<string, unknown>> {
  if (args === undefined || args === null) return {};
  if (typeof args !== "object" || Array.isArray(args)) throw new NodefitError("invalid_argument", `the arguments of ${tool} must be a JSON object`);
  return args as Record<string, unknown>;
}

/** Refuses keys the tool does not read, naming the ones it does (the estimate body's "unknown field" wording). */
export function refuseUnknown(tool: string, args: Readonly<Record<string, unknown>>, accepted: readonly string[]): void {
  const unknown = Object.keys(args).filter((k) => !accepted.includes(k));
  if (unknown.length > 0) throw new NodefitError("invalid_argument", `unknown argument ${unknown.join(", ")} of ${tool}: use ${accepted.join(", ")}`);
}

/**
 * The raw query the API would read for these arguments: a number or a boolean is written as a query string writes it
 * (`7`, `true`), a string is kept as is (so "7", "yes" and "MEM" work as in a URL), null means not given. Any other value
 * is invalid: for a key with a vocabulary it is sent as an empty value, which the query parser refuses with the API's
 * text (`invalid min_fit value: use perfect|good|marginal|too_tight`).
 */
export function rawQueryOf(args: Readonly<Record<string, unknown>>, keys: readonly string[]): RawQuery {
  const raw: Record<string, string> = {};
  for (const key of keys) {
    if (!Object.hasOwn(args, key)) continue;
    const value = args[key];
    if (value === null || value === undefined) continue;
    if (typeof value === "string") raw[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") raw[key] = String(value);
    else if (TEXT_KEYS.has(key)) throw invalidValue(key, "a string");
    else raw[key] = "";
  }
  return raw;
}

/** model_info's `name`: a string naming something once trailing slashes are dropped (as the name route drops them). */
export function modelName(args: Readonly<Record<string, unknown>>): string {
  const name = args["name"];
  if (typeof name !== "string" || modelNameOf(name).trim() === "") throw new NodefitError("invalid_argument", 'give a model name: model_info {"name": "<model>"}');
  return name;
}
