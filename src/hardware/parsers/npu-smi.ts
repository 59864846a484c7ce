// npu-smi info parser (Huawei Ascend): each NPU's name, bus id and HBM (or DDR) memory from the device table.
import { normalizePciBusId } from "./pci.js";
import { GPU_COUNT, GPU_MEMORY_MIB, checkFigure, oneLine, shown } from "./plausible.js";

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
/** "used / total" pairs as printed; each side must then be a whole number ("-5" or "0x10" is none). */
const USAGE = /([^\s/|]+)\s*\/\s*([^\s/|]+)/g;

type Usage = { used: number | null; total: number } | "rejected";

/** A "used / total" pair (MB): whole numbers, the total within the plausible GPU memory, the used part within the total. */
function plausibleUsage(usedText: string, totalText: string, device: string, problems: string[]): Usage {
  if (!/^\d+$/.test(usedText) || !/^\d+$/.test(totalText)) {
    problems.push(`${device}: memory usage ${shown(`${usedText} / ${totalText}`)} not understood: ignored`);
    return "rejected";
  }
  const used = Number(usedText);
  const total = Number(totalText);
  const t = checkFigure(total, GPU_MEMORY_MIB, `${device} memory total`, totalText);
  if (t.problem !== null) {
    problems.push(t.problem);
    return "rejected";
  }
  if (used > total) {
    problems.push(`${device}: memory used ${used} MB is above the total ${total} MB: ignored`);
    return { used: null, total };
  }
  return { used, total };
}

/**
 * Reads the first table: rows come in pairs, `| NPU Name | Health | Power Temp Hugepages |` then
 * `| Chip | Bus-Id | AICore Memory-Usage HBM-Usage |`. The process table that follows is ignored.
 */
export function parseNpuSmiInfo(text: string, problems: string[] = []): AscendNpu[] {
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
      if (npus.length >= GPU_COUNT.max) {
        problems.push(`npu-smi: more than ${GPU_COUNT.max} NPUs: the rest ignored`);
        break;
      }
      const device = `npu-smi NPU ${pending.npuId} chip ${c[0]} (${oneLine(pending.name, 60)})`;
      const pairs = [...c[2].matchAll(USAGE)].map((m) => plausibleUsage(m[1] ?? "", m[2] ?? "", device, problems));
      if (pairs.length === 0 && c[2] !== "") problems.push(`${device}: memory usage ${shown(c[2])} not understood: ignored`);
      const ddr = pairs.length >= 2 ? pairs[pairs.length - 2] : undefined;
      const hbm = pairs.length >= 1 ? pairs[pairs.length - 1] : undefined;
      // A rejected figure leaves the memory unknown: never the other pool in its place.
      const usable = (u: Usage | undefined): u is { used: number | null; total: number } => u !== undefined && u !== "rejected" && u.total > 0;
      const mem = hbm === "rejected" ? null : usable(hbm) ? hbm : ddr === "rejected" ? null : usable(ddr) ? ddr : null;
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
