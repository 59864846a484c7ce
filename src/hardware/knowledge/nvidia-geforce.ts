// NVIDIA GeForce desktop cards (GTX 10 / 16, RTX 20 / 30 / 40 / 50): memory, bandwidth and FP16 tensor figures.
import { NVIDIA_TENSOR_RATE, NVIDIA_WHITEPAPER, defineGpu, tensorTflops, tpuDerivedSource, tpuSource } from "./define.js";
import type { GpuSpec } from "./types.js";

type Arch = keyof typeof NVIDIA_WHITEPAPER;

interface Extra {
  aliases?: readonly string[];
  pciIds?: readonly string[];
}

/** A card without tensor cores (Pascal, Turing TU11x): FP16 tensor is null. */
function noTensor(key: string, model: string, memoryGb: number, bandwidthGBps: number, extra: Extra = {}): GpuSpec {
  return defineGpu({
    key,
    name: `NVIDIA GeForce ${model}`,
    vendor: "nvidia",
    memoryGb,
    bandwidthGBps,
    fp16Tflops: null,
    source: `${tpuSource(`NVIDIA GeForce ${model}`)} (no tensor cores: FP16 tensor not applicable)`,
    ...extra,
  });
}

/** A card with tensor cores: FP16 derived from SMs x boost clock x the GeForce per-SM rate of its architecture. */
function tensor(
  key: string,
  model: string,
  memoryGb: number,
  bandwidthGBps: number,
  sms: number,
  boostMhz: number,
  arch: Arch,
  extra: Extra & { rate?: number } = {},
): GpuSpec {
  const rate = extra.rate ?? NVIDIA_TENSOR_RATE.geforce;
  const name = `NVIDIA ${model.startsWith("TITAN") ? "" : "GeForce "}${model}`;
  return defineGpu({
    key,
    name,
    vendor: "nvidia",
    memoryGb,
    bandwidthGBps,
    fp16Tflops: tensorTflops(sms, boostMhz, rate),
    source: tpuDerivedSource(name, sms, boostMhz, rate, NVIDIA_WHITEPAPER[arch]),
    ...(extra.aliases === undefined ? {} : { aliases: extra.aliases }),
    ...(extra.pciIds === undefined ? {} : { pciIds: extra.pciIds }),
  });
}

export const NVIDIA_GEFORCE_GPUS: readonly GpuSpec[] = [
  // Pascal (GTX 10): no tensor cores, FP16 at 1/64 rate.
  noTensor("nvidia-gtx-1050", "GTX 1050", 2, 112, { pciIds: ["10de:1c81"] }),
  noTensor("nvidia-gtx-1050-ti", "GTX 1050 Ti", 4, 112, { pciIds: ["10de:1c82"] }),
  noTensor("nvidia-gtx-1060-3gb", "GTX 1060 3GB", 3, 192, { pciIds: ["10de:1c02"], aliases: ["NVIDIA GeForce GTX 1060"] }),
  noTensor("nvidia-gtx-1060-6gb", "GTX 1060 6GB", 6, 192, { pciIds: ["10de:1c03"], aliases: ["NVIDIA GeForce GTX 1060"] }),
  noTensor("nvidia-gtx-1070", "GTX 1070", 8, 256, { pciIds: ["10de:1b81"] }),
  noTensor("nvidia-gtx-1070-ti", "GTX 1070 Ti", 8, 256, { pciIds: ["10de:1b82"] }),
  noTensor("nvidia-gtx-1080", "GTX 1080", 8, 320, { pciIds: ["10de:1b80"] }),
  noTensor("nvidia-gtx-1080-ti", "GTX 1080 Ti", 11, 484, { pciIds: ["10de:1b06"] }),
  defineGpu({
    key: "nvidia-titan-xp",
    name: "NVIDIA TITAN Xp",
    vendor: "nvidia",
    memoryGb: 12,
    bandwidthGBps: 547.7,
    fp16Tflops: null,
    pciIds: ["10de:1b02"],
    source: `${tpuSource("NVIDIA TITAN Xp")} (no tensor cores)`,
  }),

  // Turing TU11x (GTX 16): no tensor cores.
  noTensor("nvidia-gtx-1650", "GTX 1650", 4, 128, { pciIds: ["10de:1f82"] }),
  noTensor("nvidia-gtx-1650-super", "GTX 1650 SUPER", 4, 192, { pciIds: ["10de:2187"] }),
  noTensor("nvidia-gtx-1660", "GTX 1660", 6, 192, { pciIds: ["10de:2184"] }),
  noTensor("nvidia-gtx-1660-super", "GTX 1660 SUPER", 6, 336, { pciIds: ["10de:21c4"] }),
  noTensor("nvidia-gtx-1660-ti", "GTX 1660 Ti", 6, 288, { pciIds: ["10de:2182"] }),

  // Turing (RTX 20).
  tensor("nvidia-rtx-2060", "RTX 2060", 6, 336, 30, 1680, "turing", { pciIds: ["10de:1f08"] }),
  tensor("nvidia-rtx-2060-12gb", "RTX 2060 12GB", 12, 336, 34, 1650, "turing", {
    pciIds: ["10de:1f03"],
    aliases: ["NVIDIA GeForce RTX 2060"],
  }),
  tensor("nvidia-rtx-2060-super", "RTX 2060 SUPER", 8, 448, 34, 1650, "turing", { pciIds: ["10de:1f06"] }),
  tensor("nvidia-rtx-2070", "RTX 2070", 8, 448, 36, 1620, "turing", { pciIds: ["10de:1f02", "10de:1f07"] }),
  tensor("nvidia-rtx-2070-super", "RTX 2070 SUPER", 8, 448, 40, 1770, "turing", { pciIds: ["10de:1e84"] }),
  tensor("nvidia-rtx-2080", "RTX 2080", 8, 448, 46, 1710, "turing", { pciIds: ["10de:1e82", "10de:1e87"] }),
  tensor("nvidia-rtx-2080-super", "RTX 2080 SUPER", 8, 496, 48, 1815, "turing", { pciIds: ["10de:1e81"] }),
  tensor("nvidia-rtx-2080-ti", "RTX 2080 Ti", 11, 616, 68, 1545, "turing", { pciIds: ["10de:1e04", "10de:1e07"] }),
  // TITAN RTX runs FP32-accumulate at full rate (Turing whitepaper).
  tensor("nvidia-titan-rtx", "TITAN RTX", 24, 672, 72, 1770, "turing", {
    rate: NVIDIA_TENSOR_RATE.pro,
    pciIds: ["10de:1e02"],
  }),

  // Ampere GA10x (RTX 30).
  tensor("nvidia-rtx-3050-6gb", "RTX 3050 6GB", 6, 168, 18, 1470, "ampere", { aliases: ["NVIDIA GeForce RTX 3050"] }),
  tensor("nvidia-rtx-3050-8gb", "RTX 3050 8GB", 8, 224, 20, 1777, "ampere", { aliases: ["NVIDIA GeForce RTX 3050"] }),
  tensor("nvidia-rtx-3060-8gb", "RTX 3060 8GB", 8, 240, 28, 1777, "ampere", { aliases: ["NVIDIA GeForce RTX 3060"] }),
  tensor("nvidia-rtx-3060-12gb", "RTX 3060 12GB", 12, 360, 28, 1777, "ampere", { aliases: ["NVIDIA GeForce RTX 3060"] }),
  tensor("nvidia-rtx-3060-ti", "RTX 3060 Ti", 8, 448, 38, 1665, "ampere", { pciIds: ["10de:2486", "10de:2489"] }),
  tensor("nvidia-rtx-3070", "RTX 3070", 8, 448, 46, 1725, "ampere", { pciIds: ["10de:2484", "10de:2488"] }),
  tensor("nvidia-rtx-3070-ti", "RTX 3070 Ti", 8, 608, 48, 1770, "ampere", { pciIds: ["10de:2482"] }),
  tensor("nvidia-rtx-3080-10gb", "RTX 3080 10GB", 10, 760, 68, 1710, "ampere", {
    pciIds: ["10de:2206", "10de:2216"],
    aliases: ["NVIDIA GeForce RTX 3080"],
  }),
  tensor("nvidia-rtx-3080-12gb", "RTX 3080 12GB", 12, 912, 70, 1710, "ampere", {
    pciIds: ["10de:220a"],
    aliases: ["NVIDIA GeForce RTX 3080"],
  }),
  tensor("nvidia-rtx-3080-ti", "RTX 3080 Ti", 12, 912, 80, 1665, "ampere", { pciIds: ["10de:2208"] }),
  tensor("nvidia-rtx-3090", "RTX 3090", 24, 936, 82, 1695, "ampere", { pciIds: ["10de:2204"] }),
  tensor("nvidia-rtx-3090-ti", "RTX 3090 Ti", 24, 1008, 84, 1860, "ampere", { pciIds: ["10de:2203"] }),

  // Ada (RTX 40).
  tensor("nvidia-rtx-4060", "RTX 4060", 8, 272, 24, 2460, "ada", { pciIds: ["10de:2882"] }),
  tensor("nvidia-rtx-4060-ti-8gb", "RTX 4060 Ti 8GB", 8, 288, 34, 2535, "ada", {
    pciIds: ["10de:2803"],
    aliases: ["NVIDIA GeForce RTX 4060 Ti"],
  }),
  tensor("nvidia-rtx-4060-ti-16gb", "RTX 4060 Ti 16GB", 16, 288, 34, 2535, "ada", {
    pciIds: ["10de:2805"],
    aliases: ["NVIDIA GeForce RTX 4060 Ti"],
  }),
  tensor("nvidia-rtx-4070", "RTX 4070", 12, 504, 46, 2475, "ada", { pciIds: ["10de:2786"] }),
  tensor("nvidia-rtx-4070-super", "RTX 4070 SUPER", 12, 504, 56, 2475, "ada", { pciIds: ["10de:2783"] }),
  tensor("nvidia-rtx-4070-ti", "RTX 4070 Ti", 12, 504, 60, 2610, "ada", { pciIds: ["10de:2782"] }),
  tensor("nvidia-rtx-4070-ti-super", "RTX 4070 Ti SUPER", 16, 672, 66, 2610, "ada", { pciIds: ["10de:2705"] }),
  tensor("nvidia-rtx-4080", "RTX 4080", 16, 716.8, 76, 2505, "ada", { pciIds: ["10de:2704"] }),
  tensor("nvidia-rtx-4080-super", "RTX 4080 SUPER", 16, 736, 80, 2550, "ada", { pciIds: ["10de:2702"] }),
  tensor("nvidia-rtx-4090", "RTX 4090", 24, 1008, 128, 2520, "ada", { pciIds: ["10de:2684"] }),
  tensor("nvidia-rtx-4090-d", "RTX 4090 D", 24, 1008, 114, 2520, "ada", { pciIds: ["10de:2685"] }),

  // Blackwell GB20x (RTX 50).
  tensor("nvidia-rtx-5050", "RTX 5050", 8, 320, 20, 2572, "blackwell"),
  tensor("nvidia-rtx-5060", "RTX 5060", 8, 448, 30, 2497, "blackwell"),
  tensor("nvidia-rtx-5060-ti-8gb", "RTX 5060 Ti 8GB", 8, 448, 36, 2572, "blackwell", {
    aliases: ["NVIDIA GeForce RTX 5060 Ti"],
  }),
  tensor("nvidia-rtx-5060-ti-16gb", "RTX 5060 Ti 16GB", 16, 448, 36, 2572, "blackwell", {
    aliases: ["NVIDIA GeForce RTX 5060 Ti"],
  }),
  tensor("nvidia-rtx-5070", "RTX 5070", 12, 672, 48, 2512, "blackwell"),
  tensor("nvidia-rtx-5070-ti", "RTX 5070 Ti", 16, 896, 70, 2452, "blackwell", { pciIds: ["10de:2c05"] }),
  tensor("nvidia-rtx-5080", "RTX 5080", 16, 960, 84, 2617, "blackwell", { pciIds: ["10de:2c02"] }),
  tensor("nvidia-rtx-5090", "RTX 5090", 32, 1792, 170, 2407, "blackwell", { pciIds: ["10de:2b85"] }),
];
