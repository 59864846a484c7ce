// Machine: the value every estimate takes, whether detected on this node or described by a user.

/** The seed's `backend` vocabulary. */
export const BACKENDS = ["CUDA", "Metal", "ROCm", "SYCL", "Vulkan", "CPU (x86)", "CPU (ARM)", "NPU (Ascend)"] as const;
export type Backend = (typeof BACKENDS)[number];

/**
 * How a Mac's GPU memory source starts when it is macOS's default share (no iogpu.wired_limit_mb): the estimator offers
 * the command that raises it.
 */
export const APPLE_DEFAULT_WORKING_SET = "macOS default GPU working set";

export type GpuVendor = "nvidia" | "amd" | "intel" | "apple" | "huawei" | "other";
export type OsName = "linux" | "macos" | "windows" | "freebsd" | "other";
export type CpuArch = "x86" | "arm" | "other";

export interface NodeIdentity {
  name: string;
  os: OsName;
}

/** One accelerator as the placement sees it. A MIG instance is a device of its own. */
export interface GpuDevice {
  index: number;
  name: string;
  vendor: GpuVendor;
  backend: Backend;
  /**
   * Capacity: the memory models may be placed in. Discrete cards: their VRAM. Unified memory: the pool the GPU
   * may really use (Apple's working-set limit, the GTT pool of an AMD APU, system RAM on GB10 / Jetson).
   */
  memoryTotalBytes: number;
  /** Free now (placement uses this); null when the tool does not report it. */
  memoryFreeBytes: number | null;
  /** Nominal memory bandwidth in GB/s (10^9 bytes per second); null when unknown (never guessed). */
  memoryBandwidthGBps: number | null;
  /** Dense FP16/BF16 tensor TFLOPS; null when unknown. */
  fp16Tflops: number | null;
  unifiedMemory: boolean;
  integrated: boolean;
  uuid: string | null;
  pciBusId: string | null;
  computeCapability: string | null;
  gpuCores: number | null;
  /** How the memory figure was obtained (tool and field, or "override", or "machine description"). */
  memorySource: string;
  /** Where the bandwidth figure came from (knowledge base entry and its source, tool, or description). */
  bandwidthSource: string | null;
  /**
   * How uncertain `memoryBandwidthGBps` is, in % (the speed range widens by it): absent or 0 for a spec sheet
   * figure, a measurement or a figure the user gave; more for an assumed one (a chip's variant taken from its
   * memory size, a sibling model's figure, a class figure). `bandwidthSource` then starts with "assumed:" and says why.
   */
  bandwidthAssumedPct?: number;
}

export interface CpuInfo {
  name: string;
  /** Physical cores when known, else logical CPUs usable by this process. */
  cores: number;
  threads: number | null;
  arch: CpuArch;
}

export interface MemoryInfo {
  /** Capacity models are graded against: the smallest of host RAM and the container limit (or an override). */
  totalBytes: number;
  availableBytes: number;
  hostTotalBytes: number;
  /** The cgroup (v1/v2) memory limit when one applies and is lower than the host's RAM. */
  cgroupLimitBytes: number | null;
  swapTotalBytes: number | null;
  /** What `totalBytes` is: the host's RAM, the container's limit, an override, or a description. */
  limitedBy: "host" | "cgroup" | "override" | "description";
  /** System RAM bandwidth in GB/s, used for CPU decode and offloaded layers; null when unknown. */
  bandwidthGBps: number | null;
  bandwidthSource: string | null;
  /**
   * How uncertain `bandwidthGBps` is, in %: absent or 0 when measured, derived from the installed modules, given,
   * or a spec sheet figure; more when assumed (the CPU's memory platform, its generation, a default).
   * `bandwidthSource` then starts with "assumed:" and says why.
   */
  bandwidthAssumedPct?: number;
  /**
   * RAM the operating system keeps for itself that a placement must leave free: set on a described machine that gives
   * no `available_ram_gb` (whose available figure is then all of its RAM, as the contract says it reports); absent or
   * 0 on a detected machine, whose available figure already excludes it.
   */
  osReserveBytes?: number;
}

export interface Machine {
  node: NodeIdentity;
  cpu: CpuInfo;
  memory: MemoryInfo;
  /** Every accelerator as its own device, in index order. Display-only and virtual adapters are not here. */
  gpus: GpuDevice[];
  /** The backend of the primary device (the GPU with the most memory), or the CPU's. */
  backend: Backend;
  /** True when the primary accelerator shares system memory. */
  unifiedMemory: boolean;
  /** Probes that failed or values that could not be read: shown in the output, never a silent zero. */
  warnings: string[];
  /** ISO time of the hardware snapshot; null for a described machine. */
  snapshotAt: string | null;
  origin: "detected" | "described";
}

export const cpuBackend = (arch: CpuArch): Backend => (arch === "arm" ? "CPU (ARM)" : "CPU (x86)");

/** Cards whose memory differs by less than this share count as the same size (24564 vs 24576 MiB). */
const SAME_MEMORY_SHARE = 0.01;

/**
 * The primary GPU: the one with the most memory per card; among cards of about the same memory, the one with the
 * most bandwidth (an RTX 4090 over an RTX 3090), then the lowest index.
 */
export function primaryGpu(machine: Pick<Machine, "gpus">): GpuDevice | null {
  let best: GpuDevice | null = null;
  for (const g of machine.gpus) {
    if (best === null) {
      best = g;
      continue;
    }
    const sameSize = Math.abs(g.memoryTotalBytes - best.memoryTotalBytes) <= SAME_MEMORY_SHARE * best.memoryTotalBytes;
    if (sameSize ? (g.memoryBandwidthGBps ?? 0) > (best.memoryBandwidthGBps ?? 0) : g.memoryTotalBytes > best.memoryTotalBytes) best = g;
  }
  return best;
}
