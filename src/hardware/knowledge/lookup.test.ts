import { describe, expect, it } from "vitest";
import { gibToBytes, mibToBytes } from "../../domain/units.js";
import { createGpuLookup, lookupGpu, normalizePciId } from "./lookup.js";
import type { GpuQuery } from "./types.js";

type Row = [name: string, extra: Omit<GpuQuery, "name">, expected: string | null];

/** Names as tools print them (nvidia-smi, rocm-smi, lspci, DXGI, system_profiler) and as users type them. */
const TABLE: Row[] = [
  // nvidia-smi
  ["NVIDIA GeForce RTX 4090", {}, "nvidia-rtx-4090"],
  ["NVIDIA GeForce RTX 4090 D", {}, "nvidia-rtx-4090-d"],
  ["NVIDIA GeForce RTX 5090", {}, "nvidia-rtx-5090"],
  ["NVIDIA GeForce GTX 1080 Ti", {}, "nvidia-gtx-1080-ti"],
  ["NVIDIA GeForce GTX 1060 6GB", {}, "nvidia-gtx-1060-6gb"],
  ["NVIDIA H100 80GB HBM3", {}, "nvidia-h100-sxm5-80gb"],
  ["NVIDIA H100 PCIe", {}, "nvidia-h100-pcie"],
  ["NVIDIA H100 NVL", {}, "nvidia-h100-nvl"],
  ["NVIDIA H200", {}, "nvidia-h200-sxm"],
  ["NVIDIA H200 NVL", {}, "nvidia-h200-nvl"],
  ["NVIDIA A100-SXM4-80GB", {}, "nvidia-a100-sxm4-80gb"],
  ["NVIDIA A100-SXM4-40GB", {}, "nvidia-a100-sxm4-40gb"],
  ["NVIDIA A100-PCIE-40GB", {}, "nvidia-a100-pcie-40gb"],
  ["NVIDIA A100 80GB PCIe", {}, "nvidia-a100-pcie-80gb"],
  ["NVIDIA A100-SXM4-80GB MIG 3g.40gb", {}, "nvidia-a100-sxm4-80gb"],
  ["Tesla V100-SXM2-32GB", {}, "nvidia-v100-sxm2-32gb"],
  ["Tesla V100-PCIE-16GB", {}, "nvidia-v100-pcie-16gb"],
  ["Tesla V100S-PCIE-32GB", {}, "nvidia-v100s-pcie-32gb"],
  ["Tesla P100-PCIE-16GB", {}, "nvidia-tesla-p100-pcie-16gb"],
  ["Tesla P40", {}, "nvidia-tesla-p40"],
  ["Tesla T4", {}, "nvidia-t4"],
  ["NVIDIA A10", {}, "nvidia-a10"],
  ["NVIDIA L4", {}, "nvidia-l4"],
  ["NVIDIA L40S", {}, "nvidia-l40s"],
  ["NVIDIA B200", {}, "nvidia-b200"],
  ["NVIDIA GH200 480GB", {}, "nvidia-gh200-96gb"],
  ["NVIDIA GH200", { memoryBytes: mibToBytes(97871) }, "nvidia-gh200-96gb"],
  ["NVIDIA GeForce RTX 4060 Laptop GPU", {}, "nvidia-rtx-4060-laptop"],
  ["NVIDIA GeForce RTX 3080 Ti Laptop GPU", {}, "nvidia-rtx-3080-ti-laptop"],
  ["NVIDIA GeForce RTX 3080 Laptop GPU", { memoryBytes: mibToBytes(16384) }, "nvidia-rtx-3080-laptop-16gb"],
  ["NVIDIA RTX A6000", {}, "nvidia-rtx-a6000"],
  ["NVIDIA RTX A2000 12GB", {}, "nvidia-rtx-a2000-12gb"],
  ["NVIDIA RTX 6000 Ada Generation", {}, "nvidia-rtx-6000-ada"],
  ["NVIDIA RTX 4000 SFF Ada Generation", {}, "nvidia-rtx-4000-sff-ada"],
  ["NVIDIA RTX 2000 Ada Generation", {}, "nvidia-rtx-2000-ada"],
  ["NVIDIA RTX PRO 6000 Blackwell Workstation Edition", {}, "nvidia-rtx-pro-6000-blackwell"],
  ["NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition", {}, "nvidia-rtx-pro-6000-blackwell-max-q"],
  ["NVIDIA RTX PRO 6000 Blackwell Server Edition", {}, "nvidia-rtx-pro-6000-blackwell-server"],
  ["Quadro RTX 8000", {}, "nvidia-quadro-rtx-8000"],
  ["NVIDIA GB10", {}, "nvidia-gb10"],
  ["NVIDIA Thor", {}, "nvidia-jetson-agx-thor"],
  ["Orin (nvgpu)", { memoryBytes: gibToBytes(61.4) }, "nvidia-jetson-agx-orin-64gb"],
  ["Orin (nvgpu)", { memoryBytes: gibToBytes(30.6) }, "nvidia-jetson-agx-orin-32gb"],
  ["Orin (nvgpu)", { memoryBytes: gibToBytes(15.3) }, "nvidia-jetson-orin-nx-16gb"],
  ["Orin (nvgpu)", { memoryBytes: gibToBytes(7.4) }, null], // Orin NX 8GB and Orin Nano 8GB
  ["Orin (nvgpu)", {}, null],
  ["NVIDIA GeForce RTX 3060", { memoryBytes: mibToBytes(12288) }, "nvidia-rtx-3060-12gb"],
  ["NVIDIA GeForce RTX 3060", { memoryBytes: mibToBytes(8192) }, "nvidia-rtx-3060-8gb"],
  ["NVIDIA GeForce RTX 3060", {}, null],
  ["NVIDIA GeForce RTX 3060", { memoryBytes: mibToBytes(4096) }, null],
  ["NVIDIA GeForce RTX 4060 Ti", { memoryBytes: mibToBytes(16380) }, "nvidia-rtx-4060-ti-16gb"],
  ["NVIDIA GeForce RTX 3080", { memoryBytes: mibToBytes(10240) }, "nvidia-rtx-3080-10gb"],

  // rocm-smi, sysfs, lspci
  ["AMD Radeon RX 7900 XTX", {}, "amd-rx-7900-xtx"],
  ["Radeon RX 9070 XT", {}, "amd-rx-9070-xt"],
  ["AMD Radeon RX 9070", {}, "amd-rx-9070"],
  ["Navi 31 [Radeon RX 7900 XT/7900 XTX]", { memoryBytes: gibToBytes(24) }, "amd-rx-7900-xtx"],
  ["Navi 31 [Radeon RX 7900 XT/7900 XTX]", { memoryBytes: gibToBytes(20) }, "amd-rx-7900-xt"],
  ["Navi 31 [Radeon RX 7900 XT/7900 XTX]", {}, null],
  ["Advanced Micro Devices, Inc. [AMD/ATI] Navi 31 [Radeon RX 7900 XT/7900 XTX] (rev c8)", { memoryBytes: gibToBytes(24) }, "amd-rx-7900-xtx"],
  ["Advanced Micro Devices, Inc. [AMD/ATI] Navi 21 [Radeon RX 6800/6800 XT / 6900 XT] (rev c1)", { memoryBytes: gibToBytes(16) }, null],
  ["AMD Instinct MI300X", {}, "amd-instinct-mi300x"],
  ["AMD Instinct MI300X OAM", {}, "amd-instinct-mi300x"],
  ["Aqua Vanjaram [Instinct MI300X]", {}, "amd-instinct-mi300x"],
  ["AMD Instinct MI250X", {}, "amd-instinct-mi250x"],
  ["Radeon 8060S Graphics", {}, "amd-radeon-8060s"],
  ["AMD Radeon(TM) 890M Graphics", {}, "amd-radeon-890m"],
  ["AMD Radeon 780M Graphics", {}, "amd-radeon-780m"],
  ["AMD Radeon Pro W7900", {}, "amd-radeon-pro-w7900"],
  ["AMD Radeon AI PRO R9700", {}, "amd-radeon-ai-pro-r9700"],
  ["AMD Radeon RX 6700 XT", {}, "amd-rx-6700-xt"],
  ["AMD Radeon Graphics", {}, null],
  ["Strix Halo [Radeon Graphics / Radeon 8050S Graphics / Radeon 8060S Graphics]", {}, null],

  // Intel
  ["Intel(R) Arc(TM) B580 Graphics", {}, "intel-arc-b580"],
  ["Intel(R) Arc(TM) A770 Graphics", { memoryBytes: gibToBytes(16) }, "intel-arc-a770-16gb"],
  ["Intel Arc A770", {}, null],
  ["Intel Corporation DG2 [Arc A750] (rev 08)", {}, "intel-arc-a750"],
  ["Intel(R) Arc(TM) 140V GPU (16GB)", {}, "intel-arc-140v"],
  ["Intel(R) Iris(R) Xe Graphics", {}, null],

  // Apple (system_profiler prints the chip; the core count comes separately)
  ["Apple M3 Max", { gpuCores: 40 }, "apple-m3-max-40c"],
  ["Apple M3 Max", { gpuCores: 30 }, "apple-m3-max-30c"],
  ["Apple M3 Max", {}, null],
  ["Apple M4 Max (32-core GPU)", {}, "apple-m4-max-32c"],
  ["Apple M4 Max", { gpuCores: 36 }, null],
  ["Apple M2 Ultra (76 GPU cores) 192GB", {}, "apple-m2-ultra"],
  ["Apple M4 Pro", { gpuCores: 20 }, "apple-m4-pro"],
  ["Apple M1", { gpuCores: 7 }, "apple-m1"],
  ["Apple M5", {}, "apple-m5"],
  ["Apple M5 Max", {}, null],

  // Windows DXGI adapter names and OpenGL renderer strings
  ["NVIDIA GeForce RTX 3070 Laptop GPU", {}, "nvidia-rtx-3070-laptop"],
  ["NVIDIA GeForce RTX 3060/PCIe/SSE2", { memoryBytes: gibToBytes(12) }, "nvidia-rtx-3060-12gb"],
  ["GA104M [GeForce RTX 3070 Mobile / Max-Q]", {}, "nvidia-rtx-3070-laptop"],
  ["AD102 [GeForce RTX 4090]", {}, "nvidia-rtx-4090"],
  ["GA104 [GeForce RTX 3060 Ti GDDR6X]", {}, null],
  ["Microsoft Basic Render Driver", {}, null],

  // typed by users
  ["rtx4090", {}, "nvidia-rtx-4090"],
  ["RTX 4090", {}, "nvidia-rtx-4090"],
  ["4090", {}, "nvidia-rtx-4090"],
  ["rtx 3090 24gb", {}, "nvidia-rtx-3090"],
  ["rtx 3060 12gb", {}, "nvidia-rtx-3060-12gb"],
  ["4060 laptop", {}, "nvidia-rtx-4060-laptop"],
  ["h100 sxm", {}, "nvidia-h100-sxm5-80gb"],
  ["a100 80gb", {}, null], // PCIe (1935 GB/s) or SXM (2039 GB/s)
  ["a100 sxm", { memoryBytes: gibToBytes(80) }, "nvidia-a100-sxm4-80gb"],
  ["h100", {}, null],
  ["m4 pro", {}, "apple-m4-pro"],
  ["7900xtx", {}, "amd-rx-7900-xtx"],
  ["mi300x", {}, "amd-instinct-mi300x"],
  ["b580", {}, "intel-arc-b580"],
  ["a6000", {}, "nvidia-rtx-a6000"],
  ["jetson agx orin 64gb", {}, "nvidia-jetson-agx-orin-64gb"],
  ["dgx spark", {}, "nvidia-gb10"],

  // unknown or ambiguous: refuse
  ["NVIDIA Graphics Device", {}, null],
  ["RTX", {}, null],
  ["", {}, null],
  ["NVIDIA GeForce RTX 2050", {}, null],
  ["RTX 6000", {}, null], // Quadro RTX 6000 or RTX 6000 Ada
  ["rtx pro 6000", {}, null], // workstation, Max-Q or server
  ["NVIDIA GeForce RTX 3050 6GB Laptop GPU", {}, null], // a 96-bit variant not in the table, not the 4 GB one
  ["RTX 4090 48GB", {}, null],
];

describe("lookupGpu by name", () => {
  it("covers at least 60 names", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
  });

  it.each(TABLE)("%s %j -> %s", (name, extra, expected) => {
    const match = lookupGpu({ name, ...extra });
    expect(match?.spec.key ?? null).toBe(expected);
    if (match !== null) expect(match.matchedBy).toBe("name");
  });
});

describe("lookupGpu by PCI id", () => {
  it("prefers the PCI id over the name", () => {
    expect(lookupGpu({ name: "NVIDIA Graphics Device", pciId: "10de:2684" })).toMatchObject({
      spec: { key: "nvidia-rtx-4090" },
      matchedBy: "pci_id",
    });
  });

  it("accepts upper case and 0x prefixes", () => {
    expect(lookupGpu({ name: "", pciId: "0x10DE:0x2204" })?.spec.key).toBe("nvidia-rtx-3090");
  });

  it("falls back to the name for an unknown id", () => {
    expect(lookupGpu({ name: "NVIDIA GeForce RTX 4090", pciId: "10de:ffff" })).toMatchObject({
      spec: { key: "nvidia-rtx-4090" },
      matchedBy: "name",
    });
  });

  it("normalizes ids", () => {
    expect(normalizePciId(" 10DE:2684 ")).toBe("10de:2684");
    expect(normalizePciId("10de")).toBeNull();
  });
});

describe("createGpuLookup", () => {
  it("works over any table", () => {
    const lookup = createGpuLookup([
      {
        key: "other-test-1",
        name: "Test Accelerator 1",
        vendor: "other",
        memoryBytes: gibToBytes(8),
        bandwidthGBps: 100,
        fp16Tflops: null,
        unifiedMemory: false,
        integrated: false,
        gpuCores: null,
        pciIds: [],
        aliases: [],
        source: "test",
      },
    ]);
    expect(lookup({ name: "test accelerator 1" })?.spec.key).toBe("other-test-1");
    expect(lookup({ name: "NVIDIA GeForce RTX 4090" })).toBeNull();
  });
});
