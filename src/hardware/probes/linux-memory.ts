// Linux memory probe: /proc/meminfo totals and the cgroup (v1 or v2) memory limit this process runs under.
import { gib2 } from "../../domain/units.js";
import { cgroupAncestorDirs } from "./cgroup-dirs.js";
import { parseCgroupMemoryLimit, parseCgroupNumber, parseCgroupStat, parseProcSelfCgroup, type CgroupMembership } from "../parsers/cgroup.js";
import { parseMeminfo } from "../parsers/meminfo.js";
import { shown } from "../parsers/plausible.js";
import type { ProbeRunner } from "../trace.js";
import type { MemoryFacts } from "./types.js";

interface CgroupFiles {
  version: "v1" | "v2";
  mount: string;
  path: string;
  limit: string;
  usage: string;
  /** The memory.stat key of reclaimable file cache (what `docker stats` subtracts from usage). */
  inactiveFileKey: string;
}

/** Where this process's memory controller lives: v1 when a v1 `memory` controller is mounted, else v2. */
export function cgroupFiles(m: CgroupMembership): CgroupFiles | null {
  const v1 = m.v1.get("memory");
  if (v1 !== undefined) {
    return {
      version: "v1",
      mount: "/sys/fs/cgroup/memory",
      path: v1,
      limit: "memory.limit_in_bytes",
      usage: "memory.usage_in_bytes",
      inactiveFileKey: "total_inactive_file",
    };
  }
  if (m.v2Path !== null) {
    return { version: "v2", mount: "/sys/fs/cgroup", path: m.v2Path, limit: "memory.max", usage: "memory.current", inactiveFileKey: "inactive_file" };
  }
  return null;
}

function candidateDirs(files: CgroupFiles): string[] {
  return cgroupAncestorDirs(files.mount, files.path);
}

interface CgroupMemory {
  limitBytes: number | null;
  availableBytes: number | null;
}

async function readCgroupMemory(runner: ProbeRunner, files: CgroupFiles, warnings: string[]): Promise<CgroupMemory> {
  let best: { dir: string; bytes: number } | null = null;
  for (const dir of candidateDirs(files)) {
    const path = `${dir}/${files.limit}`;
    const text = await runner.readFile(path);
    if (text === null) continue;
    const limit = parseCgroupMemoryLimit(text);
    if (limit === null) {
      runner.decide(path, "unreadable value: ignored");
      warnings.push(`${path}: ${shown(text)} is not a limit: ignored`);
    }
    else if (limit.kind === "unlimited") runner.decide(path, `cgroup ${files.version}: no limit`);
    else {
      runner.decide(path, `cgroup ${files.version} limit ${gib2(limit.bytes)} GiB`);
      if (best === null || limit.bytes < best.bytes) best = { dir, bytes: limit.bytes };
    }
  }
  if (best === null) return { limitBytes: null, availableBytes: null };
  const usagePath = `${best.dir}/${files.usage}`;
  const usage = parseCgroupNumber((await runner.readFile(usagePath)) ?? "", usagePath, warnings);
  const stat = parseCgroupStat((await runner.readFile(`${best.dir}/memory.stat`)) ?? "");
  const inactiveFile = stat.get(files.inactiveFileKey) ?? 0;
  if (usage === null) return { limitBytes: best.bytes, availableBytes: null };
  const working = Math.max(0, usage - inactiveFile);
  const available = Math.max(0, best.bytes - working);
  runner.decide(usagePath, `in use ${gib2(working)} GiB (less ${gib2(inactiveFile)} GiB inactive file cache): ${gib2(available)} GiB available`);
  return { limitBytes: best.bytes, availableBytes: available };
}

/** `cgroupText`: /proc/self/cgroup as read by the caller (shared with the CPU probe). */
export async function probeLinuxMemory(runner: ProbeRunner, cgroupText: string | null): Promise<{ facts: MemoryFacts; warnings: string[] }> {
  const warnings: string[] = [];
  const meminfoText = await runner.readFile("/proc/meminfo");
  const meminfo = meminfoText === null ? null : parseMeminfo(meminfoText, warnings);
  if (meminfo === null || meminfo.memTotalBytes === null) warnings.push("/proc/meminfo: not readable or no MemTotal");
  else {
    runner.decide(
      "/proc/meminfo",
      `MemTotal ${gib2(meminfo.memTotalBytes)} GiB, MemAvailable ${meminfo.memAvailableBytes === null ? "absent" : `${gib2(meminfo.memAvailableBytes)} GiB`}`,
    );
  }
  let available = meminfo?.memAvailableBytes ?? null;
  if (meminfo !== null && available === null && meminfo.memFreeBytes !== null) {
    // Kernels before 3.14 have no MemAvailable: MemFree is a lower bound of what can be had without swapping.
    available = meminfo.memFreeBytes;
    warnings.push("/proc/meminfo has no MemAvailable (kernel before 3.14): available RAM is MemFree, a lower bound");
  }
  let cgroup: CgroupMemory = { limitBytes: null, availableBytes: null };
  const files = cgroupText === null ? null : cgroupFiles(parseProcSelfCgroup(cgroupText));
  if (files !== null) {
    runner.decide("/proc/self/cgroup", `memory controller: cgroup ${files.version} at ${files.path}`);
    cgroup = await readCgroupMemory(runner, files, warnings);
  }
  return {
    facts: {
      hostTotalBytes: meminfo?.memTotalBytes ?? null,
      availableBytes: available,
      swapTotalBytes: meminfo?.swapTotalBytes ?? null,
      cgroupLimitBytes: cgroup.limitBytes,
      cgroupAvailableBytes: cgroup.availableBytes,
      source: "/proc/meminfo",
    },
    warnings,
  };
}
