// Model details: one analyzed row for people (`nodefit info`), every figure with its unit.
import type { ModelRowJson } from "../../contract/row.js";
import type { Painter } from "../table.js";
import { labelledText, wrapWords, type LabelledLine } from "../wrap.js";
import { fitPaint, fixed } from "./fit-paint.js";

/** One row in detail, each value wrapped to `width` columns under its label (the verify command broken with " \\"). */
export function modelDetails(m: ModelRowJson, p: Painter, width = Infinity): string {
  const mem = m.memory;
  const moe = m.is_moe && m.active_params_b !== null ? `, ${fixed(m.active_params_b, 1)}B active` : "";
  const speed =
    m.fit_level === "too_tight"
      ? "does not run here"
      : `${fixed(m.estimated_tps, 1)} tok/s (${fixed(m.tps_range[0], 1)}-${fixed(m.tps_range[1], 1)})` +
        (m.prefill_tps === null ? "" : `, prefill ${fixed(m.prefill_tps, 0)} tok/s`) +
        (m.ttft_ms === null ? "" : `, first token ${fixed(m.ttft_ms, 0)} ms`);
  const lines: Array<[string, string]> = [
    ["fit", `${fitPaint(p, m.fit_level)(m.fit_label)}, ${m.run_mode_label} on ${m.runtime_label}, ${m.best_quant}, KV cache ${m.kv_cache_type}`],
    [
      "memory",
      `${fixed(m.memory_required_gb, 2)} of ${fixed(m.memory_available_gb, 2)} GiB (${fixed(m.utilization_pct, 1)}%): ` +
        `weights ${fixed(mem.weights_gb, 2)}, KV cache ${fixed(mem.kv_cache_gb, 2)}, overhead ${fixed(mem.overhead_gb, 2)}; ` +
        `GPU ${fixed(mem.gpu_gb, 2)}, RAM ${fixed(mem.ram_gb, 2)}`,
    ],
    ["speed", speed],
    ["context", `${m.effective_context_length} evaluated, ${m.usable_context} usable, ${m.context_length} native`],
    ["sessions", `${m.concurrent_sessions} at this context`],
    [
      "score",
      `${fixed(m.score, 1)} (quality ${fixed(m.score_components.quality, 1)}, speed ${fixed(m.score_components.speed, 1)}, ` +
        `fit ${fixed(m.score_components.fit, 1)}, context ${fixed(m.score_components.context, 1)})`,
    ],
    ["license", `${m.license}${m.release_date === null ? "" : `, released ${m.release_date}`}`],
  ];
  if (m.capabilities.length > 0) lines.push(["abilities", m.capabilities.join(", ")]);
  if (m.ollama_name !== null) lines.push(["ollama", m.ollama_name]);
  for (const c of m.installed_as)
    lines.push(["installed", `${c.tag ?? c.path} (${c.store}${c.revision ? ` @${c.revision.slice(0, 10)}` : ""}, ${c.quant ?? "quant unknown"}, ${fixed(c.size_gb, 2)} GiB, served by ${c.runtime})`]);
  if (m.installed === false) lines.push(["installed", "no (in none of this node's model stores)"]);
  if (m.weights_repo !== null) lines.push(["weights", `${m.weights_repo} (${m.best_quant})`]);
  if (m.gguf_sources.length > 0) lines.push(["gguf", m.gguf_sources.join(", ")]);
  for (const note of m.notes) lines.push(["note", note]);
  const labelled: LabelledLine[] = lines.map(([label, value]) => ({ label, value }));
  if (m.verify_command !== "") labelled.splice(lines.length - m.notes.length, 0, { label: "verify", value: m.verify_command, command: true });
  const title = wrapWords(`${m.name}  ${m.provider}, ${m.parameter_count}${moe}, ${m.category}`, width);
  const [first = "", ...rest] = title;
  const head = [first.startsWith(m.name) ? `${p.bold(m.name)}${first.slice(m.name.length)}` : first, ...rest];
  return `${head.join("\n")}\n${labelledText(labelled, width, p.dim, "  ")}`;
}
