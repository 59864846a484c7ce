// The system object: the seed's hardware summary of a Machine, plus the documented per-device and memory additions.
import { primaryGpu, type GpuDevice, type Machine } from "../domain/machine.js";
import { gib2, gib2OrNull, round1, vramGib } from "../domain/units.js";

/** One line of the seed's `gpus[]`: cards of one model grouped, memory per card. */
export interface SystemGpuGroupJson {
  name: string;
  vram_gb: number;
  backend: string;
  count: number;
  unified_memory: boolean;
}

/** Addition: one accelerator (a MIG instance is one), as detected. */
export interface SystemDeviceJson {
  index: number;
  name: string;
  vendor: string;
  backend: string;
  pci_bus_id: string | null;
  uuid: string | null;
  /** Memory models may be placed in (on unified machines, the pool the GPU may use). */
  vram_total_gb: number;
  vram_free_gb: number | null;
  /** GB/s (10^9 bytes per second), nominal. */
  memory_bandwidth_gbps: number | null;
  fp16_tflops: number | null;
  compute_capability: string | null;
  gpu_cores: number | null;
  integrated: boolean;
  unified_memory: boolean;
  /** How the memory figure was obtained. */
  memory_source: string;
  /** Where the bandwidth figure came from. */
  bandwidth_source: string | null;
  /** Present only when the bandwidth is assumed: how uncertain it is, in % (`bandwidth_source` says why). */
  bandwidth_assumed_pct?: number;
}

export interface SystemJson {
  // The seed's fields.
  total_ram_gb: number;
  available_ram_gb: number;
  cpu_cores: number;
  cpu_name: string;
  has_gpu: boolean;
  gpu_vram_gb: number | null;
  gpu_name: string | null;
  gpu_count: number;
  unified_memory: boolean;
  backend: string;
  gpus: SystemGpuGroupJson[];
  // Additions (documented in the API document).
  devices: SystemDeviceJson[];
  /** System RAM bandwidth, GB/s; null when neither measured nor derivable. */
  ram_bandwidth_gbps: number | null;
  ram_bandwidth_source: string | null;
  /** Present only when the RAM bandwidth is assumed: how uncertain it is, in % (`ram_bandwidth_source` says why). */
  ram_bandwidth_assumed_pct?: number;
  /** Host RAM before any container limit. */
  host_ram_gb: number;
  /** The container (cgroup) memory limit when one applies and is below host RAM. */
  memory_limit_gb: number | null;
  /** What `total_ram_gb` is: `host`, `cgroup`, `override` or `description`. */
  memory_limited_by: string;
  swap_total_gb: number | null;
  cpu_threads: number | null;
  warnings: string[];
  /** ISO time of the hardware snapshot; null for a described machine. */
  snapshot_at: string | null;
  origin: "detected" | "described";
}

/** The assumed share of a figure, when there is a figure and it is assumed. */
const assumedPct = (figure: number | null, pct: number | undefined): number | undefined =>
  figure !== null && pct !== undefined && pct > 0 ? pct : undefined;

function deviceJson(g: GpuDevice): SystemDeviceJson {
  const pct = assumedPct(g.memoryBandwidthGBps, g.bandwidthAssumedPct);
  return {
    index: g.index,
    name: g.name,
    vendor: g.vendor,
    backend: g.backend,
    pci_bus_id: g.pciBusId,
    uuid: g.uuid,
    vram_total_gb: gib2(g.memoryTotalBytes),
    vram_free_gb: gib2OrNull(g.memoryFreeBytes),
    memory_bandwidth_gbps: g.memoryBandwidthGBps === null ? null : round1(g.memoryBandwidthGBps),
    fp16_tflops: g.fp16Tflops === null ? null : round1(g.fp16Tflops),
    compute_capability: g.computeCapability,
    gpu_cores: g.gpuCores,
    integrated: g.integrated,
    unified_memory: g.unifiedMemory,
    memory_source: g.memorySource,
    bandwidth_source: g.bandwidthSource,
    ...(pct === undefined ? {} : { bandwidth_assumed_pct: pct }),
  };
}

/** Groups devices by model (name, memory per card, backend), in order of first appearance. */
function gpuGroups(gpus: readonly GpuDevice[]): SystemGpuGroupJson[] {
  const groups = new Map<string, SystemGpuGroupJson>();
  for (const g of gpus) {
    const vram = vramGib(g.memoryTotalBytes);
    const key = `${g.name}\u0000${vram}\u0000${g.backend}\u0000${g.unifiedMemory}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { name: g.name, vram_gb: vram, backend: g.backend, count: 1, unified_memory: g.unifiedMemory });
  }
  return [...groups.values()];
}

/** The `system` object of `/api/v1/system` and of every models envelope. */
export function systemJson(machine: Machine): SystemJson {
  const primary = primaryGpu(machine);
  const m = machine.memory;
  const ramPct = assumedPct(m.bandwidthGBps, m.bandwidthAssumedPct);
  return {
    total_ram_gb: gib2(m.totalBytes),
    available_ram_gb: gib2(m.availableBytes),
    cpu_cores: machine.cpu.cores,
    cpu_name: machine.cpu.name,
    has_gpu: machine.gpus.length > 0,
    gpu_vram_gb: primary ? vramGib(primary.memoryTotalBytes) : null,
    gpu_name: primary ? primary.name : null,
    gpu_count: machine.gpus.length,
    unified_memory: machine.unifiedMemory,
    backend: machine.backend,
    gpus: gpuGroups(machine.gpus),
    devices: machine.gpus.map(deviceJson),
    ram_bandwidth_gbps: m.bandwidthGBps === null ? null : round1(m.bandwidthGBps),
    ram_bandwidth_source: m.bandwidthSource,
    ...(ramPct === undefined ? {} : { ram_bandwidth_assumed_pct: ramPct }),
    host_ram_gb: gib2(m.hostTotalBytes),
    memory_limit_gb: gib2OrNull(m.cgroupLimitBytes),
    memory_limited_by: m.limitedBy,
    swap_total_gb: gib2OrNull(m.swapTotalBytes),
    cpu_threads: machine.cpu.threads,
    warnings: [...machine.warnings],
    snapshot_at: machine.snapshotAt,
    origin: machine.origin,
  };
}
