// Arm CPU part names: the `CPU implementer` / `CPU part` codes /proc/cpuinfo prints on Arm, as named by Linux.
// Source: arch/arm64/include/asm/cputype.h in the Linux kernel (the *_CPU_PART_* and ARM_CPU_IMP_* defines).

const IMPLEMENTERS: Readonly<Record<string, string>> = {
  "0x41": "ARM",
  "0x42": "Broadcom",
  "0x43": "Cavium",
  "0x48": "HiSilicon",
  "0x4e": "NVIDIA",
  "0x51": "Qualcomm",
  "0x61": "Apple",
  "0xc0": "Ampere",
};

/** Keyed "implementer:part", lower-case hex. */
const PARTS: Readonly<Record<string, string>> = {
  "0x41:0xd03": "Cortex-A53",
  "0x41:0xd04": "Cortex-A35",
  "0x41:0xd05": "Cortex-A55",
  "0x41:0xd07": "Cortex-A57",
  "0x41:0xd08": "Cortex-A72",
  "0x41:0xd09": "Cortex-A73",
  "0x41:0xd0a": "Cortex-A75",
  "0x41:0xd0b": "Cortex-A76",
  "0x41:0xd0c": "Neoverse-N1",
  "0x41:0xd0d": "Cortex-A77",
  "0x41:0xd40": "Neoverse-V1",
  "0x41:0xd41": "Cortex-A78",
  "0x41:0xd42": "Cortex-A78AE",
  "0x41:0xd44": "Cortex-X1",
  "0x41:0xd46": "Cortex-A510",
  "0x41:0xd47": "Cortex-A710",
  "0x41:0xd48": "Cortex-X2",
  "0x41:0xd49": "Neoverse-N2",
  "0x41:0xd4b": "Cortex-A78C",
  "0x41:0xd4d": "Cortex-A715",
  "0x41:0xd4e": "Cortex-X3",
  "0x41:0xd4f": "Neoverse-V2",
  "0x41:0xd80": "Cortex-A520",
  "0x41:0xd81": "Cortex-A720",
  "0x41:0xd82": "Cortex-X4",
  "0x41:0xd84": "Neoverse-V3",
  "0x41:0xd85": "Cortex-X925",
  "0x41:0xd87": "Cortex-A725",
  "0x41:0xd8e": "Neoverse-N3",
  "0x48:0xd01": "TaiShan v110",
  "0x4e:0x004": "Carmel",
  "0xc0:0xac3": "Ampere-1",
  "0xc0:0xac4": "Ampere-1a",
};

const hex = (s: string): string => `0x${s.trim().toLowerCase().replace(/^0x/, "")}`;

/** "Cortex-X925" for ("0x41", "0xd85"); null when the code is not in the kernel's table as copied here. */
export function armPartName(implementer: string, part: string): string | null {
  const impl = hex(implementer);
  const p = `0x${hex(part).slice(2).padStart(3, "0")}`;
  return PARTS[`${impl}:${p}`] ?? null;
}

export function armImplementerName(implementer: string): string | null {
  return IMPLEMENTERS[hex(implementer)] ?? null;
}
