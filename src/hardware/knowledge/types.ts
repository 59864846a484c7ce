// Knowledge-base types: what nodefit knows about an accelerator model, and how a detected device is matched to it.
import type { GpuVendor } from "../../domain/machine.js";

export interface GpuSpec {
  /** Stable key, e.g. "nvidia-rtx-4090", "apple-m3-max-40c", "nvidia-h100-sxm5-80gb". */
  key: string;
  /** Canonical marketing name, e.g. "NVIDIA GeForce RTX 4090". */
  name: string;
  vendor: GpuVendor;
  /** Memory of the part as sold (per card); null for unified-memory chips sold with several sizes. */
  memoryBytes: number | null;
  /** Nominal memory bandwidth, GB/s (10^9 bytes/s). */
  bandwidthGBps: number;
  /** Dense FP16/BF16 tensor throughput in TFLOPS (no sparsity); null when not published. */
  fp16Tflops: number | null;
  unifiedMemory: boolean;
  integrated: boolean;
  /** GPU core count for chips sold in several core configurations (Apple), else null. */
  gpuCores: number | null;
  /** PCI vendor:device ids, lower-case hex, e.g. "10de:2684". */
  pciIds: readonly string[];
  /** Other names tools print for it (nvidia-smi, rocm-smi, lspci, DXGI, system_profiler). */
  aliases: readonly string[];
  /** Public source of the figures (vendor spec page, datasheet). */
  source: string;
  /**
   * True for integrated GPUs that read socketed or board-dependent system RAM (Radeon 780M / 890M): then
   * `bandwidthGBps` is the platform's fastest supported memory and a measured RAM bandwidth should win.
   */
  systemRamBandwidth?: boolean;
  /**
   * Set when `bandwidthGBps` is not a figure read on a vendor spec page but inferred (a chip whose figure is not
   * published, or not verified here): how uncertain it is, in %. `source` says what it was inferred from.
   */
  bandwidthAssumedPct?: number;
}

export interface GpuQuery {
  /** The name as a tool printed it, or as a user wrote it. */
  name: string;
  /** "10de:2684" when the tool gives it. */
  pciId?: string | null | undefined;
  /** Memory the tool reports (disambiguates e.g. A100 40 GB vs 80 GB, RTX 3060 8 vs 12 GB). */
  memoryBytes?: number | null | undefined;
  /** GPU cores (Apple chips). */
  gpuCores?: number | null | undefined;
}

export interface GpuMatch {
  spec: GpuSpec;
  matchedBy: "pci_id" | "name";
}
