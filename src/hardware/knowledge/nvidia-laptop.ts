// NVIDIA GeForce laptop GPUs (RTX 30 / 40 / 50 Laptop): memory and bandwidth differ from the desktop cards.
import { defineGpu, tpuSource } from "./define.js";
import type { GpuSpec } from "./types.js";

/**
 * FP16 tensor is null for every laptop part: the boost clock (and so the peak) depends on the power limit
 * each laptop maker sets, and NVIDIA publishes no single figure.
 */
function laptop(key: string, model: string, memoryGb: number, bandwidthGBps: number, busBits: number): GpuSpec {
  return defineGpu({
    key,
    name: `NVIDIA GeForce ${model} Laptop GPU`,
    vendor: "nvidia",
    memoryGb,
    bandwidthGBps,
    fp16Tflops: null,
    aliases: [`GeForce ${model} Mobile`],
    source: `${tpuSource(`NVIDIA GeForce ${model} Mobile`)} (${memoryGb} GB, ${busBits}-bit)`,
  });
}

export const NVIDIA_LAPTOP_GPUS: readonly GpuSpec[] = [
  laptop("nvidia-rtx-3050-laptop", "RTX 3050", 4, 192, 128),
  laptop("nvidia-rtx-3050-ti-laptop", "RTX 3050 Ti", 4, 192, 128),
  laptop("nvidia-rtx-3060-laptop", "RTX 3060", 6, 336, 192),
  laptop("nvidia-rtx-3070-laptop", "RTX 3070", 8, 448, 256),
  laptop("nvidia-rtx-3070-ti-laptop", "RTX 3070 Ti", 8, 448, 256),
  // The RTX 3080 Laptop GPU shipped with 8 GB and with 16 GB on the same 256-bit bus.
  laptop("nvidia-rtx-3080-laptop-8gb", "RTX 3080", 8, 448, 256),
  laptop("nvidia-rtx-3080-laptop-16gb", "RTX 3080", 16, 448, 256),
  laptop("nvidia-rtx-3080-ti-laptop", "RTX 3080 Ti", 16, 512, 256),
  laptop("nvidia-rtx-4050-laptop", "RTX 4050", 6, 192, 96),
  laptop("nvidia-rtx-4060-laptop", "RTX 4060", 8, 256, 128),
  laptop("nvidia-rtx-4070-laptop", "RTX 4070", 8, 256, 128),
  laptop("nvidia-rtx-4080-laptop", "RTX 4080", 12, 432, 192),
  laptop("nvidia-rtx-4090-laptop", "RTX 4090", 16, 576, 256),
  laptop("nvidia-rtx-5070-laptop", "RTX 5070", 8, 384, 128),
  laptop("nvidia-rtx-5070-ti-laptop", "RTX 5070 Ti", 12, 672, 192),
  laptop("nvidia-rtx-5080-laptop", "RTX 5080", 16, 896, 256),
  laptop("nvidia-rtx-5090-laptop", "RTX 5090", 24, 896, 256),
];
