// System text: the `{node, system}` object for people, one labelled line per fact.
import type { SystemResponseJson } from "../../contract/envelope.js";
import type { SystemJson } from "../../contract/system.js";
import type { Painter } from "../table.js";
import { plural } from "../plural.js";
import { labelledText } from "../wrap.js";
import { fixed } from "./fit-paint.js";

/** The one-line summary that heads `nodefit models` (the caller wraps it to the terminal). */
export function systemSummary(r: SystemResponseJson): string {
  const s = r.system;
  const gpu = s.has_gpu ? s.gpus.map((g) => `${g.count}x ${g.name} ${fixed(g.vram_gb, 1)} GiB`).join(", ") : "no GPU";
  return `${r.node.name} (${r.node.os}): ${gpu}, ${fixed(s.total_ram_gb, 1)} GiB RAM, ${plural(s.cpu_cores, "core")}, ${s.backend}`;
}

/** " (assumed, ±15%)" after a bandwidth that is assumed; the source field says why. */
const assumed = (pct: number | undefined): string => (pct === undefined ? "" : ` (assumed, ±${pct}%)`);

/** The source of each assumed figure, one line each ("ram: assumed: ..."). */
function assumptionLines(s: SystemJson): string[] {
  const lines: string[] = [];
  if (s.ram_bandwidth_assumed_pct !== undefined && s.ram_bandwidth_source !== null) lines.push(`ram: ${s.ram_bandwidth_source}`);
  const seen = new Set<string>();
  for (const d of s.devices) {
    if (d.bandwidth_assumed_pct === undefined || d.bandwidth_source === null) continue;
    const line = `${d.name}: ${d.bandwidth_source}`;
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  return lines;
}

function gpuLines(s: SystemJson): string[] {
  if (!s.has_gpu) return ["none"];
  return s.devices.length > 0
    ? s.devices.map((d) => {
        const free = d.vram_free_gb === null ? "" : `, ${fixed(d.vram_free_gb, 2)} free`;
        const bw = d.memory_bandwidth_gbps === null ? "" : `, ${fixed(d.memory_bandwidth_gbps, 0)} GB/s${assumed(d.bandwidth_assumed_pct)}`;
        return `#${d.index} ${d.name}: ${fixed(d.vram_total_gb, 2)} GiB${free}${bw} (${d.backend}${d.unified_memory ? ", unified memory" : ""})`;
      })
    : s.gpus.map((g) => `${g.count}x ${g.name}: ${fixed(g.vram_gb, 2)} GiB (${g.backend})`);
}

/** The system object for people, each value wrapped to `width` columns under its label (Infinity: no wrapping). */
export function systemText(r: SystemResponseJson, p: Painter, width = Infinity): string {
  const s = r.system;
  const rows: Array<[string, string[]]> = [
    ["node", [`${r.node.name} (${r.node.os})`]],
    ["cpu", [`${s.cpu_name}, ${plural(s.cpu_cores, "core")}${s.cpu_threads === null ? "" : `, ${plural(s.cpu_threads, "thread")}`}`]],
    [
      "ram",
      [
        `${fixed(s.total_ram_gb, 2)} GiB total, ${fixed(s.available_ram_gb, 2)} GiB available` +
          (s.memory_limited_by === "host" ? "" : ` (${s.memory_limited_by})`) +
          (s.ram_bandwidth_gbps === null ? "" : `, ${fixed(s.ram_bandwidth_gbps, 0)} GB/s${assumed(s.ram_bandwidth_assumed_pct)}`),
      ],
    ],
    ["gpu", gpuLines(s)],
    ["backend", [`${s.backend}${s.unified_memory ? ", unified memory" : ""}`]],
  ];
  const assumptions = assumptionLines(s);
  if (assumptions.length > 0) rows.push(["assumed", assumptions]);
  if (s.warnings.length > 0) rows.push(["warnings", s.warnings]);
  return labelledText(
    rows.flatMap(([label, values]) => values.map((value, i) => ({ label: i === 0 ? label : "", value }))),
    width,
    p.bold,
  );
}
