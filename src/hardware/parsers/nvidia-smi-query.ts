// nvidia-smi --query-gpu parser (csv,noheader,nounits): one line per GPU, memory in MiB.
import { normalizePciBusId } from "./pci.js";
import { GPU_COUNT, GPU_MEMORY_MIB, Problems, oneLine, readFigure, shown } from "./plausible.js";

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
  /** True when nvidia-smi printed a memory.total that is no plausible figure (dropped: not the "[N/A]" of unified parts). */
  memoryTotalRejected: boolean;
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

/** A device as warnings name it: "nvidia-smi GPU 0 (NVIDIA GeForce RTX 4090)". */
const deviceLabel = (index: number, name: string): string => `nvidia-smi GPU ${index} (${oneLine(name, 60)})`;

/** Compute capability as nvidia-smi prints it ("8.9", "12.1"). */
const COMPUTE_CAP = /^\d{1,2}\.\d{1,2}$/;

export interface NvidiaSmiQueryResult {
  gpus: NvidiaSmiGpu[];
  /** Lines that are no GPU line. */
  rejected: string[];
  /** Figures dropped as implausible, one line each naming the GPU, the field and the value. */
  problems: string[];
}

/**
 * Parses the query's output. `fieldCount` is how many fields were asked (8, or 7 without compute_cap).
 * A name containing a comma is rejoined (the name is the only free-text field). Lines that do not fit are
 * skipped and counted in `rejected`. Memory figures are whole MiB up to the plausible limit; others are dropped into
 * `problems` (a rejected memory.total is flagged, never read as the "[N/A]" of a unified part).
 */
export function parseNvidiaSmiQuery(text: string, fieldCount: number = NVIDIA_QUERY_FIELDS.length): NvidiaSmiQueryResult {
  const gpus: NvidiaSmiGpu[] = [];
  const rejected: string[] = [];
  const problems = new Problems();
  let extra = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    let parts = line.split(",").map((p) => p.trim());
    if (parts.length > fieldCount) {
      const more = parts.length - fieldCount;
      parts = [parts[0] ?? "", parts.slice(1, 2 + more).join(", "), ...parts.slice(2 + more)];
    }
    const indexText = parts[0] ?? "";
    const name = value(parts[1]);
    if (parts.length !== fieldCount || !/^\d{1,6}$/.test(indexText) || name === null) {
      rejected.push(line);
      continue;
    }
    const index = Number(indexText);
    if (index >= GPU_COUNT.max || gpus.length >= GPU_COUNT.max) {
      extra += 1;
      continue;
    }
    const device = deviceLabel(index, name);
    const memory = (i: number, field: string): number | null => problems.take(readFigure(value(parts[i]), GPU_MEMORY_MIB, `${device} ${field}`));
    const bus = value(parts[3]);
    const totalText = value(parts[4]);
    const total = memory(4, "memory.total");
    const free = memory(5, "memory.free");
    const used = memory(6, "memory.used");
    const cap = fieldCount > 7 ? value(parts[7]) : null;
    if (cap !== null && !COMPUTE_CAP.test(cap)) problems.add(`${device} compute_cap: ${shown(cap)} is not a compute capability: ignored`);
    gpus.push({
      index,
      name,
      uuid: value(parts[2]),
      pciBusId: bus === null ? null : normalizePciBusId(bus),
      memoryTotalMiB: total,
      memoryTotalRejected: totalText !== null && total === null,
      memoryFreeMiB: free,
      memoryUsedMiB: used,
      computeCapability: cap !== null && COMPUTE_CAP.test(cap) ? cap : null,
    });
  }
  if (extra > 0) problems.add(`nvidia-smi: ${extra} GPU line(s) past index ${GPU_COUNT.max - 1} or past ${GPU_COUNT.max} GPUs: ignored`);
  return { gpus, rejected, problems: problems.list };
}

/** True when nvidia-smi refused a field name (drivers before 510 do not know `compute_cap`). */
export const isUnknownFieldError = (output: string): boolean => /is not a valid field to query/i.test(output);
