// Hardware overrides: --memory/--vram, --ram and --cpu-cores parsed once, then applied to a Machine (what the API then reports).
import { invalidValue } from "../domain/errors.js";
import { primaryGpu, type GpuDevice, type Machine } from "../domain/machine.js";
import { assumeGpu } from "./knowledge/assumed-gpu.js";
import { MAX_CPU_CORES, MAX_GPU_MEMORY_GIB, MAX_RAM_GIB } from "../domain/limits.js";
import { BYTES_PER_GIB } from "../domain/units.js";

/** Hardware overrides, parsed (`parseOverrides`): what `applyOverrides` sets. */
export interface HardwareOverrides {
  /** GPU memory per device (`--memory` / `--vram`). */
  vramBytes?: number | undefined;
  /** System RAM (`--ram`). */
  ramBytes?: number | undefined;
  /** CPU cores (`--cpu-cores`). */
  cpuCores?: number | undefined;
}

/** The overrides as given: flag text, or numbers (GiB) from a library caller. */
export interface RawOverrides {
  vram?: string | number | undefined;
  ram?: string | number | undefined;
  cpuCores?: string | number | undefined;
}

/** Parses the overrides once, at the edge. Throws `invalid_argument` naming the flag on the first bad value. */
export function parseOverrides(o: RawOverrides): HardwareOverrides {
  return {
    vramBytes: o.vram === undefined ? undefined : parseSizeToBytes(o.vram, "vram", MAX_GPU_MEMORY_GIB, "per GPU"),
    ramBytes: o.ram === undefined ? undefined : parseSizeToBytes(o.ram, "ram", MAX_RAM_GIB),
    cpuCores: o.cpuCores === undefined ? undefined : parseCoreCount(o.cpuCores, "cpu-cores"),
  };
}

const UNIT_POWER: Readonly<Record<string, number>> = { k: -2, m: -1, g: 0, t: 1 };

/**
 * Parses a size in GiB to bytes: "24", "24G", "24GB", "24GiB", "24576M", "1.5T". Units are binary, like every
 * `_gb` figure of the API (G = GiB). `key` names the flag in the error; sizes above `maxGib` are refused (a plain
 * number there is most likely MiB, and the message says how to write that).
 */
export function parseSizeToBytes(value: string | number, key: string, maxGib: number, per = ""): number {
  const accepted = `a size in GiB such as 24, 24G, 24576M or 1.5T, up to ${maxGib} GiB${per ? ` ${per}` : ""}`;
  let bytes: number;
  let plainNumber: boolean;
  if (typeof value === "number") {
    bytes = Number.isFinite(value) ? Math.round(value * BYTES_PER_GIB) : NaN;
    plainNumber = true;
  } else {
    const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(?:([kmgt])(?:i?b)?)?$/i.exec(value.trim());
    if (!m || m[1] === undefined) throw invalidValue(key, accepted);
    const power = m[2] === undefined ? 0 : (UNIT_POWER[m[2].toLowerCase()] ?? 0);
    bytes = Math.round(Number(m[1]) * BYTES_PER_GIB * 1024 ** power);
    plainNumber = m[2] === undefined;
  }
  if (!(bytes > 0)) throw invalidValue(key, accepted);
  if (bytes > maxGib * BYTES_PER_GIB) {
    const mib = plainNumber ? ` (${value} GiB is more than any ${key === "vram" ? "GPU" : "machine"} has: for MiB write ${value}M)` : "";
    throw invalidValue(key, `${accepted}${mib}`);
  }
  return bytes;
}

export function parseCoreCount(value: string | number, key: string): number {
  const n = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_CPU_CORES) throw invalidValue(key, `a whole number of cores, 1 to ${MAX_CPU_CORES}`);
  return n;
}

/** Keeps what is in use the same when a total changes: free grows with a larger total, never above it. */
function scaledFree(free: number, oldTotal: number, newTotal: number): number {
  return Math.max(0, Math.min(newTotal, free + Math.max(0, newTotal - oldTotal)));
}

/**
 * A GPU of `bytes` for a machine that has none (`--memory 24` on a laptop without one: "what if I had a 24 GB card"):
 * an NVIDIA card of that memory, with the bandwidth of the slowest known card of about that size (assumed, marked).
 */
function assumedGpu(bytes: number, ramBytes: number): GpuDevice {
  const gib = Math.round((bytes / BYTES_PER_GIB) * 10) / 10;
  const figure = assumeGpu({ name: `NVIDIA GPU ${gib} GB`, memoryBytes: bytes, systemRamBytes: ramBytes, vendor: "nvidia" });
  return {
    index: 0,
    name: `GPU with ${gib} GiB (--vram)`,
    vendor: "nvidia",
    backend: "CUDA",
    memoryTotalBytes: bytes,
    memoryFreeBytes: bytes,
    memoryBandwidthGBps: figure?.bandwidthGBps ?? null,
    fp16Tflops: null,
    unifiedMemory: false,
    integrated: false,
    uuid: null,
    pciBusId: null,
    computeCapability: null,
    gpuCores: null,
    memorySource: "override (--vram): no GPU detected, one of this size assumed",
    bandwidthSource: figure ? `assumed: ${figure.reason}` : null,
    ...(figure ? { bandwidthAssumedPct: figure.assumedPct } : {}),
  };
}

/**
 * Applies parsed overrides; returns a new Machine. `--vram` sets every GPU's memory (a unified GPU's pool too); on a
 * machine without a GPU it adds one of that size (with an assumed bandwidth and a warning), as llmfit's --memory
 * does. `--ram` sets the RAM graded against; a unified GPU's pool stays as detected unless `--vram` is given too.
 */
export function applyOverrides(machine: Machine, o: HardwareOverrides): Machine {
  const warnings = [...machine.warnings];
  let gpus = machine.gpus;
  const vramBytes = o.vramBytes;
  if (vramBytes !== undefined && gpus.length === 0) {
    const added = assumedGpu(vramBytes, machine.memory.totalBytes);
    warnings.push(`--vram on a machine without a GPU: answering for a ${added.name.replace(/ \(--vram\)$/, "")} (${added.bandwidthSource ?? "bandwidth unknown"})`);
    gpus = [added];
  } else if (vramBytes !== undefined) {
    gpus = gpus.map((g) => ({
      ...g,
      memoryTotalBytes: vramBytes,
      memoryFreeBytes: g.memoryFreeBytes === null ? null : scaledFree(g.memoryFreeBytes, g.memoryTotalBytes, vramBytes),
      memorySource: "override (--vram)",
    }));
  }
  let memory = machine.memory;
  if (o.ramBytes !== undefined) {
    memory = {
      ...memory,
      totalBytes: o.ramBytes,
      availableBytes: scaledFree(memory.availableBytes, memory.totalBytes, o.ramBytes),
      limitedBy: "override",
    };
  }
  let cpu = machine.cpu;
  if (o.cpuCores !== undefined) cpu = { ...cpu, cores: o.cpuCores };
  const primary = primaryGpu({ gpus });
  return {
    ...machine,
    gpus,
    memory,
    cpu,
    backend: primary?.backend ?? machine.backend,
    unifiedMemory: primary?.unifiedMemory ?? machine.unifiedMemory,
    warnings,
  };
}
