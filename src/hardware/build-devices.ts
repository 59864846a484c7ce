// Device building: raw probe devices to GpuDevices, with knowledge-base figures and the unified-memory pool rules.
import type { GpuDevice, OsName } from "../domain/machine.js";
import { gib2 } from "../domain/units.js";
import { backendFor, isDisplayOnlyAdapter } from "./classify.js";
import { assumeGpu } from "./knowledge/assumed-gpu.js";
import { PLATFORM_ASSUMED_PCT, isIntegratedGpuName } from "./knowledge/cpu-memory.js";
import { lookupGpu, memoryFits } from "./knowledge/lookup.js";
import type { GpuMatch } from "./knowledge/types.js";
import type { RawGpu } from "./probes/types.js";
import { BANDWIDTH_GBPS, GPU_CORES, GPU_COUNT, GPU_MEMORY_BYTES, checkFigure, oneLine } from "./parsers/plausible.js";
import { assumedText } from "./ram-bandwidth.js";
import { appleGpuPool } from "./unified-pool.js";

/** An integrated GPU with this much dedicated memory (a large BIOS carve-out) is a usable pool on its own. */
const LARGE_CARVEOUT_BYTES = 4 * 1024 ** 3;

export interface BuildContext {
  os: OsName;
  /** RAM the machine is graded against (host RAM or the container limit) and what is available now. */
  ramTotalBytes: number;
  ramAvailableBytes: number;
  /** `iogpu.wired_limit_mb` on macOS. */
  appleWiredLimitMb: number | null;
  /** The CPU's name: an AMD APU's GPU is named in it ("AMD Ryzen AI Max+ 395 w/ Radeon 8060S"). */
  cpuName: string | null;
  /** Measured RAM bandwidth, for integrated GPUs whose figure depends on the memory fitted. */
  measuredRamBandwidthGBps: number | null;
}

export interface BuiltDevices {
  devices: GpuDevice[];
  /** The raw device each built one came from (same order), for refreshes. */
  raws: RawGpu[];
  warnings: string[];
  /** The warnings about implausible figures (also in `warnings`): refreshes report these, not the others. */
  problems: string[];
  /** One line per raw device: what was done with it (for the doctor report). */
  decisions: string[];
}

function lookup(raw: RawGpu, ctx: BuildContext): GpuMatch | null {
  const memoryBytes = raw.knowledgeMemoryBytes ?? raw.memoryTotalBytes;
  const names = [raw.knowledgeName, raw.genericName ? null : raw.name];
  if (raw.vendor === "amd" && raw.integrated === true && ctx.cpuName !== null) {
    // "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S": the GPU after "w/", then the processor (knowledge aliases).
    const w = /\bw\/\s*(.+)$/i.exec(ctx.cpuName);
    names.push(w && w[1] !== undefined ? w[1] : null, ctx.cpuName.replace(/\s+w\/.*$/i, ""));
  }
  // A PCI id alone can answer even when no name is known.
  if (raw.pciId !== null) {
    const byId = lookupGpu({ name: raw.name, pciId: raw.pciId, memoryBytes, gpuCores: raw.gpuCores });
    if (byId?.matchedBy === "pci_id") return byId;
  }
  for (const name of names) {
    if (name === null) continue;
    const m = lookupGpu({ name, pciId: null, memoryBytes, gpuCores: raw.gpuCores });
    if (m !== null) return m;
  }
  return lookupAlternatives(raw.alternatives, memoryBytes);
}

/** Of the models a tool's name leaves open, the single one whose memory matches what the device reports. */
function lookupAlternatives(alternatives: readonly string[], memoryBytes: number | null): GpuMatch | null {
  if (alternatives.length === 0 || memoryBytes === null) return null;
  const fits = new Map<string, GpuMatch>();
  for (const name of alternatives) {
    const m = lookupGpu({ name, pciId: null, memoryBytes });
    if (m !== null && memoryFits(memoryBytes, m.spec)) fits.set(m.spec.key, m);
  }
  return fits.size === 1 ? ([...fits.values()][0] ?? null) : null;
}

interface Pool {
  totalBytes: number;
  freeBytes: number | null;
  source: string;
}

/** The memory a device offers placement, or why it offers none (then it is dropped). */
function poolOf(raw: RawGpu, unified: boolean, integrated: boolean, match: GpuMatch | null, ctx: BuildContext): Pool | string {
  if (raw.vendor === "apple" && unified) {
    const pool = appleGpuPool(ctx.ramTotalBytes, ctx.appleWiredLimitMb);
    return { totalBytes: pool.bytes, freeBytes: Math.min(pool.bytes, ctx.ramAvailableBytes), source: pool.source };
  }
  if (raw.gtt !== null && integrated && unified) return amdApuPool(raw, ctx);
  if (raw.memoryTotalBytes === null && unified) {
    // GB10, Jetson, Thor: no memory of its own; the GPU allocates from system RAM.
    return {
      totalBytes: ctx.ramTotalBytes,
      freeBytes: ctx.ramAvailableBytes,
      source: `system RAM (${raw.memorySource}): the GPU shares it`,
    };
  }
  if (integrated) {
    if (unified && raw.memoryTotalBytes !== null && raw.memoryTotalBytes >= LARGE_CARVEOUT_BYTES) {
      return { totalBytes: raw.memoryTotalBytes, freeBytes: raw.memoryFreeBytes, source: `${raw.memorySource} (carve-out)` };
    }
    return "integrated GPU without a usable memory pool: not used for placement";
  }
  if (raw.memoryTotalBytes !== null) return { totalBytes: raw.memoryTotalBytes, freeBytes: raw.memoryFreeBytes, source: raw.memorySource };
  if (match?.spec.memoryBytes != null) {
    return {
      totalBytes: match.spec.memoryBytes,
      freeBytes: null,
      source: `knowledge base: ${match.spec.name} is sold with ${gib2(match.spec.memoryBytes)} GiB (${raw.memoryRejected ? `${raw.memorySource} not plausible` : "the driver reports none"})`,
    };
  }
  return "memory not reported and not in the knowledge base: not used for placement";
}

/**
 * An AMD APU: the runtime can allocate from the VRAM carve-out or from GTT (system RAM the GPU maps), so the
 * pool is the larger of the two, and what is free in it is bounded by the RAM available.
 */
export function amdApuPool(raw: RawGpu, ctx: Pick<BuildContext, "ramAvailableBytes">): Pool {
  const vram = raw.memoryTotalBytes ?? 0;
  const gtt = raw.gtt?.totalBytes ?? 0;
  const both = `VRAM carve-out ${gib2(vram)} GiB (mem_info_vram_total), GTT ${gib2(gtt)} GiB (mem_info_gtt_total)`;
  if (gtt > vram) {
    const used = raw.gtt?.usedBytes;
    const free = used === null || used === undefined ? ctx.ramAvailableBytes : Math.min(gtt - used, ctx.ramAvailableBytes);
    return { totalBytes: gtt, freeBytes: Math.max(0, free), source: `amdgpu sysfs: ${both}; pool = GTT` };
  }
  return { totalBytes: vram, freeBytes: raw.memoryFreeBytes, source: `amdgpu sysfs: ${both}; pool = VRAM` };
}

/** Free memory of a unified device after RAM availability changed (refreshes); null for other devices. */
export function unifiedFreeBytes(device: GpuDevice, raw: RawGpu | null, ramAvailableBytes: number): number | null {
  if (!device.unifiedMemory) return null;
  if (raw?.gtt != null && device.integrated) return amdApuPool(raw, { ramAvailableBytes }).freeBytes;
  return Math.min(device.memoryTotalBytes, ramAvailableBytes);
}

/** The most characters a device's text fields carry into the system object (names, ids, sources). */
const NAME_CHARS = 128;
const ID_CHARS = 96;
const SOURCE_CHARS = 300;

/**
 * The raw device with its figures held to the plausible: a memory total beyond it drops the device (the parsers
 * already drop such figures; this is the last gate for every probe), a free figure beyond it is unknown, a GPU core
 * count beyond it unknown. Text fields are one line, cut. Each drop is a line in `problems`.
 */
function plausibleRaw(raw: RawGpu, problems: string[]): RawGpu | null {
  const name = oneLine(raw.name, NAME_CHARS) || "unnamed GPU";
  const what = (field: string): string => `${name} ${field} (${oneLine(raw.memorySource, 60)})`;
  const take = (value: number | null, rule: typeof GPU_MEMORY_BYTES, field: string): number | null => {
    if (value === null) return null;
    const f = checkFigure(value, rule, what(field));
    if (f.problem !== null) problems.push(f.problem);
    return f.value;
  };
  const total = take(raw.memoryTotalBytes, GPU_MEMORY_BYTES, "memory total");
  if (raw.memoryTotalBytes !== null && total === null) return null;
  return {
    ...raw,
    name,
    uuid: raw.uuid === null ? null : oneLine(raw.uuid, ID_CHARS),
    pciBusId: raw.pciBusId === null ? null : oneLine(raw.pciBusId, ID_CHARS),
    computeCapability: raw.computeCapability === null ? null : oneLine(raw.computeCapability, 16),
    memorySource: oneLine(raw.memorySource, SOURCE_CHARS),
    memoryFreeBytes: take(raw.memoryFreeBytes, GPU_MEMORY_BYTES, "free memory"),
    gpuCores: take(raw.gpuCores, GPU_CORES, "GPU cores"),
  };
}

export function buildDevices(raws: readonly RawGpu[], ctx: BuildContext): BuiltDevices {
  const devices: GpuDevice[] = [];
  const kept: RawGpu[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  const decisions: string[] = [];
  if (raws.length > GPU_COUNT.max) problems.push(`${raws.length} GPUs reported: more than the plausible ${GPU_COUNT.max}; the first ${GPU_COUNT.max} kept`);
  for (const input of raws.slice(0, GPU_COUNT.max)) {
    const raw = plausibleRaw(input, problems);
    if (raw === null) {
      decisions.push(`${oneLine(input.name, NAME_CHARS)}: memory figure not plausible, dropped`);
      continue;
    }
    if (isDisplayOnlyAdapter(raw.name, raw.pciId?.slice(0, 4) ?? null)) {
      decisions.push(`${raw.name}: display-only adapter, dropped`);
      continue;
    }
    const match = lookup(raw, ctx);
    const spec = match?.spec ?? null;
    const integrated = raw.integrated ?? spec?.integrated ?? false;
    const unified = raw.unified ?? spec?.unifiedMemory ?? false;
    const pool = poolOf(raw, unified, integrated, match, ctx);
    const name = raw.genericName && spec !== null ? spec.name : raw.name;
    if (typeof pool === "string") {
      decisions.push(`${name}: ${pool}`);
      if (!integrated) warnings.push(`${name}: ${pool}`);
      continue;
    }
    const poolTotal = checkFigure(pool.totalBytes, GPU_MEMORY_BYTES, `${name} memory pool (${oneLine(pool.source, 60)})`);
    if (poolTotal.problem !== null) {
      problems.push(poolTotal.problem);
      decisions.push(`${name}: memory pool not plausible, dropped`);
      continue;
    }
    if (pool.freeBytes !== null && pool.freeBytes > pool.totalBytes) {
      problems.push(`${name}: free memory ${gib2(pool.freeBytes)} GiB is more than its total ${gib2(pool.totalBytes)} GiB: taken as the total`);
    }
    let bandwidth: number | null = null;
    let bandwidthSource: string | null = null;
    let assumedPct = 0;
    if (spec !== null) {
      const share = raw.share;
      const ramBound = spec.systemRamBandwidth === true && ctx.measuredRamBandwidthGBps !== null;
      bandwidth = ramBound ? ctx.measuredRamBandwidthGBps : spec.bandwidthGBps * (share?.memory ?? 1);
      bandwidthSource = ramBound
        ? `measured system RAM bandwidth (${spec.name} reads system RAM; knowledge base nominal ${spec.bandwidthGBps} GB/s)`
        : `knowledge base: ${spec.name} (matched by ${match?.matchedBy === "pci_id" ? "PCI id" : "name"}): ${spec.source}` +
          (share ? `; scaled for ${share.note}` : "");
      if (!ramBound && spec.systemRamBandwidth === true) {
        // Not measured: the nominal figure is the platform's fastest supported memory; the machine's may be slower.
        assumedPct = PLATFORM_ASSUMED_PCT.twoTypes;
        bandwidthSource = assumedText(`${spec.name} reads the system RAM, not measured: the fastest memory its platform supports (${bandwidthSource})`);
      } else if (!ramBound && (spec.bandwidthAssumedPct ?? 0) > 0) {
        assumedPct = spec.bandwidthAssumedPct ?? 0;
        bandwidthSource = assumedText(bandwidthSource);
      }
    } else if (integrated || isIntegratedGpuName(raw.name)) {
      // An integrated GPU reads the system RAM: its bandwidth is the RAM's, filled in once that is known (detect.ts).
    } else {
      const assumed = assumeGpu({
        name: raw.knowledgeName ?? raw.name,
        memoryBytes: raw.knowledgeMemoryBytes ?? raw.memoryTotalBytes,
        gpuCores: raw.gpuCores,
        systemRamBytes: ctx.ramTotalBytes,
        vendor: raw.vendor,
      });
      if (assumed === null) warnings.push(`${name}: not in the knowledge base: memory bandwidth and FP16 throughput unknown`);
      else {
        bandwidth = assumed.bandwidthGBps * (raw.share?.memory ?? 1);
        assumedPct = assumed.assumedPct;
        bandwidthSource = assumedPct > 0 ? assumedText(assumed.reason) : `knowledge base: ${assumed.reason}`;
        if (assumedPct > 0) warnings.push(`${name}: not in the knowledge base: memory bandwidth assumed ${bandwidth} GB/s (${assumed.kind}), FP16 throughput unknown`);
      }
    }
    if (bandwidth !== null) {
      const f = checkFigure(bandwidth, BANDWIDTH_GBPS, `${name} memory bandwidth`);
      if (f.problem !== null) {
        problems.push(f.problem);
        bandwidth = null;
        bandwidthSource = null;
      }
    }
    let fp16 = spec?.fp16Tflops == null ? null : raw.share ? (raw.share.compute === null ? null : spec.fp16Tflops * raw.share.compute) : spec.fp16Tflops;
    if (fp16 !== null && !(Number.isFinite(fp16) && fp16 > 0)) fp16 = null;
    decisions.push(
      `${name}: ${gib2(pool.totalBytes)} GiB (${pool.source})` +
        (spec ? `, knowledge base ${spec.key}` : ", not in the knowledge base") +
        (unified ? ", unified memory" : "") +
        (integrated ? ", integrated" : ""),
    );
    devices.push({
      index: devices.length,
      name,
      vendor: raw.vendor,
      backend: backendFor(raw.vendor, ctx.os),
      memoryTotalBytes: pool.totalBytes,
      memoryFreeBytes: pool.freeBytes === null ? null : Math.min(pool.freeBytes, pool.totalBytes),
      memoryBandwidthGBps: bandwidth,
      fp16Tflops: fp16,
      unifiedMemory: unified,
      integrated,
      uuid: raw.uuid,
      pciBusId: raw.pciBusId,
      computeCapability: raw.computeCapability,
      gpuCores: raw.gpuCores ?? spec?.gpuCores ?? null,
      memorySource: oneLine(pool.source, SOURCE_CHARS),
      bandwidthSource: bandwidthSource === null ? null : oneLine(bandwidthSource, SOURCE_CHARS),
      ...(assumedPct > 0 && bandwidth !== null ? { bandwidthAssumedPct: assumedPct } : {}),
    });
    kept.push(raw);
  }
  // An integrated GPU beside a discrete one is not the accelerator (a desktop's iGPU, a laptop's Iris Xe).
  if (devices.some((d) => !d.integrated) && devices.some((d) => d.integrated)) {
    const keep = devices.map((d) => !d.integrated);
    for (const [i, d] of devices.entries()) if (!keep[i]) decisions.push(`${d.name}: integrated GPU beside a discrete one: not used for placement`);
    const kept2 = devices.filter((_, i) => keep[i]).map((d, i) => ({ ...d, index: i }));
    return { devices: kept2, raws: kept.filter((_, i) => keep[i]), warnings: [...problems, ...warnings], problems, decisions };
  }
  return { devices, raws: kept, warnings: [...problems, ...warnings], problems, decisions };
}
