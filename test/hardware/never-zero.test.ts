// Never a missing bandwidth (issue 12): machines described with every optional field missing, and detections whose
// RAM probe failed, complete with a bandwidth on every device and in memory, and every assumed figure is marked.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SystemSchema } from "../../src/contract/schemas-system.js";
import { systemJson } from "../../src/contract/system.js";
import type { Machine } from "../../src/domain/machine.js";
import { describeMachine } from "../../src/hardware/describe.js";
import { detectMachine } from "../../src/hardware/detect.js";
import { fixtureIO } from "../../src/hardware/fixture-io.js";
import { APPLE_GPUS } from "../../src/hardware/knowledge/apple.js";

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "machines");

/** Every figure present and positive; a figure is marked assumed exactly when its source says "assumed:". */
function expectComplete(m: Machine, label: string): void {
  expect(m.memory.bandwidthGBps, `${label}: RAM bandwidth`).not.toBeNull();
  expect(m.memory.bandwidthGBps as number, label).toBeGreaterThan(0);
  expect(m.memory.bandwidthSource, label).not.toBeNull();
  expect((m.memory.bandwidthAssumedPct ?? 0) > 0, `${label}: RAM ${m.memory.bandwidthSource}`).toBe(m.memory.bandwidthSource?.startsWith("assumed: "));
  for (const g of m.gpus) {
    expect(g.memoryBandwidthGBps, `${label}: ${g.name}`).not.toBeNull();
    expect(g.memoryBandwidthGBps as number, label).toBeGreaterThan(0);
    expect((g.bandwidthAssumedPct ?? 0) > 0, `${label}: ${g.name}: ${g.bandwidthSource}`).toBe(g.bandwidthSource?.startsWith("assumed: "));
    if (g.bandwidthAssumedPct !== undefined) expect(g.bandwidthAssumedPct).toBeLessThanOrEqual(50);
  }
  if (m.memory.bandwidthAssumedPct !== undefined) expect(m.memory.bandwidthAssumedPct).toBeLessThanOrEqual(50);
  const s = systemJson(m);
  expect(SystemSchema.safeParse(s).success, label).toBe(true);
  expect(s.ram_bandwidth_assumed_pct).toBe(m.memory.bandwidthAssumedPct);
}

const CPU_NAMES = [
  "AMD Ryzen 9 7950X",
  "AMD Ryzen 9 5950X 16-Core Processor",
  "Intel Core i7-12700H",
  "12th Gen Intel(R) Core(TM) i7-1270P",
  "AMD Ryzen 7 8745H w/ Radeon 780M Graphics",
  "AMD EPYC 9654",
  "Intel Xeon Platinum 8480+",
  "Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz",
  "Apple M4 Pro",
  "Apple M3 Max",
  "AMD Ryzen AI Max+ 395",
  "AMD Ryzen Threadripper PRO 7995WX",
  "Intel(R) Core(TM) Ultra 7 155H",
  "Snapdragon(R) X Elite - X1E78100 - Qualcomm(R) Oryon(TM) CPU",
  "Raspberry Pi 5 Model B Rev 1.0",
  "Intel(R) Core(TM) i9-10900X CPU @ 3.70GHz",
  "Intel(R) N100",
  "AMD Ryzen",
  "Intel(R) Celeron(R) N4020",
  "Cortex-A725",
  "Some Future CPU 9000",
];

describe("described machines with every optional field missing", () => {
  it.each(CPU_NAMES)("CPU-only, ram_gb and cpu_name %s: a RAM bandwidth, assumed", (cpu_name) => {
    const m = describeMachine({ ram_gb: 64, cpu_name });
    expectComplete(m, cpu_name);
    if (!/^Apple M4 Pro$/.test(cpu_name)) expect(m.memory.bandwidthAssumedPct).toBeGreaterThan(0);
  });

  it("CPU-only with just ram_gb: the default (dual-channel DDR4-2666), 50%", () => {
    const m = describeMachine({ ram_gb: 32 });
    expectComplete(m, "ram_gb only");
    expect(m.memory).toMatchObject({ bandwidthGBps: 42.656, bandwidthAssumedPct: 50 });
    expect(m.memory.bandwidthSource).toMatch(/^assumed: no CPU name given: .*DDR4-2666.*; give ram_bandwidth_gbps to override$/);
  });

  it("a given figure is not assumed", () => {
    const m = describeMachine({ ram_gb: 64, cpu_name: "AMD Ryzen 9 7950X", ram_bandwidth_gbps: 70, gpus: [{ name: "NVIDIA GeForce RTX 6070", vram_gb: 12, memory_bandwidth_gbps: 700 }] });
    expectComplete(m, "given");
    expect(m.memory.bandwidthAssumedPct).toBeUndefined();
    expect(m.gpus[0]?.bandwidthAssumedPct).toBeUndefined();
    expect([m.memory.bandwidthGBps, m.gpus[0]?.memoryBandwidthGBps]).toEqual([70, 700]);
  });

  const chips = [...new Set(APPLE_GPUS.map((g) => g.name.replace(/\s*\(\d+-core GPU\)$/, "")))].concat(["Apple M6", "Apple M6 Pro", "Apple M5 Ultra"]);
  const sizes = [8, 16, 24, 36, 48, 64, 96, 128, 192, 512];

  it.each(chips)("%s by name with several memory sizes: the GPU and the RAM share the chip's bandwidth", (chip) => {
    for (const ram_gb of sizes) {
      const label = `${chip} ${ram_gb} GB`;
      const m = describeMachine({ ram_gb, gpus: [{ name: chip }] });
      expectComplete(m, label);
      expect(m.memory.bandwidthGBps, label).toBe(m.gpus[0]?.memoryBandwidthGBps);
      const cpuOnly = describeMachine({ ram_gb, cpu_name: chip });
      expectComplete(cpuOnly, `${label} (cpu_name)`);
      expect(cpuOnly.memory.bandwidthGBps, label).toBe(m.memory.bandwidthGBps);
    }
  });

  it("Apple M3 Max: 36 GB is the 30-core chip (300 GB/s), 64 GB the 40-core one (400 GB/s), each assumed 10%", () => {
    const small = describeMachine({ ram_gb: 36, gpus: [{ name: "Apple M3 Max" }] });
    // The variant is assumed, so its core count is not reported as a fact.
    expect(small.gpus[0]).toMatchObject({ memoryBandwidthGBps: 300, bandwidthAssumedPct: 10, gpuCores: null });
    expect(small.gpus[0]?.bandwidthSource).toBe(
      "assumed: Apple M3 Max with 36 GiB is the 30-core GPU chip (300 GB/s): sold with 36, 96 GB (Apple MacBook Pro (Nov 2023) technical specifications: M3 Max with 30-core GPU, 36GB or 96GB); give memory_bandwidth_gbps to override",
    );
    expect(describeMachine({ ram_gb: 64, gpus: [{ name: "Apple M3 Max" }] }).gpus[0]).toMatchObject({ memoryBandwidthGBps: 400, bandwidthAssumedPct: 10 });
  });

  const IGPUS = [
    "Intel(R) Iris(R) Xe Graphics",
    "Intel Alder Lake-P GT2 [Iris Xe Graphics]",
    "Intel(R) UHD Graphics 770",
    "Intel(R) Arc(TM) Graphics",
    "AMD Radeon 780M Graphics",
    "AMD Radeon(TM) 890M Graphics",
    "Radeon 840M / 860M Graphics",
    "AMD Radeon 860M",
    "AMD Radeon(TM) Graphics",
    "AMD Radeon Vega 8 Graphics",
  ];

  it.each(IGPUS)("integrated %s reads the system RAM: its bandwidth is the RAM's", (name) => {
    for (const machine of [
      { ram_gb: 32, gpus: [{ name }] },
      { ram_gb: 32, gpus: [{ name, unified_memory: true }], cpu_name: "AMD Ryzen AI 7 350 w/ Radeon 860M" },
      { ram_gb: 32, gpus: [{ name, vram_gb: 0.5 }], cpu_name: "12th Gen Intel(R) Core(TM) i7-1270P" },
      { ram_gb: 32, gpus: [{ name }], ram_bandwidth_gbps: 75 },
    ]) {
      const m = describeMachine(machine);
      expectComplete(m, `${name} ${JSON.stringify(machine)}`);
      expect(m.gpus[0]?.memoryBandwidthGBps).toBe(m.memory.bandwidthGBps);
      expect(m.gpus[0]?.bandwidthAssumedPct).toBe(m.memory.bandwidthAssumedPct);
      expect(m.gpus[0]?.bandwidthSource).toContain("is an integrated GPU and reads the system RAM");
      expect(m.gpus[0]?.integrated).toBe(true);
    }
  });

  it("an iGPU without a CPU name takes its processor's platform (Radeon 780M: Phoenix, DDR5-5600)", () => {
    const m = describeMachine({ ram_gb: 32, gpus: [{ name: "AMD Radeon 780M Graphics" }] });
    expect(m.memory).toMatchObject({ bandwidthGBps: 89.6, bandwidthAssumedPct: 25 });
    expect(m.gpus[0]?.memoryBandwidthGBps).toBe(89.6);
  });

  const UNKNOWN_GPUS: ReadonlyArray<[string, number]> = [
    ["NVIDIA GeForce RTX 6070", 12],
    ["NVIDIA GeForce RTX 5050 Ti", 8],
    ["NVIDIA GeForce RTX 6090 Laptop GPU", 24],
    ["NVIDIA H100 80GB HBM3 (SXM)", 80],
    ["NVIDIA A100 80GB HBM2e", 80],
    ["NVIDIA Mystery 48GB", 48],
    ["AMD Radeon RX 9050", 8],
    ["AMD Radeon RX 7650 GRE", 8],
    ["AMD Instinct MI400", 288],
    ["AMD Radeon Mystery", 16],
    ["Intel Arc B770", 16],
    ["Intel Arc A310", 4],
    ["Intel Data Center GPU Max 1550", 128],
  ];

  it.each(UNKNOWN_GPUS)("unknown %s (%d GB): an assumed figure, marked, with a CPU-only RAM figure beside it", (name, vram_gb) => {
    const m = describeMachine({ ram_gb: 64, gpus: [{ name, vram_gb }] });
    expectComplete(m, name);
    expect(m.gpus[0]?.bandwidthAssumedPct, name).toBeGreaterThan(0);
    expect(m.warnings).toEqual(["cpu_cores not given: assumed 4 (CPU speed estimates are approximate; give cpu_cores)"]);
  });

  it("a vendor the knowledge base has no card of keeps the current behaviour: no figure, a warning", () => {
    const m = describeMachine({ ram_gb: 64, cpu_cores: 8, gpus: [{ name: "Mystery Accelerator 9000", vram_gb: 48 }] });
    expect(m.gpus[0]?.memoryBandwidthGBps).toBeNull();
    expect(m.memory.bandwidthGBps).toBe(42.656);
    expect(m.warnings[0]).toContain("Mystery Accelerator 9000");
  });
});

describe("detected machines whose RAM probe failed: the CPU's memory platform", () => {
  async function detectWithFailedProbe(name: string): Promise<Machine> {
    const io = await fixtureIO(path.join(FIXTURES, name));
    return detectMachine({ ...io, measureRamBandwidth: async () => null }, { timeoutMs: 200 });
  }

  it("8x H100 (Xeon Platinum 8480C, dmidecode needs root): Sapphire Rapids, 8 x DDR5-4800, 20%", async () => {
    const m = await detectWithFailedProbe("h100x8");
    expectComplete(m, "h100x8");
    expect(m.memory).toMatchObject({ bandwidthGBps: 307.2, bandwidthAssumedPct: 20 });
    expect(m.memory.bandwidthSource).toMatch(/^assumed: Intel\(R\) Xeon\(R\) Platinum 8480C is an Intel Xeon Scalable 4th gen/);
  });

  it("Windows laptop (i7-13700H): the 12th-14th gen platform's DDR4-3200, 25%", async () => {
    const m = await detectWithFailedProbe("windows-laptop-4060");
    expectComplete(m, "windows-laptop-4060");
    expect(m.memory).toMatchObject({ bandwidthGBps: 51.2, bandwidthAssumedPct: 25 });
  });

  it.each(["h100x8", "a100-mig", "rtx4090-3090", "gb10", "jetson-agx-orin", "strix-halo", "rx7900xtx", "arc-b580", "apple-m3-max", "apple-m4-pro", "windows-laptop-4060", "wsl2-rtx3080", "container-cgroup2-16g", "container-cgroup1", "nvidia-driver-broken", "cpu-only"])(
    "%s: every figure present",
    async (name) => expectComplete(await detectWithFailedProbe(name), name),
  );

  it("without a probe at all (fixtures), detection keeps what it had: no figure is invented", async () => {
    const m = await detectMachine(await fixtureIO(path.join(FIXTURES, "cpu-only")), { timeoutMs: 200 });
    expect(m.memory.bandwidthGBps).toBeNull();
  });
});
