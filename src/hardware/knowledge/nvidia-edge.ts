// NVIDIA unified-memory systems: DGX Spark (GB10) and the Jetson Orin / Thor modules.
import { defineGpu } from "./define.js";
import type { GpuSpec } from "./types.js";

/**
 * The GPU shares the module's LPDDR5/5X with the CPU, so these are unified and integrated; each module is sold
 * with one memory size, so `memoryGb` is that size. nvidia-smi prints "Orin (nvgpu)" for every Orin module:
 * the memory size tells them apart (and cannot tell the Orin NX 8GB from the Orin Nano 8GB: those refuse).
 * FP16 tensor is null: NVIDIA publishes INT8 / FP4 sparse TOPS for these, not a dense FP16 figure.
 */
const ORIN_SMI_NAME = "Orin (nvgpu)";

export const NVIDIA_EDGE_GPUS: readonly GpuSpec[] = [
  defineGpu({
    key: "nvidia-gb10",
    name: "NVIDIA GB10",
    vendor: "nvidia",
    memoryGb: 128,
    bandwidthGBps: 273,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    aliases: ["NVIDIA DGX Spark", "DGX Spark"],
    source: "NVIDIA DGX Spark specifications (GB10 Grace Blackwell: 128 GB LPDDR5x unified, 256-bit, 273 GB/s)",
  }),
  defineGpu({
    key: "nvidia-jetson-agx-thor",
    name: "NVIDIA Jetson AGX Thor (T5000)",
    vendor: "nvidia",
    memoryGb: 128,
    bandwidthGBps: 273,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    aliases: ["NVIDIA Thor", "Jetson AGX Thor", "Jetson Thor"],
    source: "NVIDIA Jetson AGX Thor specifications (T5000: 128 GB LPDDR5X, 256-bit, 273 GB/s)",
  }),
  defineGpu({
    key: "nvidia-jetson-agx-orin-64gb",
    name: "NVIDIA Jetson AGX Orin 64GB",
    vendor: "nvidia",
    memoryGb: 64,
    bandwidthGBps: 204.8,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    aliases: [ORIN_SMI_NAME, "Jetson AGX Orin"],
    source: "NVIDIA Jetson AGX Orin series datasheet (64 GB LPDDR5, 256-bit, 204.8 GB/s)",
  }),
  defineGpu({
    key: "nvidia-jetson-agx-orin-32gb",
    name: "NVIDIA Jetson AGX Orin 32GB",
    vendor: "nvidia",
    memoryGb: 32,
    bandwidthGBps: 204.8,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    aliases: [ORIN_SMI_NAME, "Jetson AGX Orin"],
    source: "NVIDIA Jetson AGX Orin series datasheet (32 GB LPDDR5, 256-bit, 204.8 GB/s)",
  }),
  defineGpu({
    key: "nvidia-jetson-orin-nx-16gb",
    name: "NVIDIA Jetson Orin NX 16GB",
    vendor: "nvidia",
    memoryGb: 16,
    bandwidthGBps: 102.4,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    aliases: [ORIN_SMI_NAME, "Jetson Orin NX"],
    source: "NVIDIA Jetson Orin NX series datasheet (16 GB LPDDR5, 128-bit, 102.4 GB/s)",
  }),
  defineGpu({
    key: "nvidia-jetson-orin-nx-8gb",
    name: "NVIDIA Jetson Orin NX 8GB",
    vendor: "nvidia",
    memoryGb: 8,
    bandwidthGBps: 102.4,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    aliases: [ORIN_SMI_NAME, "Jetson Orin NX"],
    source: "NVIDIA Jetson Orin NX series datasheet (8 GB LPDDR5, 128-bit, 102.4 GB/s)",
  }),
  defineGpu({
    key: "nvidia-jetson-orin-nano-8gb",
    name: "NVIDIA Jetson Orin Nano 8GB",
    vendor: "nvidia",
    memoryGb: 8,
    bandwidthGBps: 68,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    aliases: [ORIN_SMI_NAME, "Jetson Orin Nano"],
    source:
      "NVIDIA Jetson Orin Nano series datasheet (8 GB LPDDR5, 128-bit, 68 GB/s; JetPack 6.2's MAXN SUPER mode " +
      "raises it to 102 GB/s)",
  }),
  defineGpu({
    key: "nvidia-jetson-orin-nano-4gb",
    name: "NVIDIA Jetson Orin Nano 4GB",
    vendor: "nvidia",
    memoryGb: 4,
    bandwidthGBps: 34,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    aliases: [ORIN_SMI_NAME, "Jetson Orin Nano"],
    source: "NVIDIA Jetson Orin Nano series datasheet (4 GB LPDDR5, 64-bit, 34 GB/s)",
  }),
];
