// Warnings a machine carries: each one line, short, and only so many, however much a tool printed.
import { oneLine } from "./parsers/plausible.js";

/** The most characters one warning keeps (a long tool line is cut with "…"). */
export const MAX_WARNING_CHARS = 300;
/** The most warnings a machine keeps; past them one line says how many more there were. */
export const MAX_WARNINGS = 32;
/** Of those, the lines a refresh always has for its own: a detection keeps at most MAX_WARNINGS minus these. */
export const REFRESH_WARNING_SLOTS = 4;

const moreLine = (n: number): string => `… and ${n} more warning${n === 1 ? "" : "s"} (nodefit doctor shows every probe)`;

/**
 * The warnings as a machine keeps them: each one line of at most MAX_WARNING_CHARS (control characters stripped),
 * duplicates dropped, at most `max`: past them the last line says how many more there were (`prefix` before it: a
 * refresh marks its own; `more` words it, by default pointing at nodefit doctor). A list already bounded comes back
 * unchanged.
 */
export function boundWarnings(warnings: readonly string[], max: number = MAX_WARNINGS, prefix = "", more: (n: number) => string = moreLine): string[] {
  const lines = [...new Set(warnings.map((w) => oneLine(w, MAX_WARNING_CHARS)).filter((w) => w !== ""))];
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, Math.max(0, max - 1));
  return [...kept, oneLine(prefix + more(lines.length - kept.length), MAX_WARNING_CHARS)];
}

/** A detection's warnings: room is left for a refresh's own (REFRESH_WARNING_SLOTS). */
export const boundDetectionWarnings = (warnings: readonly string[]): string[] => boundWarnings(warnings, MAX_WARNINGS - REFRESH_WARNING_SLOTS);

/**
 * A refresh's warnings after the detection's: the detection's lines unchanged (so refresh after refresh gives the same
 * list), the refresh's (each marked with `prefix`) in the room left, so the whole is at most MAX_WARNINGS.
 */
export function boundRefreshWarnings(detection: readonly string[], refresh: readonly string[], prefix: string): string[] {
  const kept = boundDetectionWarnings(detection);
  return [...kept, ...boundWarnings(refresh.map((w) => prefix + w), MAX_WARNINGS - kept.length, prefix)];
}
