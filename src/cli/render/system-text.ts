// System text: the `{node, system}` object for people, one labelled line per fact.
import type { SystemResponseJson } from "../../contract/envelope.js";
import type { SystemJson } from "../../contract/system.js";
import type { Painter } from "../table.js";
import { fixed } from "./fit-paint.js";

/** The one-line summary that heads `nodefit models`. */
export function systemSummary(r: SystemResponseJson): string {
  const s = r.system;
  const gpu = s.has_gpu ? s.gpus.map((g) => `${g.count}x ${g.name} ${fixed(g.vram_gb, 1)} GiB`).join(", ") : "no GPU";
  return `${r.node.name} (${r.node.os}): ${gpu}, ${fixed(s.total_ram_gb, 1)} GiB RAM, ${s.cpu_cores} cores, ${s.backend}`;
}

function gpuLines(s: SystemJson): string[] {
  if (!s.has_gpu) return ["none"];
  return s.devices.length > 0
    ? s.devices.map((d) => {
        const free = d.vram_free_gb === null ? "" : `, ${fixed(d.vram_free_gb, 2)} free`;
        const bw = d.memory_bandwidth_gbps === null ? "" : `, ${fixed(d.memory_bandwidth_gbps, 0)} GB/s`;
        return `#${d.index} ${d.name}: ${fixed(d.vram_total_gb, 2)} GiB${free}${bw} (${d.backend}${d.unified_memory ? ", unified memory" : ""})`;
      })
    : s.gpus.map((g) => `${g.count}x ${g.name}: ${fixed(g.vram_gb, 2)} GiB (${g.backend})`);
}

export function systemText(r: SystemResponseJson, p: Painter): string {
  const s = r.system;
  const rows: Array<[string, string[]]> = [
    ["node", [`${r.node.name} (${r.node.os})`]],
    ["cpu", [`${s.cpu_name}, ${s.cpu_cores} cores${s.cpu_threads === null ? "" : `, ${s.cpu_threads} threads`}`]],
    [
      "ram",
      [
        `${fixed(s.total_ram_gb, 2)} GiB total, ${fixed(s.available_ram_gb, 2)} GiB available` +
          (s.memory_limited_by === "host" ? "" : ` (${s.memory_limited_by})`) +
          (s.ram_bandwidth_gbps === null ? "" : `, ${fixed(s.ram_bandwidth_gbps, 0)} GB/s`),
      ],
    ],
    ["gpu", gpuLines(s)],
    ["backend", [`${s.backend}${s.unified_memory ? ", unified memory" : ""}`]],
  ];
  if (s.warnings.length > 0) rows.push(["warnings", s.warnings]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, vs]) => vs.map((v, i) => `${i === 0 ? p.bold(k.padEnd(width)) : " ".repeat(width)}  ${v}`).join("\n")).join("\n") + "\n";
}
