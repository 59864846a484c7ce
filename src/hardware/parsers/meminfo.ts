// /proc/meminfo parser: the kernel's memory totals, in bytes.
import { kibToBytes } from "../../domain/units.js";

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

export function parseMeminfo(text: string): Meminfo {
  const f = parseMeminfoFields(text);
  return {
    memTotalBytes: f.get("MemTotal") ?? null,
    memAvailableBytes: f.get("MemAvailable") ?? null,
    memFreeBytes: f.get("MemFree") ?? null,
    swapTotalBytes: f.get("SwapTotal") ?? null,
  };
}
