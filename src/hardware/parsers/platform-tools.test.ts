// Platform tool parser tests: macOS (sysctl, system_profiler, vm_stat), Jetson, WSL and dmidecode.
import { describe, expect, it } from "vitest";
import { parseDmidecodeMemory, moduleChannel } from "./dmidecode.js";
import { isWslKernel } from "./proc-version.js";
import { CPU_COUNT, RAM_BYTES, RAM_MIB } from "./plausible.js";
import { parseSysctl, sysctlFigure } from "./sysctl.js";
import { parseMacSize, parseSystemProfilerDisplays } from "./system-profiler.js";
import { jetsonModuleName, parseDeviceTreeModel, parseNvTegraRelease } from "./tegra.js";
import { parseVmStat, vmStatAvailableBytes } from "./vm-stat.js";

describe("macOS", () => {
  it("sysctl: names keep values apart, and an OID this macOS lacks is just absent", () => {
    const v = parseSysctl("hw.memsize: 51539607552\nmachdep.cpu.brand_string: Apple M4 Pro\nhw.physicalcpu: 14\n");
    const problems: string[] = [];
    expect(sysctlFigure(v, "hw.memsize", RAM_BYTES, problems)).toBe(51539607552);
    expect(v.get("machdep.cpu.brand_string")).toBe("Apple M4 Pro");
    expect(sysctlFigure(v, "iogpu.wired_limit_mb", RAM_MIB, problems)).toBeNull();
    expect(problems).toEqual([]);
  });

  it("system_profiler: the Apple chip with its GPU core count", () => {
    const json = JSON.stringify({
      SPDisplaysDataType: [
        {
          _name: "Apple M4 Pro",
          spdisplays_mtlgpufamilysupport: "spdisplays_metal3",
          spdisplays_vendor: "sppci_vendor_Apple",
          sppci_bus: "spdisplays_builtin",
          sppci_cores: "20",
          sppci_device_type: "spdisplays_gpu",
          sppci_model: "Apple M4 Pro",
        },
      ],
    });
    expect(parseSystemProfilerDisplays(json)).toEqual([
      { name: "Apple M4 Pro", vendor: "apple", gpuCores: 20, vramBytes: null, bus: "builtin", pciId: null },
    ]);
  });

  it("system_profiler: an Intel Mac's discrete AMD GPU and its VRAM", () => {
    const json = JSON.stringify({
      SPDisplaysDataType: [
        {
          _name: "kHW_AMDRadeonPro5500MItem",
          "spdisplays_device-id": "0x7340",
          spdisplays_vendor: "sppci_vendor_amd",
          "spdisplays_vendor-id": "0x1002",
          spdisplays_vram: "8 GB",
          sppci_bus: "spdisplays_pcie_device",
          sppci_model: "AMD Radeon Pro 5500M",
        },
      ],
    });
    expect(parseSystemProfilerDisplays(json)[0]).toEqual({
      name: "AMD Radeon Pro 5500M",
      vendor: "amd",
      gpuCores: null,
      vramBytes: 8 * 1024 ** 3,
      bus: "pcie_device",
      pciId: "1002:7340",
    });
    expect(parseMacSize("1536 MB")).toBe(1536 * 1024 ** 2);
  });

  it("vm_stat: free + speculative + inactive pages", () => {
    const vm = parseVmStat(
      "Mach Virtual Memory Statistics: (page size of 16384 bytes)\nPages free:                                3286.\n" +
        "Pages active:                            299587.\nPages inactive:                          296851.\n" +
        "Pages speculative:                         2405.\nPages wired down:                        141402.\n" +
        '"Translation faults":                 565372795.\n',
    );
    expect(vm?.pageSizeBytes).toBe(16384);
    expect(vm?.pages.get("Translation faults")).toBe(565372795);
    expect(vm && vmStatAvailableBytes(vm)).toBe((3286 + 2405 + 296851) * 16384);
    expect(parseVmStat("garbage")).toBeNull();
  });

  it("sysctl: RAM and core counts beyond the plausible, or not whole numbers, are dropped with a warning", () => {
    const problems: string[] = [];
    const v = parseSysctl("hw.memsize: 1e308\nhw.physicalcpu: 0x10\nhw.logicalcpu: 100000\niogpu.wired_limit_mb: -1\n");
    expect(sysctlFigure(v, "hw.memsize", RAM_BYTES, problems)).toBeNull();
    expect(sysctlFigure(v, "hw.physicalcpu", CPU_COUNT, problems)).toBeNull();
    expect(sysctlFigure(v, "hw.logicalcpu", CPU_COUNT, problems)).toBeNull();
    expect(sysctlFigure(v, "iogpu.wired_limit_mb", RAM_MIB, problems)).toBeNull();
    expect(problems).toEqual([
      'sysctl hw.memsize: "1e308" is not a number as the tool prints one: ignored',
      'sysctl hw.physicalcpu: "0x10" is not a number as the tool prints one: ignored',
      'sysctl hw.logicalcpu: "100000" CPUs is above the plausible 4096 CPUs: ignored',
      'sysctl iogpu.wired_limit_mb: "-1" is negative: ignored',
    ]);
  });

  it("system_profiler: GPU cores and VRAM beyond the plausible are dropped with a warning", () => {
    const problems: string[] = [];
    const json = JSON.stringify({
      SPDisplaysDataType: [
        { _name: "Apple M4 Pro", sppci_model: "Apple M4 Pro", sppci_cores: "1e3", spdisplays_vendor: "sppci_vendor_Apple" },
        { sppci_model: "AMD Radeon Pro 5500M", sppci_cores: "100000", spdisplays_vram: "99999999 GB", spdisplays_vendor: "sppci_vendor_amd" },
      ],
    });
    const [apple, amd] = parseSystemProfilerDisplays(json, problems);
    expect(apple).toMatchObject({ name: "Apple M4 Pro", gpuCores: null });
    expect(amd).toMatchObject({ name: "AMD Radeon Pro 5500M", gpuCores: null, vramBytes: null });
    expect(problems).toEqual([
      'system_profiler Apple M4 Pro sppci_cores: "1e3" is not a number as the tool prints one: ignored',
      'system_profiler AMD Radeon Pro 5500M sppci_cores: "100000" GPU cores is above the plausible 1024 GPU cores: ignored',
      'system_profiler AMD Radeon Pro 5500M spdisplays_vram: "99999999 GB" is above the plausible 1024 GiB: ignored',
    ]);
    expect(parseMacSize("1.2.3 GB")).toBeNull();
  });

  it("vm_stat: a page size macOS never uses, or an available figure beyond any RAM, is dropped with a warning", () => {
    const problems: string[] = [];
    expect(parseVmStat("Mach Virtual Memory Statistics: (page size of 1e3 bytes)\nPages free: 3286.\nPages inactive: 296851.\n", problems)).toBeNull();
    const vm = parseVmStat("Mach Virtual Memory Statistics: (page size of 16384 bytes)\nPages free: 999999999999999.\nPages inactive: 296851.\n", problems);
    expect(vm && vmStatAvailableBytes(vm, problems)).toBeNull();
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe('vm_stat: page size "1e3" bytes is not a macOS page size: ignored');
    expect(problems[1]).toMatch(/^vm_stat available memory \(free \+ inactive \+ speculative pages\): "\d+" bytes is above the plausible/);
  });
});

describe("Jetson and WSL", () => {
  it("reads the L4T release line and the device-tree model", () => {
    expect(
      parseNvTegraRelease("# R36 (release), REVISION: 3.0, GCID: 36923193, BOARD: generic, EABI: aarch64, DATE: Fri Jul 19 23:24:25 UTC 2024\n# KERNEL_VARIANT: oot\n"),
    ).toEqual({ release: "R36", revision: "3.0", board: "generic" });
    expect(parseNvTegraRelease("nothing")).toBeNull();
    expect(parseDeviceTreeModel("NVIDIA Jetson AGX Orin Developer Kit\0")).toBe("NVIDIA Jetson AGX Orin Developer Kit");
    expect(jetsonModuleName("NVIDIA Jetson AGX Orin Developer Kit")).toBe("Jetson AGX Orin");
    expect(jetsonModuleName("NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super")).toBe("Jetson Orin Nano");
    expect(jetsonModuleName("Raspberry Pi 5 Model B Rev 1.0")).toBeNull();
  });

  it("tells a WSL2 kernel", () => {
    expect(isWslKernel("Linux version 5.15.167.4-microsoft-standard-WSL2 (root@f9c826d3017f) (gcc (GCC) 11.2.0) #1 SMP")).toBe(true);
    expect(isWslKernel("Linux version 6.8.0-57-generic (buildd@lcy02-amd64-086)")).toBe(false);
  });
});

describe("dmidecode -t 17", () => {
  const dev = (loc: string, bank: string, size: string, type: string, width: string, speed = "4800 MT/s", configured = "6000 MT/s"): string =>
    `Handle 0x0013, DMI type 17, 92 bytes\nMemory Device\n\tArray Handle: 0x000F\n\tTotal Width: ${width}\n\tData Width: ${width}\n` +
    `\tSize: ${size}\n\tForm Factor: DIMM\n\tLocator: ${loc}\n\tBank Locator: ${bank}\n\tType: ${type}\n\tSpeed: ${speed}\n` +
    `\tConfigured Memory Speed: ${configured}\n\tVolatile Size: ${size}\n\n`;
  const header = "# dmidecode 3.5\nGetting SMBIOS data from sysfs.\nSMBIOS 3.5.0 present.\n\n";

  it("reads populated modules and skips empty slots", () => {
    const text =
      header +
      dev("DIMM 0", "P0 CHANNEL A", "No Module Installed", "Unknown", "Unknown") +
      dev("DIMM 1", "P0 CHANNEL A", "32 GB", "DDR5", "64 bits") +
      dev("DIMM 1", "P0 CHANNEL B", "32 GB", "DDR5", "64 bits");
    const mods = parseDmidecodeMemory(text);
    expect(mods).toEqual([
      { sizeBytes: 32 * 1024 ** 3, dataWidthBits: 64, type: "DDR5", speedMTs: 6000, locator: "DIMM 1", bankLocator: "P0 CHANNEL A" },
      { sizeBytes: 32 * 1024 ** 3, dataWidthBits: 64, type: "DDR5", speedMTs: 6000, locator: "DIMM 1", bankLocator: "P0 CHANNEL B" },
    ]);
    expect(mods.map(moduleChannel)).toEqual(["0:A", "0:B"]);
  });

  it("drops a module larger than any machine's RAM, and a speed no memory runs at, with a warning", () => {
    const problems: string[] = [];
    const text = header + dev("DIMM 1", "P0 CHANNEL A", "999999999 TB", "DDR5", "64 bits") + dev("DIMM 2", "P0 CHANNEL B", "32 GB", "DDR5", "64 bits", "4800 MT/s", "999999 MT/s");
    const mods = parseDmidecodeMemory(text, problems);
    // The configured speed is dropped, not replaced by the rated one: the module's speed is unknown.
    expect(mods).toEqual([{ sizeBytes: 32 * 1024 ** 3, dataWidthBits: 64, type: "DDR5", speedMTs: null, locator: "DIMM 2", bankLocator: "P0 CHANNEL B" }]);
    expect(problems).toEqual([
      'dmidecode module DIMM 1 Size: "999999999 TB" is above the plausible 65536 GiB: ignored',
      "dmidecode module DIMM 2 speed: 999999 MT/s is not a memory speed (0 or above 100000): ignored",
    ]);
  });

  it("finds channels in the common slot names, and none where the names do not say", () => {
    const m = (locator: string, bankLocator: string) => ({ sizeBytes: 1, dataWidthBits: 64, type: "DDR4", speedMTs: 3200, locator, bankLocator });
    expect(moduleChannel(m("ChannelA-DIMM0", "BANK 0"))).toBe("0:A");
    expect(moduleChannel(m("DIMM_B2", "BANK 1"))).toBe("0:B");
    expect(moduleChannel(m("CPU1_DIMM_C1", "NODE 1"))).toBe("1:C");
    expect(moduleChannel(m("P1-DIMMD1", "P1_Node1_Channel3_Dimm0"))).toBe("1:D");
    expect(moduleChannel(m("DIMM 0", "BANK 0"))).toBeNull();
  });
});
