// Memory platforms by CPU: the RAM bandwidth a CPU's platform is rated for, from the CPU's name as /proc/cpuinfo,
// sysctl, WMI or a person writes it; then a conservative figure for its generation or vendor; then a default.
// The fallback when RAM bandwidth is neither measured, derived from the modules, nor given.
import { ramBandwidthGBps, type RamType } from "./ram.js";

/**
 * How uncertain a platform figure is, in %: the estimator widens the speed range by it.
 * - soldered: memory on the package or board at one rated speed (Strix Halo, Lunar Lake, Snapdragon X, Raspberry Pi);
 * - socketed: modules of one type, which may run below or (XMP / EXPO) above the rated speed;
 * - channels: a server or workstation platform, taken with every channel populated at the rated speed (fewer
 *   modules, or a VM given a few cores of the socket, reach less);
 * - twoTypes: a platform rated for two memory types (DDR4 or DDR5, DDR5 or LPDDR5X): the slower one is taken;
 * - generation: the CPU's vendor and generation are known, its platform is not in the table;
 * - vendor: only the vendor (or the CPU family) is known;
 * - unknown: nothing is known of the CPU.
 */
export const PLATFORM_ASSUMED_PCT = {
  soldered: 5,
  socketed: 15,
  channels: 20,
  twoTypes: 25,
  generation: 30,
  vendor: 40,
  unknown: 50,
} as const;

type Certainty = "soldered" | "socketed" | "channels" | "twoTypes";

const WHY: Readonly<Record<Certainty, string>> = {
  soldered: "soldered memory at its rated speed",
  socketed: "the rated speed of its socketed memory (the modules fitted may run slower or faster)",
  channels: "every memory channel populated at the rated speed, one socket (fewer modules, or a VM with a few of its cores, reach less)",
  twoTypes: "the slower of the memory types the platform is rated for (the faster one reaches more)",
};

export interface MemoryPlatform {
  key: string;
  /** The platform in words: "AMD Ryzen 7000 desktop (AM5)". */
  name: string;
  memoryType: RamType;
  speedMTs: number;
  busWidthBits: number;
  /** Theoretical peak, GB/s: `ramBandwidthGBps(memoryType, speedMTs, busWidthBits / 64)`. */
  bandwidthGBps: number;
  /**
   * The theoretical peak of the fastest memory the platform is rated for, GB/s: a two-type platform's faster type
   * (its source names it), else `bandwidthGBps`. What bounds a measurement (ram-bandwidth.ts), never an estimate.
   */
  fastestGBps: number;
  certainty: Certainty;
  /** The vendor spec page the memory type, speed and channels come from. */
  source: string;
}

/** The faster memory a two-type platform is rated for: type, MT/s (on the row's bus). */
type Fastest = readonly [RamType, number];

function row(key: string, name: string, memoryType: RamType, speedMTs: number, busWidthBits: number, certainty: Certainty, source: string, fastest?: Fastest): MemoryPlatform {
  const round = (gbps: number): number => Math.round(gbps * 1000) / 1000;
  const bandwidthGBps = round(ramBandwidthGBps(memoryType, speedMTs, busWidthBits / 64));
  const fastestGBps = fastest === undefined ? bandwidthGBps : Math.max(bandwidthGBps, round(ramBandwidthGBps(fastest[0], fastest[1], busWidthBits / 64)));
  return { key, name, memoryType, speedMTs, busWidthBits, bandwidthGBps, fastestGBps, certainty, source };
}

const DUAL = 128;
const QUAD = 256;
const SIX = 384;
const EIGHT = 512;
const TWELVE = 768;

/**
 * The platforms, each with its vendor spec page. Channels are 64-bit (a DDR5 DIMM's two 32-bit sub-channels count as
 * one); LPDDR buses are given by width. Where a platform is rated for two memory types the slower is the row's.
 */
export const MEMORY_PLATFORMS: Readonly<Record<string, MemoryPlatform>> = Object.fromEntries(
  [
    // AMD desktop (AM4, AM5).
    row("amd-ryzen-1000-desktop", "AMD Ryzen 1000 desktop (AM4)", "DDR4", 2667, DUAL, "socketed", "AMD product page: Ryzen 7 1800X (amd.com: DDR4 up to 2667 MT/s, 2 channels)"),
    row("amd-ryzen-2000-desktop", "AMD Ryzen 2000 desktop (AM4)", "DDR4", 2933, DUAL, "socketed", "AMD product page: Ryzen 7 2700X (amd.com: DDR4 up to 2933 MT/s, 2 channels)"),
    row("amd-ryzen-3000g-desktop", "AMD Ryzen 3000G desktop APU (AM4)", "DDR4", 2933, DUAL, "socketed", "AMD product page: Ryzen 5 3400G (amd.com: DDR4 up to 2933 MT/s, 2 channels)"),
    row("amd-ryzen-am4-ddr4-3200", "AMD Ryzen 3000 / 4000G / 5000 desktop (AM4)", "DDR4", 3200, DUAL, "socketed", "AMD product pages: Ryzen 9 3900X, Ryzen 9 5950X (amd.com: DDR4 up to 3200 MT/s, 2 channels)"),
    row("amd-ryzen-7000-desktop", "AMD Ryzen 7000 / 8000 desktop (AM5)", "DDR5", 5200, DUAL, "socketed", "AMD product pages: Ryzen 9 7950X, Ryzen 7 8700G (amd.com: 2x1R DDR5-5200, 2 channels)"),
    row("amd-ryzen-9000-desktop", "AMD Ryzen 9000 desktop (AM5)", "DDR5", 5600, DUAL, "socketed", "AMD product page: Ryzen 9 9950X (amd.com: 2x1R DDR5-5600, 2 channels)"),
    // AMD laptop.
    row("amd-ryzen-mobile-ddr4-2400", "AMD Ryzen 2000 / 3000 mobile (Raven Ridge, Picasso)", "DDR4", 2400, DUAL, "socketed", "AMD product page: Ryzen 5 3500U (amd.com: DDR4 up to 2400 MT/s, 2 channels)"),
    row("amd-ryzen-mobile-ddr4-3200", "AMD Ryzen 4000 / 5000 / 7030 mobile (Renoir, Cezanne, Barcelo)", "DDR4", 3200, DUAL, "twoTypes", "AMD product page: Ryzen 7 5800U (amd.com: DDR4 up to 3200 MT/s, LPDDR4x up to 4266 MT/s)", ["LPDDR4X", 4266]),
    row("amd-rembrandt", "AMD Ryzen 6000 / 7035 mobile (Rembrandt)", "DDR5", 4800, DUAL, "twoTypes", "AMD product page: Ryzen 7 6800U (amd.com: DDR5 up to 4800 MT/s, LPDDR5 up to 6400 MT/s)", ["LPDDR5", 6400]),
    row("amd-phoenix", "AMD Ryzen 7040 / 8040 mobile (Phoenix, Hawk Point)", "DDR5", 5600, DUAL, "twoTypes", "AMD product page: Ryzen 7 7840U (amd.com: DDR5 up to 5600 MT/s, LPDDR5x up to 7500 MT/s)", ["LPDDR5X", 7500]),
    row("amd-dragon-range", "AMD Ryzen 7045 / 8045 HX mobile (Dragon Range)", "DDR5", 5200, DUAL, "socketed", "AMD product page: Ryzen 9 7945HX (amd.com: DDR5 up to 5200 MT/s, 2 channels)"),
    row("amd-fire-range", "AMD Ryzen 9000 HX mobile (Fire Range)", "DDR5", 5600, DUAL, "socketed", "AMD product page: Ryzen 9 9955HX (amd.com: DDR5 up to 5600 MT/s, 2 channels)"),
    row("amd-strix-point", "AMD Ryzen AI 300 (Strix Point, Krackan Point)", "DDR5", 5600, DUAL, "twoTypes", "AMD product page: Ryzen AI 9 HX 370 (amd.com: DDR5 up to 5600 MT/s, LPDDR5x up to 7500 MT/s)", ["LPDDR5X", 7500]),
    row("amd-strix-halo", "AMD Ryzen AI Max (Strix Halo)", "LPDDR5X", 8000, 256, "soldered", "AMD product page: Ryzen AI Max+ 395 (amd.com: LPDDR5x-8000, 256-bit)"),
    // AMD HEDT and workstation.
    row("amd-threadripper-1000", "AMD Ryzen Threadripper 1000 (X399)", "DDR4", 2667, QUAD, "channels", "AMD product page: Ryzen Threadripper 1950X (amd.com: DDR4 up to 2667 MT/s, 4 channels)"),
    row("amd-threadripper-2000", "AMD Ryzen Threadripper 2000 (X399)", "DDR4", 2933, QUAD, "channels", "AMD product page: Ryzen Threadripper 2990WX (amd.com: DDR4 up to 2933 MT/s, 4 channels)"),
    row("amd-threadripper-3000", "AMD Ryzen Threadripper 3000 (TRX40)", "DDR4", 3200, QUAD, "channels", "AMD product page: Ryzen Threadripper 3970X (amd.com: DDR4 up to 3200 MT/s, 4 channels)"),
    row("amd-threadripper-pro-3000-5000", "AMD Ryzen Threadripper PRO 3000 / 5000 WX (WRX80)", "DDR4", 3200, EIGHT, "channels", "AMD product page: Ryzen Threadripper PRO 5995WX (amd.com: DDR4 up to 3200 MT/s, 8 channels)"),
    row("amd-threadripper-7000", "AMD Ryzen Threadripper 7000 (TRX50)", "DDR5", 5200, QUAD, "channels", "AMD product page: Ryzen Threadripper 7980X (amd.com: DDR5-5200, 4 channels)"),
    row("amd-threadripper-pro-7000", "AMD Ryzen Threadripper PRO 7000 WX (WRX90)", "DDR5", 5200, EIGHT, "channels", "AMD product page: Ryzen Threadripper PRO 7995WX (amd.com: DDR5-5200, 8 channels)"),
    row("amd-threadripper-9000", "AMD Ryzen Threadripper 9000 (TRX50)", "DDR5", 6400, QUAD, "channels", "AMD product page: Ryzen Threadripper 9980X (amd.com: DDR5-6400, 4 channels)"),
    row("amd-threadripper-pro-9000", "AMD Ryzen Threadripper PRO 9000 WX (WRX90)", "DDR5", 6400, EIGHT, "channels", "AMD product page: Ryzen Threadripper PRO 9995WX (amd.com: DDR5-6400, 8 channels)"),
    // AMD server.
    row("amd-epyc-7001", "AMD EPYC 7001 (Naples)", "DDR4", 2667, EIGHT, "channels", "AMD product page: EPYC 7601 (amd.com: DDR4 up to 2667 MT/s, 8 channels per socket)"),
    row("amd-epyc-7002-7003", "AMD EPYC 7002 / 7003 (Rome, Milan)", "DDR4", 3200, EIGHT, "channels", "AMD product pages: EPYC 7742, EPYC 7763 (amd.com: DDR4 up to 3200 MT/s, 8 channels per socket)"),
    row("amd-epyc-4004", "AMD EPYC 4004 (AM5)", "DDR5", 5200, DUAL, "socketed", "AMD product page: EPYC 4564P (amd.com: DDR5-5200, 2 channels)"),
    row("amd-epyc-8004", "AMD EPYC 8004 (Siena)", "DDR5", 4800, SIX, "channels", "AMD product page: EPYC 8534P (amd.com: DDR5-4800, 6 channels)"),
    row("amd-epyc-9004", "AMD EPYC 9004 (Genoa, Bergamo)", "DDR5", 4800, TWELVE, "channels", "AMD EPYC 9004 series specifications (amd.com: 12 channels DDR5-4800, 460.8 GB/s per socket)"),
    row("amd-epyc-9005", "AMD EPYC 9005 (Turin)", "DDR5", 6000, TWELVE, "channels", "AMD product page: EPYC 9755 (amd.com: DDR5-6000, 12 channels per socket)"),
    // Intel desktop (dual channel). 12th to 14th gen are rated for DDR4-3200 or DDR5: the DDR4 figure is the row's.
    row("intel-core-2", "Intel Core 2nd gen desktop (Sandy Bridge)", "DDR3", 1333, DUAL, "socketed", "Intel ARK: Core i7-2600K (DDR3 1066/1333, 2 channels, 21 GB/s)"),
    row("intel-core-3-5", "Intel Core 3rd to 5th gen desktop (Ivy Bridge, Haswell, Broadwell)", "DDR3", 1600, DUAL, "socketed", "Intel ARK: Core i7-4770K (DDR3-1333/1600, 2 channels, 25.6 GB/s)"),
    row("intel-core-6", "Intel Core 6th gen desktop (Skylake)", "DDR4", 2133, DUAL, "socketed", "Intel ARK: Core i7-6700K (DDR4-1866/2133, 2 channels, 34.1 GB/s)"),
    row("intel-core-7", "Intel Core 7th gen desktop (Kaby Lake)", "DDR4", 2400, DUAL, "socketed", "Intel ARK: Core i7-7700K (DDR4-2133/2400, 2 channels, 38.4 GB/s)"),
    row("intel-core-8-10", "Intel Core 8th to 10th gen desktop (Coffee Lake, Comet Lake)", "DDR4", 2666, DUAL, "socketed", "Intel ARK: Core i9-9900K (DDR4-2666, 2 channels, 41.6 GB/s)"),
    row("intel-core-11", "Intel Core 11th gen (Rocket Lake desktop, Tiger Lake mobile)", "DDR4", 3200, DUAL, "twoTypes", "Intel ARK: Core i9-11900K (DDR4-3200, 2 channels, 50 GB/s); Core i7-1165G7 (DDR4-3200, LPDDR4x-4267)", ["LPDDR4X", 4267]),
    row("intel-core-12-14", "Intel Core 12th to 14th gen (Alder Lake, Raptor Lake)", "DDR4", 3200, DUAL, "twoTypes", "Intel ARK: Core i9-14900K (up to DDR5 5600 MT/s, up to DDR4 3200 MT/s, 2 channels); Core i7-12700H (DDR5 4800, LPDDR5 5200, DDR4 3200, LPDDR4x 4267)", ["DDR5", 5600]),
    // Intel laptop before 11th gen.
    row("intel-mobile-6-8", "Intel Core 6th to 8th gen mobile (Skylake, Kaby Lake, Coffee Lake)", "DDR4", 2133, DUAL, "twoTypes", "Intel ARK: Core i7-8550U (DDR4-2400, LPDDR3-2133, 2 channels, 37.5 GB/s)", ["DDR4", 2400]),
    row("intel-mobile-9-10", "Intel Core 9th / 10th gen mobile (Coffee Lake-H, Comet Lake, Ice Lake)", "DDR4", 2666, DUAL, "twoTypes", "Intel ARK: Core i7-10750H (DDR4-2933, 2 channels); Core i5-10210U (DDR4-2666, LPDDR3-2133)", ["DDR4", 2933]),
    // Intel Core Ultra.
    row("intel-meteor-lake", "Intel Core Ultra 100 / 200U (Meteor Lake)", "DDR5", 5600, DUAL, "twoTypes", "Intel ARK: Core Ultra 7 Processor 155H (DDR5 5600 MT/s, LPDDR5/x 7467 MT/s, 2 channels)", ["LPDDR5X", 7467]),
    row("intel-lunar-lake", "Intel Core Ultra 200V (Lunar Lake)", "LPDDR5X", 8533, DUAL, "soldered", "Intel ARK: Core Ultra 7 Processor 258V (on-package LPDDR5X 8533 MT/s)"),
    row("intel-arrow-lake-h", "Intel Core Ultra 200H / 200HX (Arrow Lake)", "DDR5", 6400, DUAL, "twoTypes", "Intel ARK: Core Ultra 9 Processor 285H (DDR5 6400 MT/s, LPDDR5/x 8400 MT/s, 2 channels)", ["LPDDR5X", 8400]),
    row("intel-arrow-lake-s", "Intel Core Ultra 200S desktop (Arrow Lake-S)", "DDR5", 6400, DUAL, "socketed", "Intel ARK: Core Ultra 9 Processor 285K (DDR5 6400 MT/s, 2 channels, 102.4 GB/s)"),
    // Intel low power.
    row("intel-n-series", "Intel N-series (Alder Lake-N, Twin Lake), single channel", "DDR4", 3200, 64, "twoTypes", "Intel ARK: Intel Processor N100 (DDR4 3200, DDR5 4800, LPDDR5 4800 MT/s, 1 channel)", ["DDR5", 4800]),
    // Intel HEDT.
    row("intel-hedt-haswell-e", "Intel Core X 5th gen HEDT (Haswell-E, X99)", "DDR4", 2133, QUAD, "channels", "Intel ARK: Core i7-5960X (DDR4 1333/1600/2133, 4 channels, 68 GB/s)"),
    row("intel-hedt-broadwell-e", "Intel Core X 6th gen HEDT (Broadwell-E, X99)", "DDR4", 2400, QUAD, "channels", "Intel ARK: Core i7-6950X (DDR4 2400/2133, 4 channels, 76.8 GB/s)"),
    row("intel-hedt-skylake-x", "Intel Core X 7th / 9th gen (Skylake-X, X299)", "DDR4", 2666, QUAD, "channels", "Intel ARK: Core i9-9980XE (DDR4-2666, 4 channels, 85 GB/s)"),
    row("intel-hedt-cascade-lake-x", "Intel Core X 10th gen (Cascade Lake-X, X299)", "DDR4", 2933, QUAD, "channels", "Intel ARK: Core i9-10900X (DDR4-2933, 4 channels, 94 GB/s)"),
    // Intel Xeon.
    row("intel-xeon-e3-ddr3", "Intel Xeon E3 v1 to v4", "DDR3", 1600, DUAL, "socketed", "Intel ARK: Xeon E3-1230 v3 (DDR3 1333/1600, 2 channels, 25.6 GB/s)"),
    row("intel-xeon-e3-ddr4", "Intel Xeon E3 v5 / v6", "DDR4", 2133, DUAL, "socketed", "Intel ARK: Xeon E3-1230 v5 (DDR4-1866/2133, 2 channels, 34.1 GB/s)"),
    row("intel-xeon-e-2100-2200", "Intel Xeon E-2100 / E-2200", "DDR4", 2666, DUAL, "socketed", "Intel ARK: Xeon E-2288G (DDR4-2666, 2 channels, 41.6 GB/s)"),
    row("intel-xeon-e-2300", "Intel Xeon E-2300", "DDR4", 3200, DUAL, "socketed", "Intel ARK: Xeon E-2388G (DDR4-3200, 2 channels, 51.2 GB/s)"),
    row("intel-xeon-e5-v1", "Intel Xeon E5 v1 (Sandy Bridge-EP)", "DDR3", 1600, QUAD, "channels", "Intel ARK: Xeon E5-2670 (DDR3 800/1066/1333/1600, 4 channels, 51.2 GB/s)"),
    row("intel-xeon-e5-v2", "Intel Xeon E5 v2 (Ivy Bridge-EP)", "DDR3", 1866, QUAD, "channels", "Intel ARK: Xeon E5-2680 v2 (DDR3 800/1066/1333/1600/1866, 4 channels, 59.7 GB/s)"),
    row("intel-xeon-e5-v3", "Intel Xeon E5 v3 (Haswell-EP)", "DDR4", 2133, QUAD, "channels", "Intel ARK: Xeon E5-2680 v3 (DDR4 1600/1866/2133, 4 channels, 68 GB/s)"),
    row("intel-xeon-e5-v4", "Intel Xeon E5 v4 (Broadwell-EP)", "DDR4", 2400, QUAD, "channels", "Intel ARK: Xeon E5-2680 v4 (DDR4 1600/1866/2133/2400, 4 channels, 76.8 GB/s)"),
    row("intel-xeon-w-2100", "Intel Xeon W-2100", "DDR4", 2666, QUAD, "channels", "Intel ARK: Xeon W-2145 (DDR4-2666, 4 channels, 85.3 GB/s)"),
    row("intel-xeon-w-2200", "Intel Xeon W-2200", "DDR4", 2933, QUAD, "channels", "Intel ARK: Xeon W-2295 (DDR4-2933, 4 channels, 94 GB/s)"),
    row("intel-xeon-w-3100-3200", "Intel Xeon W-3100 / W-3200", "DDR4", 2666, SIX, "channels", "Intel ARK: Xeon W-3275 (DDR4-2933, 6 channels); Xeon W-3175X (DDR4-2666, 6 channels)"),
    row("intel-xeon-w-3300", "Intel Xeon W-3300 (Ice Lake)", "DDR4", 3200, EIGHT, "channels", "Intel ARK: Xeon W-3375 (DDR4-3200, 8 channels, 204.8 GB/s)"),
    row("intel-xeon-w-2400", "Intel Xeon W-2400 / W-2500 (Sapphire Rapids)", "DDR5", 4800, QUAD, "channels", "Intel ARK: Xeon w7-2495X (DDR5-4800, 4 channels)"),
    row("intel-xeon-w-3400", "Intel Xeon W-3400 / W-3500 (Sapphire Rapids)", "DDR5", 4800, EIGHT, "channels", "Intel ARK: Xeon w9-3495X (DDR5-4800, 8 channels)"),
    row("intel-xeon-sp-1", "Intel Xeon Scalable 1st gen (Skylake-SP)", "DDR4", 2666, SIX, "channels", "Intel ARK: Xeon Platinum 8180 (DDR4-2666, 6 channels per socket)"),
    row("intel-xeon-sp-2", "Intel Xeon Scalable 2nd gen (Cascade Lake)", "DDR4", 2933, SIX, "channels", "Intel ARK: Xeon Platinum 8280 (DDR4-2933, 6 channels per socket)"),
    row("intel-xeon-sp-3", "Intel Xeon Scalable 3rd gen (Ice Lake-SP)", "DDR4", 3200, EIGHT, "channels", "Intel ARK: Xeon Platinum 8380 (DDR4-3200, 8 channels per socket)"),
    row("intel-xeon-sp-3-cooper", "Intel Xeon Scalable 3rd gen (Cooper Lake)", "DDR4", 3200, SIX, "channels", "Intel ARK: Xeon Platinum 8380H (DDR4-3200, 6 channels per socket)"),
    row("intel-xeon-sp-4", "Intel Xeon Scalable 4th gen (Sapphire Rapids)", "DDR5", 4800, EIGHT, "channels", "Intel ARK: Xeon Platinum 8480+ (DDR5 4800 MT/s, 8 channels, max memory bandwidth 307.2 GB/s)"),
    row("intel-xeon-sp-5", "Intel Xeon Scalable 5th gen (Emerald Rapids)", "DDR5", 5600, EIGHT, "channels", "Intel ARK: Xeon Platinum 8592+ (DDR5 5600 MT/s, 8 channels)"),
    row("intel-xeon-6-8ch", "Intel Xeon 6 6700 series", "DDR5", 6400, EIGHT, "channels", "Intel ARK: Xeon 6780E (DDR5 6400 MT/s, 8 channels)"),
    row("intel-xeon-6-12ch", "Intel Xeon 6 6900 series", "DDR5", 6400, TWELVE, "channels", "Intel ARK: Xeon 6980P (DDR5 6400 MT/s, 12 channels)"),
    // Arm.
    row("qualcomm-snapdragon-x", "Qualcomm Snapdragon X Elite / X Plus", "LPDDR5X", 8448, DUAL, "soldered", "Qualcomm Snapdragon X Elite product brief (LPDDR5x, 8448 MT/s, 135 GB/s)"),
    row("raspberry-pi-5", "Raspberry Pi 5 (BCM2712)", "LPDDR4X", 4267, 32, "soldered", "Raspberry Pi 5 product brief (LPDDR4X-4267 SDRAM, 32-bit)"),
    row("raspberry-pi-4", "Raspberry Pi 4 (BCM2711)", "LPDDR4", 3200, 32, "soldered", "Raspberry Pi 4 Model B product brief (LPDDR4-3200 SDRAM, 32-bit)"),
    row("ampere-altra", "Ampere Altra / Altra Max", "DDR4", 3200, EIGHT, "channels", "Ampere Altra product brief (8 channels DDR4-3200 per socket)"),
    row("aws-graviton2", "AWS Graviton2", "DDR4", 3200, EIGHT, "channels", "AWS Graviton2 (aws.amazon.com/ec2/graviton: 8 channels DDR4-3200)"),
    row("aws-graviton3", "AWS Graviton3", "DDR5", 4800, EIGHT, "channels", "AWS Graviton3 (aws.amazon.com/ec2/graviton: DDR5-4800, 8 channels)"),
    row("aws-graviton4", "AWS Graviton4", "DDR5", 5600, TWELVE, "channels", "AWS Graviton4 (aws.amazon.com/ec2/graviton: DDR5-5600, 12 channels)"),
    row("huawei-kunpeng-920", "Huawei Kunpeng 920", "DDR4", 2933, EIGHT, "channels", "Huawei Kunpeng 920 specifications (8 channels DDR4-2933 per socket)"),
    // Defaults: the slowest memory still common in machines that run models.
    row("default-ddr4-2666-dual", "dual-channel DDR4-2666", "DDR4", 2666, DUAL, "socketed", "JEDEC DDR4-2666 x 2 channels (the common desktop and laptop memory of 2017-2020)"),
  ].map((p) => [p.key, p] as const),
);

/** The result of looking a CPU up: the platform and how sure the figure is. */
export interface CpuMemoryMatch {
  platform: MemoryPlatform;
  /** platform: the CPU's own platform; generation: its generation's (the platform itself is not in the table); vendor / unknown: a default. */
  tier: "platform" | "generation" | "vendor" | "unknown";
  assumedPct: number;
  /** Why this figure, in words ("AMD Ryzen 9 7950X is an AMD Ryzen 7000 / 8000 desktop (AM5)"). */
  reason: string;
}

/** The CPU name as tools write it, lower case, without trademarks, clock, "CPU", "Processor" and the iGPU suffix. */
export function normalizeCpuName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/\((?:r|tm|c)\)|[®™©]/g, " ")
    .replace(/\s+(?:w\/|with)\s+radeon.*$/, " ")
    .replace(/@.*$/, " ")
    .replace(/\b\d+-core\b|\bcpu\b|\bprocessor\b|\bmobile\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

const platform = (key: string): MemoryPlatform => {
  const p = MEMORY_PLATFORMS[key];
  if (p === undefined) throw new Error(`no memory platform ${key}`);
  return p;
};

type Found = { key: string; tier: "platform" | "generation"; note?: string } | null;

const MOBILE_SUFFIX = /^(?:u|h|hs|hx|hk|hq|p|y|m|mq|g\d|h3d|hx3d)$/;

function amdRyzen(n: string): Found {
  if (/ryzen ai max\+?\s*(?:pro\s*)?3\d\d\b/.test(n)) return { key: "amd-strix-halo", tier: "platform" };
  if (/ryzen ai (?:[3579] )?(?:pro )?(?:hx )?3\d\d\b/.test(n)) return { key: "amd-strix-point", tier: "platform" };
  if (/ryzen ai\b/.test(n)) return { key: "amd-strix-point", tier: "generation", note: "a Ryzen AI processor newer than this table" };

  const tr = /threadripper (pro )?(\d)(\d)(\d\d)(wx|x)?\b/.exec(n);
  if (tr !== null) {
    const pro = tr[1] !== undefined || tr[5] === "wx";
    switch (tr[2]) {
      case "1":
        return { key: "amd-threadripper-1000", tier: "platform" };
      case "2":
        return { key: "amd-threadripper-2000", tier: "platform" };
      case "3":
        return { key: pro ? "amd-threadripper-pro-3000-5000" : "amd-threadripper-3000", tier: "platform" };
      case "5":
        return { key: "amd-threadripper-pro-3000-5000", tier: "platform" };
      case "7":
        return { key: pro ? "amd-threadripper-pro-7000" : "amd-threadripper-7000", tier: "platform" };
      case "9":
        return { key: pro ? "amd-threadripper-pro-9000" : "amd-threadripper-9000", tier: "platform" };
      default:
        return null;
    }
  }
  if (/threadripper/.test(n)) return { key: "amd-threadripper-1000", tier: "generation", note: "a Threadripper of an unnamed generation: the first generation's memory" };

  const m = /ryzen [3579] (?:pro )?(\d)(\d)(\d)(\d)([a-z0-9]*)\b/.exec(n);
  if (m === null) return null;
  const [series, , arch, last, suffix = ""] = [m[1], m[2], m[3], m[4], m[5]];
  const mobile = MOBILE_SUFFIX.test(suffix);
  if (!mobile) {
    switch (series) {
      case "1":
        return { key: "amd-ryzen-1000-desktop", tier: "platform" };
      case "2":
        return { key: "amd-ryzen-2000-desktop", tier: "platform" };
      case "3":
        return { key: suffix.startsWith("g") ? "amd-ryzen-3000g-desktop" : "amd-ryzen-am4-ddr4-3200", tier: "platform" };
      case "4":
      case "5":
        return { key: "amd-ryzen-am4-ddr4-3200", tier: "platform" };
      case "7":
      case "8":
        return { key: "amd-ryzen-7000-desktop", tier: "platform" };
      case "9":
        return { key: "amd-ryzen-9000-desktop", tier: "platform" };
      default:
        return { key: "amd-ryzen-9000-desktop", tier: "generation", note: "a Ryzen desktop processor newer than this table: the newest AM5 platform's memory" };
    }
  }
  const hx = suffix.startsWith("hx");
  switch (series) {
    case "2":
    case "3":
      return { key: "amd-ryzen-mobile-ddr4-2400", tier: "platform" };
    case "4":
    case "5":
      return { key: "amd-ryzen-mobile-ddr4-3200", tier: "platform" };
    case "6":
      return { key: "amd-rembrandt", tier: "platform" };
    case "7":
    case "8":
      if (arch === "4") return { key: hx ? "amd-dragon-range" : "amd-phoenix", tier: "platform" };
      if (arch === "3") return { key: last === "5" ? "amd-rembrandt" : "amd-ryzen-mobile-ddr4-3200", tier: "platform" };
      return null;
    case "9":
      return hx ? { key: "amd-fire-range", tier: "platform" } : { key: "amd-strix-point", tier: "generation", note: "a Ryzen 9000 mobile processor not in this table: the Ryzen AI 300's memory" };
    default:
      return { key: "amd-phoenix", tier: "generation", note: "a Ryzen mobile processor newer than this table" };
  }
}

function amdEpyc(n: string): Found {
  const m = /epyc (\d)(\d)([0-9a-z])(\d)[a-z]*\b/.exec(n);
  if (m === null) return null;
  const [series, gen] = [m[1], m[4]];
  if (series === "7") return gen === "1" ? { key: "amd-epyc-7001", tier: "platform" } : gen === "2" || gen === "3" ? { key: "amd-epyc-7002-7003", tier: "platform" } : null;
  if (series === "9") return gen === "4" ? { key: "amd-epyc-9004", tier: "platform" } : gen === "5" ? { key: "amd-epyc-9005", tier: "platform" } : null;
  if (series === "8" && gen === "4") return { key: "amd-epyc-8004", tier: "platform" };
  if (series === "4") return { key: "amd-epyc-4004", tier: "platform" };
  return null;
}

/** Intel HEDT parts by model number and suffix (an i9-9900X is Skylake-X, an i9-9900K is not). */
const HEDT: ReadonlyArray<[RegExp, RegExp, string]> = [
  [/^(?:58[2-9]0|59[0-9]0)$/, /^[kx]$/, "intel-hedt-haswell-e"],
  [/^(?:68[0-9]0|69[0-9]0)$/, /^[kx]$/, "intel-hedt-broadwell-e"],
  [/^(?:7[89][0-9]0|9[89][0-9]0)$/, /^xe?$/, "intel-hedt-skylake-x"],
  [/^109[0-9]0$/, /^xe?$/, "intel-hedt-cascade-lake-x"],
];

function intelCore(n: string): Found {
  const ultra = /core ultra [3579] (\d)(\d\d)([a-z]*)\b/.exec(n);
  if (ultra !== null) {
    const [series, suffix = ""] = [ultra[1], ultra[3]];
    if (series === "1") return { key: "intel-meteor-lake", tier: "platform" };
    if (series === "2") {
      if (suffix === "v") return { key: "intel-lunar-lake", tier: "platform" };
      if (suffix === "u") return { key: "intel-meteor-lake", tier: "platform" };
      if (suffix.startsWith("h")) return { key: "intel-arrow-lake-h", tier: "platform" };
      return { key: "intel-arrow-lake-s", tier: "platform" };
    }
    return { key: "intel-meteor-lake", tier: "generation", note: "a Core Ultra processor newer than this table: every Core Ultra laptop platform is rated for DDR5-5600 or faster" };
  }
  if (/core ultra/.test(n)) return { key: "intel-meteor-lake", tier: "generation", note: "a Core Ultra processor: every Core Ultra laptop platform is rated for DDR5-5600 or faster" };
  // Core 3 / 5 / 7 100U, 200H (Raptor Lake refresh, 2024).
  if (/\bcore [357] [12]\d\d[a-z]*\b/.test(n)) return { key: "intel-core-12-14", tier: "platform" };
  if (/\bi3-n30[05]\b/.test(n)) return { key: "intel-n-series", tier: "platform" };

  const m = /\bi([3579])-(\d{3,5})([a-z]*\d?[a-z]*)\b/.exec(n);
  if (m === null) return null;
  const digits = m[2] ?? "";
  const suffix = m[3] ?? "";
  for (const [number, suffixes, key] of HEDT) if (number.test(digits) && suffixes.test(suffix)) return { key, tier: "platform" };
  if (digits.length === 3) return null;
  const gen = digits.length === 5 || digits.startsWith("1") ? Number(digits.slice(0, 2)) : Number(digits.slice(0, 1));
  const mobile = MOBILE_SUFFIX.test(suffix);
  if (gen === 2) return mobile ? null : { key: "intel-core-2", tier: "platform" };
  if (gen >= 3 && gen <= 5) return mobile ? null : { key: "intel-core-3-5", tier: "platform" };
  if (gen >= 6 && gen <= 8 && mobile) return { key: "intel-mobile-6-8", tier: "platform" };
  if (gen === 6) return { key: "intel-core-6", tier: "platform" };
  if (gen === 7) return { key: "intel-core-7", tier: "platform" };
  if ((gen === 9 || gen === 10) && mobile) return { key: "intel-mobile-9-10", tier: "platform" };
  if (gen >= 8 && gen <= 10) return { key: "intel-core-8-10", tier: "platform" };
  if (gen === 11) return { key: "intel-core-11", tier: "platform" };
  if (gen >= 12 && gen <= 14) return { key: "intel-core-12-14", tier: "platform" };
  return { key: "intel-core-12-14", tier: "generation", note: "a Core processor newer than this table" };
}

function intelXeon(n: string): Found {
  const sp = /xeon (?:platinum|gold|silver|bronze) (\d)(\d)(\d\d)([a-z+]*)/.exec(n);
  if (sp !== null) {
    const [gen, suffix = ""] = [sp[2], sp[4]];
    switch (gen) {
      case "1":
        return { key: "intel-xeon-sp-1", tier: "platform" };
      case "2":
        return { key: "intel-xeon-sp-2", tier: "platform" };
      case "3":
        return { key: suffix.startsWith("h") ? "intel-xeon-sp-3-cooper" : "intel-xeon-sp-3", tier: "platform" };
      case "4":
        return { key: "intel-xeon-sp-4", tier: "platform" };
      case "5":
        return { key: "intel-xeon-sp-5", tier: "platform" };
      default:
        return { key: "intel-xeon-sp-4", tier: "generation", note: "a Xeon Scalable processor of an unnamed generation: the 4th generation's memory" };
    }
  }
  const x6 = /xeon (?:6 )?6(\d)\d\d([pe])\b/.exec(n);
  if (x6 !== null) {
    if (x6[1] === "9") return { key: "intel-xeon-6-12ch", tier: "platform" };
    if (x6[1] === "7") return { key: "intel-xeon-6-8ch", tier: "platform" };
    return { key: "intel-xeon-sp-4", tier: "generation", note: "a Xeon 6 processor not in this table: the Xeon Scalable 4th generation's memory" };
  }
  const e5 = /xeon e5-(\d)(\d)\d\d[a-z]*(?: v(\d))?/.exec(n);
  if (e5 !== null) {
    const v = e5[3] ?? "1";
    if (e5[2] === "4") return null; // E5-24xx: three channels, not in the table.
    return { key: v === "4" ? "intel-xeon-e5-v4" : v === "3" ? "intel-xeon-e5-v3" : v === "2" ? "intel-xeon-e5-v2" : "intel-xeon-e5-v1", tier: "platform" };
  }
  const e3 = /xeon e3-12\d\d[a-z]*(?: v(\d))?/.exec(n);
  if (e3 !== null) return { key: Number(e3[1] ?? "1") >= 5 ? "intel-xeon-e3-ddr4" : "intel-xeon-e3-ddr3", tier: "platform" };
  const e = /xeon e-2(\d)\d\d/.exec(n);
  if (e !== null) return e[1] === "1" || e[1] === "2" ? { key: "intel-xeon-e-2100-2200", tier: "platform" } : e[1] === "3" ? { key: "intel-xeon-e-2300", tier: "platform" } : null;
  const w = /xeon w[3579]?-(\d)(\d)\d\d/.exec(n);
  if (w !== null) {
    const key = (
      {
        "21": "intel-xeon-w-2100",
        "22": "intel-xeon-w-2200",
        "31": "intel-xeon-w-3100-3200",
        "32": "intel-xeon-w-3100-3200",
        "33": "intel-xeon-w-3300",
        "24": "intel-xeon-w-2400",
        "25": "intel-xeon-w-2400",
        "34": "intel-xeon-w-3400",
        "35": "intel-xeon-w-3400",
      } as Record<string, string>
    )[`${w[1]}${w[2]}`];
    return key === undefined ? null : { key, tier: "platform" };
  }
  return null;
}

function other(n: string): Found {
  if (/snapdragon.*\bx1[ep]?\b|\bx1[ep]-?\d\d|snapdragon x (?:elite|plus)\b|snapdragon x\b(?! ?2)/.test(n)) return { key: "qualcomm-snapdragon-x", tier: "platform" };
  if (/snapdragon x ?2|snapdragon.*\bx2/.test(n)) return { key: "qualcomm-snapdragon-x", tier: "generation", note: "a Snapdragon X2 processor: the first Snapdragon X's memory" };
  if (/raspberry pi 5|bcm2712/.test(n)) return { key: "raspberry-pi-5", tier: "platform" };
  if (/raspberry pi 4|bcm2711/.test(n)) return { key: "raspberry-pi-4", tier: "platform" };
  if (/ampere.*altra|\baltra\b/.test(n)) return { key: "ampere-altra", tier: "platform" };
  if (/graviton ?2/.test(n)) return { key: "aws-graviton2", tier: "platform" };
  if (/graviton ?3/.test(n)) return { key: "aws-graviton3", tier: "platform" };
  if (/graviton ?4/.test(n)) return { key: "aws-graviton4", tier: "platform" };
  if (/kunpeng[- ]?920|taishan v110/.test(n)) return { key: "huawei-kunpeng-920", tier: "platform" };
  return null;
}

/**
 * The memory platform of a CPU, by its name: its platform's row, else its generation's, else a default for its
 * vendor or for no name at all (dual-channel DDR4-2666). Never null: a machine always gets a figure, marked by how
 * sure it is. Apple chips are not here: their bandwidth is the chip's (knowledge/apple-chip.ts).
 */
export function cpuMemoryPlatform(cpuName: string | null | undefined): CpuMemoryMatch {
  const written = cpuName?.trim() ?? "";
  const n = normalizeCpuName(written);
  const fallback = platform("default-ddr4-2666-dual");
  if (n === "" || n === "unknown" || n === "n/a") {
    return { platform: fallback, tier: "unknown", assumedPct: PLATFORM_ASSUMED_PCT.unknown, reason: "no CPU name given: the default for an unknown machine" };
  }
  const found = amdRyzen(n) ?? amdEpyc(n) ?? intelCore(n) ?? intelXeon(n) ?? (/\bn(?:50|95|97|100|150|200|250|300|305|355)\b/.test(n) && /intel/.test(n) ? { key: "intel-n-series", tier: "platform" as const } : null) ?? other(n);
  if (found !== null) {
    const p = platform(found.key);
    if (found.tier === "platform") {
      return { platform: p, tier: "platform", assumedPct: PLATFORM_ASSUMED_PCT[p.certainty], reason: `${written} is an ${p.name}: ${WHY[p.certainty]}` };
    }
    return { platform: p, tier: "generation", assumedPct: PLATFORM_ASSUMED_PCT.generation, reason: `${written} is ${found.note ?? `of the ${p.name} generation`}` };
  }
  if (/\b(?:amd|ryzen|athlon|epyc|intel|core|xeon|pentium|celeron|atom)\b/.test(n)) {
    return { platform: fallback, tier: "vendor", assumedPct: PLATFORM_ASSUMED_PCT.vendor, reason: `${written}: platform not in the table, the default for an x86 machine` };
  }
  return { platform: fallback, tier: "unknown", assumedPct: PLATFORM_ASSUMED_PCT.unknown, reason: `${written}: not a CPU this table knows, the default for an unknown machine` };
}

/** The platform of each integrated GPU family: the memory it reads is its processor's. */
const IGPU_PLATFORMS: ReadonlyArray<[RegExp, string]> = [
  [/radeon\s*(?:780m|760m|740m)\b/, "amd-phoenix"],
  [/radeon\s*(?:890m|880m|860m|840m|820m)\b/, "amd-strix-point"],
  [/radeon\s*(?:680m|660m)\b/, "amd-rembrandt"],
  [/radeon\s*(?:8060s|8050s|8040s)\b/, "amd-strix-halo"],
  [/radeon\s*(?:rx\s*)?vega\s*(?:[1-9]|1[01])\b/, "amd-ryzen-mobile-ddr4-2400"],
  [/arc\s*(?:140v|130v)\b/, "intel-lunar-lake"],
  [/arc\s*(?:140t|130t)\b|arc\s*graphics/, "intel-meteor-lake"],
  [/iris\s*xe/, "intel-core-11"],
  [/adreno\s*x1/, "qualcomm-snapdragon-x"],
];

/**
 * The memory platform an integrated GPU's name implies ("Radeon 780M" -> Phoenix), for when the CPU is not named;
 * null for names that imply none ("AMD Radeon Graphics", "Intel UHD Graphics").
 */
export function igpuMemoryPlatform(gpuName: string): CpuMemoryMatch | null {
  const n = normalizeCpuName(gpuName);
  for (const [re, key] of IGPU_PLATFORMS) {
    if (!re.test(n)) continue;
    const p = platform(key);
    return { platform: p, tier: "platform", assumedPct: PLATFORM_ASSUMED_PCT[p.certainty], reason: `${gpuName} is the GPU of an ${p.name}: ${WHY[p.certainty]}` };
  }
  return null;
}

/** Integrated GPU names: they read the system RAM (Intel Iris / UHD / Arc iGPUs, Radeon NNNM / Vega / "Graphics", Adreno, Mali). */
const INTEGRATED_NAMES =
  /\biris\b|\buhd\s*graphics|\bhd\s*graphics|\barc\s*(?:graphics|1[34]0[vt])\b|intel\s*graphics|radeon\s*(?:\(tm\)\s*)?(?:\d{3}m|\d{4}s|(?:rx\s*)?vega\s*(?:[1-9]|1[01])|graphics)\b|^amd\s+radeon\s+graphics|\badreno\b|\bmali\b|alder lake-[pnus] gt|raptor lake-[ps] gt|tiger lake-[uh] gt|meteor lake|lunar lake|arrow lake/i;

/** Whether a GPU name is an integrated GPU's (reads system RAM), for names the knowledge base does not have. */
export function isIntegratedGpuName(name: string): boolean {
  return INTEGRATED_NAMES.test(name) || INTEGRATED_NAMES.test(normalizeCpuName(name));
}
