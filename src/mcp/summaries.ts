// Tool summaries: the short text an MCP tool result carries beside its structured answer, for a person or a model
// skimming the conversation (the figures come from the answer itself; nothing is computed here).
import type { ModelsEnvelopeJson, SystemResponseJson } from "../contract/envelope.js";
import type { EstimateResultJson } from "../contract/estimate.js";
import type { PlanResultJson } from "../contract/plan.js";
import type { BenchmarksResponseJson } from "../contract/benchmarks.js";
import type { RuntimesJson } from "../contract/runtimes.js";
import type { ModelRowJson } from "../contract/row.js";

/** Rows named in a models summary; the rest are in the structured answer. */
const ROWS_NAMED = 10;

const gb = (n: number | null): string => (n === null ? "?" : `${n} GiB`);

export function systemSummary(answer: SystemResponseJson): string {
  const s = answer.system;
  const gpus = s.gpus.length === 0 ? "no GPU" : s.gpus.map((g) => `${g.count > 1 ? `${g.count}x ` : ""}${g.name} (${gb(g.vram_gb)}, ${g.backend})`).join(", ");
  return `Node ${answer.node.name} (${answer.node.os}): ${gpus}; RAM ${gb(s.total_ram_gb)} (${gb(s.available_ram_gb)} available); ${s.cpu_name}, ${s.cpu_cores} cores.`;
}

const rowLine = (m: ModelRowJson, i: number): string =>
  `${i + 1}. ${m.name}: ${m.best_quant} on ${m.runtime_label}, ${m.fit_level} (${m.run_mode_label}), ` +
  `${m.memory_required_gb} of ${m.memory_available_gb} GiB, ~${m.estimated_tps} tok/s, score ${m.score}`;

export function envelopeSummary(answer: ModelsEnvelopeJson): string {
  const lines: string[] = [];
  const r = answer.resolved_from;
  if (r !== null) {
    if (r.status === "matched") lines.push(`"${r.input}" resolves to ${r.name} (${r.matched_by}, confidence ${r.confidence}${r.quant ? `, quant ${r.quant}` : ""}).${r.note ? ` ${r.note}` : ""}`);
    else if (r.status === "ambiguous") lines.push(`"${r.input}" is ambiguous: ${r.candidates.slice(0, 5).join(", ")}.`);
    else lines.push(`"${r.input}" names no catalog model${r.candidates.length > 0 ? `; did you mean ${r.candidates.slice(0, 3).join(", ")}?` : "."}`);
  }
  const context = answer.filters.max_context === null ? "each model's default context" : `context ${answer.filters.max_context}`;
  lines.push(`${answer.returned_models} of ${answer.total_models} matching models on ${answer.node.name}, sorted by ${answer.filters.sort}, at ${context}:`);
  lines.push(...answer.models.slice(0, ROWS_NAMED).map(rowLine));
  if (answer.models.length > ROWS_NAMED) lines.push(`... ${answer.models.length - ROWS_NAMED} more in the structured answer.`);
  return lines.join("\n");
}

export function estimateSummary(answer: EstimateResultJson): string {
  const name = answer.model?.name ?? answer.resolved_from.input;
  const m = answer.memory;
  return (
    `${name} at ${answer.quant}, context ${answer.context}, KV ${answer.kv_cache_type}, on ${answer.runtime} (${answer.run_mode}): ${answer.fit_level}; ` +
    `needs ${m.required_gb} of ${m.available_gb} GiB (weights ${m.weights_gb}, KV cache ${m.kv_cache_gb}, overhead ${m.overhead_gb}); ` +
    `~${answer.estimated_tps} tok/s (${answer.tps_range[0]}-${answer.tps_range[1]}).`
  );
}

/** Quants named in a plan summary; the rest are in the structured answer. */
const QUANTS_NAMED = 12;

export function planSummary(answer: PlanResultJson): string {
  const name = answer.model?.name ?? answer.resolved_from.input;
  const lines = [`${name} at context ${answer.context}, ${answer.target_tps} tok/s (${answer.target_source}); GPU memory, bandwidth needed, cheapest machine:`];
  for (const q of answer.quants.slice(0, QUANTS_NAMED)) {
    const need = q.bandwidth?.required_gbps == null ? "out of reach" : `${q.bandwidth.required_gbps} GB/s`;
    const cheapest = q.machines[0];
    lines.push(`${q.quant}: ${q.memory.gpu.required_gb} GiB, ${need}, ${cheapest ? `${cheapest.name} (~${cheapest.estimated_tps} tok/s)` : "none known"}`);
  }
  if (answer.quants.length > QUANTS_NAMED) lines.push(`... ${answer.quants.length - QUANTS_NAMED} more quants in the structured answer.`);
  return lines.join("\n");
}

/** Benchmarks named in a summary; the rest are in the structured answer. */
const BENCHMARKS_NAMED = 10;

export function benchmarksSummary(answer: BenchmarksResponseJson): string {
  if (answer.benchmarks.length === 0) return `No benchmarks stored on ${answer.node.name} yet (nodefit bench measures a model).`;
  const lines = [`${answer.benchmarks.length} benchmark${answer.benchmarks.length === 1 ? "" : "s"} on ${answer.node.name}, newest first:`];
  for (const b of answer.benchmarks.slice(0, BENCHMARKS_NAMED)) {
    const est = b.estimate === null ? "no estimate" : `estimated ${b.estimate.estimated_tps} tok/s (measured/estimated ${b.measured_vs_estimated})`;
    lines.push(`${b.model}${b.quant ? ` ${b.quant}` : ""} on ${b.runtime} (${b.via}): ${b.decode_tps.median} tok/s decode over ${b.decode_tps.runs} runs, ${est}`);
  }
  if (answer.benchmarks.length > BENCHMARKS_NAMED) lines.push(`... ${answer.benchmarks.length - BENCHMARKS_NAMED} more in the structured answer.`);
  for (const c of answer.corrections) lines.push(`correction x${c.factor} for ${c.runtime} ${c.run_mode} estimates on ${c.device} (${c.calibration}), from ${c.benchmarks} benchmark${c.benchmarks === 1 ? "" : "s"}${c.bounded ? `, bounded from ${c.ratio}` : ""}`);
  return lines.join("\n");
}

/** Runtimes named in a summary, with their loaded models. */
export function runtimesSummary(answer: RuntimesJson): string {
  if (answer.status === "not_probed") return `Runtimes and model stores are not looked at for ${answer.node.name}: it answers for a described machine.`;
  if (answer.status === "pending") return `The first look at the runtimes of ${answer.node.name} is still running in the background; ask again in a moment.`;
  const lines: string[] = [];
  const running = answer.runtimes.filter((r) => r.status === "running");
  lines.push(running.length === 0 ? `No LLM runtime answers on ${answer.node.name}.` : `${running.length} runtime${running.length === 1 ? "" : "s"} running on ${answer.node.name}:`);
  for (const r of answer.runtimes) {
    const loaded = r.models_loaded.map((m) => `${m.name}${m.size_gb === null ? "" : ` (${m.size_gb} GiB)`}`).join(", ") || "nothing";
    lines.push(r.status === "running" ? `- ${r.label}${r.version ? ` ${r.version}` : ""} at ${r.endpoint}: ${loaded} loaded` : `- ${r.label}: a process runs, no endpoint answered`);
  }
  if (answer.installed.status === "ready") lines.push(`${answer.installed.models} installed model cop${answer.installed.models === 1 ? "y" : "ies"} in the stores on disk (list_models with installed=true).`);
  if (answer.warnings.length > 0) lines.push(`${answer.warnings.length} warning${answer.warnings.length === 1 ? "" : "s"}: ${answer.warnings[0]}`);
  return lines.join("\n");
}
