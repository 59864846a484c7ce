// sysctl parser (macOS, FreeBSD): `name: value` lines as printed without -n.
import { readFigure, type FigureRule } from "./plausible.js";

/** The OIDs nodefit asks macOS for. Unknown OIDs (iogpu.wired_limit_mb before macOS 14) just print nothing. */
export const MACOS_SYSCTL_KEYS = [
  "hw.memsize",
  "machdep.cpu.brand_string",
  "hw.physicalcpu",
  "hw.logicalcpu",
  "hw.perflevel0.physicalcpu",
  "hw.perflevel1.physicalcpu",
  "iogpu.wired_limit_mb",
] as const;

/**
 * Parses `sysctl name...` output. Asked without -n, each value carries its name, so an OID this macOS lacks
 * (which sysctl reports on stderr and skips) cannot shift the others.
 */
export function parseSysctl(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([\w.]+):\s?(.*)$/.exec(line);
    if (m && m[1] !== undefined && m[2] !== undefined) out.set(m[1], m[2].trim());
  }
  return out;
}

/** A whole-number OID within `rule`; null when absent, null with a line in `problems` when no plausible figure. */
export function sysctlFigure(values: ReadonlyMap<string, string>, key: string, rule: FigureRule, problems: string[] = []): number | null {
  const f = readFigure(values.get(key), rule, `sysctl ${key}`);
  if (f.problem !== null) problems.push(f.problem);
  return f.value;
}
