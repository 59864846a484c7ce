// The stalled-store registry: file-system calls of earlier scans that had not returned when their scan answered (a hung
// network mount), by store root, so later scans leave that store out instead of piling up one hung call each.
import type { ScanActivity } from "./walk.js";

/**
 * Calls of earlier scans that had not returned when their scan answered, by store root: a filesystem that does not
 * answer (a hung network mount). While one is there, scans leave that store out (`partial`, "stalled: ..."), so hung
 * calls never pile up one per scan; it goes once the call returns. Process-wide, as the threads such calls hold are.
 */
const stalledRoots = new Map<string, { activity: ScanActivity; returned: Promise<void> }>();

/** A scan gives the calls earlier scans left on its stores this long to return before it leaves those stores out. */
export const stalledGraceMs = (maxMs: number): number => Math.min(1000, maxMs / 4);

/** A call running this long when the time runs out is a stall, not a slow scan. */
export const stallAfterMs = (maxMs: number): number => Math.max(100, Math.min(5000, maxMs / 2));

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The call an earlier scan left running on this store, if it has not returned. */
export function stalledCall(root: string): ScanActivity | undefined {
  return stalledRoots.get(root)?.activity;
}

/** When the calls earlier scans left on these stores have all returned. */
export function earlierCallsReturned(roots: readonly string[]): Promise<unknown> | null {
  const earlier = roots.map((r) => stalledRoots.get(r)?.returned).filter((p) => p !== undefined);
  return earlier.length > 0 ? Promise.all(earlier) : null;
}

/**
 * Registers the call a scan left running on a store when it answered at its deadline, until `running` (the scan's
 * work) settles. Only a plain file-system call, which a hung mount can keep from ever returning, is a stall: a GGUF
 * header read has the reader's own clock, and a later scan joins it (scan-headers.ts) instead of leaving the store out.
 */
export function registerStall(root: string, doing: ScanActivity | null, running: Promise<unknown>): void {
  if (doing !== null && !doing.mayHang) return;
  const activity: ScanActivity = doing ?? { what: `reading ${root}`, since: performance.now(), mayHang: true };
  const release = (): void => {
    if (stalledRoots.get(root)?.activity === activity) stalledRoots.delete(root);
  };
  stalledRoots.set(root, { activity, returned: running.then(release, release) });
}
