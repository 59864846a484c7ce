// /proc/cpuinfo parser: CPU name, logical CPUs and physical cores (x86 `core id`s, Arm `CPU part`s).
import { armImplementerName, armPartName } from "./arm-cpu-parts.js";
import { CPU_COUNT, checkFigure } from "./plausible.js";

export interface CpuinfoSummary {
  /** `model name` (x86, some Arm kernels), else the Arm core types ("Cortex-X925 + Cortex-A725"), else `Hardware`. */
  name: string | null;
  logicalCpus: number;
  /** Distinct (physical id, core id) pairs; null when the kernel does not print them (most Arm systems). */
  physicalCores: number | null;
  sockets: number | null;
  /** Arm core types in order of first appearance, with their counts. */
  armCores: { name: string; count: number }[];
  isArm: boolean;
}

/** Splits cpuinfo into one key/value map per `processor` block (plus any trailing global lines, e.g. `Hardware`). */
function blocks(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let cur = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") {
      if (cur.size) out.push(cur);
      cur = new Map();
      continue;
    }
    const i = line.indexOf(":");
    if (i < 0) continue;
    cur.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  if (cur.size) out.push(cur);
  return out;
}

/**
 * The CPU summary. Counts beyond the plausible (MAX_CPU_CORES) are dropped into `problems`: logical CPUs then read 0
 * (none), physical cores and sockets null.
 */
export function parseCpuinfo(text: string, problems: string[] = []): CpuinfoSummary {
  const all = blocks(text);
  const procs = all.filter((b) => b.has("processor") && /^\d+$/.test(b.get("processor") ?? ""));
  const global = new Map<string, string>();
  for (const b of all) for (const [k, v] of b) if (!global.has(k)) global.set(k, v);

  const cores = new Set<string>();
  const sockets = new Set<string>();
  let haveTopology = true;
  const arm = new Map<string, number>();
  for (const p of procs) {
    const core = p.get("core id");
    const socket = p.get("physical id") ?? "0";
    if (core === undefined) haveTopology = false;
    else {
      cores.add(`${socket}/${core}`);
      sockets.add(socket);
    }
    const impl = p.get("CPU implementer");
    const part = p.get("CPU part");
    if (impl !== undefined && part !== undefined) {
      const name = armPartName(impl, part) ?? `${armImplementerName(impl) ?? `implementer ${impl}`} part ${part}`;
      arm.set(name, (arm.get(name) ?? 0) + 1);
    }
  }
  const armCores = [...arm].map(([name, count]) => ({ name, count }));
  const isArm = armCores.length > 0 || global.has("CPU implementer");
  const model = global.get("model name") ?? global.get("Model Name") ?? null;
  const name = model ?? (armCores.length ? armCores.map((c) => c.name).join(" + ") : (global.get("Hardware") ?? null));
  const count = (n: number, what: string): number | null => {
    const f = checkFigure(n, CPU_COUNT, `/proc/cpuinfo ${what}`);
    if (f.problem !== null) problems.push(f.problem);
    return f.value;
  };
  return {
    name,
    logicalCpus: count(procs.length, "processors") ?? 0,
    physicalCores: haveTopology && cores.size > 0 ? count(cores.size, "physical cores (distinct core ids)") : null,
    sockets: haveTopology && sockets.size > 0 ? count(sockets.size, "sockets (distinct physical ids)") : null,
    armCores,
    isArm,
  };
}
