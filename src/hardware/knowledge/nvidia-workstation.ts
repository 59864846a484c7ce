// NVIDIA workstation cards (Quadro RTX, RTX A-series, RTX Ada Generation, RTX PRO Blackwell).
import { NVIDIA_TENSOR_RATE, NVIDIA_WHITEPAPER, defineGpu, tensorTflops, tpuDerivedSource, tpuSource } from "./define.js";
import type { GpuSpec } from "./types.js";

type Arch = keyof typeof NVIDIA_WHITEPAPER;

/** A workstation card: full-rate FP32-accumulate tensor cores, FP16 derived from SMs x boost clock. */
function pro(
  key: string,
  name: string,
  memoryGb: number,
  bandwidthGBps: number,
  sms: number,
  boostMhz: number,
  arch: Arch,
  extra: { aliases?: readonly string[]; pciIds?: readonly string[] } = {},
): GpuSpec {
  return defineGpu({
    key,
    name,
    vendor: "nvidia",
    memoryGb,
    bandwidthGBps,
    fp16Tflops: tensorTflops(sms, boostMhz, NVIDIA_TENSOR_RATE.pro),
    source: tpuDerivedSource(name, sms, boostMhz, NVIDIA_TENSOR_RATE.pro, NVIDIA_WHITEPAPER[arch]),
    ...extra,
  });
}

/** An RTX PRO Blackwell card whose clocks are not settled in public sources: memory figures only. */
function blackwellPro(key: string, name: string, memoryGb: number, bandwidthGBps: number, aliases: readonly string[]): GpuSpec {
  return defineGpu({
    key,
    name,
    vendor: "nvidia",
    memoryGb,
    bandwidthGBps,
    fp16Tflops: null,
    aliases,
    source: `NVIDIA ${name.replace(/^NVIDIA /, "")} datasheet (nvidia.com); ${tpuSource(name)}`,
  });
}

export const NVIDIA_WORKSTATION_GPUS: readonly GpuSpec[] = [
  // Turing Quadro RTX.
  pro("nvidia-quadro-rtx-4000", "NVIDIA Quadro RTX 4000", 8, 416, 36, 1545, "turing", { pciIds: ["10de:1eb1"] }),
  pro("nvidia-quadro-rtx-5000", "NVIDIA Quadro RTX 5000", 16, 448, 48, 1815, "turing", { pciIds: ["10de:1eb0"] }),
  pro("nvidia-quadro-rtx-6000", "NVIDIA Quadro RTX 6000", 24, 672, 72, 1770, "turing"),
  pro("nvidia-quadro-rtx-8000", "NVIDIA Quadro RTX 8000", 48, 672, 72, 1770, "turing"),

  // Ampere RTX A-series.
  pro("nvidia-rtx-a2000-6gb", "NVIDIA RTX A2000", 6, 288, 26, 1200, "ampere", { aliases: ["RTX A2000 6GB"] }),
  pro("nvidia-rtx-a2000-12gb", "NVIDIA RTX A2000 12GB", 12, 288, 26, 1200, "ampere", { aliases: ["NVIDIA RTX A2000"] }),
  pro("nvidia-rtx-a4000", "NVIDIA RTX A4000", 16, 448, 48, 1560, "ampere", { pciIds: ["10de:24b0"] }),
  pro("nvidia-rtx-a4500", "NVIDIA RTX A4500", 20, 640, 56, 1650, "ampere", { pciIds: ["10de:2232"] }),
  pro("nvidia-rtx-a5000", "NVIDIA RTX A5000", 24, 768, 64, 1695, "ampere", { pciIds: ["10de:2231"] }),
  pro("nvidia-rtx-a5500", "NVIDIA RTX A5500", 24, 768, 80, 1665, "ampere", { pciIds: ["10de:2233"] }),
  pro("nvidia-rtx-a6000", "NVIDIA RTX A6000", 48, 768, 84, 1800, "ampere", { pciIds: ["10de:2230"] }),

  // Ada Generation.
  pro("nvidia-rtx-2000-ada", "NVIDIA RTX 2000 Ada Generation", 16, 224, 22, 2130, "ada"),
  pro("nvidia-rtx-4000-sff-ada", "NVIDIA RTX 4000 SFF Ada Generation", 20, 280, 48, 1565, "ada"),
  pro("nvidia-rtx-4000-ada", "NVIDIA RTX 4000 Ada Generation", 20, 360, 48, 2175, "ada"),
  pro("nvidia-rtx-4500-ada", "NVIDIA RTX 4500 Ada Generation", 24, 432, 60, 2580, "ada"),
  pro("nvidia-rtx-5000-ada", "NVIDIA RTX 5000 Ada Generation", 32, 576, 100, 2550, "ada"),
  pro("nvidia-rtx-6000-ada", "NVIDIA RTX 6000 Ada Generation", 48, 960, 142, 2505, "ada", { pciIds: ["10de:26b1"] }),

  // Blackwell RTX PRO.
  blackwellPro("nvidia-rtx-pro-4000-blackwell", "NVIDIA RTX PRO 4000 Blackwell", 24, 672, ["RTX PRO 4000"]),
  blackwellPro("nvidia-rtx-pro-4500-blackwell", "NVIDIA RTX PRO 4500 Blackwell", 32, 896, ["RTX PRO 4500"]),
  blackwellPro("nvidia-rtx-pro-5000-blackwell", "NVIDIA RTX PRO 5000 Blackwell", 48, 1344, ["RTX PRO 5000"]),
  pro(
    "nvidia-rtx-pro-6000-blackwell",
    "NVIDIA RTX PRO 6000 Blackwell Workstation Edition",
    96,
    1792,
    188,
    2617,
    "blackwell",
  ),
  blackwellPro(
    "nvidia-rtx-pro-6000-blackwell-max-q",
    "NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition",
    96,
    1792,
    ["RTX PRO 6000 Max-Q"],
  ),
  blackwellPro(
    "nvidia-rtx-pro-6000-blackwell-server",
    "NVIDIA RTX PRO 6000 Blackwell Server Edition",
    96,
    1792,
    ["RTX PRO 6000 Server"],
  ),
];
