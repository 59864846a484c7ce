// Windows display-adapter registry parser: each adapter's driver name, PCI ids and real VRAM (qwMemorySize).
import { GPU_COUNT, GPU_MEMORY_BYTES, checkFigure, oneLine, shown } from "./plausible.js";

/** The display adapter device class; each numbered subkey (0000, 0001, ...) is one adapter's driver. */
export const DISPLAY_CLASS_KEY = "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e968-e325-11ce-bfc1-08002be10318}";

/**
 * Reads the adapters' driver keys. VRAM comes from `HardwareInformation.qwMemorySize` (a QWORD, WDDM 2+);
 * WMI's Win32_VideoController.AdapterRAM is a 32-bit field that tops out at 4 GiB, so it is never used.
 */
export const WINDOWS_REGISTRY_SCRIPT =
  `Get-ItemProperty -Path '${DISPLAY_CLASS_KEY}\\0*' -ErrorAction SilentlyContinue | ` +
  "Select-Object DriverDesc, MatchingDeviceId, ProviderName, 'HardwareInformation.qwMemorySize', " +
  "'HardwareInformation.MemorySize', 'HardwareInformation.AdapterString' | ConvertTo-Json -Compress";

export interface WindowsAdapter {
  name: string;
  /** "10de:28a0" from MatchingDeviceId (`PCI\VEN_10DE&DEV_28A0...`); null for non-PCI adapters. */
  pciId: string | null;
  provider: string | null;
  /** Dedicated memory in bytes: qwMemorySize, else the 32-bit MemorySize (which tops out at 4 GiB). */
  memoryBytes: number | null;
  /** Which registry value gave `memoryBytes`. */
  memoryValue: "HardwareInformation.qwMemorySize" | "HardwareInformation.MemorySize" | null;
}

/**
 * A REG_BINARY arrives as an array of bytes; a DWORD/QWORD as a number. Memory within the plausible GPU memory;
 * anything else (negative, not finite, beyond the limit, bytes that are not bytes) is null with a line in `problems`.
 */
function regMemory(v: unknown, what: string, problems: string[]): number | null {
  if (v === null || v === undefined) return null;
  let n: number | null = null;
  if (typeof v === "number") n = v;
  else if (Array.isArray(v) && v.length > 0 && v.length <= 8 && v.every((b) => typeof b === "number" && Number.isInteger(b) && b >= 0 && b <= 255)) {
    n = (v as number[]).reduce((acc, b, i) => acc + b * 256 ** i, 0);
  }
  const f = n === null ? { value: null, problem: `${what}: ${shown(JSON.stringify(v) ?? "")} is not a memory size: ignored` } : checkFigure(n, GPU_MEMORY_BYTES, what);
  if (f.problem !== null) problems.push(f.problem);
  return f.value;
}

/** A REG_SZ, or a REG_BINARY holding UTF-16LE text (some drivers store AdapterString so). */
function regText(v: unknown): string | null {
  if (typeof v === "string") return v.replace(/\0+$/, "").trim() || null;
  if (Array.isArray(v) && v.every((b) => typeof b === "number")) {
    return Buffer.from(v as number[]).toString("utf16le").replace(/\0+$/, "").trim() || null;
  }
  return null;
}

export function pciIdFromMatchingDeviceId(id: string): string | null {
  const m = /VEN_([0-9A-F]{4})&DEV_([0-9A-F]{4})/i.exec(id);
  return m && m[1] !== undefined && m[2] !== undefined ? `${m[1]}:${m[2]}`.toLowerCase() : null;
}

/**
 * Parses the script's output (one object for one adapter, an array for several; empty output = none). At most
 * MAX_GPUS adapters; implausible memory figures are dropped into `problems`.
 */
export function parseWindowsRegistryAdapters(output: string, problems: string[] = []): WindowsAdapter[] {
  const t = output.replace(/^\uFEFF/, "").trim();
  if (!t) return [];
  const json = JSON.parse(t) as unknown;
  const list = Array.isArray(json) ? json : [json];
  const out: WindowsAdapter[] = [];
  for (const item of list as Record<string, unknown>[]) {
    const name = regText(item.DriverDesc) ?? regText(item["HardwareInformation.AdapterString"]);
    if (name === null) continue;
    if (out.length >= GPU_COUNT.max) {
      problems.push(`display-adapter registry: more than ${GPU_COUNT.max} adapters: the rest ignored`);
      break;
    }
    const where = `display-adapter registry ${oneLine(name, 60)}`;
    const qw = regMemory(item["HardwareInformation.qwMemorySize"], `${where} HardwareInformation.qwMemorySize`, problems);
    // A qwMemorySize dropped as implausible leaves the memory unknown: the 32-bit value is not read in its place.
    const qwDropped = qw === null && item["HardwareInformation.qwMemorySize"] != null;
    const dw = qwDropped ? null : regMemory(item["HardwareInformation.MemorySize"], `${where} HardwareInformation.MemorySize`, problems);
    const matching = typeof item.MatchingDeviceId === "string" ? item.MatchingDeviceId : "";
    out.push({
      name,
      pciId: pciIdFromMatchingDeviceId(matching),
      provider: regText(item.ProviderName),
      memoryBytes: qw ?? dw,
      memoryValue: qw !== null ? "HardwareInformation.qwMemorySize" : dw !== null ? "HardwareInformation.MemorySize" : null,
    });
  }
  return out;
}
