// Intel accelerators: Arc A / B-series cards, Arc Pro, and the Lunar Lake integrated Arc GPUs.
import { defineGpu } from "./define.js";
import type { GpuSpec } from "./types.js";

/**
 * FP16 is null throughout: Intel publishes XMX peaks as INT8 TOPS, not a dense FP16 figure.
 * Older iGPUs (Iris Xe, UHD, Meteor Lake "Arc Graphics") read socketed RAM of any speed: they are left out,
 * so the RAM bandwidth (see ram.ts) answers for them.
 */
function arc(
  key: string,
  name: string,
  memoryGb: number,
  bandwidthGBps: number,
  bus: string,
  extra: { aliases?: readonly string[]; pciIds?: readonly string[] } = {},
): GpuSpec {
  return defineGpu({
    key,
    name,
    vendor: "intel",
    memoryGb,
    bandwidthGBps,
    fp16Tflops: null,
    source: `Intel ARK: ${name.replace(/^Intel /, "")} (${memoryGb} GB GDDR6, ${bus}, ${bandwidthGBps} GB/s)`,
    ...extra,
  });
}

function lunarLake(key: string, name: string, model: string): GpuSpec {
  return defineGpu({
    key,
    name,
    vendor: "intel",
    memoryGb: null,
    bandwidthGBps: 136.5,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    source: `Intel ARK: Intel Core Ultra ${model} (Lunar Lake; on-package LPDDR5X-8533, 128-bit: 136.5 GB/s)`,
  });
}

export const INTEL_GPUS: readonly GpuSpec[] = [
  arc("intel-arc-a380", "Intel Arc A380", 6, 186, "96-bit", { pciIds: ["8086:56a5"] }),
  arc("intel-arc-a580", "Intel Arc A580", 8, 512, "256-bit", { pciIds: ["8086:56a2"] }),
  arc("intel-arc-a750", "Intel Arc A750", 8, 512, "256-bit", { pciIds: ["8086:56a1"] }),
  arc("intel-arc-a770-8gb", "Intel Arc A770 8GB", 8, 512, "256-bit", { aliases: ["Intel Arc A770"] }),
  arc("intel-arc-a770-16gb", "Intel Arc A770 16GB", 16, 560, "256-bit", { aliases: ["Intel Arc A770"] }),
  arc("intel-arc-b570", "Intel Arc B570", 10, 380, "160-bit", { pciIds: ["8086:e20c"] }),
  arc("intel-arc-b580", "Intel Arc B580", 12, 456, "192-bit", { pciIds: ["8086:e20b"] }),
  arc("intel-arc-pro-b50", "Intel Arc Pro B50", 16, 224, "128-bit"),
  arc("intel-arc-pro-b60", "Intel Arc Pro B60", 24, 456, "192-bit"),
  lunarLake("intel-arc-140v", "Intel Arc 140V GPU", "7 Processor 258V"),
  lunarLake("intel-arc-130v", "Intel Arc 130V GPU", "5 Processor 226V"),
];
