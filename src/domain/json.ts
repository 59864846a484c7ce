// Reading parsed JSON (config.json, the Hub's and runtimes' answers): plain narrowing of unknown values, nothing else.

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** The value as a JSON object; null for anything else (null, an array, a scalar). */
export const asObject = (v: unknown): JsonObject | null => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as JsonObject) : null);

/** The value as a positive integer (1, 2, ...); null for anything else. */
export const asPositiveInt = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : null);

/** The value as a string with its surrounding whitespace trimmed; null when it is not a string or nothing is left. */
export const asNonEmptyString = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
