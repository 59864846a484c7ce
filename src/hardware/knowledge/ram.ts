// RAM bandwidth: the theoretical peak from memory type, transfer rate and channels, and known memory systems.
import { NodefitError } from "../../domain/errors.js";

export const RAM_TYPES = ["DDR3", "DDR4", "DDR5", "LPDDR4", "LPDDR4X", "LPDDR5", "LPDDR5X"] as const;
export type RamType = (typeof RAM_TYPES)[number];

/**
 * Native channel width of each type in bits. A DDR3 / DDR4 DIMM channel is 64 bits; a DDR5 DIMM carries two
 * 32-bit sub-channels (64 bits per DIMM channel, as boards count channels); LPDDR4 / LPDDR4X / LPDDR5 / LPDDR5X
 * channels are 16 bits, and packages combine several (a "128-bit LPDDR5X" laptop has eight).
 */
export const RAM_NATIVE_CHANNEL_BITS: Readonly<Record<RamType, number>> = {
  DDR3: 64,
  DDR4: 64,
  DDR5: 32,
  LPDDR4: 16,
  LPDDR4X: 16,
  LPDDR5: 16,
  LPDDR5X: 16,
};

/** "ddr5", "LPDDR5x", "LPDDR5-X" -> the type; null when it is none of `RAM_TYPES`. */
export function parseRamType(memoryType: string): RamType | null {
  const compact = memoryType.toUpperCase().replace(/[\s_-]/g, "");
  return (RAM_TYPES as readonly string[]).includes(compact) ? (compact as RamType) : null;
}

/**
 * Theoretical peak RAM bandwidth in GB/s: MT/s x 8 bytes x channels / 1000.
 *
 * `channels` counts 64-bit channels, whatever the type: a desktop with two DDR4 or DDR5 DIMM channels is 2
 * (DDR5's two 32-bit sub-channels per DIMM count as one 64-bit channel); for LPDDR, whose native channels are
 * 16 bits, pass the bus width / 64 (a 256-bit LPDDR5X system is 4). `ramChannelsFromBusWidth` converts.
 * Throws `invalid_argument` for an unknown type or a rate / channel count that is not a positive number.
 */
export function ramBandwidthGBps(memoryType: string, speedMTs: number, channels: number): number {
  if (parseRamType(memoryType) === null) {
    throw new NodefitError("invalid_argument", `unknown memory type "${memoryType}": use ${RAM_TYPES.join(", ")}`, {
      memoryType,
    });
  }
  if (!Number.isFinite(speedMTs) || speedMTs <= 0) {
    throw new NodefitError("invalid_argument", `memory speed must be a positive MT/s figure, got ${speedMTs}`);
  }
  if (!Number.isFinite(channels) || channels <= 0) {
    throw new NodefitError("invalid_argument", `memory channels must be a positive number, got ${channels}`);
  }
  return (speedMTs * 8 * channels) / 1000;
}

/** 64-bit channels of a memory bus of this width (128-bit -> 2; a 32-bit LPDDR4X bus -> 0.5). */
export const ramChannelsFromBusWidth = (busWidthBits: number): number => busWidthBits / 64;

export interface KnownMemorySystem {
  key: string;
  name: string;
  memoryType: RamType;
  speedMTs: number;
  busWidthBits: number;
  /** Theoretical peak, GB/s: what `ramBandwidthGBps` gives for the type, speed and bus. */
  bandwidthGBps: number;
  source: string;
}

/** Typical CPU / SoC memory systems at their rated speed, for described machines and as a reference. */
export const KNOWN_MEMORY_SYSTEMS: readonly KnownMemorySystem[] = [
  {
    key: "desktop-ddr4-3200-dual",
    name: "Desktop, dual-channel DDR4-3200",
    memoryType: "DDR4",
    speedMTs: 3200,
    busWidthBits: 128,
    bandwidthGBps: 51.2,
    source: "AMD Ryzen 9 5950X specifications (amd.com: DDR4-3200, 2 channels)",
  },
  {
    key: "desktop-ddr5-5200-dual",
    name: "Desktop, dual-channel DDR5-5200 (AMD Ryzen 7000)",
    memoryType: "DDR5",
    speedMTs: 5200,
    busWidthBits: 128,
    bandwidthGBps: 83.2,
    source: "AMD Ryzen 9 7950X specifications (amd.com: 2x1R DDR5-5200, 2 channels)",
  },
  {
    key: "desktop-ddr5-5600-dual",
    name: "Desktop, dual-channel DDR5-5600",
    memoryType: "DDR5",
    speedMTs: 5600,
    busWidthBits: 128,
    bandwidthGBps: 89.6,
    source: "Intel ARK: Core i9-14900K (DDR5 5600 MT/s, 2 channels, max memory bandwidth 89.6 GB/s)",
  },
  {
    key: "laptop-lpddr5x-7500-128bit",
    name: "Laptop, 128-bit LPDDR5X-7500 (AMD Ryzen AI 300)",
    memoryType: "LPDDR5X",
    speedMTs: 7500,
    busWidthBits: 128,
    bandwidthGBps: 120,
    source: "AMD Ryzen AI 9 HX 370 specifications (amd.com: LPDDR5x-7500)",
  },
  {
    key: "intel-lunar-lake-lpddr5x-8533",
    name: "Intel Core Ultra 200V (Lunar Lake), on-package 128-bit LPDDR5X-8533",
    memoryType: "LPDDR5X",
    speedMTs: 8533,
    busWidthBits: 128,
    bandwidthGBps: 136.528,
    source: "Intel ARK: Core Ultra 7 Processor 258V (LPDDR5X 8533 MT/s)",
  },
  {
    key: "amd-strix-halo-lpddr5x-8000",
    name: "AMD Ryzen AI Max (Strix Halo), 256-bit LPDDR5X-8000",
    memoryType: "LPDDR5X",
    speedMTs: 8000,
    busWidthBits: 256,
    bandwidthGBps: 256,
    source: "AMD Ryzen AI Max+ 395 specifications (amd.com: LPDDR5x-8000, 256-bit)",
  },
  {
    key: "raspberry-pi-5-lpddr4x-4267",
    name: "Raspberry Pi 5, 32-bit LPDDR4X-4267",
    memoryType: "LPDDR4X",
    speedMTs: 4267,
    busWidthBits: 32,
    bandwidthGBps: 17.068,
    source: "Raspberry Pi 5 product brief (LPDDR4X-4267 SDRAM, 32-bit)",
  },
  {
    key: "amd-threadripper-pro-7000-ddr5-5200",
    name: "AMD Ryzen Threadripper PRO 7000 WX, 8-channel DDR5-5200",
    memoryType: "DDR5",
    speedMTs: 5200,
    busWidthBits: 512,
    bandwidthGBps: 332.8,
    source: "AMD Ryzen Threadripper PRO 7995WX specifications (amd.com: 8 channels, DDR5-5200)",
  },
  {
    key: "intel-xeon-4th-gen-ddr5-4800",
    name: "Intel Xeon Scalable 4th gen (Sapphire Rapids), 8-channel DDR5-4800, per socket",
    memoryType: "DDR5",
    speedMTs: 4800,
    busWidthBits: 512,
    bandwidthGBps: 307.2,
    source: "Intel ARK: Xeon Platinum 8480+ (DDR5 4800 MT/s, 8 channels, max memory bandwidth 307.2 GB/s)",
  },
  {
    key: "amd-epyc-9004-ddr5-4800",
    name: "AMD EPYC 9004 (Genoa), 12-channel DDR5-4800, per socket",
    memoryType: "DDR5",
    speedMTs: 4800,
    busWidthBits: 768,
    bandwidthGBps: 460.8,
    source: "AMD EPYC 9004 series specifications (amd.com: 12 channels DDR5-4800, 460.8 GB/s per socket)",
  },
];
