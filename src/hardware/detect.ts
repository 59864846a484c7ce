// Hardware detection: runs the platform's probes in parallel and assembles the Machine; refreshes its dynamic part.
import { cpuBackend, primaryGpu, type CpuInfo, type GpuDevice, type Machine, type MemoryInfo, type OsName } from "../domain/machine.js";
import { gib2 } from "../domain/units.js";
import { buildDevices, unifiedFreeBytes, type BuildContext } from "./build-devices.js";
import { osName } from "./classify.js";
import type { HardwareIO } from "./io.js";
import { isWslKernel } from "./parsers/proc-version.js";
import { probeAscend } from "./probes/ascend.js";
import { probeDrm } from "./probes/drm.js";
import { archOf, probeLinuxCpu } from "./probes/linux-cpu.js";
import { probeLinuxMemory } from "./probes/linux-memory.js";
import { probeMac, probeMacAvailable } from "./probes/macos.js";
import { probeNvidia, type NvidiaProbeResult } from "./probes/nvidia.js";
import { scanPciDisplayDevices } from "./probes/pci-scan.js";
import { probeRocmSmi } from "./probes/rocm.js";
import { probeTegra, type TegraFacts } from "./probes/tegra.js";
import { rawGpu, type CpuFacts, type GpuProbeResult, type MemoryFacts, type ProbeContext, type RawGpu } from "./probes/types.js";
import { probeWindowsAdapters, probeWindowsCim, windowsCpu, windowsMemory } from "./probes/windows.js";
import { isIntegratedGpuName } from "./knowledge/cpu-memory.js";
import {
  cpuRamBandwidth,
  dmidecodeRamBandwidth,
  integratedGpuBandwidth,
  measuredRamBandwidth,
  unifiedRamBandwidth,
  type RamBandwidth,
} from "./ram-bandwidth.js";
import { CPU_COUNT, RAM_BYTES, checkFigure, oneLine } from "./parsers/plausible.js";
import { DEFAULT_PROBE_TIMEOUT_MS, ProbeRunner, type ProbeTrace } from "./trace.js";
import { boundDetectionWarnings, boundRefreshWarnings } from "./warnings.js";

export interface DetectOptions {
  /** Limit for each probe command (default 3 s). A tool that hangs costs this once per detection. */
  timeoutMs?: number | undefined;
  /** Receives every command and file the detection touched (for `nodefit doctor`). */
  trace?: ProbeTrace | undefined;
  /** Measure RAM bandwidth where the I/O can (default true; about 0.5-1 s, or this boot's cached figure). */
  measureRamBandwidth?: boolean | undefined;
}

/** What the platform probes found, before devices are built. */
interface Gathered {
  cpu: CpuFacts | null;
  memory: MemoryFacts | null;
  raws: RawGpu[];
  warnings: string[];
  appleWiredLimitMb: number | null;
}

const emptyGathered = (): Gathered => ({ cpu: null, memory: null, raws: [], warnings: [], appleWiredLimitMb: null });

async function linuxContext(runner: ProbeRunner): Promise<{ ctx: ProbeContext; cgroupText: string | null }> {
  const [version, cgroupText] = await Promise.all([runner.readFile("/proc/version"), runner.readFile("/proc/self/cgroup")]);
  const isWsl = version !== null && isWslKernel(version);
  if (isWsl) runner.decide("/proc/version", "WSL2 kernel: nvidia-smi also looked for in /usr/lib/wsl/lib");
  return { ctx: { runner, os: "linux", isWsl }, cgroupText };
}

/** When nvidia-smi failed, NVIDIA display devices still on the PCI bus are named in a warning. */
async function nvidiaPresenceWarning(runner: ProbeRunner, nvidia: NvidiaProbeResult): Promise<string[]> {
  if (nvidia.status !== "failed") return [];
  const present = await scanPciDisplayDevices(runner, "10de");
  return present.length === 0
    ? []
    : [`NVIDIA GPU(s) present on the PCI bus but not usable (nvidia-smi failed): ${present.map((d) => `${d.pciId} at ${d.busId}`).join(", ")}`];
}

/** AMD cards: rocm-smi names those sysfs could not name, and stands in when sysfs gave no VRAM figure. */
async function mergeRocm(ctx: ProbeContext, drm: Awaited<ReturnType<typeof probeDrm>>, wantNames = true): Promise<GpuProbeResult> {
  const amd = drm.gpus.filter((g) => g.vendor === "amd");
  const needNames = wantNames && amd.some((g) => g.genericName);
  if (!needNames && drm.amdWithoutVram === 0 && drm.listed) return { gpus: drm.gpus, warnings: drm.warnings };
  const rocm = await probeRocmSmi(ctx);
  const gpus = drm.gpus.map((g) => {
    const r = g.vendor === "amd" && g.genericName ? rocm.gpus.find((x) => x.handle === g.handle) : undefined;
    return r ? { ...g, name: r.name, genericName: r.genericName, alternatives: r.alternatives } : g;
  });
  const known = new Set(gpus.map((g) => g.handle));
  if (drm.amdWithoutVram > 0 || !drm.listed) gpus.push(...rocm.gpus.filter((g) => !known.has(g.handle)));
  return { gpus, warnings: [...drm.warnings, ...rocm.warnings] };
}

/** Jetson: nvidia-smi (JetPack 6) reports "Orin (nvgpu)" without memory; older releases have no nvidia-smi. */
function mergeTegra(nvidiaGpus: RawGpu[], tegra: TegraFacts | null, ramBytes: number | null): RawGpu[] {
  if (tegra === null) return nvidiaGpus;
  const knowledgeName = tegra.module ?? tegra.model;
  const shared = nvidiaGpus.filter((g) => g.memoryTotalBytes === null);
  if (shared.length > 0) {
    return nvidiaGpus.map((g) => (g.memoryTotalBytes === null ? { ...g, knowledgeName, knowledgeMemoryBytes: ramBytes, integrated: true } : g));
  }
  if (nvidiaGpus.length > 0) return nvidiaGpus;
  return [
    rawGpu({
      key: "tegra",
      name: tegra.model ?? "NVIDIA Jetson",
      genericName: true,
      vendor: "nvidia",
      memorySource: `Jetson (L4T ${tegra.release})`,
      integrated: true,
      unified: true,
      knowledgeName,
      knowledgeMemoryBytes: ramBytes,
    }),
  ];
}

async function gatherLinux(runner: ProbeRunner): Promise<Gathered> {
  const { ctx, cgroupText } = await linuxContext(runner);
  const [memory, cpu, nvidia, drm, ascend, tegra] = await Promise.all([
    probeLinuxMemory(runner, cgroupText),
    probeLinuxCpu(runner, cgroupText),
    probeNvidia(ctx),
    probeDrm(ctx),
    probeAscend(ctx),
    probeTegra(runner),
  ]);
  const [amdIntel, presence] = await Promise.all([mergeRocm(ctx, drm), nvidiaPresenceWarning(runner, nvidia)]);
  return {
    cpu: cpu.facts,
    memory: memory.facts,
    raws: [...mergeTegra(nvidia.gpus, tegra, memory.facts.hostTotalBytes), ...amdIntel.gpus, ...ascend.gpus],
    warnings: [...memory.warnings, ...cpu.warnings, ...nvidia.warnings, ...presence, ...amdIntel.warnings, ...ascend.warnings],
    appleWiredLimitMb: null,
  };
}

async function gatherMac(runner: ProbeRunner): Promise<Gathered> {
  const mac = await probeMac({ runner, os: "macos", isWsl: false });
  return { cpu: mac.cpu, memory: mac.memory, raws: mac.gpus, warnings: mac.warnings, appleWiredLimitMb: mac.wiredLimitMb };
}

async function gatherWindows(runner: ProbeRunner): Promise<Gathered> {
  const ctx: ProbeContext = { runner, os: "windows", isWsl: false };
  const [cim, nvidia, adapters] = await Promise.all([probeWindowsCim(ctx), probeNvidia(ctx), probeWindowsAdapters(ctx)]);
  // nvidia-smi has the better figures (free memory, UUID, bus id); the registry covers the other vendors, and
  // NVIDIA cards too when nvidia-smi gave nothing.
  const others = adapters.gpus.filter((g) => g.vendor !== "nvidia" || nvidia.status !== "ok");
  const nvidiaFallback = nvidia.status !== "ok" && others.some((g) => g.vendor === "nvidia");
  return {
    cpu: windowsCpu(cim.cim, runner.io.arch),
    memory: windowsMemory(cim.cim),
    raws: [...nvidia.gpus, ...others],
    warnings: [
      ...cim.warnings,
      ...nvidia.warnings,
      ...adapters.warnings,
      ...(nvidiaFallback ? ["NVIDIA GPU memory taken from the registry (nvidia-smi gave none): free memory unknown"] : []),
    ],
    appleWiredLimitMb: null,
  };
}

async function gather(runner: ProbeRunner, os: OsName): Promise<Gathered> {
  switch (os) {
    case "linux":
      return gatherLinux(runner);
    case "macos":
      return gatherMac(runner);
    case "windows":
      return gatherWindows(runner);
    default: {
      const g = emptyGathered();
      g.warnings.push(`no hardware probes for ${runner.io.platform}: RAM and CPU from Node's os module, GPUs not detected`);
      return g;
    }
  }
}

/** A count a probe gave, when it is a plausible one (1 to MAX_CPU_CORES); else null, with a warning. */
function plausibleCount(n: number | null | undefined, what: string, warnings: string[]): number | null {
  if (n === null || n === undefined) return null;
  const f = checkFigure(n, CPU_COUNT, what);
  if (f.problem !== null) warnings.push(f.problem);
  else if (n < 1) warnings.push(`${what}: 0 is not a count of CPUs: ignored`);
  return f.value !== null && f.value >= 1 ? f.value : null;
}

/** A byte figure a probe gave, when within `rule`; else null, with a warning. */
function plausibleBytes(n: number | null | undefined, what: string, warnings: string[]): number | null {
  if (n === null || n === undefined) return null;
  const f = checkFigure(n, RAM_BYTES, what);
  if (f.problem !== null) warnings.push(f.problem);
  return f.value;
}

/** The CPU name as the system object carries it: one line, cut. */
const CPU_NAME_CHARS = 128;

function assembleCpu(io: HardwareIO, facts: CpuFacts | null, warnings: string[]): CpuInfo {
  const nodeOs = io.nodeOs();
  let name = facts?.name == null ? null : oneLine(facts.name, CPU_NAME_CHARS) || null;
  if (name === null) {
    name = nodeOs?.cpuModel ?? "unknown CPU";
    warnings.push(`CPU name not detected: ${nodeOs?.cpuModel ? "taken from Node's os module" : "unknown"}`);
  }
  const threads =
    plausibleCount(facts?.logicalCpus, `${facts?.source ?? "CPU probe"}: logical CPUs`, warnings) ??
    plausibleCount(nodeOs?.logicalCpus, "Node's os module: logical CPUs", warnings);
  let cores = plausibleCount(facts?.physicalCores, `${facts?.source ?? "CPU probe"}: physical cores`, warnings) ?? threads;
  if (cores === null) {
    cores = 1;
    warnings.push("CPU core count not detected: counted as 1");
  }
  const quota = facts?.quotaCpus ?? null;
  const usable = io.availableParallelism();
  if (quota !== null && Math.ceil(quota) < cores) cores = Math.max(1, Math.ceil(quota));
  if (usable !== null && usable < cores) cores = usable;
  return { name: oneLine(name, CPU_NAME_CHARS) || "unknown CPU", cores, threads, arch: facts?.arch ?? archOf(io.arch) };
}

function assembleMemory(io: HardwareIO, facts: MemoryFacts | null, warnings: string[]): MemoryInfo {
  const nodeOs = io.nodeOs();
  const source = facts?.source ?? "memory probe";
  let host = plausibleBytes(facts?.hostTotalBytes, `${source}: total RAM`, warnings);
  if (host === null) {
    host = plausibleBytes(nodeOs?.totalMemBytes, "Node's os module: total RAM", warnings) ?? 0;
    warnings.push(nodeOs ? "total RAM not detected by the probes: taken from Node's os module" : "total RAM not detected");
  }
  let available = plausibleBytes(facts?.availableBytes, `${source}: available RAM`, warnings);
  if (available === null) {
    available = plausibleBytes(nodeOs?.freeMemBytes, "Node's os module: free RAM", warnings) ?? 0;
    warnings.push(nodeOs ? "available RAM not detected by the probes: taken from Node's os module (free memory)" : "available RAM not detected");
  }
  if (available > host) {
    warnings.push(`${source}: available RAM ${gib2(available)} GiB is more than the total ${gib2(host)} GiB: taken as the total`);
    available = host;
  }
  // A cgroup limit only ever lowers the figures: one above the host's RAM (however large) is no limit, not a warning.
  const limit = facts?.cgroupLimitBytes != null && Number.isFinite(facts.cgroupLimitBytes) ? facts.cgroupLimitBytes : null;
  const limited = limit !== null && limit < host;
  const total = limited ? limit : host;
  const cgroupAvailable = facts?.cgroupAvailableBytes;
  if (cgroupAvailable != null && Number.isFinite(cgroupAvailable) && cgroupAvailable >= 0) available = Math.min(available, cgroupAvailable);
  return {
    totalBytes: total,
    availableBytes: Math.min(available, total),
    hostTotalBytes: host,
    cgroupLimitBytes: limited ? limit : null,
    swapTotalBytes: plausibleBytes(facts?.swapTotalBytes, `${source}: swap`, warnings),
    limitedBy: limited ? "cgroup" : "host",
    bandwidthGBps: null,
    bandwidthSource: null,
  };
}

/** RAM bandwidth when it was not measured: from the modules (Linux, root), else a unified GPU's figure. */
async function unmeasuredRamBandwidth(runner: ProbeRunner, os: OsName, gpus: readonly GpuDevice[], warnings: string[]): Promise<RamBandwidth | null> {
  if (os === "linux") {
    const d = await dmidecodeRamBandwidth(runner);
    warnings.push(...d.warnings);
    if (d.result) return d.result;
  }
  return unifiedRamBandwidth(gpus);
}

/**
 * Integrated GPUs the knowledge base has no figure for read the system RAM: their bandwidth is the RAM's, as sure as
 * the RAM's figure is; without one, a warning says the speed cannot be estimated.
 */
function fillIntegratedBandwidth(devices: GpuDevice[], ram: RamBandwidth | null, warnings: string[]): void {
  for (const [i, d] of devices.entries()) {
    if (d.memoryBandwidthGBps !== null || !(d.integrated || isIntegratedGpuName(d.name))) continue;
    if (ram === null) {
      warnings.push(`${d.name}: integrated GPU not in the knowledge base and RAM bandwidth unknown: speed not estimated`);
      continue;
    }
    const figure = integratedGpuBandwidth(d.name, ram);
    const filled: GpuDevice = { ...d, memoryBandwidthGBps: figure.bandwidthGBps, bandwidthSource: oneLine(figure.source, 300) };
    if (figure.assumedPct > 0) filled.bandwidthAssumedPct = figure.assumedPct;
    devices[i] = filled;
  }
}

/** Marks the warnings of a refresh, so the next refresh replaces them. */
const REFRESH_PREFIX = "refresh: ";

/** Detects this machine (or a fixture's) through `io`. Never throws for a failed probe: it becomes a warning. */
export async function detectMachine(io: HardwareIO, opts: DetectOptions = {}): Promise<Machine> {
  const runner = new ProbeRunner(io, opts.trace, opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
  const os = osName(io.platform);
  const g = await gather(runner, os);
  const warnings = [...g.warnings];
  const cpu = assembleCpu(io, g.cpu, warnings);
  const memory = assembleMemory(io, g.memory, warnings);
  const measured =
    opts.measureRamBandwidth === false
      ? null
      : await measuredRamBandwidth(
          runner,
          { availableBytes: memory.availableBytes, cpuName: cpu.name, sockets: g.cpu?.sockets ?? null, memoryTotalBytes: memory.hostTotalBytes },
          warnings,
        );
  const ctx: BuildContext = {
    os,
    ramTotalBytes: memory.totalBytes,
    ramAvailableBytes: memory.availableBytes,
    appleWiredLimitMb: g.appleWiredLimitMb,
    cpuName: cpu.name,
    measuredRamBandwidthGBps: measured?.bandwidthGBps ?? null,
  };
  const built = buildDevices(g.raws, ctx);
  warnings.push(...built.warnings);
  for (const d of built.decisions) runner.deviceDecision(d);
  let bandwidth = measured ?? (await unmeasuredRamBandwidth(runner, os, built.devices, warnings));
  // The probe ran and gave nothing (and the modules and a unified GPU neither): the CPU's memory platform.
  const probeFailed = opts.measureRamBandwidth !== false && io.measureRamBandwidth !== undefined && measured === null;
  if (bandwidth === null && probeFailed) {
    const integratedNames = built.devices.filter((d) => d.integrated || isIntegratedGpuName(d.name)).map((d) => d.name);
    bandwidth = cpuRamBandwidth(cpu.name, memory.hostTotalBytes, integratedNames);
  }
  memory.bandwidthGBps = bandwidth?.bandwidthGBps ?? null;
  memory.bandwidthSource = bandwidth?.source ?? null;
  if (bandwidth !== null && (bandwidth.assumedPct ?? 0) > 0) memory.bandwidthAssumedPct = bandwidth.assumedPct;
  fillIntegratedBandwidth(built.devices, bandwidth, warnings);
  const primary = primaryGpu({ gpus: built.devices });
  return {
    node: { name: io.hostname(), os },
    cpu,
    memory,
    gpus: built.devices,
    backend: primary?.backend ?? cpuBackend(cpu.arch),
    unifiedMemory: primary?.unifiedMemory ?? false,
    // One line each, cut, and only so many: a tool's huge output is not copied into every answer.
    warnings: boundDetectionWarnings(warnings),
    snapshotAt: io.now().toISOString(),
    origin: "detected",
  };
}

/** Memory and GPU probes only (no CPU, no system_profiler, no bandwidth): the dynamic part of a detection. */
async function gatherDynamic(runner: ProbeRunner, os: OsName, machine: Machine): Promise<Gathered> {
  const vendors = new Set(machine.gpus.map((d) => d.vendor));
  const g = emptyGathered();
  if (os === "linux") {
    const { ctx, cgroupText } = await linuxContext(runner);
    const [memory, nvidia, drm, ascend] = await Promise.all([
      probeLinuxMemory(runner, cgroupText),
      vendors.has("nvidia") && machine.gpus.some((d) => d.uuid !== null) ? probeNvidia(ctx) : null,
      // Refreshes match devices by bus id: rocm-smi is only asked when sysfs has no VRAM figure.
      vendors.has("amd") || vendors.has("intel") ? probeDrm(ctx).then((d) => mergeRocm(ctx, d, false)) : null,
      vendors.has("huawei") ? probeAscend(ctx) : null,
    ]);
    g.memory = memory.facts;
    g.raws = [...(nvidia?.gpus ?? []), ...(drm?.gpus ?? []), ...(ascend?.gpus ?? [])];
    g.warnings = [...memory.warnings, ...(nvidia?.warnings ?? []), ...(drm?.warnings ?? []), ...(ascend?.warnings ?? [])];
  } else if (os === "macos") {
    const avail = await probeMacAvailable({ runner, os, isWsl: false });
    g.memory = { ...staticMemoryFacts(machine), availableBytes: avail.availableBytes };
    g.warnings = avail.warnings;
  } else if (os === "windows") {
    const ctx: ProbeContext = { runner, os, isWsl: false };
    // Only nvidia-smi reports free memory on Windows, and only for devices it found at detection (they carry a UUID).
    const [cim, nvidia] = await Promise.all([probeWindowsCim(ctx), machine.gpus.some((d) => d.vendor === "nvidia" && d.uuid !== null) ? probeNvidia(ctx) : null]);
    g.memory = windowsMemory(cim.cim);
    g.raws = nvidia?.gpus ?? [];
    g.warnings = [...cim.warnings, ...(nvidia?.warnings ?? [])];
  }
  return g;
}

function staticMemoryFacts(machine: Machine): MemoryFacts {
  const m = machine.memory;
  return {
    hostTotalBytes: m.hostTotalBytes,
    availableBytes: null,
    swapTotalBytes: m.swapTotalBytes,
    cgroupLimitBytes: m.cgroupLimitBytes,
    cgroupAvailableBytes: null,
    source: "previous detection",
  };
}

/** Finds the refreshed device that is `old`: by UUID, else PCI bus id, else name and rank among same-named ones. */
function sameDevice(old: GpuDevice, olds: readonly GpuDevice[], fresh: readonly GpuDevice[]): GpuDevice | undefined {
  if (old.uuid !== null) return fresh.find((d) => d.uuid === old.uuid);
  if (old.pciBusId !== null) return fresh.find((d) => d.pciBusId === old.pciBusId);
  const rank = olds.filter((d) => d.name === old.name).indexOf(old);
  return fresh.filter((d) => d.name === old.name)[rank];
}

/**
 * Re-reads what changes while the node runs (available RAM, free GPU memory) and returns a new Machine with
 * the static facts (CPU, devices, totals) kept. A described machine is returned as it is. Overrides are not
 * re-applied here: callers keep the detected machine and apply their overrides to each refresh.
 */
export async function refreshDynamic(io: HardwareIO, machine: Machine, opts: Omit<DetectOptions, "measureRamBandwidth"> = {}): Promise<Machine> {
  if (machine.origin === "described") return machine;
  const runner = new ProbeRunner(io, opts.trace, opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
  const os = osName(io.platform);
  const g = await gatherDynamic(runner, os, machine);
  const warnings: string[] = [];
  const fresh = assembleMemory(io, g.memory ?? staticMemoryFacts(machine), warnings);
  const available = Math.min(fresh.availableBytes, machine.memory.totalBytes);
  const built = buildDevices(g.raws, {
    os,
    ramTotalBytes: machine.memory.totalBytes,
    ramAvailableBytes: available,
    appleWiredLimitMb: null,
    cpuName: machine.cpu.name,
    measuredRamBandwidthGBps: machine.memory.bandwidthSource?.startsWith("measured") ? machine.memory.bandwidthGBps : null,
  });
  const gpus = machine.gpus.map((old) => {
    const now = sameDevice(old, machine.gpus, built.devices);
    const raw = now === undefined ? null : (built.raws[built.devices.indexOf(now)] ?? null);
    const unified = unifiedFreeBytes(old, raw, available);
    if (unified !== null) return { ...old, memoryFreeBytes: unified };
    if (now === undefined) {
      // A device no refresh probe reports (Windows registry adapters): nothing was lost, its figures stay.
      if (old.memoryFreeBytes === null) return old;
      warnings.push(`${old.name}: not seen in this refresh: free memory unknown`);
      return { ...old, memoryFreeBytes: null };
    }
    return { ...old, memoryFreeBytes: now.memoryFreeBytes === null ? null : Math.min(now.memoryFreeBytes, old.memoryTotalBytes) };
  });
  if (machine.memory.availableBytes !== available) {
    runner.decide("/proc/meminfo", `available RAM ${gib2(machine.memory.availableBytes)} -> ${gib2(available)} GiB`);
  }
  return {
    ...machine,
    memory: { ...machine.memory, availableBytes: available },
    gpus,
    // The detection's warnings stay; the previous refresh's are replaced by this one's.
    warnings: boundRefreshWarnings(
      machine.warnings.filter((w) => !w.startsWith(REFRESH_PREFIX)),
      [...g.warnings, ...built.problems, ...warnings],
      REFRESH_PREFIX,
    ),
    snapshotAt: io.now().toISOString(),
  };
}
