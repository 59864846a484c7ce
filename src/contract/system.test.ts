// System object tests: the seed's fields, grouping by model, the primary GPU and the per-device additions.
import { describe, expect, it } from "vitest";
import type { GpuDevice, Machine } from "../domain/machine.js";
import { gibToBytes, mibToBytes } from "../domain/units.js";
import { systemJson } from "./system.js";

const gpu = (index: number, name: string, mib: number, extra: Partial<GpuDevice> = {}): GpuDevice => ({
  index,
  name,
  vendor: "nvidia",
  backend: "CUDA",
  memoryTotalBytes: mibToBytes(mib),
  memoryFreeBytes: null,
  memoryBandwidthGBps: null,
  fp16Tflops: null,
  unifiedMemory: false,
  integrated: false,
  uuid: null,
  pciBusId: null,
  computeCapability: null,
  gpuCores: null,
  memorySource: "nvidia-smi memory.total",
  bandwidthSource: null,
  ...extra,
});

const machine = (gpus: GpuDevice[]): Machine => ({
  node: { name: "n", os: "linux" },
  cpu: { name: "CPU", cores: 8, threads: 16, arch: "x86" },
  memory: {
    totalBytes: gibToBytes(62.23),
    availableBytes: gibToBytes(41.08),
    hostTotalBytes: gibToBytes(62.23),
    cgroupLimitBytes: null,
    swapTotalBytes: null,
    limitedBy: "host",
    bandwidthGBps: null,
    bandwidthSource: null,
  },
  gpus,
  backend: gpus.length ? "CUDA" : "CPU (x86)",
  unifiedMemory: false,
  warnings: [],
  snapshotAt: "2025-06-02T09:30:00.000Z",
  origin: "detected",
});

describe("systemJson", () => {
  it("gives the seed's CPU-only object", () => {
    const s = systemJson(machine([]));
    expect(s).toMatchObject({
      total_ram_gb: 62.23,
      available_ram_gb: 41.08,
      cpu_cores: 8,
      cpu_name: "CPU",
      has_gpu: false,
      gpu_vram_gb: null,
      gpu_name: null,
      gpu_count: 0,
      unified_memory: false,
      backend: "CPU (x86)",
      gpus: [],
      devices: [],
    });
  });

  it("groups cards by model, counts them all, and names the card with the most memory (not the sum)", () => {
    const s = systemJson(machine([gpu(0, "A", 24564), gpu(1, "B", 49140), gpu(2, "A", 24564)]));
    expect(s.gpus).toEqual([
      { name: "A", vram_gb: 24, backend: "CUDA", count: 2, unified_memory: false },
      { name: "B", vram_gb: 48, backend: "CUDA", count: 1, unified_memory: false },
    ]);
    expect(s).toMatchObject({ gpu_count: 3, gpu_name: "B", gpu_vram_gb: 48, has_gpu: true });
  });

  it("lists every device with the additions", () => {
    const s = systemJson(
      machine([gpu(0, "NVIDIA H100 80GB HBM3", 81559, { memoryFreeBytes: mibToBytes(81004), memoryBandwidthGBps: 3350, fp16Tflops: 989.46, pciBusId: "0000:18:00.0", uuid: "GPU-1", computeCapability: "9.0" })]),
    );
    expect(s.devices).toEqual([
      {
        index: 0,
        name: "NVIDIA H100 80GB HBM3",
        vendor: "nvidia",
        backend: "CUDA",
        pci_bus_id: "0000:18:00.0",
        uuid: "GPU-1",
        vram_total_gb: 79.65,
        vram_free_gb: 79.11,
        memory_bandwidth_gbps: 3350,
        fp16_tflops: 989.5,
        compute_capability: "9.0",
        gpu_cores: null,
        integrated: false,
        unified_memory: false,
        memory_source: "nvidia-smi memory.total",
        bandwidth_source: null,
      },
    ]);
    expect(s).toMatchObject({ memory_limit_gb: null, memory_limited_by: "host", swap_total_gb: null, snapshot_at: "2025-06-02T09:30:00.000Z", origin: "detected" });
  });
});
