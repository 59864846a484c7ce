// /proc/cpuinfo parser tests: x86 core topology and Arm part names.
import { describe, expect, it } from "vitest";
import { armPartName } from "./arm-cpu-parts.js";
import { parseCpuinfo } from "./cpuinfo.js";

const x86 = (n: number, physical: number, core: number): string =>
  `processor\t: ${n}\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 97\nmodel name\t: AMD Ryzen 9 7950X 16-Core Processor\n` +
  `physical id\t: ${physical}\nsiblings\t: 4\ncore id\t\t: ${core}\ncpu cores\t: 2\nflags\t\t: fpu vme de pse\n`;

describe("parseCpuinfo", () => {
  it("counts physical cores as distinct (physical id, core id) pairs", () => {
    const text = [x86(0, 0, 0), x86(1, 0, 1), x86(2, 0, 0), x86(3, 0, 1), x86(4, 1, 0), x86(5, 1, 0)].join("\n");
    expect(parseCpuinfo(text)).toMatchObject({
      name: "AMD Ryzen 9 7950X 16-Core Processor",
      logicalCpus: 6,
      physicalCores: 3,
      sockets: 2,
      isArm: false,
    });
  });

  it("names Arm cores from CPU implementer / CPU part (GB10: Cortex-X925 + Cortex-A725)", () => {
    const arm = (n: number, part: string): string =>
      `processor\t: ${n}\nBogoMIPS\t: 2000.00\nFeatures\t: fp asimd evtstrm aes\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: ${part}\nCPU revision\t: 1\n`;
    const info = parseCpuinfo([arm(0, "0xd85"), arm(1, "0xd85"), arm(2, "0xd87")].join("\n"));
    expect(info).toMatchObject({ name: "Cortex-X925 + Cortex-A725", logicalCpus: 3, physicalCores: null, isArm: true });
    expect(info.armCores).toEqual([
      { name: "Cortex-X925", count: 2 },
      { name: "Cortex-A725", count: 1 },
    ]);
  });

  it("falls back to the Hardware line of 32-bit Arm kernels, and to the implementer for unknown parts", () => {
    const text = "processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\nBogoMIPS\t: 38.40\n\nHardware\t: BCM2835\nRevision\t: a02082\n";
    expect(parseCpuinfo(text).name).toBe("ARMv7 Processor rev 4 (v7l)");
    const bare = "processor\t: 0\nCPU implementer\t: 0x61\nCPU part\t: 0x033\n\nHardware\t: Some board\n";
    expect(parseCpuinfo(bare).name).toBe("Apple part 0x033");
  });

  it("knows the kernel's part codes however they are spelled", () => {
    expect(armPartName("0x41", "0xd4f")).toBe("Neoverse-V2");
    expect(armPartName("0X41", "0xD42")).toBe("Cortex-A78AE");
    expect(armPartName("0x4e", "0x004")).toBe("Carmel");
    expect(armPartName("0x41", "0xfff")).toBeNull();
  });
});

describe("parseCpuinfo: implausible counts", () => {
  it("more processors than any machine has: the count is dropped with a warning (logical CPUs 0, cores null)", () => {
    const text = Array.from({ length: 4100 }, (_, i) => x86(i, 0, i)).join("\n");
    const problems: string[] = [];
    const info = parseCpuinfo(text, problems);
    expect(info).toMatchObject({ name: "AMD Ryzen 9 7950X 16-Core Processor", logicalCpus: 0, physicalCores: null });
    expect(problems).toEqual([
      '/proc/cpuinfo processors: "4100" CPUs is above the plausible 4096 CPUs: ignored',
      '/proc/cpuinfo physical cores (distinct core ids): "4100" CPUs is above the plausible 4096 CPUs: ignored',
    ]);
  });
});
