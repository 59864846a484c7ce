// Validation issues in plain words: a schema issue (zod's shape, read structurally) becomes a sentence saying what
// the field accepts and what it got, so no validator wording ("Invalid input: expected number, received string")
// reaches a person. The request parser and the machine description word their issues with it.
import { redactUrls } from "./redact.js";

/** The fields of a validation issue this wording reads (zod's issue objects have them). */
export interface ValidationIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: string;
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly inclusive?: boolean;
  readonly values?: readonly unknown[];
  readonly keys?: readonly string[];
  readonly format?: string;
  readonly divisor?: number | bigint;
}

/**
 * What a field accepts, in words, when its owner knows better than the issue ("a number of GiB greater than 0");
 * undefined to let the issue say it. `path` is the issue's path.
 */
export type AcceptedText = (path: readonly PropertyKey[]) => string | undefined;

/** The validator's own messages start so; a schema's own messages ("at most 1024 GiB") are kept as written. */
const VALIDATOR_WORDING = /^(?:Invalid|Too (?:small|big)|Unrecognized)/;

/** The value at `path` inside `root` (undefined when the path leaves it). */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const MAX_SHOWN = 40;

/** A value as the message shows it: text quoted (URLs' secrets masked, cut), numbers as written, a list or an object by its kind. */
export function shownValue(v: unknown): string {
  if (typeof v === "string") {
    // A URL's credentials, query and fragment never echoed (a token pasted into the wrong key).
    const t = redactUrls(v);
    return JSON.stringify(t.length > MAX_SHOWN ? `${t.slice(0, MAX_SHOWN - 1)}…` : t);
  }
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v === null) return "null";
  if (Array.isArray(v)) return v.length === 0 ? "an empty list" : "a list";
  if (typeof v === "object") return "an object";
  return typeof v;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  string: "text",
  boolean: "true or false",
  object: "an object",
  array: "a list",
  null: "null",
};

const bound = (n: number | bigint | undefined): string => String(n ?? "?");

/** What the issue itself says the field accepts. */
function acceptedByIssue(issue: ValidationIssue): string {
  const origin = issue.origin ?? "";
  switch (issue.code) {
    case "invalid_type":
      return TYPE_WORDS[issue.expected ?? ""] ?? `a value of type ${issue.expected ?? "unknown"}`;
    case "too_small": {
      const n = bound(issue.minimum);
      if (origin === "string") return n === "1" ? "text that is not empty" : `text of at least ${n} characters`;
      if (origin === "array" || origin === "set") return `a list of at least ${n} ${n === "1" ? "entry" : "entries"}`;
      const kind = origin === "int" || origin === "bigint" ? "a whole number" : "a number";
      if (issue.inclusive === false) return `${kind} greater than ${n}`;
      return n === "0" ? `${kind}, 0 or more` : `${kind} of at least ${n}`;
    }
    case "too_big": {
      const n = bound(issue.maximum);
      if (origin === "string") return `text of at most ${n} characters`;
      if (origin === "array" || origin === "set") return `a list of at most ${n} ${n === "1" ? "entry" : "entries"}`;
      const kind = origin === "int" || origin === "bigint" ? "a whole number" : "a number";
      return issue.inclusive === false ? `${kind} less than ${n}` : `${kind} of at most ${n}`;
    }
    case "invalid_value":
      return `one of ${(issue.values ?? []).map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("|")}`;
    case "invalid_format":
      return `text in the ${issue.format ?? "expected"} format`;
    case "not_multiple_of":
      return `a multiple of ${bound(issue.divisor)}`;
    default:
      return "a value of another form";
  }
}

/**
 * The sentence for one issue, after the field's name: "missing: give a number of GiB greater than 0", "must be a
 * number of GiB greater than 0 (got \"lots\")". A schema's own message (a bound: "at most 1024 GiB", a rule across
 * fields) is kept as written; `root` is the value that was validated (the issue's path leads into it).
 */
export function issueText(issue: ValidationIssue, root: unknown, accepted?: AcceptedText): string {
  if (issue.code === "unrecognized_keys") return `unknown field ${(issue.keys ?? []).join(", ")}`;
  if (!VALIDATOR_WORDING.test(issue.message)) return issue.message;
  const value = valueAt(root, issue.path);
  const accepts = accepted?.(issue.path) ?? acceptedByIssue(issue);
  if (value === undefined) return `missing: give ${accepts}`;
  return `must be ${accepts} (got ${shownValue(value)})`;
}
