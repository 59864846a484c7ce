import { describe, expect, it } from "vitest";
import {
  MEMORY_PLATFORMS,
  PLATFORM_ASSUMED_PCT,
  cpuMemoryPlatform,
  igpuMemoryPlatform,
  isIntegratedGpuName,
  normalizeCpuName,
} from "./cpu-memory.js";
import { ramBandwidthGBps } from "./ram.js";

/** CPU names as /proc/cpuinfo, sysctl, WMI or a person writes them -> platform key and GB/s. */
const CPUS: ReadonlyArray<[string, string, number]> = [
  // AMD desktop
  ["AMD Ryzen 7 1800X Eight-Core Processor", "amd-ryzen-1000-desktop", 42.672],
  ["AMD Ryzen 7 2700X Eight-Core Processor", "amd-ryzen-2000-desktop", 46.928],
  ["AMD Ryzen 5 3400G with Radeon Vega Graphics", "amd-ryzen-3000g-desktop", 46.928],
  ["AMD Ryzen 9 3900X 12-Core Processor", "amd-ryzen-am4-ddr4-3200", 51.2],
  ["AMD Ryzen 9 5950X 16-Core Processor", "amd-ryzen-am4-ddr4-3200", 51.2],
  ["Ryzen 7 3700X", "amd-ryzen-am4-ddr4-3200", 51.2],
  ["AMD Ryzen 7 5800X3D 8-Core Processor", "amd-ryzen-am4-ddr4-3200", 51.2],
  ["AMD Ryzen 9 7950X 16-Core Processor", "amd-ryzen-7000-desktop", 83.2],
  ["AMD Ryzen 5 7600X3D 6-Core Processor", "amd-ryzen-7000-desktop", 83.2],
  ["AMD Ryzen 7 8700G w/ Radeon 780M Graphics", "amd-ryzen-7000-desktop", 83.2],
  ["AMD Ryzen 9 9950X 16-Core Processor", "amd-ryzen-9000-desktop", 89.6],
  ["AMD Ryzen 7 9800X3D 8-Core Processor", "amd-ryzen-9000-desktop", 89.6],
  // AMD laptop
  ["AMD Ryzen 5 3500U with Radeon Vega Mobile Gfx", "amd-ryzen-mobile-ddr4-2400", 38.4],
  ["AMD Ryzen 7 4800H with Radeon Graphics", "amd-ryzen-mobile-ddr4-3200", 51.2],
  ["AMD Ryzen 7 5800U with Radeon Graphics", "amd-ryzen-mobile-ddr4-3200", 51.2],
  ["AMD Ryzen 5 7530U with Radeon Graphics", "amd-ryzen-mobile-ddr4-3200", 51.2],
  ["AMD Ryzen 9 6900HS with Radeon Graphics", "amd-rembrandt", 76.8],
  ["AMD Ryzen 7 7735HS with Radeon Graphics", "amd-rembrandt", 76.8],
  ["AMD Ryzen 7 7840U w/ Radeon 780M Graphics", "amd-phoenix", 89.6],
  ["AMD Ryzen 7 8745H w/ Radeon 780M Graphics", "amd-phoenix", 89.6],
  ["AMD Ryzen 9 8945HS w/ Radeon 780M Graphics", "amd-phoenix", 89.6],
  ["AMD Ryzen 7 PRO 7840U w/ Radeon 780M Graphics", "amd-phoenix", 89.6],
  ["AMD Ryzen 9 7945HX with Radeon Graphics", "amd-dragon-range", 83.2],
  ["AMD Ryzen 9 9955HX", "amd-fire-range", 89.6],
  ["AMD Ryzen AI 9 HX 370 w/ Radeon 890M", "amd-strix-point", 89.6],
  ["AMD Ryzen AI 7 350 w/ Radeon 860M", "amd-strix-point", 89.6],
  ["AMD Ryzen AI Max+ 395 w/ Radeon 8060S", "amd-strix-halo", 256],
  ["AMD RYZEN AI MAX+ PRO 395 w/ Radeon 8060S", "amd-strix-halo", 256],
  ["AMD Ryzen AI Max 390", "amd-strix-halo", 256],
  // AMD HEDT and server
  ["AMD Ryzen Threadripper 1950X 16-Core Processor", "amd-threadripper-1000", 85.344],
  ["AMD Ryzen Threadripper 2990WX 32-Core Processor", "amd-threadripper-2000", 93.856],
  ["AMD Ryzen Threadripper 3970X 32-Core Processor", "amd-threadripper-3000", 102.4],
  ["AMD Ryzen Threadripper PRO 3995WX 64-Cores", "amd-threadripper-pro-3000-5000", 204.8],
  ["AMD Ryzen Threadripper PRO 5955WX", "amd-threadripper-pro-3000-5000", 204.8],
  ["AMD Ryzen Threadripper 7980X 64-Cores", "amd-threadripper-7000", 166.4],
  ["AMD Ryzen Threadripper PRO 7995WX 96-Cores", "amd-threadripper-pro-7000", 332.8],
  ["AMD Ryzen Threadripper 9980X", "amd-threadripper-9000", 204.8],
  ["AMD Ryzen Threadripper PRO 9995WX", "amd-threadripper-pro-9000", 409.6],
  ["AMD EPYC 7601 32-Core Processor", "amd-epyc-7001", 170.688],
  ["AMD EPYC 7742 64-Core Processor", "amd-epyc-7002-7003", 204.8],
  ["AMD EPYC 7543 32-Core Processor", "amd-epyc-7002-7003", 204.8],
  ["AMD EPYC 72F3 8-Core Processor", "amd-epyc-7002-7003", 204.8],
  ["AMD EPYC 9654 96-Core Processor", "amd-epyc-9004", 460.8],
  ["AMD EPYC 9755 128-Core Processor", "amd-epyc-9005", 576],
  ["AMD EPYC 8534P 64-Core Processor", "amd-epyc-8004", 230.4],
  ["AMD EPYC 4564P 16-Core Processor", "amd-epyc-4004", 83.2],
  // Intel desktop and laptop
  ["Intel(R) Core(TM) i7-2600K CPU @ 3.40GHz", "intel-core-2", 21.328],
  ["Intel(R) Core(TM) i7-4770K CPU @ 3.50GHz", "intel-core-3-5", 25.6],
  ["Intel(R) Core(TM) i5-6400 CPU @ 2.70GHz", "intel-core-6", 34.128],
  ["Intel(R) Core(TM) i7-7700K CPU @ 4.20GHz", "intel-core-7", 38.4],
  ["Intel(R) Core(TM) i9-9900K CPU @ 3.60GHz", "intel-core-8-10", 42.656],
  ["Intel(R) Core(TM) i9-10900K CPU @ 3.70GHz", "intel-core-8-10", 42.656],
  ["Intel(R) Core(TM) i9-11900K @ 3.50GHz", "intel-core-11", 51.2],
  ["11th Gen Intel(R) Core(TM) i7-1165G7 @ 2.80GHz", "intel-core-11", 51.2],
  ["12th Gen Intel(R) Core(TM) i7-1270P", "intel-core-12-14", 51.2],
  ["12th Gen Intel(R) Core(TM) i7-12700H", "intel-core-12-14", 51.2],
  ["13th Gen Intel(R) Core(TM) i9-13900HK", "intel-core-12-14", 51.2],
  ["Intel(R) Core(TM) i9-14900K", "intel-core-12-14", 51.2],
  ["Intel(R) Core(TM) 7 150U", "intel-core-12-14", 51.2],
  ["Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz", "intel-mobile-6-8", 34.128],
  ["Intel(R) Core(TM) i7-10750H CPU @ 2.60GHz", "intel-mobile-9-10", 42.656],
  ["Intel(R) Core(TM) i7-1065G7 CPU @ 1.30GHz", "intel-mobile-9-10", 42.656],
  ["Intel(R) Core(TM) Ultra 7 155H", "intel-meteor-lake", 89.6],
  ["Intel Core Ultra 7 255U", "intel-meteor-lake", 89.6],
  ["Intel(R) Core(TM) Ultra 7 258V", "intel-lunar-lake", 136.528],
  ["Intel Core Ultra 9 285H", "intel-arrow-lake-h", 102.4],
  ["Intel Core Ultra 9 275HX", "intel-arrow-lake-h", 102.4],
  ["Intel Core Ultra 9 285K", "intel-arrow-lake-s", 102.4],
  ["Intel(R) N100", "intel-n-series", 25.6],
  ["Intel(R) Core(TM) i3-N305", "intel-n-series", 25.6],
  // Intel HEDT: an i9-9900X is Skylake-X, an i9-9900K is not; an i9-10900X is Cascade Lake-X, an i9-10900 is not.
  ["Intel(R) Core(TM) i7-5960X CPU @ 3.00GHz", "intel-hedt-haswell-e", 68.256],
  ["Intel(R) Core(TM) i7-6850K CPU @ 3.60GHz", "intel-hedt-broadwell-e", 76.8],
  ["Intel(R) Core(TM) i9-7900X CPU @ 3.30GHz", "intel-hedt-skylake-x", 85.312],
  ["Intel(R) Core(TM) i9-9980XE CPU @ 3.00GHz", "intel-hedt-skylake-x", 85.312],
  ["Intel(R) Core(TM) i9-10900X CPU @ 3.70GHz", "intel-hedt-cascade-lake-x", 93.856],
  ["Intel(R) Core(TM) i9-10900 CPU @ 2.80GHz", "intel-core-8-10", 42.656],
  // Intel Xeon
  ["Intel(R) Xeon(R) CPU E5-2670 0 @ 2.60GHz", "intel-xeon-e5-v1", 51.2],
  ["Intel(R) Xeon(R) CPU E5-2680 v2 @ 2.80GHz", "intel-xeon-e5-v2", 59.712],
  ["Intel(R) Xeon(R) CPU E5-2680 v3 @ 2.50GHz", "intel-xeon-e5-v3", 68.256],
  ["Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz", "intel-xeon-e5-v4", 76.8],
  ["Intel(R) Xeon(R) CPU E3-1230 v3 @ 3.30GHz", "intel-xeon-e3-ddr3", 25.6],
  ["Intel(R) Xeon(R) CPU E3-1230 v5 @ 3.40GHz", "intel-xeon-e3-ddr4", 34.128],
  ["Intel(R) Xeon(R) E-2288G CPU @ 3.70GHz", "intel-xeon-e-2100-2200", 42.656],
  ["Intel(R) Xeon(R) E-2388G CPU @ 3.20GHz", "intel-xeon-e-2300", 51.2],
  ["Intel(R) Xeon(R) W-2295 CPU @ 3.00GHz", "intel-xeon-w-2200", 93.856],
  ["Intel(R) Xeon(R) W-3375 CPU @ 2.50GHz", "intel-xeon-w-3300", 204.8],
  ["Intel(R) Xeon(R) w7-2495X", "intel-xeon-w-2400", 153.6],
  ["Intel(R) Xeon(R) w9-3495X", "intel-xeon-w-3400", 307.2],
  ["Intel(R) Xeon(R) Gold 6138 CPU @ 2.00GHz", "intel-xeon-sp-1", 127.968],
  ["Intel(R) Xeon(R) Silver 4214R CPU @ 2.40GHz", "intel-xeon-sp-2", 140.784],
  ["Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz", "intel-xeon-sp-3", 204.8],
  ["Intel(R) Xeon(R) Platinum 8380H CPU @ 2.90GHz", "intel-xeon-sp-3-cooper", 153.6],
  ["Intel Xeon Platinum 8480+", "intel-xeon-sp-4", 307.2],
  ["Intel(R) Xeon(R) Platinum 8480C", "intel-xeon-sp-4", 307.2],
  ["Intel(R) Xeon(R) Platinum 8592+", "intel-xeon-sp-5", 358.4],
  ["Intel(R) Xeon(R) 6980P", "intel-xeon-6-12ch", 614.4],
  ["Intel(R) Xeon(R) 6780E", "intel-xeon-6-8ch", 409.6],
  // Arm and others
  ["Snapdragon(R) X Elite - X1E78100 - Qualcomm(R) Oryon(TM) CPU", "qualcomm-snapdragon-x", 135.168],
  ["Snapdragon X Plus", "qualcomm-snapdragon-x", 135.168],
  ["Raspberry Pi 5 Model B Rev 1.0", "raspberry-pi-5", 17.068],
  ["Raspberry Pi 4 Model B Rev 1.4", "raspberry-pi-4", 12.8],
  ["Ampere Altra Q80-30", "ampere-altra", 204.8],
  ["AWS Graviton3", "aws-graviton3", 307.2],
  ["Kunpeng-920", "huawei-kunpeng-920", 187.712],
];

describe("cpuMemoryPlatform: CPU name -> memory platform -> GB/s", () => {
  it.each(CPUS)("%s -> %s (%d GB/s)", (name, key, gbps) => {
    const m = cpuMemoryPlatform(name);
    expect(m.platform.key).toBe(key);
    expect(m.tier).toBe("platform");
    expect(m.platform.bandwidthGBps).toBeCloseTo(gbps, 3);
    expect(m.assumedPct).toBe(PLATFORM_ASSUMED_PCT[m.platform.certainty]);
    expect(m.reason).toContain(name);
  });

  it("a two-type platform's fastest rated memory is above its figure (what bounds a measurement); one type: the same", () => {
    for (const p of Object.values(MEMORY_PLATFORMS)) {
      if (p.certainty === "twoTypes") expect(p.fastestGBps, p.key).toBeGreaterThan(p.bandwidthGBps);
      else expect(p.fastestGBps, p.key).toBe(p.bandwidthGBps);
    }
    expect(MEMORY_PLATFORMS["intel-core-12-14"]).toMatchObject({ bandwidthGBps: 51.2, fastestGBps: 89.6 });
  });

  it("every platform's figure is ramBandwidthGBps() of its type, speed and bus, and cites a vendor page", () => {
    const rows = Object.values(MEMORY_PLATFORMS);
    expect(rows.length).toBeGreaterThanOrEqual(60);
    for (const p of rows) {
      expect(p.bandwidthGBps).toBeCloseTo(ramBandwidthGBps(p.memoryType, p.speedMTs, p.busWidthBits / 64), 3);
      expect(p.source).toMatch(/amd\.com|Intel ARK|Qualcomm|Raspberry Pi|Ampere|aws\.amazon\.com|Huawei|JEDEC/);
    }
  });

  it("a CPU of a known family but an unknown generation: the generation's figure, 30%", () => {
    for (const [name, key] of [
      ["Intel Core Ultra 9 385H", "intel-meteor-lake"],
      ["AMD Ryzen AI 9 HX 470", "amd-strix-point"],
      ["AMD Ryzen Threadripper", "amd-threadripper-1000"],
      ["Snapdragon X2 Elite", "qualcomm-snapdragon-x"],
      ["Intel(R) Core(TM) i9-15900K", "intel-core-12-14"],
    ] as const) {
      const m = cpuMemoryPlatform(name);
      expect([m.platform.key, m.tier, m.assumedPct], name).toEqual([key, "generation", 30]);
    }
  });

  it("a vendor without a platform: dual-channel DDR4-2666 at 40%; nothing known: the same at 50%", () => {
    for (const name of ["AMD Ryzen", "AMD EPYC", "Intel(R) Celeron(R) N4020", "AMD Athlon Silver 3050U", "AMD Ryzen (CachyOS)"]) {
      const m = cpuMemoryPlatform(name);
      expect([m.platform.key, m.tier, m.assumedPct], name).toEqual(["default-ddr4-2666-dual", "vendor", 40]);
      expect(m.platform.bandwidthGBps).toBeCloseTo(42.656, 3);
    }
    for (const name of [undefined, null, "", "N/A", "unknown", "Cortex-A725", "TaiShan v120"]) {
      const m = cpuMemoryPlatform(name);
      expect([m.platform.key, m.tier, m.assumedPct], String(name)).toEqual(["default-ddr4-2666-dual", "unknown", 50]);
    }
  });

  it("normalizes the names tools print", () => {
    expect(normalizeCpuName("Intel(R) Core(TM) i9-10900X CPU @ 3.70GHz")).toBe("intel core i9-10900x");
    expect(normalizeCpuName("AMD Ryzen 7 8745H w/ Radeon 780M Graphics")).toBe("amd ryzen 7 8745h");
    expect(normalizeCpuName("AMD EPYC 7763 64-Core Processor")).toBe("amd epyc 7763");
  });
});

describe("integrated GPUs", () => {
  it.each([
    "Intel(R) Iris(R) Xe Graphics",
    "Intel Alder Lake-P GT2 [Iris Xe Graphics]",
    "Intel(R) UHD Graphics 770",
    "Intel(R) HD Graphics 620",
    "Intel(R) Arc(TM) Graphics",
    "Meteor Lake-P [Intel Arc Graphics]",
    "Intel(R) Graphics",
    "AMD Radeon(TM) 890M Graphics",
    "AMD Radeon 780M",
    "Radeon 840M / 860M Graphics",
    "AMD Radeon(TM) Graphics",
    "AMD Radeon Vega 8 Graphics",
    "Radeon RX Vega 11 Graphics",
    "Qualcomm(R) Adreno(TM) X1-85 GPU",
    "Mali-G610",
  ])("%s is integrated", (name) => expect(isIntegratedGpuName(name)).toBe(true));

  it.each(["NVIDIA GeForce RTX 4090", "AMD Radeon RX 7600S", "AMD Radeon RX Vega 64", "AMD Radeon Pro W7900", "Intel Arc B580", "Intel Arc A770 16GB", "AMD Radeon HD 7970"])(
    "%s is not",
    (name) => expect(isIntegratedGpuName(name)).toBe(false),
  );

  it("an iGPU's name implies its processor's memory platform", () => {
    const cases: ReadonlyArray<[string, string | null]> = [
      ["AMD Radeon 780M Graphics", "amd-phoenix"],
      ["AMD Radeon(TM) 890M Graphics", "amd-strix-point"],
      ["Radeon 840M / 860M Graphics", "amd-strix-point"],
      ["AMD Radeon 680M", "amd-rembrandt"],
      ["AMD Radeon 8060S Graphics", "amd-strix-halo"],
      ["Intel(R) Iris(R) Xe Graphics", "intel-core-11"],
      ["Intel(R) Arc(TM) Graphics", "intel-meteor-lake"],
      ["Intel(R) Arc(TM) 140V GPU (16GB)", "intel-lunar-lake"],
      ["Qualcomm(R) Adreno(TM) X1-85 GPU", "qualcomm-snapdragon-x"],
      ["AMD Radeon(TM) Graphics", null],
      ["Intel(R) UHD Graphics", null],
    ];
    for (const [name, key] of cases) expect(igpuMemoryPlatform(name)?.platform.key ?? null, name).toBe(key);
  });
});
