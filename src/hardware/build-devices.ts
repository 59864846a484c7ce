// Device building: raw probe devices to GpuDevices, with knowledge-base figures and the unified-memory pool rules.
import type { GpuDevice, OsName } from "../domain/machine.js";
import { gib2 } from "../domain/units.js";
import { backendFor, isDisplayOnlyAdapter } from "./classify.js";
import { lookupGpu, memoryFits } from "./knowledge/lookup.js";
import type { GpuMatch } from "./knowledge/types.js";
import type { RawGpu } from "./probes/types.js";
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
      source: `knowledge base: ${match.spec.name} is sold with ${gib2(match.spec.memoryBytes)} GiB (the driver reports none)`,
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

export function buildDevices(raws: readonly RawGpu[], ctx: BuildContext): BuiltDevices {
  const devices: GpuDevice[] = [];
  const kept: RawGpu[] = [];
  const warnings: string[] = [];
  const decisions: string[] = [];
  for (const raw of raws) {
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
    let bandwidth: number | null = null;
    let bandwidthSource: string | null = null;
    if (spec !== null) {
      const share = raw.share;
      const ramBound = spec.systemRamBandwidth === true && ctx.measuredRamBandwidthGBps !== null;
      bandwidth = ramBound ? ctx.measuredRamBandwidthGBps : spec.bandwidthGBps * (share?.memory ?? 1);
      bandwidthSource = ramBound
        ? `measured system RAM bandwidth (${spec.name} reads system RAM; knowledge base nominal ${spec.bandwidthGBps} GB/s)`
        : `knowledge base: ${spec.name} (matched by ${match?.matchedBy === "pci_id" ? "PCI id" : "name"}): ${spec.source}` +
          (share ? `; scaled for ${share.note}` : "");
    } else {
      warnings.push(`${name}: not in the knowledge base: memory bandwidth and FP16 throughput unknown`);
    }
    const fp16 = spec?.fp16Tflops == null ? null : raw.share ? (raw.share.compute === null ? null : spec.fp16Tflops * raw.share.compute) : spec.fp16Tflops;
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
      memorySource: pool.source,
      bandwidthSource,
    });
    kept.push(raw);
  }
  // An integrated GPU beside a discrete one is not the accelerator (a desktop's iGPU, a laptop's Iris Xe).
  if (devices.some((d) => !d.integrated) && devices.some((d) => d.integrated)) {
    const keep = devices.map((d) => !d.integrated);
    for (const [i, d] of devices.entries()) if (!keep[i]) decisions.push(`${d.name}: integrated GPU beside a discrete one: not used for placement`);
    const kept2 = devices.filter((_, i) => keep[i]).map((d, i) => ({ ...d, index: i }));
    return { devices: kept2, raws: kept.filter((_, i) => keep[i]), warnings, decisions };
  }
  return { devices, raws: kept, warnings, decisions };
}
