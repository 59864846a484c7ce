// Plan text: a hardware plan for people (`nodefit plan` without --json): per quant, the memory it needs, the bandwidth
// the target needs, and the cheapest machines that meet it.
import type { PlanQuantJson, PlanResultJson } from "../../contract/plan.js";
import { RUNTIME_LABELS } from "../../contract/row.js";
import type { Painter } from "../table.js";
import { labelledText } from "../wrap.js";
import { fixed } from "./fit-paint.js";

/** Machines named per quant; the rest are in --json. */
const MACHINES_SHOWN = 3;

function quantLine(q: PlanQuantJson): string {
  const m = q.memory;
  const o = m.offload;
  const parts = [`${RUNTIME_LABELS[q.runtime]}, keeps ${fixed(q.quality_kept_pct, 1)}% of 16-bit quality`, `GPU ${fixed(m.gpu.required_gb, 2)} GiB`];
  if (o !== null)
    parts.push(
      `offload ${fixed(o.gpu_gb, 2)} GiB GPU + ${fixed(o.ram_gb, 2)} GiB RAM (${o.run_mode === "moe_offload" ? "experts in RAM" : `${o.gpu_layers ?? "?"} of ${o.layers} layers on the GPU`})`,
    );
  if (m.cpu_gb !== null) parts.push(`CPU ${fixed(m.cpu_gb, 2)} GiB`);
  const b = q.bandwidth;
  parts.push(b === null ? "bandwidth not estimated" : b.required_gbps === null ? "out of reach at any bandwidth" : `needs ${fixed(b.required_gbps, 0)} GB/s on the class of the reference ${b.reference_device}`);
  const shown = q.machines.slice(0, MACHINES_SHOWN).map((x) => `${x.name} (${fixed(x.estimated_tps, 1)} tok/s)`);
  const more = q.machines.length > MACHINES_SHOWN ? `, and ${q.machines.length - MACHINES_SHOWN} more` : "";
  return `${parts.join("; ")}. ${shown.length > 0 ? `Cheapest that meet it: ${shown.join(", ")}${more}.` : "No known machine meets it."}`;
}

/** The plan for people, each value wrapped to `width` columns under its label. */
export function planText(r: PlanResultJson, p: Painter, width = Infinity): string {
  const name = r.model ? `${r.model.name} (${fixed(r.model.params_b, 1)}B)` : r.resolved_from.input;
  const head = [
    { label: "model", value: `${name}, matched by ${r.resolved_from.matched_by}` },
    { label: "target", value: `${fixed(r.target_tps, 1)} tok/s (${r.target_source}), context ${r.context}, KV cache ${r.kv_cache_type}` },
  ];
  const quants = r.quants.map((q) => ({ label: q.quant, value: [quantLine(q), ...q.notes].join(" ") }));
  const notes = r.notes.map((n) => ({ label: "note", value: n }));
  return [labelledText(head, width, p.bold), labelledText(quants, width, p.bold), labelledText(notes, width, p.dim)].join("\n");
}
