// Apple silicon M1..M5: unified-memory bandwidth per chip, split by GPU core count where Apple's figure differs.
import { defineGpu } from "./define.js";
import type { GpuSpec } from "./types.js";

/**
 * Every Apple chip is unified and integrated and sold with several memory sizes, so `memoryBytes` is null.
 * Apple publishes no dense FP16 figure: `fp16Tflops` is null. A chip whose bandwidth is the same for all its
 * GPU configurations has one entry (gpuCores null); M3 Max and M4 Max have one per configuration.
 */
function apple(
  key: string,
  chip: string,
  bandwidthGBps: number,
  source: string,
  gpuCores: number | null = null,
  bandwidthAssumedPct?: number,
): GpuSpec {
  return defineGpu({
    key,
    name: gpuCores === null ? `Apple ${chip}` : `Apple ${chip} (${gpuCores}-core GPU)`,
    vendor: "apple",
    memoryGb: null,
    bandwidthGBps,
    fp16Tflops: null,
    unifiedMemory: true,
    integrated: true,
    gpuCores,
    aliases: gpuCores === null ? [] : [`Apple ${chip}`],
    source,
    ...(bandwidthAssumedPct === undefined ? {} : { bandwidthAssumedPct }),
  });
}

export const APPLE_GPUS: readonly GpuSpec[] = [
  apple("apple-m1", "M1", 68.25, "Apple M1 technical specifications (LPDDR4X-4266, 128-bit: 68.25 GB/s)"),
  apple("apple-m1-pro", "M1 Pro", 200, "Apple MacBook Pro (2021) technical specifications: M1 Pro, 200GB/s"),
  apple("apple-m1-max", "M1 Max", 400, "Apple MacBook Pro (2021) technical specifications: M1 Max, 400GB/s"),
  apple("apple-m1-ultra", "M1 Ultra", 800, "Apple Mac Studio (2022) technical specifications: M1 Ultra, 800GB/s"),
  apple("apple-m2", "M2", 100, "Apple M2 announcement and MacBook Air technical specifications: 100GB/s"),
  apple("apple-m2-pro", "M2 Pro", 200, "Apple MacBook Pro (2023) technical specifications: M2 Pro, 200GB/s"),
  apple("apple-m2-max", "M2 Max", 400, "Apple MacBook Pro (2023) technical specifications: M2 Max, 400GB/s"),
  apple("apple-m2-ultra", "M2 Ultra", 800, "Apple Mac Studio (2023) technical specifications: M2 Ultra, 800GB/s"),
  apple("apple-m3", "M3", 100, "Apple MacBook Air (M3) technical specifications: 100GB/s"),
  apple("apple-m3-pro", "M3 Pro", 150, "Apple MacBook Pro (Nov 2023) technical specifications: M3 Pro, 150GB/s"),
  apple(
    "apple-m3-max-30c",
    "M3 Max",
    300,
    "Apple MacBook Pro (Nov 2023) technical specifications: M3 Max with 30-core GPU, 300GB/s",
    30,
  ),
  apple(
    "apple-m3-max-40c",
    "M3 Max",
    400,
    "Apple MacBook Pro (Nov 2023) technical specifications: M3 Max with 40-core GPU, 400GB/s",
    40,
  ),
  apple("apple-m3-ultra", "M3 Ultra", 819, "Apple Mac Studio (2025) technical specifications: M3 Ultra, 819GB/s"),
  apple("apple-m4", "M4", 120, "Apple Mac mini (M4) technical specifications: M4, 120GB/s"),
  apple("apple-m4-pro", "M4 Pro", 273, "Apple Mac mini (M4) technical specifications: M4 Pro, 273GB/s"),
  apple(
    "apple-m4-max-32c",
    "M4 Max",
    410,
    "Apple MacBook Pro (M4) technical specifications: M4 Max with 32-core GPU, 410GB/s",
    32,
  ),
  apple(
    "apple-m4-max-40c",
    "M4 Max",
    546,
    "Apple MacBook Pro (M4) technical specifications: M4 Max with 40-core GPU, 546GB/s",
    40,
  ),
  apple("apple-m5", "M5", 153, "Apple M5 announcement (October 2025) and MacBook Pro (M5) technical specifications: 153GB/s"),
  // The M5 Pro and M5 Max: no Apple spec page was checked for these figures, so each is marked assumed (see
  // bandwidthAssumedPct) and says what it rests on. The M5 runs LPDDR5X-9600 (153.6GB/s on 128 bits).
  apple(
    "apple-m5-pro",
    "M5 Pro",
    307.2,
    "inferred, no published figure checked: the M4 Pro's 256-bit bus (273GB/s = LPDDR5X-8533 x 256 bits) at the M5's " +
      "LPDDR5X-9600 is 307.2GB/s (the same inference gives the M5 Max 40-core's 614GB/s); the M4 Pro's 273GB/s is too low " +
      "for a dev-set run (Mistral Small 3.2 24B Q4_K_M, 14.3 GB, at 19.8 tok/s)",
    null,
    15,
  ),
  apple(
    "apple-m5-max-32c",
    "M5 Max",
    460.8,
    "inferred, no published figure checked: the M4 Max with 32-core GPU has a 384-bit bus (410GB/s = LPDDR5X-8533 x " +
      "384 bits); at the M5's LPDDR5X-9600 that is 460.8GB/s",
    32,
    10,
  ),
  apple(
    "apple-m5-max-40c",
    "M5 Max",
    614,
    "llama.cpp discussion 4167 (Apple Silicon performance table, transcribed in test/fixtures/reference/decode-speeds.csv): " +
      "M5 Max 40-core GPU, 614GB/s = LPDDR5X-9600 on a 512-bit bus (the M4 Max 40-core's width); Apple's page not checked here",
    40,
    5,
  ),
];

/** The memory sizes (GB, as Apple sells them) each variant of a chip sold in several GPU configurations comes with. */
export interface AppleMemoryConfigs {
  sizesGb: readonly number[];
  source: string;
  /** Set when the sizes are not Apple's published list for this chip but taken from another (assumed). */
  assumed?: string;
}

/**
 * Which memory sizes come with which GPU configuration, for chips whose bandwidth differs by configuration: a
 * described "Apple M3 Max" with 36 GB is the 30-core chip. Only the variants listed here are told apart by memory.
 */
export const APPLE_MEMORY_CONFIGS: Readonly<Record<string, AppleMemoryConfigs>> = {
  "apple-m3-max-30c": {
    sizesGb: [36, 96],
    source: "Apple MacBook Pro (Nov 2023) technical specifications: M3 Max with 30-core GPU, 36GB or 96GB",
  },
  "apple-m3-max-40c": {
    sizesGb: [48, 64, 128],
    source: "Apple MacBook Pro (Nov 2023) technical specifications: M3 Max with 40-core GPU, 48GB, 64GB or 128GB",
  },
  "apple-m4-max-32c": {
    sizesGb: [36],
    source: "Apple MacBook Pro (M4) and Mac Studio (2025) technical specifications: M4 Max with 32-core GPU, 36GB",
  },
  "apple-m4-max-40c": {
    sizesGb: [48, 64, 128],
    source: "Apple MacBook Pro (M4) and Mac Studio (2025) technical specifications: M4 Max with 40-core GPU, 48GB, 64GB or 128GB",
  },
  "apple-m5-max-32c": {
    sizesGb: [36],
    source: "the M4 Max's configurations",
    assumed: "the M5 Max's memory configurations are taken to be the M4 Max's (36GB with the 32-core GPU)",
  },
  "apple-m5-max-40c": {
    sizesGb: [48, 64, 128],
    source: "the M4 Max's configurations",
    assumed: "the M5 Max's memory configurations are taken to be the M4 Max's (48GB and up with the 40-core GPU)",
  },
};
