// RAM bandwidth: measured on this host (kept for the boot in a cache file), else derived from the installed modules
// (dmidecode), else a unified GPU's, else (a described machine, or a failed probe) the CPU's memory platform: its table
// row, generation or a default.
import { primaryGpu, type GpuDevice } from "../domain/machine.js";
import { gib2 } from "../domain/units.js";
import { appleChipOf, resolveAppleChip } from "./knowledge/apple-chip.js";
import { cpuMemoryPlatform, igpuMemoryPlatform, type CpuMemoryMatch } from "./knowledge/cpu-memory.js";
import { ramBandwidthGBps } from "./knowledge/ram.js";
import type { RamBandwidthMeasurement } from "./io.js";
import { moduleChannel, parseDmidecodeMemory } from "./parsers/dmidecode.js";
import { BANDWIDTH_GBPS, checkFigure, oneLine } from "./parsers/plausible.js";
import {
  assumedText,
  cacheFileText,
  judgeRamBandwidth,
  lookupCache,
  nominalRamBound,
  RAM_PROBE_PASS_MS,
  RAM_PROBE_PASSES,
  withoutAssumed,
  type RamBandwidth,
  type RamBandwidthCacheKey,
  type RamBandwidthReport,
} from "./ram-bandwidth-probe.js";
import { notInstalled, succeeded, type ProbeRunner } from "./trace.js";

export { ASSUMED_PREFIX, assumedText, type RamBandwidth } from "./ram-bandwidth-probe.js";

/**
 * On unified memory the CPU reads the same memory as the GPU: the primary GPU's bandwidth (from the knowledge base),
 * when that GPU is unified and its figure known; else null. An assumed GPU figure stays assumed.
 */
export function unifiedRamBandwidth(gpus: readonly GpuDevice[]): RamBandwidth | null {
  const primary = primaryGpu({ gpus: [...gpus] });
  if (!primary?.unifiedMemory || primary.memoryBandwidthGBps === null) return null;
  const pct = primary.bandwidthAssumedPct ?? 0;
  const basis = primary.bandwidthSource === null ? "" : ` (${withoutAssumed(primary.bandwidthSource)})`;
  const text = `unified memory: the ${primary.name}'s memory bandwidth${basis}`;
  return pct > 0 ? { bandwidthGBps: primary.memoryBandwidthGBps, source: assumedText(text), assumedPct: pct } : { bandwidthGBps: primary.memoryBandwidthGBps, source: text };
}

function fromPlatform(m: CpuMemoryMatch): RamBandwidth {
  const p = m.platform;
  return {
    bandwidthGBps: p.bandwidthGBps,
    assumedPct: m.assumedPct,
    source: assumedText(`${m.reason}: ${p.memoryType}-${p.speedMTs} on a ${p.busWidthBits}-bit bus = ${p.bandwidthGBps} GB/s (${p.source})`),
  };
}

/**
 * RAM bandwidth from what the CPU's name says, for a described machine without `ram_bandwidth_gbps` and for a host
 * whose probe failed: an Apple chip's unified memory (its variant by `ramBytes`), the CPU's memory platform, else the
 * platform an integrated GPU's name implies, else the CPU's generation or a default. Never null; marked assumed
 * unless it is an Apple chip's published figure.
 */
export function cpuRamBandwidth(cpuName: string | null | undefined, ramBytes: number | null, integratedGpuNames: readonly string[] = []): RamBandwidth {
  if (cpuName != null && appleChipOf(cpuName) !== null && /apple|^\s*m\d/i.test(cpuName)) {
    const apple = resolveAppleChip(cpuName, { memoryBytes: ramBytes });
    if (apple !== null) {
      const basis = `${apple.spec.name}'s unified memory: ${apple.spec.bandwidthGBps} GB/s`;
      return apple.assumedPct > 0
        ? { bandwidthGBps: apple.spec.bandwidthGBps, assumedPct: apple.assumedPct, source: assumedText(`${basis}; ${apple.reason ?? apple.spec.source}`) }
        : { bandwidthGBps: apple.spec.bandwidthGBps, source: `${basis} (knowledge base: ${apple.spec.source})` };
    }
  }
  const cpu = cpuMemoryPlatform(cpuName);
  if (cpu.tier !== "platform") {
    for (const name of integratedGpuNames) {
      const p = igpuMemoryPlatform(name);
      if (p !== null) return fromPlatform(p);
    }
  }
  return fromPlatform(cpu);
}

/** An integrated GPU reads the system RAM: its bandwidth is the RAM's, assumed as much as the RAM's figure is. */
export function integratedGpuBandwidth(name: string, ram: RamBandwidth): { bandwidthGBps: number; source: string; assumedPct: number } {
  const pct = ram.assumedPct ?? 0;
  const text = `${name} is an integrated GPU and reads the system RAM: ${withoutAssumed(ram.source)}`;
  return { bandwidthGBps: ram.bandwidthGBps, source: pct > 0 ? assumedText(text) : text, assumedPct: pct };
}

/** The probe's memory: at most a quarter of the available RAM, and 1 GiB; 256 MiB when the available RAM is not known. */
export function probeMemoryBytes(availableBytes: number | null): number {
  return Math.min(1024 ** 3, availableBytes === null ? 256 * 1024 ** 2 : Math.floor(availableBytes / 4));
}

/** What the probe needs to know of the machine: the cache key and the platform's bound. */
export interface RamProbeContext {
  availableBytes: number | null;
  cpuName: string | null;
  /** CPU sockets, when a probe counted them (a server platform's figure is per socket). */
  sockets: number | null;
  /** The host's RAM (not a cgroup's limit): part of the cache key, and an Apple chip's variant. */
  memoryTotalBytes: number;
}

const errorText = (e: unknown): string => oneLine(e instanceof Error ? e.message : String(e), 160);

/**
 * RAM bandwidth from this boot's cached measurement, else a new one (written to the cache): the upper quartile of the
 * probe's passes, bounded by the CPU's memory platform (judgeRamBandwidth). Real hosts only (the I/O's probe); null
 * when the probe gave nothing usable. What it did goes to the trace for `nodefit doctor`; a cache that cannot be read
 * or written is a warning, never an error.
 */
export async function measuredRamBandwidth(runner: ProbeRunner, ctx: RamProbeContext, warnings: string[] = []): Promise<RamBandwidth | null> {
  const io = runner.io;
  const measure = io.measureRamBandwidth;
  if (measure === undefined) return null;
  const bound = nominalRamBound(ctx.cpuName, ctx.memoryTotalBytes, ctx.sockets);
  const report: RamBandwidthReport = {
    measurement: null,
    measuredAt: null,
    chosenGBps: null,
    rule: null,
    status: "failed",
    bound,
    boundNote: bound === null ? `no bound: the memory platform of ${ctx.cpuName ?? "an unnamed CPU"} is not known (only its generation or vendor, or nothing)` : null,
    figure: null,
    cache: { state: "none", path: null, detail: "this I/O keeps no cache", written: null },
  };
  runner.reportRamBandwidth(report);
  const cache = io.probeCache;
  let key: RamBandwidthCacheKey | null = null;
  let measurement: RamBandwidthMeasurement | null = null;
  if (cache !== undefined) {
    report.cache = { state: "disabled", path: cache.path, detail: cache.disabledBy ?? "", written: null };
    if (cache.disabledBy === null) {
      const bootId = await cache.bootId().catch(() => null);
      if (bootId === null) {
        report.cache = { state: "none", path: cache.path, detail: "this boot's id is not known: nothing cached", written: null };
      } else {
        key = { bootId, cpuName: ctx.cpuName ?? "", memoryTotalBytes: ctx.memoryTotalBytes, threads: io.availableParallelism() };
        let text: string | null = null;
        let readProblem: string | null = null;
        try {
          text = await cache.read();
        } catch (e) {
          readProblem = `cannot be read (${errorText(e)})`;
        }
        const found = readProblem === null ? lookupCache(text, key) : { state: "miss" as const, why: "cache file not readable", problem: readProblem };
        if (found.state === "hit") {
          measurement = found.measurement;
          report.measuredAt = found.measuredAt;
          report.cache = { state: "hit", path: cache.path, detail: `measured ${found.measuredAt}, this boot`, written: null };
        } else {
          if (found.problem !== null) warnings.push(`RAM bandwidth cache ${cache.path}: ${found.problem}: ignored, measured again`);
          report.cache = { state: "miss", path: cache.path, detail: found.why, written: null };
        }
      }
    }
  }
  const fresh = measurement === null;
  if (fresh) measurement = await measure({ maxTotalBytes: probeMemoryBytes(ctx.availableBytes), passes: RAM_PROBE_PASSES, passMs: RAM_PROBE_PASS_MS });
  if (measurement === null) return null;
  report.measurement = measurement;
  const judged = judgeRamBandwidth(measurement, bound);
  // A clock that jumped (a suspended VM) can make a few ms look like no time at all.
  const plausible = checkFigure(judged.chosenGBps, BANDWIDTH_GBPS, "measured RAM bandwidth");
  if (plausible.problem !== null || !(judged.chosenGBps > 0)) {
    warnings.push(plausible.problem ?? `measured RAM bandwidth: ${judged.chosenGBps} GB/s: ignored`);
    return null;
  }
  if (fresh && key !== null && cache !== undefined) {
    const at = io.now();
    report.measuredAt = at.toISOString();
    try {
      await cache.write(cacheFileText(key, measurement, at));
      report.cache.written = true;
    } catch (e) {
      report.cache.written = false;
      warnings.push(`RAM bandwidth cache ${cache.path}: cannot be written (${errorText(e)}): the next start measures again`);
    }
  }
  if (judged.warning !== null) warnings.push(judged.warning);
  Object.assign(report, { chosenGBps: judged.chosenGBps, rule: judged.rule, status: judged.status, figure: judged.figure });
  return judged.figure;
}
/**
 * Nominal bandwidth from `dmidecode -t 17` (root only): memory type x configured speed x channels. Channels
 * are counted only when the slot names say which channel each module is on; otherwise nothing is derived.
 */
export async function dmidecodeRamBandwidth(runner: ProbeRunner): Promise<{ result: RamBandwidth | null; warnings: string[] }> {
  const r = await runner.run("dmidecode", ["-t", "17"]);
  if (notInstalled(r)) return { result: null, warnings: [] };
  if (!succeeded(r)) {
    runner.decide(r, "no module data (dmidecode needs root): RAM bandwidth not derived");
    return { result: null, warnings: [] };
  }
  const problems: string[] = [];
  const modules = parseDmidecodeMemory(r.stdout, problems);
  if (problems.length > 0) {
    // A module the table misdescribes leaves the sum of the others a wrong figure: nothing is derived.
    runner.decide(r, "implausible module figures: RAM bandwidth not derived");
    return { result: null, warnings: problems };
  }
  const types = new Set(modules.map((m) => m.type));
  const speeds = modules.map((m) => m.speedMTs).filter((s): s is number => s !== null);
  const channels = new Set(modules.map(moduleChannel));
  const type = types.size === 1 ? [...types][0] : null;
  if (modules.length === 0 || type == null || speeds.length !== modules.length || channels.has(null)) {
    runner.decide(r, `${modules.length} module(s); type, speed or channel not stated for all: RAM bandwidth not derived`);
    return { result: null, warnings: [] };
  }
  // Bus width: each channel counted once at its widest module (two DIMMs on one channel share it); LPDDR lists
  // each 16- or 32-bit device as a module on a channel of its own. Channels for ram.ts are 64-bit.
  const widthByChannel = new Map<string | null, number>();
  for (const m of modules) {
    const key = moduleChannel(m);
    widthByChannel.set(key, Math.max(widthByChannel.get(key) ?? 0, m.dataWidthBits ?? 64));
  }
  const busBits = [...widthByChannel.values()].reduce((a, b) => a + b, 0);
  const channels64 = busBits / 64;
  const speed = Math.min(...speeds);
  let gbps: number;
  try {
    gbps = ramBandwidthGBps(type, speed, channels64);
  } catch (e) {
    return { result: null, warnings: [`dmidecode: ${(e as Error).message}`] };
  }
  if (!(gbps > 0)) return { result: null, warnings: [] };
  const plausible = checkFigure(gbps, BANDWIDTH_GBPS, `dmidecode ${type}-${speed} MT/s on a ${busBits}-bit bus: bandwidth`);
  if (plausible.problem !== null) return { result: null, warnings: [plausible.problem] };
  const total = modules.reduce((n, m) => n + m.sizeBytes, 0);
  runner.decide(r, `${modules.length} x ${type}-${speed} on ${channels.size} channel(s), ${busBits}-bit bus, ${gib2(total)} GiB: ${gbps} GB/s nominal`);
  return { result: { bandwidthGBps: gbps, source: `dmidecode: ${type}-${speed} MT/s, ${busBits}-bit bus (${channels.size} channel(s)), nominal` }, warnings: [] };
}
