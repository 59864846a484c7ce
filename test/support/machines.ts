// Test machines: Machine values built directly, so estimator tests sweep hardware without probes or the knowledge base.
import type { Backend, GpuDevice, Machine } from "../../src/domain/machine.js";
import { gibToBytes } from "../../src/domain/units.js";

export interface GpuSketch {
  name: string;
  vramGib: number;
  freeGib?: number;
  bandwidthGBps: number | null;
  tflops?: number | null;
  count?: number;
  vendor?: GpuDevice["vendor"];
  backend?: Backend;
  unified?: boolean;
  gpuCores?: number | null;
}

export function machine(opts: { ramGib: number; availableRamGib?: number; ramBandwidthGBps?: number | null; gpus?: GpuSketch[]; cores?: number }): Machine {
  const devices: GpuDevice[] = [];
  for (const g of opts.gpus ?? []) {
    for (let i = 0; i < (g.count ?? 1); i++) {
      devices.push({
        index: devices.length,
        name: g.name,
        vendor: g.vendor ?? "nvidia",
        backend: g.backend ?? "CUDA",
        memoryTotalBytes: gibToBytes(g.vramGib),
        memoryFreeBytes: gibToBytes(g.freeGib ?? g.vramGib),
        memoryBandwidthGBps: g.bandwidthGBps,
        fp16Tflops: g.tflops ?? null,
        unifiedMemory: g.unified ?? false,
        integrated: false,
        uuid: null,
        pciBusId: null,
        computeCapability: null,
        gpuCores: g.gpuCores ?? null,
        memorySource: "test",
        bandwidthSource: "test",
      });
    }
  }
  const primary = devices[0];
  return {
    node: { name: "test-node", os: "linux" },
    cpu: { name: "Test CPU", cores: opts.cores ?? 16, threads: null, arch: "x86" },
    memory: {
      totalBytes: gibToBytes(opts.ramGib),
      availableBytes: gibToBytes(opts.availableRamGib ?? opts.ramGib),
      hostTotalBytes: gibToBytes(opts.ramGib),
      cgroupLimitBytes: null,
      swapTotalBytes: null,
      limitedBy: "description",
      bandwidthGBps: opts.ramBandwidthGBps === undefined ? 80 : opts.ramBandwidthGBps,
      bandwidthSource: "test",
    },
    gpus: devices,
    backend: primary ? primary.backend : "CPU (x86)",
    unifiedMemory: primary?.unifiedMemory ?? false,
    warnings: [],
    snapshotAt: null,
    origin: "described",
  };
}

export const RTX_4090: GpuSketch = { name: "NVIDIA GeForce RTX 4090", vramGib: 23.99, bandwidthGBps: 1008, tflops: 165.2 };
export const RTX_3090: GpuSketch = { name: "NVIDIA GeForce RTX 3090", vramGib: 24, bandwidthGBps: 936, tflops: 71.2 };
export const H100_SXM: GpuSketch = { name: "NVIDIA H100 80GB HBM3", vramGib: 79.6, bandwidthGBps: 3350, tflops: 989 };
export const M4_PRO_48: GpuSketch = { name: "Apple M4 Pro", vramGib: 36, bandwidthGBps: 273, tflops: null, gpuCores: 20, vendor: "apple", backend: "Metal", unified: true };
