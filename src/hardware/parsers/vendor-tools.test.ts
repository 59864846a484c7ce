// Vendor tool parser tests: sysfs, rocm-smi, npu-smi and the Windows CIM / registry JSON, on raw outputs.
import { describe, expect, it } from "vitest";
import { parseNpuSmiInfo } from "./npu-smi.js";
import { parseRocmSmi, pciIdsNameAlternatives } from "./rocm-smi.js";
import { GPU_MEMORY_BYTES } from "./plausible.js";
import { isDisplayClass, parseSysfsFigure, parseSysfsHexId, parseUevent } from "./sysfs.js";
import { parseWindowsCim } from "./windows-cim.js";
import { parseWindowsRegistryAdapters, pciIdFromMatchingDeviceId } from "./windows-registry.js";

describe("sysfs", () => {
  it("reads uevent and number attributes", () => {
    const u = parseUevent("DRIVER=amdgpu\nPCI_CLASS=30000\nPCI_ID=1002:744C\nPCI_SLOT_NAME=0000:03:00.0\n");
    expect(u.get("PCI_ID")).toBe("1002:744C");
    const problems: string[] = [];
    expect(parseSysfsFigure("25753026560\n", GPU_MEMORY_BYTES, "card0 mem_info_vram_total", problems)).toBe(25753026560);
    expect(parseSysfsFigure("", GPU_MEMORY_BYTES, "card0 mem_info_vram_total", problems)).toBeNull();
    expect(parseSysfsFigure(null, GPU_MEMORY_BYTES, "card0 mem_info_vram_total", problems)).toBeNull();
    expect(problems).toEqual([]);
    expect(parseSysfsHexId("0x10DE\n")).toBe("10de");
    expect(isDisplayClass("0x030200\n")).toBe(true);
    expect(isDisplayClass("0x040300\n")).toBe(false);
  });

  it.each([
    ["1125899906842624000\n", /"1125899906842624000" bytes is above the plausible 1099511627776 bytes: ignored$/],
    ["1e308\n", /"1e308" is not a number as the tool prints one: ignored$/],
    ["-25753026560\n", /"-25753026560" is negative: ignored$/],
    ["0x1000\n", /"0x1000" is not a number as the tool prints one: ignored$/],
  ])("a memory attribute %s is dropped with a warning naming the card and the file", (text, problem) => {
    const problems: string[] = [];
    expect(parseSysfsFigure(text, GPU_MEMORY_BYTES, "amdgpu sysfs card1 (1002:744c) mem_info_vram_total", problems)).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^amdgpu sysfs card1 \(1002:744c\) mem_info_vram_total: /);
    expect(problems[0]).toMatch(problem);
  });
});

describe("rocm-smi --json", () => {
  it("reads VRAM and the product name (ROCm 6 spelling), after any warning lines", () => {
    const out =
      "WARNING: AMD GPU device(s) is/are in a low-power state. Check power control/runtime_status\n\n" +
      '{"card0": {"VRAM Total Memory (B)": "25753026560", "VRAM Total Used Memory (B)": "1189470208", "Card Series": "Navi 31 [Radeon RX 7900 XT/7900 XTX/7900 GRE/7900M]", "Card Model": "0x744c", "Card Vendor": "Advanced Micro Devices, Inc. [AMD/ATI]", "Card SKU": "EXT94393", "GFX Version": "gfx1100"}}\n';
    expect(parseRocmSmi(out)).toEqual([
      {
        card: "card0",
        name: "Navi 31 [Radeon RX 7900 XT/7900 XTX/7900 GRE/7900M]",
        deviceId: "744c",
        gfxVersion: "gfx1100",
        vramTotalBytes: 25753026560,
        vramUsedBytes: 1189470208,
      },
    ]);
  });

  it.each([
    ['"1125899906842624000"', /"1125899906842624000" bytes is above the plausible/],
    ['"1e308"', /"1e308" is not a number as the tool prints one/],
    ["1e308", /"1e\+308" is not a number as the tool prints one/],
    ['"-25753026560"', /"-25753026560" is negative/],
    ['"0x1000"', /"0x1000" is not a number as the tool prints one/],
  ])("VRAM total %s: dropped with a warning, the card kept without it", (total, problem) => {
    const problems: string[] = [];
    const cards = parseRocmSmi(`{"card0": {"VRAM Total Memory (B)": ${total}, "VRAM Total Used Memory (B)": "1189470208", "Card Series": "Radeon RX 7900 XTX"}}`, problems);
    expect(cards[0]).toMatchObject({ card: "card0", vramTotalBytes: null, vramUsedBytes: 1189470208 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^rocm-smi card0 VRAM Total Memory \(B\): /);
    expect(problems[0]).toMatch(problem);
  });

  it("a used figure above the total is dropped, not turned into zero free memory", () => {
    const problems: string[] = [];
    const [card] = parseRocmSmi('{"card0": {"VRAM Total Memory (B)": "25753026560", "VRAM Total Used Memory (B)": "99753026560"}}', problems);
    expect(card).toMatchObject({ vramTotalBytes: 25753026560, vramUsedBytes: null });
    expect(problems).toEqual(['rocm-smi card0 VRAM Total Used Memory (B): "99753026560" is above the total 25753026560: ignored']);
  });

  it("reads the ROCm 5 key spelling", () => {
    const out = '{"card1": {"VRAM Total Memory (B)": "68702699520", "VRAM Total Used Memory (B)": "10993664", "Card series": "Instinct MI210", "Card model": "0x0c34", "Card vendor": "Advanced Micro Devices, Inc. [AMD/ATI]"}}';
    expect(parseRocmSmi(out)[0]).toMatchObject({ card: "card1", name: "Instinct MI210", vramTotalBytes: 68702699520 });
  });

  it("expands a pci.ids model list", () => {
    expect(pciIdsNameAlternatives("Navi 31 [Radeon RX 7900 XT/7900 XTX/7900 GRE/7900M]")).toEqual([
      "Radeon RX 7900 XT",
      "Radeon RX 7900 XTX",
      "Radeon RX 7900 GRE",
      "Radeon RX 7900M",
    ]);
    expect(pciIdsNameAlternatives("Radeon RX 7900 XTX")).toEqual([]);
  });
});

describe("npu-smi info", () => {
  const OUT = `+------------------------------------------------------------------------------------------------+
| npu-smi 23.0.rc2                 Version: 23.0.rc2                                             |
+---------------------------+---------------+----------------------------------------------------+
| NPU   Name                | Health        | Power(W)    Temp(C)           Hugepages-Usage(page)|
| Chip                      | Bus-Id        | AICore(%)   Memory-Usage(MB)  HBM-Usage(MB)        |
+===========================+===============+====================================================+
| 0     910B3               | OK            | 93.6        40                0    / 0             |
| 0                         | 0000:C1:00.0  | 0           0    / 0          3161 / 65536         |
+===========================+===============+====================================================+
| 1     910B3               | OK            | 89.4        38                0    / 0             |
| 0                         | 0000:01:00.0  | 0           0    / 0          3162 / 65536         |
+===========================+===============+====================================================+
+---------------------------+---------------+----------------------------------------------------+
| NPU     Chip              | Process id    | Process name             | Process memory(MB)      |
+===========================+===============+====================================================+
| No running processes found in NPU 0                                                            |
+===========================+===============+====================================================+
`;
  it("reads each NPU's HBM from the device table", () => {
    expect(parseNpuSmiInfo(OUT)).toEqual([
      { npuId: 0, chip: 0, name: "910B3", health: "OK", pciBusId: "0000:c1:00.0", memoryTotalMiB: 65536, memoryUsedMiB: 3161 },
      { npuId: 1, chip: 0, name: "910B3", health: "OK", pciBusId: "0000:01:00.0", memoryTotalMiB: 65536, memoryUsedMiB: 3162 },
    ]);
  });

  it("uses the DDR Memory-Usage pool on parts without HBM (310P)", () => {
    const row = `| 0     310P3               | OK            | NA          48                0     / 0            |
| 0                         | 0000:01:00.0  | 0           1782 / 21527      0    / 0             |
`;
    expect(parseNpuSmiInfo(row)[0]).toMatchObject({ name: "310P3", memoryTotalMiB: 21527, memoryUsedMiB: 1782 });
  });

  const row = (hbm: string): string =>
    `| 0     910B3               | OK            | 93.6        40                0    / 0             |
| 0                         | 0000:C1:00.0  | 0           0    / 0          ${hbm}         |
`;

  it("an HBM total beyond any GPU's is dropped with a warning; the DDR pool is not read in its place", () => {
    const problems: string[] = [];
    expect(parseNpuSmiInfo(row("3161 / 1000000000000000"), problems)[0]).toMatchObject({ name: "910B3", memoryTotalMiB: null, memoryUsedMiB: null });
    expect(problems).toEqual(['npu-smi NPU 0 chip 0 (910B3) memory total: "1000000000000000" MiB is above the plausible 1048576 MiB: ignored']);
  });

  it("a negative or hex figure is no figure: the memory is unknown, with a warning", () => {
    for (const hbm of ["-3161 / -65536", "0x10 / 0x1000"]) {
      const problems: string[] = [];
      expect(parseNpuSmiInfo(row(hbm), problems)[0]).toMatchObject({ memoryTotalMiB: null });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^npu-smi NPU 0 chip 0 \(910B3\): memory usage .* not understood: ignored$/);
    }
  });

  it("used above total: the total stands, the used figure is dropped", () => {
    const problems: string[] = [];
    expect(parseNpuSmiInfo(row("99999 / 65536"), problems)[0]).toMatchObject({ memoryTotalMiB: 65536, memoryUsedMiB: null });
    expect(problems).toEqual(["npu-smi NPU 0 chip 0 (910B3): memory used 99999 MB is above the total 65536 MB: ignored"]);
  });
});

describe("Windows", () => {
  it("reads the CIM object (PowerShell 5.1 JSON with a BOM and CRLF)", () => {
    const out =
      '\uFEFF{"ComputerSystem":{"Name":"LAPTOP-K7M2Q9","TotalPhysicalMemory":34071781376,"NumberOfLogicalProcessors":20},' +
      '"OperatingSystem":{"Caption":"Microsoft Windows 11 Home","TotalVisibleMemorySize":33273224,"FreePhysicalMemory":17895432},' +
      '"Processor":{"Name":"13th Gen Intel(R) Core(TM) i7-13700H  ","NumberOfCores":14,"NumberOfLogicalProcessors":20}}\r\n';
    expect(parseWindowsCim(out)).toEqual({
      hostName: "LAPTOP-K7M2Q9",
      totalPhysicalMemoryBytes: 34071781376,
      totalVisibleMemoryBytes: 33273224 * 1024,
      freePhysicalMemoryBytes: 17895432 * 1024,
      osCaption: "Microsoft Windows 11 Home",
      processors: [{ name: "13th Gen Intel(R) Core(TM) i7-13700H", cores: 14, logicalProcessors: 20 }],
    });
  });

  it("drops CIM figures beyond the plausible (1e308, negative, fractional cores, text) with a warning", () => {
    const problems: string[] = [];
    const out = JSON.stringify({
      ComputerSystem: { Name: "X", TotalPhysicalMemory: 1e308 },
      OperatingSystem: { TotalVisibleMemorySize: -1, FreePhysicalMemory: "17895432" },
      Processor: { Name: "CPU", NumberOfCores: 5000, NumberOfLogicalProcessors: 2.5 },
    });
    expect(parseWindowsCim(out, problems)).toMatchObject({
      totalPhysicalMemoryBytes: null,
      totalVisibleMemoryBytes: null,
      freePhysicalMemoryBytes: null,
      processors: [{ name: "CPU", cores: null, logicalProcessors: null }],
    });
    expect(problems).toEqual([
      'Win32_ComputerSystem.TotalPhysicalMemory: "1e+308" bytes is above the plausible 70368744177664 bytes: ignored',
      'Win32_OperatingSystem.TotalVisibleMemorySize: "-1" is negative: ignored',
      'Win32_OperatingSystem.FreePhysicalMemory: ""17895432"" is not a number: ignored',
      'Win32_Processor CPU NumberOfCores: "5000" CPUs is above the plausible 4096 CPUs: ignored',
      'Win32_Processor CPU NumberOfLogicalProcessors: "2.5" is not a whole number: ignored',
    ]);
  });

  it("drops an implausible qwMemorySize without reading the 32-bit MemorySize in its place", () => {
    const problems: string[] = [];
    const out = JSON.stringify({ DriverDesc: "NVIDIA GeForce RTX 4090", "HardwareInformation.qwMemorySize": 1e18, "HardwareInformation.MemorySize": 4294967295 });
    expect(parseWindowsRegistryAdapters(out, problems)).toEqual([{ name: "NVIDIA GeForce RTX 4090", pciId: null, provider: null, memoryBytes: null, memoryValue: null }]);
    expect(problems).toEqual(['display-adapter registry NVIDIA GeForce RTX 4090 HardwareInformation.qwMemorySize: "1000000000000000000" bytes is above the plausible 1099511627776 bytes: ignored']);
  });

  it("reads qwMemorySize, a REG_BINARY MemorySize and a UTF-16 AdapterString", () => {
    const name = [...Buffer.from("NVIDIA GeForce RTX 4090\0", "utf16le")];
    const out = JSON.stringify({
      DriverDesc: null,
      MatchingDeviceId: "PCI\\VEN_10DE&DEV_2684&SUBSYS_40E41458",
      ProviderName: "NVIDIA",
      "HardwareInformation.qwMemorySize": 25769803776,
      "HardwareInformation.MemorySize": [0, 0, 0, 128],
      "HardwareInformation.AdapterString": name,
    });
    expect(parseWindowsRegistryAdapters(out)).toEqual([
      { name: "NVIDIA GeForce RTX 4090", pciId: "10de:2684", provider: "NVIDIA", memoryBytes: 25769803776, memoryValue: "HardwareInformation.qwMemorySize" },
    ]);
  });

  it("falls back to the 32-bit MemorySize only when there is no qwMemorySize", () => {
    const out = JSON.stringify([
      { DriverDesc: "AMD Radeon RX 580", MatchingDeviceId: "PCI\\VEN_1002&DEV_67DF", "HardwareInformation.MemorySize": 4294967295 },
      { DriverDesc: "Microsoft Basic Display Adapter", MatchingDeviceId: "BasicDisplay" },
    ]);
    const [amd, basic] = parseWindowsRegistryAdapters(out);
    expect(amd).toMatchObject({ pciId: "1002:67df", memoryBytes: 4294967295, memoryValue: "HardwareInformation.MemorySize" });
    expect(basic).toMatchObject({ pciId: null, memoryBytes: null, memoryValue: null });
    expect(parseWindowsRegistryAdapters("")).toEqual([]);
    expect(pciIdFromMatchingDeviceId("pci\\ven_8086&dev_a7a0")).toBe("8086:a7a0");
  });
});
