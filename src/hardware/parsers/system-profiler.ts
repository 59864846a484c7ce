// system_profiler SPDisplaysDataType -json parser: the Mac's GPUs (Apple chip and its GPU core count, or PCIe GPUs).
import { GPU_CORES, GPU_COUNT, GPU_MEMORY_BYTES, checkSize, oneLine, readFigure, shown } from "./plausible.js";

export interface MacDisplayAdapter {
  name: string;
  /** "apple", "amd", "intel", "nvidia" from `spdisplays_vendor`, else null. */
  vendor: "apple" | "amd" | "intel" | "nvidia" | null;
  /** GPU cores (`sppci_cores`, Apple chips). */
  gpuCores: number | null;
  /** Dedicated VRAM (`spdisplays_vram` / `_vram_shared`, Intel Macs), bytes. */
  vramBytes: number | null;
  /** "builtin" for Apple chips and iGPUs, "pcie" for discrete. */
  bus: string | null;
  /** "10de:1234"-like id when the profiler gives vendor and device ids. */
  pciId: string | null;
}

/** "8 GB", "1536 MB" as macOS prints sizes (binary units). */
export function parseMacSize(s: string): number | null {
  const m = /^(\d{1,9}(?:\.\d{1,6})?)\s*(KB|MB|GB|TB)$/i.exec(s.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const pow = { KB: 1, MB: 2, GB: 3, TB: 4 }[m[2].toUpperCase() as "KB" | "MB" | "GB" | "TB"];
  return Math.round(Number(m[1]) * 1024 ** pow);
}

function vendorOf(v: unknown): MacDisplayAdapter["vendor"] {
  const s = typeof v === "string" ? v.toLowerCase() : "";
  if (s.includes("apple")) return "apple";
  if (s.includes("amd") || s.includes("ati") || s.includes("1002")) return "amd";
  if (s.includes("intel") || s.includes("8086")) return "intel";
  if (s.includes("nvidia") || s.includes("10de")) return "nvidia";
  return null;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);

/**
 * Parses the JSON; throws on text that is not the profiler's JSON. GPU cores and VRAM beyond the plausible (or not
 * written as the profiler writes them) are dropped into `problems`; at most MAX_GPUS adapters are read.
 */
export function parseSystemProfilerDisplays(text: string, problems: string[] = []): MacDisplayAdapter[] {
  const json = JSON.parse(text) as { SPDisplaysDataType?: unknown };
  const list = json.SPDisplaysDataType;
  if (!Array.isArray(list)) throw new Error("no SPDisplaysDataType array");
  const out: MacDisplayAdapter[] = [];
  for (const item of list as Record<string, unknown>[]) {
    const name = str(item.sppci_model) ?? str(item._name);
    if (name === null) continue;
    if (out.length >= GPU_COUNT.max) {
      problems.push(`system_profiler: more than ${GPU_COUNT.max} display adapters: the rest ignored`);
      break;
    }
    const device = `system_profiler ${oneLine(name, 60)}`;
    const cores = readFigure(str(item.sppci_cores), GPU_CORES, `${device} sppci_cores`);
    if (cores.problem !== null) problems.push(cores.problem);
    const vram = str(item.spdisplays_vram) ?? str(item.spdisplays_vram_shared);
    let vramBytes = vram === null ? null : parseMacSize(vram);
    if (vram !== null && vramBytes === null) problems.push(`${device} spdisplays_vram: ${shown(vram)} is not a size: ignored`);
    if (vram !== null && vramBytes !== null) {
      const f = checkSize(vramBytes, GPU_MEMORY_BYTES, `${device} spdisplays_vram`, vram);
      if (f.problem !== null) problems.push(f.problem);
      vramBytes = f.value;
    }
    const vendorId = str(item["spdisplays_vendor-id"])?.replace(/^0x/, "");
    const deviceId = str(item["spdisplays_device-id"])?.replace(/^0x/, "");
    out.push({
      name,
      vendor: vendorOf(item.spdisplays_vendor) ?? vendorOf(name),
      gpuCores: cores.value,
      vramBytes,
      bus: str(item.sppci_bus)?.replace(/^spdisplays_/, "") ?? null,
      pciId: vendorId && deviceId ? `${vendorId}:${deviceId}`.toLowerCase() : null,
    });
  }
  return out;
}
