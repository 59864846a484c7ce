// Warnings a machine carries: each one line, short, and only so many, however much a tool printed.
import { oneLine } from "./parsers/plausible.js";

/** The most characters one warning keeps (a long tool line is cut with "…"). */
export const MAX_WARNING_CHARS = 300;
/** The most warnings a machine keeps; past them one line says how many more there were. */
export const MAX_WARNINGS = 32;

const MORE = /… and (\d+) more warnings? \(nodefit doctor shows every probe\)$/;

const moreLine = (n: number): string => `… and ${n} more warning${n === 1 ? "" : "s"} (nodefit doctor shows every probe)`;

/**
 * The warnings as a machine keeps them: each one line of at most MAX_WARNING_CHARS (control characters stripped),
 * duplicates dropped, at most MAX_WARNINGS: past them the last line says how many more there were (`prefix` before
 * it: a refresh marks its own). A "more" line that does not fit counts the warnings it stood for.
 */
export function boundWarnings(warnings: readonly string[], prefix = ""): string[] {
  const lines = [...new Set(warnings.map((w) => oneLine(w, MAX_WARNING_CHARS)).filter((w) => w !== ""))];
  if (lines.length <= MAX_WARNINGS) return lines;
  const kept = lines.slice(0, MAX_WARNINGS - 1);
  const more = lines.slice(MAX_WARNINGS - 1).reduce((n, w) => n + Number(MORE.exec(w)?.[1] ?? 1), 0);
  return [...kept, prefix + moreLine(more)];
}
