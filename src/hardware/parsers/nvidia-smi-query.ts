// nvidia-smi --query-gpu parser (csv,noheader,nounits): one line per GPU, memory in MiB.
import { normalizePciBusId } from "./pci.js";

/** The fields asked for, in order. `compute_cap` needs driver 510+; older drivers are asked without it. */
export const NVIDIA_QUERY_FIELDS = ["index", "name", "uuid", "pci.bus_id", "memory.total", "memory.free", "memory.used", "compute_cap"] as const;
export const NVIDIA_QUERY_FIELDS_LEGACY = NVIDIA_QUERY_FIELDS.slice(0, 7);

export const nvidiaQueryArgs = (fields: readonly string[]): string[] => [
  `--query-gpu=${fields.join(",")}`,
  "--format=csv,noheader,nounits",
];

export interface NvidiaSmiGpu {
  index: number;
  name: string;
  uuid: string | null;
  pciBusId: string | null;
  /** MiB as printed; null for "[N/A]" (unified-memory parts: GB10, Jetson, Thor) or "[Not Supported]". */
  memoryTotalMiB: number | null;
  memoryFreeMiB: number | null;
  memoryUsedMiB: number | null;
  computeCapability: string | null;
}

/** "[N/A]", "N/A", "[Not Supported]", "[Unknown Error]", "" mean no value. */
function value(s: string | undefined): string | null {
  if (s === undefined) return null;
  const t = s.trim();
  if (t === "" || /^\[.*\]$/.test(t) || t === "N/A") return null;
  return t;
}

function mib(s: string | undefined): number | null {
  const v = value(s);
  if (v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * Parses the query's output. `fieldCount` is how many fields were asked (8, or 7 without compute_cap).
 * A name containing a comma is rejoined (the name is the only free-text field). Lines that do not fit are
 * skipped and counted in `rejected`.
 */
export function parseNvidiaSmiQuery(text: string, fieldCount: number = NVIDIA_QUERY_FIELDS.length): { gpus: NvidiaSmiGpu[]; rejected: string[] } {
  const gpus: NvidiaSmiGpu[] = [];
  const rejected: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    let parts = line.split(",").map((p) => p.trim());
    if (parts.length > fieldCount) {
      const extra = parts.length - fieldCount;
      parts = [parts[0] ?? "", parts.slice(1, 2 + extra).join(", "), ...parts.slice(2 + extra)];
    }
    const index = Number(parts[0]);
    const name = value(parts[1]);
    if (parts.length !== fieldCount || !Number.isInteger(index) || name === null) {
      rejected.push(line);
      continue;
    }
    const bus = value(parts[3]);
    gpus.push({
      index,
      name,
      uuid: value(parts[2]),
      pciBusId: bus === null ? null : normalizePciBusId(bus),
      memoryTotalMiB: mib(parts[4]),
      memoryFreeMiB: mib(parts[5]),
      memoryUsedMiB: mib(parts[6]),
      computeCapability: fieldCount > 7 ? value(parts[7]) : null,
    });
  }
  return { gpus, rejected };
}

/** True when nvidia-smi refused a field name (drivers before 510 do not know `compute_cap`). */
export const isUnknownFieldError = (output: string): boolean => /is not a valid field to query/i.test(output);
