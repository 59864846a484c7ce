// Linux CPU probe: /proc/cpuinfo (name, physical cores) and the cgroup CPU quota (v2 cpu.max, v1 CFS quota).
import type { CpuArch } from "../../domain/machine.js";
import { cgroupAncestorDirs } from "./cgroup-dirs.js";
import { parseCfsQuota, parseCpuMax, parseProcSelfCgroup } from "../parsers/cgroup.js";
import { parseCpuinfo } from "../parsers/cpuinfo.js";
import type { ProbeRunner } from "../trace.js";
import type { CpuFacts } from "./types.js";

export const archOf = (nodeArch: string): CpuArch =>
  nodeArch === "x64" || nodeArch === "ia32" ? "x86" : nodeArch === "arm64" || nodeArch === "arm" ? "arm" : "other";

async function cpuQuota(runner: ProbeRunner, cgroupText: string | null, warnings: string[]): Promise<number | null> {
  if (cgroupText === null) return null;
  const m = parseProcSelfCgroup(cgroupText);
  const v1 = m.v1.get("cpu");
  // A quota on any ancestor (a pod's or slice's) applies too: the smallest one wins.
  let smallest: number | null = null;
  const keep = (cpus: number | null): void => {
    if (cpus !== null && (smallest === null || cpus < smallest)) smallest = cpus;
  };
  if (v1 !== undefined) {
    for (const mount of ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpuacct,cpu"]) {
      for (const dir of cgroupAncestorDirs(mount, v1)) {
        const quota = await runner.readFile(`${dir}/cpu.cfs_quota_us`);
        if (quota === null) continue;
        const period = await runner.readFile(`${dir}/cpu.cfs_period_us`);
        const cpus = period === null ? null : parseCfsQuota(quota, period, warnings);
        runner.decide(`${dir}/cpu.cfs_quota_us`, cpus === null ? "no CPU quota" : `CPU quota: ${cpus} CPUs`);
        keep(cpus);
      }
    }
    return smallest;
  }
  if (m.v2Path === null) return null;
  for (const dir of cgroupAncestorDirs("/sys/fs/cgroup", m.v2Path)) {
    const path = `${dir}/cpu.max`;
    const text = await runner.readFile(path);
    if (text === null) continue;
    const cpus = parseCpuMax(text, warnings);
    runner.decide(path, cpus === null ? "no CPU quota" : `CPU quota: ${cpus} CPUs`);
    keep(cpus);
  }
  return smallest;
}

export async function probeLinuxCpu(runner: ProbeRunner, cgroupText: string | null): Promise<{ facts: CpuFacts; warnings: string[] }> {
  const warnings: string[] = [];
  const [text, quotaCpus] = await Promise.all([runner.readFile("/proc/cpuinfo"), cpuQuota(runner, cgroupText, warnings)]);
  const info = text === null ? null : parseCpuinfo(text, warnings);
  if (info === null) warnings.push("/proc/cpuinfo: not readable");
  else {
    runner.decide(
      "/proc/cpuinfo",
      `${info.name ?? "no model name"}; ${info.logicalCpus} logical CPUs, ${info.physicalCores ?? "no core ids:"} physical cores`,
    );
  }
  const arch: CpuArch = info?.isArm ? "arm" : archOf(runner.io.arch);
  return {
    facts: {
      name: info?.name ?? null,
      physicalCores: info?.physicalCores ?? (info && info.logicalCpus > 0 ? info.logicalCpus : null),
      logicalCpus: info && info.logicalCpus > 0 ? info.logicalCpus : null,
      arch,
      quotaCpus,
      sockets: info?.sockets ?? null,
      source: info?.physicalCores ? "/proc/cpuinfo (physical id, core id)" : "/proc/cpuinfo (processors)",
    },
    warnings,
  };
}
