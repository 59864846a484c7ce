// The GPU knowledge base: every table in one read-only list.
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
