// Test machine: one RTX 4090 host, the same values as test/cli/fixtures/rtx4090.json describes.
import type { Machine } from "../../../src/domain/machine.js";
import { gibToBytes } from "../../../src/domain/units.js";

export function rtx4090Machine(name = "test-node"): Machine {
  return {
    node: { name, os: "linux" },
    cpu: { name: "AMD Ryzen 9 7950X", cores: 16, threads: 32, arch: "x86" },
    memory: {
      totalBytes: gibToBytes(64),
      availableBytes: gibToBytes(48),
      hostTotalBytes: gibToBytes(64),
      cgroupLimitBytes: null,
      swapTotalBytes: null,
      limitedBy: "description",
      bandwidthGBps: 80,
      bandwidthSource: "machine description",
    },
    gpus: [
      {
        index: 0,
        name: "NVIDIA GeForce RTX 4090",
        vendor: "nvidia",
        backend: "CUDA",
        memoryTotalBytes: gibToBytes(24),
        memoryFreeBytes: null,
        memoryBandwidthGBps: 1008,
        fp16Tflops: 165.2,
        unifiedMemory: false,
        integrated: false,
        uuid: null,
        pciBusId: null,
        computeCapability: "8.9",
        gpuCores: null,
        memorySource: "machine description",
        bandwidthSource: "machine description",
      },
    ],
    backend: "CUDA",
    unifiedMemory: false,
    warnings: [],
    snapshotAt: null,
    origin: "described",
  };
}
