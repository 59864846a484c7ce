// RAM bandwidth: measured on this host, else derived from the installed modules (dmidecode), else a unified GPU's,
// else (a described machine, or a failed probe) the CPU's memory platform: its table row, generation or a default.
import { primaryGpu, type GpuDevice } from "../domain/machine.js";
import { gib2 } from "../domain/units.js";
import { appleChipOf, resolveAppleChip } from "./knowledge/apple-chip.js";
import { cpuMemoryPlatform, igpuMemoryPlatform, type CpuMemoryMatch } from "./knowledge/cpu-memory.js";
import { ramBandwidthGBps } from "./knowledge/ram.js";
import { moduleChannel, parseDmidecodeMemory } from "./parsers/dmidecode.js";
import { BANDWIDTH_GBPS, checkFigure } from "./parsers/plausible.js";
import { notInstalled, succeeded, type ProbeRunner } from "./trace.js";

export interface RamBandwidth {
  bandwidthGBps: number;
  source: string;
  /** How uncertain the figure is, in % (absent or 0: measured, derived from the modules, given, or a spec figure). */
  assumedPct?: number;
}

/** Text of an assumed figure: "assumed: <why>", the one prefix every assumed source starts with. */
export const ASSUMED_PREFIX = "assumed: ";
export const assumedText = (why: string): string => (why.startsWith(ASSUMED_PREFIX) ? why : `${ASSUMED_PREFIX}${why}`);
/** The source of a figure quoted inside another's: without its "assumed: " prefix and its "; give ... to override" hint. */
const withoutAssumed = (text: string): string => (text.startsWith(ASSUMED_PREFIX) ? text.slice(ASSUMED_PREFIX.length) : text).replace(/; give \w+ to override$/, "");

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

/** The probe's share of the wall clock: long enough to stream a few hundred MiB per thread. */
export const RAM_PROBE_BUDGET_MS = 200;

/** Measures with the I/O's probe (real hosts only); never takes more than a quarter of the available RAM. */
export async function measuredRamBandwidth(runner: ProbeRunner, availableBytes: number | null, warnings: string[] = []): Promise<RamBandwidth | null> {
  const measure = runner.io.measureRamBandwidth;
  if (measure === undefined) return null;
  const maxTotalBytes = Math.min(1024 ** 3, availableBytes === null ? 256 * 1024 ** 2 : Math.floor(availableBytes / 4));
  const m = await measure({ budgetMs: RAM_PROBE_BUDGET_MS, maxTotalBytes });
  if (m === null) return null;
  // A clock that jumped (a suspended VM) can make a few ms look like no time at all.
  const plausible = checkFigure(m.bandwidthGBps, BANDWIDTH_GBPS, "measured RAM bandwidth");
  if (plausible.problem !== null || m.bandwidthGBps <= 0) {
    warnings.push(plausible.problem ?? `measured RAM bandwidth: ${m.bandwidthGBps} GB/s: ignored`);
    return null;
  }
  return {
    bandwidthGBps: m.bandwidthGBps,
    source: `measured: memchr read over ${m.threads} thread(s) x ${Math.round(m.bytesPerThread / 1024 ** 2)} MiB for ${m.durationMs} ms`,
  };
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
