// Estimate text: one estimate result for people (`nodefit estimate` without --json).
import type { EstimateResultJson } from "../../contract/estimate.js";
import type { Painter } from "../table.js";
import { plural } from "../plural.js";
import { labelledText } from "../wrap.js";
import { fitPaint, fixed } from "./fit-paint.js";

/** One estimate for people, each value wrapped to `width` columns under its label (Infinity: no wrapping). */
export function estimateText(r: EstimateResultJson, p: Painter, width = Infinity): string {
  const mem = r.memory;
  const name = r.model ? `${r.model.name} (${fixed(r.model.params_b, 1)}B)` : r.resolved_from.input;
  const lines: Array<[string, string]> = [
    ["model", `${name}, matched by ${r.resolved_from.matched_by}`],
    ["fit", `${fitPaint(p, r.fit_level)(r.fit_level)}, ${r.run_mode} on ${r.runtime}, ${r.quant}, KV cache ${r.kv_cache_type}`],
    [
      "memory",
      `${fixed(mem.required_gb, 2)} of ${fixed(mem.available_gb, 2)} GiB: weights ${fixed(mem.weights_gb, 2)}, ` +
        `KV cache ${fixed(mem.kv_cache_gb, 2)}, overhead ${fixed(mem.overhead_gb, 2)}; GPU ${fixed(mem.gpu_gb, 2)}, RAM ${fixed(mem.ram_gb, 2)}`,
    ],
    [
      "speed",
      `${fixed(r.estimated_tps, 1)} tok/s (${fixed(r.tps_range[0], 1)}-${fixed(r.tps_range[1], 1)})` +
        (r.prefill_tps === null ? "" : `, prefill ${fixed(r.prefill_tps, 0)} tok/s`) +
        (r.ttft_ms === null ? "" : `, first token ${fixed(r.ttft_ms, 0)} ms`),
    ],
    ["context", `${r.context} evaluated, ${r.usable_context} usable, ${plural(r.concurrent_sessions, "session")}`],
  ];
  if (r.weights_repo !== null) lines.push(["weights", `${r.weights_repo} (${r.quant})`]);
  // The trade: what else was tried and what it would give instead.
  for (const a of r.alternatives) lines.push(["instead", `${a.quant} on ${a.runtime}: ${a.why}`]);
  for (const note of r.notes) lines.push(["note", note]);
  return labelledText(
    lines.map(([label, value]) => ({ label, value })),
    width,
    p.bold,
  );
}
