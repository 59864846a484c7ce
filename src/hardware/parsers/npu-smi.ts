// npu-smi info parser (Huawei Ascend): each NPU's name, bus id and HBM (or DDR) memory from the device table.
import { normalizePciBusId } from "./pci.js";

export interface AscendNpu {
  npuId: number;
  chip: number;
  /** "910B3", as printed. */
  name: string;
  health: string | null;
  pciBusId: string | null;
  /** HBM when the part has it (910 series), else the "Memory-Usage" DDR pool (310 series); MB as printed (MiB). */
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
}

const cells = (line: string): string[] => line.split("|").slice(1, -1).map((c) => c.trim());
const usage = (s: string): { used: number; total: number } | null => {
  const m = /(\d+)\s*\/\s*(\d+)/.exec(s);
  return m && m[1] !== undefined && m[2] !== undefined ? { used: Number(m[1]), total: Number(m[2]) } : null;
};

/**
 * Reads the first table: rows come in pairs, `| NPU Name | Health | Power Temp Hugepages |` then
 * `| Chip | Bus-Id | AICore Memory-Usage HBM-Usage |`. The process table that follows is ignored.
 */
export function parseNpuSmiInfo(text: string): AscendNpu[] {
  const npus: AscendNpu[] = [];
  let pending: { npuId: number; name: string; health: string | null } | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (/Process id/i.test(line)) break;
    if (!line.startsWith("|")) continue;
    const c = cells(line);
    if (c.length < 3 || c[0] === undefined || c[1] === undefined || c[2] === undefined) continue;
    const first = /^(\d+)\s+(\S.*)$/.exec(c[0]);
    if (first && first[1] !== undefined && first[2] !== undefined && !/^\d{4}:/.test(c[1])) {
      pending = { npuId: Number(first[1]), name: first[2].trim(), health: c[1] || null };
      continue;
    }
    if (pending && /^\d+$/.test(c[0]) && /^[0-9A-Fa-f]{4}:[0-9A-Fa-f]{2}:/.test(c[1])) {
      const pairs = [...c[2].matchAll(/(\d+)\s*\/\s*(\d+)/g)].map((m) => usage(m[0]));
      const ddr = pairs.length >= 2 ? pairs[pairs.length - 2] : null;
      const hbm = pairs.length >= 1 ? pairs[pairs.length - 1] : null;
      const mem = hbm && hbm.total > 0 ? hbm : ddr && ddr.total > 0 ? ddr : null;
      npus.push({
        npuId: pending.npuId,
        chip: Number(c[0]),
        name: pending.name,
        health: pending.health,
        pciBusId: normalizePciBusId(c[1]),
        memoryTotalMiB: mem ? mem.total : null,
        memoryUsedMiB: mem ? mem.used : null,
      });
      pending = null;
    }
  }
  return npus;
}
