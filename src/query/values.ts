// Query values: trimming and validating one raw value (integer, boolean, enum, text) with the contract's error text.
import { invalidValue } from "../domain/errors.js";
import { BOOLEAN_ACCEPTED, FALSE_WORDS, TRUE_WORDS } from "./vocabulary.js";

/** A raw query value: a repeated key arrives as an array, and the last one wins. */
export type RawValue = string | readonly string[] | undefined;

/** The value that counts: the last of a repeated key; undefined when absent. */
export function lastValue(raw: RawValue): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === "string") return raw;
  return raw.length === 0 ? undefined : raw[raw.length - 1];
}

/** An integer >= min (and <= max when given), written in plain decimal digits (an empty value is invalid). */
export function parseIntegerValue(key: string, raw: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = raw.trim();
  const accepted = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  if (!/^\d+$/.test(text)) throw invalidValue(key, accepted);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw invalidValue(key, accepted);
  return n;
}

/** `true/false/1/0/yes/no`, any case (an empty value is invalid). */
export function parseBooleanValue(key: string, raw: string): boolean {
  const text = raw.trim().toLowerCase();
  if ((TRUE_WORDS as readonly string[]).includes(text)) return true;
  if ((FALSE_WORDS as readonly string[]).includes(text)) return false;
  throw invalidValue(key, BOOLEAN_ACCEPTED);
}

/** One of `values`, case-insensitive (an empty value is invalid). */
export function parseEnumValue<T extends string>(key: string, raw: string, values: readonly T[]): T {
  const text = raw.trim().toLowerCase();
  const found = values.find((v) => v === text);
  if (found === undefined) throw invalidValue(key, values.join("|"));
  return found;
}

/** Free text: trimmed; empty means unset (null). */
export function parseTextValue(raw: string): string | null {
  const text = raw.trim();
  return text === "" ? null : text;
}
