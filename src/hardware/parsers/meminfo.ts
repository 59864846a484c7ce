// /proc/meminfo parser: the kernel's memory totals, in bytes.
import { kibToBytes } from "../../domain/units.js";
import { RAM_KIB, readFigure } from "./plausible.js";

export interface Meminfo {
  memTotalBytes: number | null;
  /** The kernel's estimate of memory available without swapping (Linux 3.14+); null on older kernels. */
  memAvailableBytes: number | null;
  memFreeBytes: number | null;
  swapTotalBytes: number | null;
}

/** Every `Key:  value kB` line, in bytes (unitless lines such as HugePages_Total are kept as plain counts). */
export function parseMeminfoFields(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([\w()]+):\s+(\d+)(?:\s+(kB))?\s*$/.exec(line);
    if (!m || m[1] === undefined || m[2] === undefined) continue;
    const n = Number(m[2]);
    fields.set(m[1], m[3] ? kibToBytes(n) : n);
  }
  return fields;
}

/** The raw text of every `Key: value` line (the value as printed, unit dropped). */
function rawFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([\w()]+):\s*(.*?)(?:\s+kB)?\s*$/.exec(line);
    if (m && m[1] !== undefined && m[2] !== undefined && !fields.has(m[1])) fields.set(m[1], m[2]);
  }
  return fields;
}

/**
 * The totals nodefit reads, in bytes. Each is a whole number of kB up to the largest plausible RAM (domain/limits.ts);
 * another figure (negative, hex, an exponent, beyond the limit) is dropped into `problems`, never taken.
 */
export function parseMeminfo(text: string, problems: string[] = []): Meminfo {
  const raw = rawFields(text);
  const read = (key: string): number | null => {
    const f = readFigure(raw.get(key), RAM_KIB, `/proc/meminfo ${key}`);
    if (f.problem !== null) problems.push(f.problem);
    return f.value === null ? null : kibToBytes(f.value);
  };
  return {
    memTotalBytes: read("MemTotal"),
    memAvailableBytes: read("MemAvailable"),
    memFreeBytes: read("MemFree"),
    swapTotalBytes: read("SwapTotal"),
  };
}
