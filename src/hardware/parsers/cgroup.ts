// cgroup parsers: /proc/self/cgroup membership, memory limits (v2 memory.max, v1 memory.limit_in_bytes), CPU quota.
import { RAM_BYTES, readFigure, shown } from "./plausible.js";

export interface CgroupMembership {
  /** cgroup v1 controllers ("memory", "cpu", ...) and this process's path in each. */
  v1: Map<string, string>;
  /** The unified (v2) hierarchy path from the `0::` line; null when absent. */
  v2Path: string | null;
}

/** Parses /proc/self/cgroup: `hierarchy-id:controller-list:path` per line (`0::/path` is cgroup v2). */
export function parseProcSelfCgroup(text: string): CgroupMembership {
  const v1 = new Map<string, string>();
  let v2Path: string | null = null;
  for (const line of text.split("\n")) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m || m[2] === undefined || m[3] === undefined) continue;
    if (m[1] === "0" && m[2] === "") {
      v2Path = m[3];
      continue;
    }
    for (const controller of m[2].split(",")) if (controller) v1.set(controller, m[3]);
  }
  return { v1, v2Path };
}

/**
 * cgroup v1 writes "no limit" as the largest page-aligned counter, 9223372036854771712 (0x7FFFFFFFFFFFF000,
 * PAGE_COUNTER_MAX times the page size); anything at or above 2^62 is treated the same way.
 */
const V1_UNLIMITED_FROM = 2 ** 62;

export type CgroupLimit = { kind: "limit"; bytes: number } | { kind: "unlimited" };

/** Parses `memory.max` (v2: "max" or bytes) or `memory.limit_in_bytes` (v1: bytes); null when unreadable. */
export function parseCgroupMemoryLimit(text: string): CgroupLimit | null {
  const t = text.trim();
  if (t === "max") return { kind: "unlimited" };
  if (!/^-?\d+$/.test(t)) return null;
  const n = Number(t);
  if (n < 0 || n >= V1_UNLIMITED_FROM) return { kind: "unlimited" };
  return { kind: "limit", bytes: n };
}

/**
 * Parses a single-number file such as `memory.current` or `memory.usage_in_bytes` (bytes, at most the plausible RAM);
 * another figure is dropped into `problems`. `what` names the file.
 */
export function parseCgroupNumber(text: string, what = "cgroup memory usage", problems: string[] = []): number | null {
  const f = readFigure(text, RAM_BYTES, what);
  if (f.problem !== null) problems.push(f.problem);
  return f.value;
}

/** Parses `memory.stat` (`key value` lines). */
export function parseCgroupStat(text: string): Map<string, number> {
  const stat = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(\w+)\s+(\d+)$/.exec(line.trim());
    if (m && m[1] !== undefined && m[2] !== undefined) stat.set(m[1], Number(m[2]));
  }
  return stat;
}

/** The kernel's bounds on a CFS period: 1 ms to 1 s (kernel/sched/core.c, max_cfs_quota_period and min_cfs_quota_period). */
const MAX_CFS_PERIOD_US = 1_000_000;

/** quota / period as CPUs, when both are whole microseconds the kernel would accept; else null with a problem. */
function quotaCpus(quota: string, period: string, what: string, problems: string[]): number | null {
  if (!/^\d{1,15}$/.test(quota) || !/^\d{1,7}$/.test(period) || Number(period) === 0 || Number(period) > MAX_CFS_PERIOD_US) {
    problems.push(`${what}: ${shown(`${quota} ${period}`)} is not a quota the kernel writes: ignored`);
    return null;
  }
  const q = Number(quota);
  return q > 0 ? q / Number(period) : null;
}

/** CPUs a cgroup v2 `cpu.max` ("quota period", or "max period") allows; null when unlimited or unreadable. */
export function parseCpuMax(text: string, problems: string[] = []): number | null {
  const t = text.trim();
  const m = /^(\S+)\s+(\S+)$/.exec(t);
  if (m && m[1] === "max") return null;
  if (!m || m[1] === undefined || m[2] === undefined) {
    if (t !== "") problems.push(`cgroup cpu.max: ${shown(t)} not understood: ignored`);
    return null;
  }
  return quotaCpus(m[1], m[2], "cgroup cpu.max", problems);
}

/** CPUs a cgroup v1 quota allows (`cpu.cfs_quota_us`, -1 = none, over `cpu.cfs_period_us`). */
export function parseCfsQuota(quotaText: string, periodText: string, problems: string[] = []): number | null {
  const quota = quotaText.trim();
  if (quota === "-1") return null;
  return quotaCpus(quota, periodText.trim(), "cgroup cpu.cfs_quota_us / cpu.cfs_period_us", problems);
}
