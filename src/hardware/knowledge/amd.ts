// AMD accelerators: Radeon RDNA2/3/4 cards, Radeon PRO, Instinct CDNA, and the Ryzen APUs' integrated GPUs.
import { defineGpu, tensorTflops } from "./define.js";
import type { GpuSpec } from "./types.js";

/**
 * Dense FP16 FLOP per clock per compute unit. RDNA2 has no matrix units: packed FP16 shader math (64 lanes x
 * FMA x 2). RDNA3: WMMA, twice that. RDNA4: AI accelerators, twice RDNA3 (AMD's 1557 INT4-sparse TOPS for
 * the RX 9070 XT is 8x the dense FP16 figure this gives). Each is how AMD computes its published peaks.
 */
const AMD_FP16_RATE = { rdna2: 256, rdna3: 512, rdna4: 1024 } as const;

type Rdna = keyof typeof AMD_FP16_RATE;

function radeon(
  key: string,
  name: string,
  memoryGb: number,
  bandwidthGBps: number,
  cus: number,
  boostMhz: number,
  arch: Rdna,
  extra: { aliases?: readonly string[]; pciIds?: readonly string[] } = {},
): GpuSpec {
  const rate = AMD_FP16_RATE[arch];
  return defineGpu({
    key,
    name,
    vendor: "amd",
    memoryGb,
    bandwidthGBps,
    fp16Tflops: tensorTflops(cus, boostMhz, rate),
    source:
      `AMD product specifications: ${name.replace(/^AMD /, "")} (amd.com: memory, bandwidth, CUs, boost clock); ` +
      `FP16 = ${cus} CUs x ${boostMhz} MHz x ${rate} FLOP/clk/CU (${arch.toUpperCase()})`,
    ...extra,
  });
}

function instinct(
  key: string,
  name: string,
  memoryGb: number,
  bandwidthGBps: number,
  fp16Tflops: number,
  source: string,
  extra: { aliases?: readonly string[]; pciIds?: readonly string[]; unified?: boolean } = {},
): GpuSpec {
  return defineGpu({
    key,
    name,
    vendor: "amd",
    memoryGb,
    bandwidthGBps,
    fp16Tflops,
    source,
    ...(extra.aliases === undefined ? {} : { aliases: extra.aliases }),
    ...(extra.pciIds === undefined ? {} : { pciIds: extra.pciIds }),
    ...(extra.unified === true ? { unifiedMemory: true, integrated: true } : {}),
  });
}

export const AMD_GPUS: readonly GpuSpec[] = [
  // RDNA2 (RX 6000): bandwidth is the GDDR6 figure, without Infinity Cache.
  radeon("amd-rx-6600", "AMD Radeon RX 6600", 8, 224, 28, 2491, "rdna2"),
  radeon("amd-rx-6600-xt", "AMD Radeon RX 6600 XT", 8, 256, 32, 2589, "rdna2"),
  radeon("amd-rx-6650-xt", "AMD Radeon RX 6650 XT", 8, 280, 32, 2635, "rdna2"),
  radeon("amd-rx-6700", "AMD Radeon RX 6700", 10, 320, 36, 2450, "rdna2"),
  radeon("amd-rx-6700-xt", "AMD Radeon RX 6700 XT", 12, 384, 40, 2581, "rdna2"),
  radeon("amd-rx-6750-xt", "AMD Radeon RX 6750 XT", 12, 432, 40, 2600, "rdna2"),
  radeon("amd-rx-6800", "AMD Radeon RX 6800", 16, 512, 60, 2105, "rdna2"),
  radeon("amd-rx-6800-xt", "AMD Radeon RX 6800 XT", 16, 512, 72, 2250, "rdna2"),
  radeon("amd-rx-6900-xt", "AMD Radeon RX 6900 XT", 16, 512, 80, 2250, "rdna2"),
  radeon("amd-rx-6950-xt", "AMD Radeon RX 6950 XT", 16, 576, 80, 2310, "rdna2"),

  // RDNA3 (RX 7000, Radeon PRO W7000).
  radeon("amd-rx-7600", "AMD Radeon RX 7600", 8, 288, 32, 2655, "rdna3"),
  radeon("amd-rx-7600-xt", "AMD Radeon RX 7600 XT", 16, 288, 32, 2755, "rdna3"),
  radeon("amd-rx-7700-xt", "AMD Radeon RX 7700 XT", 12, 432, 54, 2544, "rdna3"),
  radeon("amd-rx-7800-xt", "AMD Radeon RX 7800 XT", 16, 624, 60, 2430, "rdna3"),
  radeon("amd-rx-7900-gre", "AMD Radeon RX 7900 GRE", 16, 576, 80, 2245, "rdna3"),
  radeon("amd-rx-7900-xt", "AMD Radeon RX 7900 XT", 20, 800, 84, 2400, "rdna3"),
  radeon("amd-rx-7900-xtx", "AMD Radeon RX 7900 XTX", 24, 960, 96, 2500, "rdna3"),
  defineGpu({
    key: "amd-radeon-pro-w7800",
    name: "AMD Radeon PRO W7800",
    vendor: "amd",
    memoryGb: 32,
    bandwidthGBps: 576,
    fp16Tflops: null,
    aliases: ["W7800"],
    source: "AMD Radeon PRO W7800 specifications (amd.com: 32 GB GDDR6, 256-bit, 576 GB/s)",
  }),
  radeon("amd-radeon-pro-w7900", "AMD Radeon PRO W7900", 48, 864, 96, 2495, "rdna3", {
    aliases: ["W7900"],
    pciIds: ["1002:7448"],
  }),

  // RDNA4 (RX 9000, Radeon AI PRO).
  radeon("amd-rx-9060-xt-8gb", "AMD Radeon RX 9060 XT 8GB", 8, 320, 32, 3130, "rdna4", {
    aliases: ["AMD Radeon RX 9060 XT"],
  }),
  radeon("amd-rx-9060-xt-16gb", "AMD Radeon RX 9060 XT 16GB", 16, 320, 32, 3130, "rdna4", {
    aliases: ["AMD Radeon RX 9060 XT"],
  }),
  radeon("amd-rx-9070", "AMD Radeon RX 9070", 16, 640, 56, 2520, "rdna4"),
  radeon("amd-rx-9070-xt", "AMD Radeon RX 9070 XT", 16, 640, 64, 2970, "rdna4"),
  radeon("amd-radeon-ai-pro-r9700", "AMD Radeon AI PRO R9700", 32, 640, 64, 2920, "rdna4", { aliases: ["R9700"] }),

  // CDNA (Instinct). MI250 / MI250X carry two GCDs that the OS sees as two devices: figures are per GCD.
  instinct(
    "amd-instinct-mi100",
    "AMD Instinct MI100",
    32,
    1228.8,
    184.6,
    "AMD Instinct MI100 datasheet (32 GB HBM2, 1.2288 TB/s; peak FP16 matrix 184.6 TFLOPS)",
    { pciIds: ["1002:738c"] },
  ),
  instinct(
    "amd-instinct-mi210",
    "AMD Instinct MI210",
    64,
    1638.4,
    181,
    "AMD Instinct MI210 datasheet (64 GB HBM2e, 1.6384 TB/s; peak FP16/BF16 matrix 181 TFLOPS)",
    { pciIds: ["1002:740f"] },
  ),
  instinct(
    "amd-instinct-mi250",
    "AMD Instinct MI250 (per GCD)",
    64,
    1638.4,
    181,
    "AMD Instinct MI250 datasheet (128 GB HBM2e, 3.2768 TB/s, FP16 matrix 362.1 TFLOPS per OAM of two GCDs): per GCD",
    { aliases: ["AMD Instinct MI250"] },
  ),
  instinct(
    "amd-instinct-mi250x",
    "AMD Instinct MI250X (per GCD)",
    64,
    1638.4,
    191.5,
    "AMD Instinct MI250X datasheet (128 GB HBM2e, 3.2768 TB/s, FP16 matrix 383 TFLOPS per OAM of two GCDs): per GCD",
    { aliases: ["AMD Instinct MI250X"] },
  ),
  instinct(
    "amd-instinct-mi300a",
    "AMD Instinct MI300A",
    128,
    5300,
    980.6,
    "AMD Instinct MI300A datasheet (128 GB unified HBM3, 5.3 TB/s; peak FP16 matrix 980.6 TFLOPS dense)",
    { unified: true, pciIds: ["1002:74a0"] },
  ),
  instinct(
    "amd-instinct-mi300x",
    "AMD Instinct MI300X",
    192,
    5300,
    1307.4,
    "AMD Instinct MI300X datasheet (192 GB HBM3, 5.3 TB/s; peak FP16 matrix 1307.4 TFLOPS dense)",
    { aliases: ["AMD Instinct MI300X OAM", "Instinct MI300X VF"], pciIds: ["1002:74a1"] },
  ),
  instinct(
    "amd-instinct-mi325x",
    "AMD Instinct MI325X",
    256,
    6000,
    1307.4,
    "AMD Instinct MI325X datasheet (256 GB HBM3E, 6 TB/s; peak FP16 matrix 1307.4 TFLOPS dense)",
    { aliases: ["AMD Instinct MI325X OAM"] },
  ),
  instinct(
    "amd-instinct-mi350x",
    "AMD Instinct MI350X",
    288,
    8000,
    2300,
    "AMD Instinct MI350X specifications (288 GB HBM3E, 8 TB/s; peak FP16 matrix 2.3 PFLOPS dense)",
  ),
  instinct(
    "amd-instinct-mi355x",
    "AMD Instinct MI355X",
    288,
    8000,
    2500,
    "AMD Instinct MI355X specifications (288 GB HBM3E, 8 TB/s; peak FP16 matrix 2.5 PFLOPS dense)",
  ),

  // APUs: the GPU shares system memory. Strix Halo's LPDDR5X is soldered (always 256-bit, 8000 MT/s); the
  // 780M / 890M read whatever memory the laptop has, so their figure is the fastest supported configuration.
  defineGpu({
    key: "amd-radeon-8060s",
    name: "AMD Radeon 8060S Graphics",
    vendor: "amd",
    memoryGb: null,
    bandwidthGBps: 256,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    aliases: ["AMD Ryzen AI Max+ 395", "AMD Ryzen AI Max+ PRO 395", "Strix Halo"],
    source: "AMD Ryzen AI Max+ 395 specifications (amd.com: Radeon 8060S, 40 CUs; LPDDR5x-8000, 256-bit: 256 GB/s)",
  }),
  defineGpu({
    key: "amd-radeon-8050s",
    name: "AMD Radeon 8050S Graphics",
    vendor: "amd",
    memoryGb: null,
    bandwidthGBps: 256,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    aliases: ["AMD Ryzen AI Max 390", "AMD Ryzen AI Max 385", "Strix Halo"],
    source: "AMD Ryzen AI Max 390 specifications (amd.com: Radeon 8050S, 32 CUs; LPDDR5x-8000, 256-bit: 256 GB/s)",
  }),
  defineGpu({
    key: "amd-radeon-890m",
    name: "AMD Radeon 890M Graphics",
    vendor: "amd",
    memoryGb: null,
    bandwidthGBps: 120,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    systemRamBandwidth: true,
    aliases: ["AMD Ryzen AI 9 HX 370"],
    source:
      "AMD Ryzen AI 9 HX 370 specifications (amd.com: LPDDR5x-7500 or DDR5-5600, 128-bit: 120 GB/s with LPDDR5x-7500, " +
      "89.6 GB/s with DDR5-5600)",
  }),
  defineGpu({
    key: "amd-radeon-780m",
    name: "AMD Radeon 780M Graphics",
    vendor: "amd",
    memoryGb: null,
    bandwidthGBps: 120,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    systemRamBandwidth: true,
    source:
      "AMD Ryzen 7 7840U specifications (amd.com: LPDDR5x-7500 or DDR5-5600, 128-bit: 120 GB/s with LPDDR5x-7500, " +
      "89.6 GB/s with DDR5-5600)",
  }),
];
