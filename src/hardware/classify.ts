// Adapter classification: vendor from PCI ids or names, backend per vendor and OS, display-only adapters to drop.
import type { Backend, GpuVendor, OsName } from "../domain/machine.js";

/** PCI vendor ids of GPU makers (lower-case hex, no 0x). */
export const PCI_VENDORS: Readonly<Record<string, GpuVendor>> = {
  "10de": "nvidia",
  "1002": "amd",
  "8086": "intel",
  "106b": "apple",
  "19e5": "huawei",
};

/**
 * PCI vendors whose display adapters only draw a console or a remote screen: ASPEED and Matrox BMCs, VMware
 * SVGA, VirtualBox, QEMU/Bochs std-VGA, Red Hat QXL / virtio-gpu, Microsoft Hyper-V, Cirrus.
 */
const DISPLAY_ONLY_PCI_VENDORS = new Set(["1a03", "102b", "15ad", "80ee", "1234", "1b36", "1af4", "1414", "1013"]);

/** Names of display-only or virtual adapters (Windows registry / DXGI names, Linux product names). */
const DISPLAY_ONLY_NAMES: readonly RegExp[] = [
  /microsoft basic (display|render)/i,
  /microsoft remote display/i,
  /microsoft hyper-v video/i,
  /parsec virtual display/i,
  /sunshine/i,
  /virtual display/i,
  /\bidd\b|indirect display/i,
  /spacedesk/i,
  /meta virtual monitor/i,
  /citrix/i,
  /vmware svga|vmware/i,
  /virtualbox/i,
  /\bqxl\b/i,
  /virtio[- ]gpu/i,
  /aspeed/i,
  /matrox/i,
  /cirrus logic/i,
];

export function isDisplayOnlyAdapter(name: string, pciVendorId: string | null = null): boolean {
  if (pciVendorId !== null && DISPLAY_ONLY_PCI_VENDORS.has(pciVendorId.toLowerCase())) return true;
  return DISPLAY_ONLY_NAMES.some((re) => re.test(name));
}

export function vendorFromPciId(pciId: string | null): GpuVendor | null {
  if (pciId === null) return null;
  return PCI_VENDORS[pciId.slice(0, 4).toLowerCase()] ?? null;
}

/** The vendor a GPU name implies ("NVIDIA GeForce ...", "Radeon", "Arc", "Apple M4 Pro", "Ascend 910B"). */
export function vendorFromName(name: string): GpuVendor {
  const n = name.toLowerCase();
  if (/nvidia|geforce|quadro|tesla|\brtx\b|\bgtx\b|jetson|\bgb10\b|\bh100\b|\bh200\b|\ba100\b|\bl40s?\b/.test(n)) return "nvidia";
  if (/\bamd\b|radeon|instinct|\bmi\d{3}/.test(n)) return "amd";
  if (/intel|\barc\b|iris|uhd graphics/.test(n)) return "intel";
  if (/apple|^m\d\b/.test(n)) return "apple";
  if (/ascend|huawei/.test(n)) return "huawei";
  return "other";
}

/**
 * The runtime backend a device is used through, in the contract's vocabulary: CUDA for NVIDIA, Metal on
 * macOS, ROCm for AMD on Linux (HIP), Vulkan for AMD on Windows (llama.cpp's common AMD path there), SYCL
 * for Intel GPUs, NPU (Ascend) for Huawei, Vulkan for anything else.
 */
export function backendFor(vendor: GpuVendor, os: OsName): Backend {
  if (os === "macos") return "Metal";
  switch (vendor) {
    case "nvidia":
      return "CUDA";
    case "amd":
      return os === "linux" ? "ROCm" : "Vulkan";
    case "intel":
      return "SYCL";
    case "apple":
      return "Metal";
    case "huawei":
      return "NPU (Ascend)";
    default:
      return "Vulkan";
  }
}

export function osName(platform: NodeJS.Platform): OsName {
  switch (platform) {
    case "linux":
    case "android":
      return "linux";
    case "darwin":
      return "macos";
    case "win32":
      return "windows";
    case "freebsd":
      return "freebsd";
    default:
      return "other";
  }
}
