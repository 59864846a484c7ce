// Fixture machines: each recorded machine replayed through detectMachine, checked as a Machine and as system JSON.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { systemJson, type SystemJson } from "../src/contract/system.js";
import type { Machine } from "../src/domain/machine.js";
import { gibToBytes, mibToBytes } from "../src/domain/units.js";
import { detectMachine, refreshDynamic } from "../src/hardware/detect.js";
import { doctorReport } from "../src/hardware/doctor.js";
import { fixtureIO } from "../src/hardware/fixture-io.js";
import type { HardwareIO } from "../src/hardware/io.js";
import { ProbeTrace } from "../src/hardware/trace.js";

const FIXTURES = path.join(import.meta.dirname, "fixtures", "machines");

async function detect(name: string, timeoutMs = 200): Promise<{ machine: Machine; system: SystemJson; trace: ProbeTrace }> {
  const trace = new ProbeTrace();
  const machine = await detectMachine(await fixtureIO(path.join(FIXTURES, name)), { timeoutMs, trace });
  return { machine, system: systemJson(machine), trace };
}

/** The seed's fields of the system object, as one value per fixture. */
type SeedFields = Pick<
  SystemJson,
  | "total_ram_gb"
  | "available_ram_gb"
  | "cpu_cores"
  | "cpu_name"
  | "has_gpu"
  | "gpu_vram_gb"
  | "gpu_name"
  | "gpu_count"
  | "unified_memory"
  | "backend"
  | "gpus"
>;

const seed = (s: SystemJson): SeedFields => ({
  total_ram_gb: s.total_ram_gb,
  available_ram_gb: s.available_ram_gb,
  cpu_cores: s.cpu_cores,
  cpu_name: s.cpu_name,
  has_gpu: s.has_gpu,
  gpu_vram_gb: s.gpu_vram_gb,
  gpu_name: s.gpu_name,
  gpu_count: s.gpu_count,
  unified_memory: s.unified_memory,
  backend: s.backend,
  gpus: s.gpus,
});

const noGpu = { has_gpu: false, gpu_vram_gb: null, gpu_name: null, gpu_count: 0, unified_memory: false, gpus: [] };

describe("fixture machines", () => {
  it("8x H100 SXM: eight CUDA devices with HBM3 bandwidth, two sockets of cores", async () => {
    const { machine: m, system: s } = await detect("h100x8");
    expect(seed(s)).toEqual({
      total_ram_gb: 2015.49,
      available_ram_gb: 1975.59,
      cpu_cores: 112,
      cpu_name: "Intel(R) Xeon(R) Platinum 8480C",
      has_gpu: true,
      gpu_vram_gb: 79.6,
      gpu_name: "NVIDIA H100 80GB HBM3",
      gpu_count: 8,
      unified_memory: false,
      backend: "CUDA",
      gpus: [{ name: "NVIDIA H100 80GB HBM3", vram_gb: 79.6, backend: "CUDA", count: 8, unified_memory: false }],
    });
    expect(m.cpu.threads).toBe(224);
    expect(m.gpus.map((g) => g.pciBusId)).toEqual([
      "0000:18:00.0",
      "0000:2a:00.0",
      "0000:3a:00.0",
      "0000:5d:00.0",
      "0000:9a:00.0",
      "0000:ab:00.0",
      "0000:ba:00.0",
      "0000:db:00.0",
    ]);
    for (const g of m.gpus) {
      expect(g.memoryTotalBytes).toBe(mibToBytes(81559));
      expect(g.memoryBandwidthGBps).toBe(3350);
      expect(g.computeCapability).toBe("9.0");
      expect(g.uuid).toMatch(/^GPU-[0-9a-f-]{36}$/);
      expect(g.bandwidthSource).toContain("H100 SXM5");
    }
    expect(m.gpus[0]?.memoryFreeBytes).toBe(mibToBytes(80458));
    expect(s.devices[0]).toMatchObject({ index: 0, vram_total_gb: 79.65, vram_free_gb: 78.57, memory_source: "nvidia-smi memory.total" });
    // The ASPEED BMC display (card0) is no GPU; dmidecode needs root here: RAM bandwidth stays unknown.
    expect(s.ram_bandwidth_gbps).toBeNull();
    expect(m.warnings).toEqual([]);
  });

  it("A100 80GB with MIG: each 3g.40gb instance is a device with its own memory and a share of bandwidth", async () => {
    const { machine: m, system: s } = await detect("a100-mig");
    expect(s.gpu_count).toBe(2);
    expect(s.gpus).toEqual([{ name: "NVIDIA A100-SXM4-80GB MIG 3g.40gb", vram_gb: 39.3, backend: "CUDA", count: 2, unified_memory: false }]);
    expect(m.gpus.map((g) => g.uuid)).toEqual([expect.stringMatching(/^MIG-/), expect.stringMatching(/^MIG-/)]);
    expect(m.gpus[0]).toMatchObject({
      memoryTotalBytes: mibToBytes(40192),
      memoryFreeBytes: mibToBytes(40155),
      pciBusId: "0000:00:04.0",
      computeCapability: "8.0",
      memorySource: "nvidia-smi -q MIG device FB Memory Usage",
    });
    expect(m.gpus[1]?.memoryFreeBytes).toBe(mibToBytes(40179));
    // 40192 of 81920 MiB of a 2039 GB/s part; 3 of 7 compute slices of 312 TFLOPS.
    expect(m.gpus[0]?.memoryBandwidthGBps).toBeCloseTo((2039 * 40192) / 81920, 6);
    expect(m.gpus[0]?.fp16Tflops).toBeCloseTo((312 * 3) / 7, 6);
    expect(m.gpus[0]?.bandwidthSource).toContain("MIG 3g.40gb");
    expect(s.cpu_cores).toBe(6);
    expect(m.warnings).toEqual([]);
  });

  it("RTX 4090 + RTX 3090: cards of about the same memory: the primary GPU is the faster one; the Raphael iGPU is dropped", async () => {
    const { machine: m, system: s, trace } = await detect("rtx4090-3090");
    expect(seed(s)).toEqual({
      total_ram_gb: 62.42,
      available_ram_gb: 56.19,
      cpu_cores: 16,
      cpu_name: "AMD Ryzen 9 7950X 16-Core Processor",
      has_gpu: true,
      gpu_vram_gb: 24,
      gpu_name: "NVIDIA GeForce RTX 4090",
      gpu_count: 2,
      unified_memory: false,
      backend: "CUDA",
      gpus: [
        { name: "NVIDIA GeForce RTX 4090", vram_gb: 24, backend: "CUDA", count: 1, unified_memory: false },
        { name: "NVIDIA GeForce RTX 3090", vram_gb: 24, backend: "CUDA", count: 1, unified_memory: false },
      ],
    });
    expect(m.gpus.map((g) => [g.memoryBandwidthGBps, g.computeCapability])).toEqual([
      [1008, "8.9"],
      [936, "8.6"],
    ]);
    // Two DDR5-6000 DIMMs on channels A and B: 6000 MT/s x 8 bytes x 2.
    expect(s.ram_bandwidth_gbps).toBe(96);
    expect(s.ram_bandwidth_source).toMatch(/^dmidecode: DDR5-6000/);
    const igpu = trace.entries.find((e) => e.target === "/sys/class/drm/card2/device/uevent");
    expect(igpu?.decision).toContain("1002:164e");
    expect(m.gpus.some((g) => g.vendor === "amd")).toBe(false);
    expect(m.warnings).toEqual([]);
  });

  it("GB10 (DGX Spark): [N/A] memory means the GPU's pool is system RAM; Arm cores named from their part ids", async () => {
    const { machine: m, system: s } = await detect("gb10");
    expect(seed(s)).toEqual({
      total_ram_gb: 119.61,
      available_ram_gb: 116.43,
      cpu_cores: 20,
      cpu_name: "Cortex-X925 + Cortex-A725",
      has_gpu: true,
      gpu_vram_gb: 119.6,
      gpu_name: "NVIDIA GB10",
      gpu_count: 1,
      unified_memory: true,
      backend: "CUDA",
      gpus: [{ name: "NVIDIA GB10", vram_gb: 119.6, backend: "CUDA", count: 1, unified_memory: true }],
    });
    expect(m.cpu.arch).toBe("arm");
    expect(m.gpus[0]).toMatchObject({
      memoryTotalBytes: m.memory.totalBytes,
      memoryFreeBytes: m.memory.availableBytes,
      memoryBandwidthGBps: 273,
      computeCapability: "12.1",
      pciBusId: "000f:01:00.0",
      integrated: true,
    });
    expect(s.ram_bandwidth_gbps).toBe(273);
  });

  it("Jetson AGX Orin 64GB (JetPack 5, no nvidia-smi): found through /etc/nv_tegra_release, pool = system RAM", async () => {
    const { machine: m, system: s } = await detect("jetson-agx-orin");
    expect(seed(s)).toEqual({
      total_ram_gb: 61.36,
      available_ram_gb: 58.07,
      cpu_cores: 12,
      cpu_name: "Cortex-A78AE",
      has_gpu: true,
      gpu_vram_gb: 61.4,
      gpu_name: "NVIDIA Jetson AGX Orin 64GB",
      gpu_count: 1,
      unified_memory: true,
      backend: "CUDA",
      gpus: [{ name: "NVIDIA Jetson AGX Orin 64GB", vram_gb: 61.4, backend: "CUDA", count: 1, unified_memory: true }],
    });
    expect(m.gpus[0]?.memoryBandwidthGBps).toBe(204.8);
    expect(m.gpus[0]?.memorySource).toContain("L4T R35.4.1");
    expect(s.ram_bandwidth_gbps).toBe(204.8);
  });

  it("Strix Halo: a 512 MiB carve-out beside a large GTT pool; the pool is GTT and both are recorded", async () => {
    const { machine: m, system: s } = await detect("strix-halo");
    expect(seed(s)).toEqual({
      total_ram_gb: 126.72,
      available_ram_gb: 121.44,
      cpu_cores: 16,
      cpu_name: "AMD RYZEN AI MAX+ 395 w/ Radeon 8060S",
      has_gpu: true,
      gpu_vram_gb: 63.4,
      gpu_name: "AMD Radeon 8060S Graphics",
      gpu_count: 1,
      unified_memory: true,
      backend: "ROCm",
      gpus: [{ name: "AMD Radeon 8060S Graphics", vram_gb: 63.4, backend: "ROCm", count: 1, unified_memory: true }],
    });
    expect(m.gpus[0]).toMatchObject({ memoryTotalBytes: 68031455232, memoryFreeBytes: 68031455232 - 27557888, integrated: true });
    expect(m.gpus[0]?.memorySource).toBe(
      "amdgpu sysfs: VRAM carve-out 0.5 GiB (mem_info_vram_total), GTT 63.36 GiB (mem_info_gtt_total); pool = GTT",
    );
    expect(m.gpus[0]?.memoryBandwidthGBps).toBe(256);
  });

  it("RX 7900 XTX: VRAM from sysfs, the model from rocm-smi's pci.ids list narrowed by memory", async () => {
    const { machine: m, system: s } = await detect("rx7900xtx");
    expect(seed(s)).toEqual({
      total_ram_gb: 31.06,
      available_ram_gb: 27.63,
      cpu_cores: 8,
      cpu_name: "AMD Ryzen 7 7800X3D 8-Core Processor",
      has_gpu: true,
      gpu_vram_gb: 24,
      gpu_name: "AMD Radeon RX 7900 XTX",
      gpu_count: 1,
      unified_memory: false,
      backend: "ROCm",
      gpus: [{ name: "AMD Radeon RX 7900 XTX", vram_gb: 24, backend: "ROCm", count: 1, unified_memory: false }],
    });
    expect(m.gpus[0]).toMatchObject({
      pciBusId: "0000:03:00.0",
      memoryTotalBytes: 25753026560,
      memoryFreeBytes: 25753026560 - 1189470208,
      memoryBandwidthGBps: 960,
      memorySource: "amdgpu sysfs mem_info_vram_total",
    });
  });

  it("Intel Arc B580 (xe): VRAM from the tile's sysfs, SYCL; the UHD 770 iGPU is not a placement target", async () => {
    const { machine: m, system: s, trace } = await detect("arc-b580");
    expect(seed(s)).toEqual({
      total_ram_gb: 31.08,
      available_ram_gb: 28.47,
      cpu_cores: 14,
      cpu_name: "Intel(R) Core(TM) i5-14600K",
      has_gpu: true,
      gpu_vram_gb: 12,
      gpu_name: "Intel Arc B580",
      gpu_count: 1,
      unified_memory: false,
      backend: "SYCL",
      gpus: [{ name: "Intel Arc B580", vram_gb: 12, backend: "SYCL", count: 1, unified_memory: false }],
    });
    expect(m.cpu.threads).toBe(20);
    expect(m.gpus[0]).toMatchObject({ memoryFreeBytes: null, memoryBandwidthGBps: 456, memorySource: "xe sysfs tile0/physical_vram_size_bytes" });
    expect(m.gpus[0]?.bandwidthSource).toContain("matched by PCI id");
    expect(trace.entries.find((e) => e.target === "/sys/class/drm/card0/device/uevent")?.decision).toContain("integrated GPU");
  });

  it("Apple M3 Max, 128 GB, no wired limit: the GPU may use 3/4 of RAM by default", async () => {
    const { machine: m, system: s } = await detect("apple-m3-max");
    expect(seed(s)).toEqual({
      total_ram_gb: 128,
      available_ram_gb: 53.28,
      cpu_cores: 16,
      cpu_name: "Apple M3 Max",
      has_gpu: true,
      gpu_vram_gb: 96,
      gpu_name: "Apple M3 Max",
      gpu_count: 1,
      unified_memory: true,
      backend: "Metal",
      gpus: [{ name: "Apple M3 Max", vram_gb: 96, backend: "Metal", count: 1, unified_memory: true }],
    });
    expect(m.node).toEqual({ name: "mbp-m3max", os: "macos" });
    expect(m.gpus[0]).toMatchObject({ gpuCores: 40, memoryBandwidthGBps: 400, integrated: true });
    expect(m.gpus[0]?.memorySource).toContain("3/4 of hw.memsize");
    // free + speculative + inactive pages of 16 KiB.
    expect(m.memory.availableBytes).toBe((1412345 + 45120 + 2034450) * 16384);
    expect(s.ram_bandwidth_gbps).toBe(400);
  });

  it("Apple M4 Pro, 48 GB, iogpu.wired_limit_mb = 40960: the wired limit is the pool", async () => {
    const { machine: m, system: s } = await detect("apple-m4-pro");
    expect(s.gpu_vram_gb).toBe(40);
    expect(s.total_ram_gb).toBe(48);
    expect(s.cpu_cores).toBe(14);
    expect(m.gpus[0]).toMatchObject({ name: "Apple M4 Pro", gpuCores: 20, memoryBandwidthGBps: 273, memorySource: "sysctl iogpu.wired_limit_mb = 40960" });
    expect(m.gpus[0]?.memoryFreeBytes).toBe(Math.min(gibToBytes(40), m.memory.availableBytes));
  });

  it("Windows laptop: nvidia-smi from System32, VRAM never from WMI, the iGPU and Parsec's virtual display dropped", async () => {
    const { machine: m, system: s, trace } = await detect("windows-laptop-4060");
    expect(seed(s)).toEqual({
      total_ram_gb: 31.73,
      available_ram_gb: 17.07,
      cpu_cores: 14,
      cpu_name: "13th Gen Intel(R) Core(TM) i7-13700H",
      has_gpu: true,
      gpu_vram_gb: 8,
      gpu_name: "NVIDIA GeForce RTX 4060 Laptop GPU",
      gpu_count: 1,
      unified_memory: false,
      backend: "CUDA",
      gpus: [{ name: "NVIDIA GeForce RTX 4060 Laptop GPU", vram_gb: 8, backend: "CUDA", count: 1, unified_memory: false }],
    });
    expect(m.node).toEqual({ name: "LAPTOP-K7M2Q9", os: "windows" });
    expect(m.gpus[0]?.memorySource).toBe("nvidia-smi memory.total");
    const registry = trace.entries.find((e) => e.command === "powershell.exe" && e.target.includes("HardwareInformation"));
    expect(registry?.decision).toContain("Parsec Virtual Display Adapter: display-only, dropped");
    expect(trace.entries.some((e) => e.command === "C:\\Windows\\System32\\nvidia-smi.exe")).toBe(true);
    expect(m.warnings).toEqual([]);
  });

  it("WSL2: nvidia-smi found in /usr/lib/wsl/lib; RAM is the VM's", async () => {
    const { machine: m, system: s } = await detect("wsl2-rtx3080");
    expect(seed(s)).toEqual({
      total_ram_gb: 15.58,
      available_ram_gb: 14.69,
      cpu_cores: 8,
      cpu_name: "AMD Ryzen 7 5800X 8-Core Processor",
      has_gpu: true,
      gpu_vram_gb: 10,
      gpu_name: "NVIDIA GeForce RTX 3080",
      gpu_count: 1,
      unified_memory: false,
      backend: "CUDA",
      gpus: [{ name: "NVIDIA GeForce RTX 3080", vram_gb: 10, backend: "CUDA", count: 1, unified_memory: false }],
    });
    expect(m.gpus[0]?.memoryBandwidthGBps).toBe(760);
  });

  it("container under cgroup v2 with 16 GiB and 4 CPUs: the limit is the RAM, usage less file cache is taken out", async () => {
    const { machine: m, system: s } = await detect("container-cgroup2-16g");
    expect(seed(s)).toEqual({
      total_ram_gb: 16,
      available_ram_gb: 13.75,
      cpu_cores: 4,
      cpu_name: "AMD EPYC 7313P 16-Core Processor",
      backend: "CPU (x86)",
      ...noGpu,
    });
    expect(m.memory).toMatchObject({ limitedBy: "cgroup", cgroupLimitBytes: gibToBytes(16), totalBytes: gibToBytes(16) });
    // 16 GiB - (3.25 GiB in use - 1 GiB inactive file cache).
    expect(m.memory.availableBytes).toBe(17179869184 - (3489660928 - 1073741824));
    expect(s).toMatchObject({ memory_limit_gb: 16, memory_limited_by: "cgroup", host_ram_gb: 62.74 });
  });

  it("container under cgroup v1 with 8 GiB and 2 CPUs: the host path is not mounted, the mount root is the container", async () => {
    const { machine: m, system: s } = await detect("container-cgroup1");
    expect(seed(s)).toEqual({
      total_ram_gb: 8,
      available_ram_gb: 6.5,
      cpu_cores: 2,
      cpu_name: "Intel(R) Xeon(R) Gold 6230R CPU @ 2.10GHz",
      backend: "CPU (x86)",
      ...noGpu,
    });
    expect(m.memory.limitedBy).toBe("cgroup");
    expect(m.memory.hostTotalBytes).toBe(131746932 * 1024);
  });

  it("a hanging nvidia-smi costs one timeout and becomes a warning, not a crash", async () => {
    const started = performance.now();
    const { machine: m, system: s, trace } = await detect("nvidia-smi-hang", 100);
    expect(performance.now() - started).toBeLessThan(1500);
    expect(s).toMatchObject({ ...noGpu, backend: "CPU (x86)", cpu_cores: 8 });
    expect(m.warnings).toEqual([
      "nvidia-smi --query-gpu=index,name,uuid,pci.bus_id,memory.total,memory.free,memory.used,compute_cap --format=csv,noheader,nounits: timed out after 100 ms",
      "NVIDIA GPU(s) present on the PCI bus but not usable (nvidia-smi failed): 10de:2684 at 0000:01:00.0",
    ]);
    // The query and -L ran side by side: neither was retried after timing out.
    const runs = trace.entries.filter((e) => e.command === "nvidia-smi");
    expect(runs.length).toBe(2);
    expect(runs.every((e) => e.timedOut)).toBe(true);
  });

  it("a broken driver (nvidia-smi exits 9): the tool's own words in a warning, and the card named from the PCI bus", async () => {
    const { machine: m, system: s } = await detect("nvidia-driver-broken");
    expect(s).toMatchObject({ ...noGpu, backend: "CPU (x86)" });
    expect(m.warnings).toEqual([
      "nvidia-smi --query-gpu=index,name,uuid,pci.bus_id,memory.total,memory.free,memory.used,compute_cap --format=csv,noheader,nounits: exit 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
      "NVIDIA GPU(s) present on the PCI bus but not usable (nvidia-smi failed): 10de:2204 at 0000:2d:00.0",
    ]);
  });

  it("Ascend 910B: NPUs from npu-smi with their HBM; not in the knowledge base, so bandwidth is unknown and said so", async () => {
    const { machine: m, system: s } = await detect("ascend-910b");
    expect(s).toMatchObject({ gpu_count: 8, gpu_name: "Ascend 910B3", gpu_vram_gb: 64, backend: "NPU (Ascend)", cpu_name: "TaiShan v110", cpu_cores: 192 });
    expect(s.gpus).toEqual([{ name: "Ascend 910B3", vram_gb: 64, backend: "NPU (Ascend)", count: 8, unified_memory: false }]);
    expect(m.gpus[1]).toMatchObject({ pciBusId: "0000:01:00.0", memoryFreeBytes: mibToBytes(65536 - 3162), memoryBandwidthGBps: null, vendor: "huawei" });
    expect(m.warnings).toEqual(["Ascend 910B3: not in the knowledge base: memory bandwidth and FP16 throughput unknown"]);
  });

  it("Jetson on JetPack 6: nvidia-smi's \"Orin (nvgpu)\" is named from the device tree", async () => {
    const base = await fixtureIO(path.join(FIXTURES, "jetson-agx-orin"));
    const io: HardwareIO = {
      ...base,
      run: async (command, args, options) =>
        command !== "nvidia-smi"
          ? base.run(command, args, options)
          : {
              command,
              args,
              stdout: args[0] === "-L" ? "GPU 0: Orin (nvgpu) (UUID: GPU-1d2f5b8e-0c3a-5d6f-9a1b-2c3d4e5f6a7b)\n" : "0, Orin (nvgpu), [N/A], [N/A], [N/A], [N/A], [N/A], 8.7\n",
              stderr: "",
              exitCode: 0,
              timedOut: false,
              spawnError: null,
              durationMs: 40,
            },
    };
    const m = await detectMachine(io);
    expect(m.gpus).toHaveLength(1);
    expect(m.gpus[0]).toMatchObject({ name: "NVIDIA Jetson AGX Orin 64GB", computeCapability: "8.7", unifiedMemory: true, memoryBandwidthGBps: 204.8 });
    expect(m.gpus[0]?.memoryTotalBytes).toBe(m.memory.totalBytes);
  });

  it("this project's CPU-only box (recorded with writeFixture): host RAM, no GPU, unknown RAM bandwidth", async () => {
    const { machine: m, system: s } = await detect("cpu-only");
    expect(seed(s)).toEqual({
      total_ram_gb: 23.54,
      available_ram_gb: 22.88,
      cpu_cores: 2,
      cpu_name: "AMD EPYC",
      backend: "CPU (x86)",
      ...noGpu,
    });
    expect(m.memory).toMatchObject({ limitedBy: "host", cgroupLimitBytes: null, bandwidthGBps: null, bandwidthSource: null });
    expect(s.origin).toBe("detected");
    expect(s.warnings).toEqual([]);
  });
});

describe("every fixture", () => {
  const names = [
    "h100x8",
    "a100-mig",
    "rtx4090-3090",
    "gb10",
    "jetson-agx-orin",
    "strix-halo",
    "rx7900xtx",
    "arc-b580",
    "apple-m3-max",
    "apple-m4-pro",
    "windows-laptop-4060",
    "wsl2-rtx3080",
    "container-cgroup2-16g",
    "container-cgroup1",
    "nvidia-driver-broken",
    "ascend-910b",
    "cpu-only",
  ];

  it.each(names)("%s: consistent Machine, system JSON and doctor report", async (name) => {
    const { machine: m, system: s, trace } = await detect(name);
    expect(m.origin).toBe("detected");
    expect(m.snapshotAt).toBe(s.snapshot_at);
    expect(m.memory.availableBytes).toBeLessThanOrEqual(m.memory.totalBytes);
    expect(m.memory.totalBytes).toBeLessThanOrEqual(m.memory.hostTotalBytes);
    m.gpus.forEach((g, i) => {
      expect(g.index).toBe(i);
      expect(g.memoryTotalBytes).toBeGreaterThan(0);
      if (g.memoryFreeBytes !== null) expect(g.memoryFreeBytes).toBeLessThanOrEqual(g.memoryTotalBytes);
    });
    expect(s.has_gpu).toBe(s.gpu_count > 0);
    expect(s.gpus.reduce((n, g) => n + g.count, 0)).toBe(s.gpu_count);
    expect(s.devices.length).toBe(s.gpu_count);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    const report = doctorReport(m, trace);
    expect(report.probes.length).toBe(trace.entries.length);
    expect(report.warnings).toEqual(m.warnings);
  });

  it.each(names)("%s: refreshDynamic keeps the static facts and re-reads free memory", async (name) => {
    const io = await fixtureIO(path.join(FIXTURES, name));
    const m = await detectMachine(io, { timeoutMs: 200 });
    const r = await refreshDynamic(io, m, { timeoutMs: 200 });
    expect({ ...r, snapshotAt: m.snapshotAt }).toEqual(m);
  });
});

describe("fixture variants", () => {
  /** A copy of a fixture machine, edited: the manifest's commands filtered and files replaced. */
  async function variant(name: string, edit: (manifest: { commands: Array<{ command: string; stdout?: string }> }, dir: string) => void): Promise<HardwareIO> {
    const { cpSync, mkdtempSync, readFileSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(path.join(tmpdir(), `nodefit-${name}-`));
    cpSync(path.join(FIXTURES, name), dir, { recursive: true });
    const manifestPath = path.join(dir, "machine.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    edit(manifest, dir);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    return fixtureIO(dir);
  }

  it("Windows without nvidia-smi: registry devices keep their figures across refreshes, with no new warning", async () => {
    const io = await variant("windows-laptop-4060", (m) => {
      m.commands = m.commands.filter((c) => !/nvidia-smi/i.test(c.command));
    });
    const m = await detectMachine(io, { timeoutMs: 200 });
    const r = await refreshDynamic(io, m, { timeoutMs: 200 });
    expect(r.warnings).toEqual(m.warnings);
    expect(r.gpus).toEqual(m.gpus);
  });

  it("Windows: an AMD APU named with (TM) is integrated and never the primary GPU beside a discrete card", async () => {
    const io = await variant("windows-laptop-4060", (_m, dir) => {
      const file = path.join(dir, "commands", "02-powershell-registry.stdout.txt");
      const { readFileSync, writeFileSync } = require("node:fs") as typeof import("node:fs");
      const text = readFileSync(file, "utf8")
        .replace('"Intel(R) Iris(R) Xe Graphics","MatchingDeviceId":"pci\\\\ven_8086&dev_a7a0","ProviderName":"Intel Corporation","HardwareInformation.qwMemorySize":134217728', '"AMD Radeon(TM) 890M Graphics","MatchingDeviceId":"pci\\\\ven_1002&dev_150e","ProviderName":"Advanced Micro Devices, Inc.","HardwareInformation.qwMemorySize":17179869184');
      expect(text).toContain("890M");
      writeFileSync(file, text);
    });
    const s = systemJson(await detectMachine(io, { timeoutMs: 200 }));
    expect(s.gpu_name).toBe("NVIDIA GeForce RTX 4060 Laptop GPU");
    expect(s.gpus.map((g) => g.name)).not.toContain("AMD Radeon(TM) 890M Graphics");
  });
});
