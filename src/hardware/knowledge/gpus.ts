// The GPU knowledge base: every table in one read-only list, and its size per vendor.
import type { GpuVendor } from "../../domain/machine.js";
import { AMD_GPUS } from "./amd.js";
import { APPLE_GPUS } from "./apple.js";
import { INTEL_GPUS } from "./intel.js";
import { NVIDIA_DATACENTER_GPUS } from "./nvidia-datacenter.js";
import { NVIDIA_EDGE_GPUS } from "./nvidia-edge.js";
import { NVIDIA_GEFORCE_GPUS } from "./nvidia-geforce.js";
import { NVIDIA_LAPTOP_GPUS } from "./nvidia-laptop.js";
import { NVIDIA_WORKSTATION_GPUS } from "./nvidia-workstation.js";
import type { GpuSpec } from "./types.js";

export const GPU_KNOWLEDGE: readonly GpuSpec[] = [
  ...NVIDIA_GEFORCE_GPUS,
  ...NVIDIA_LAPTOP_GPUS,
  ...NVIDIA_WORKSTATION_GPUS,
  ...NVIDIA_DATACENTER_GPUS,
  ...NVIDIA_EDGE_GPUS,
  ...AMD_GPUS,
  ...INTEL_GPUS,
  ...APPLE_GPUS,
];

export const gpuKnowledgeSize = (): number => GPU_KNOWLEDGE.length;

/** Entries per vendor, every vendor listed (0 where the knowledge base has none). */
export function gpuKnowledgeCountByVendor(): Record<GpuVendor, number> {
  const counts: Record<GpuVendor, number> = { nvidia: 0, amd: 0, intel: 0, apple: 0, huawei: 0, other: 0 };
  for (const g of GPU_KNOWLEDGE) counts[g.vendor] += 1;
  return counts;
}

const BY_KEY = new Map(GPU_KNOWLEDGE.map((g) => [g.key, g] as const));

/** The entry with this key, or null. */
export const gpuSpecByKey = (key: string): GpuSpec | null => BY_KEY.get(key) ?? null;
