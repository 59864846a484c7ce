// Probe types: what each probe hands detection (raw devices, CPU and memory facts, warnings), before enrichment.
import type { CpuArch, GpuVendor, OsName } from "../../domain/machine.js";
import type { ProbeRunner } from "../trace.js";

export interface ProbeContext {
  runner: ProbeRunner;
  os: OsName;
  /** Linux under WSL2 (the GPU is reached through /usr/lib/wsl/lib). */
  isWsl: boolean;
}

/** A GPU as one tool saw it, before the knowledge base and the unified-memory rules are applied. */
export interface RawGpu {
  /** Matches the device across refreshes: its UUID, else its PCI bus id, else vendor and index. */
  key: string;
  /** Name as the tool printed it, or a placeholder ("AMD GPU [1002:744c]") when it printed none. */
  name: string;
  /** True when `name` is a placeholder or a tool's generic label ("Orin (nvgpu)"): the knowledge base's name wins. */
  genericName: boolean;
  /** The tool's own handle for the device ("card0" for amdgpu sysfs and rocm-smi). */
  handle: string | null;
  vendor: GpuVendor;
  /** "10de:2684". */
  pciId: string | null;
  pciBusId: string | null;
  uuid: string | null;
  computeCapability: string | null;
  gpuCores: number | null;
  /** Dedicated memory the tool reported; null when it reports none (unified parts). */
  memoryTotalBytes: number | null;
  memoryFreeBytes: number | null;
  /** True when the tool printed a memory total that was dropped as implausible (then `memoryTotalBytes` is null). */
  memoryRejected: boolean;
  memorySource: string;
  /** What the probe itself knows: true / false, or null to leave it to the knowledge base. */
  integrated: boolean | null;
  unified: boolean | null;
  /** AMD: the GTT pool (system RAM the GPU maps), beside the VRAM carve-out. */
  gtt: { totalBytes: number; usedBytes: number | null } | null;
  /** A partition of a larger part (MIG instance): its share of the part's memory and compute. */
  share: { memory: number; compute: number | null; note: string } | null;
  /** The name to look up in the knowledge base when it differs from `name` (MIG parent, Jetson module). */
  knowledgeName: string | null;
  /** Models the tool's name leaves open ("Navi 31 [Radeon RX 7900 XT/7900 XTX/...]"): the one whose memory fits wins. */
  alternatives: string[];
  /** Memory to disambiguate the knowledge lookup with when `memoryTotalBytes` is null (Jetson: system RAM). */
  knowledgeMemoryBytes: number | null;
}

export interface GpuProbeResult {
  gpus: RawGpu[];
  warnings: string[];
}

export interface CpuFacts {
  name: string | null;
  physicalCores: number | null;
  logicalCpus: number | null;
  arch: CpuArch;
  /** CPUs a container's CPU quota allows, when one is set. */
  quotaCpus: number | null;
  /** CPU sockets, when the probe counts them (a server platform's memory figure is per socket). */
  sockets?: number | null | undefined;
  source: string;
}

export interface MemoryFacts {
  hostTotalBytes: number | null;
  availableBytes: number | null;
  swapTotalBytes: number | null;
  cgroupLimitBytes: number | null;
  /** Available memory inside the cgroup: limit minus what it uses, less reclaimable page cache. */
  cgroupAvailableBytes: number | null;
  source: string;
}

export const rawGpu = (fields: Pick<RawGpu, "key" | "name" | "vendor" | "memorySource"> & Partial<RawGpu>): RawGpu => ({
  genericName: false,
  handle: null,
  pciId: null,
  pciBusId: null,
  uuid: null,
  computeCapability: null,
  gpuCores: null,
  memoryTotalBytes: null,
  memoryFreeBytes: null,
  memoryRejected: false,
  integrated: null,
  unified: null,
  gtt: null,
  share: null,
  knowledgeName: null,
  alternatives: [],
  knowledgeMemoryBytes: null,
  ...fields,
});
