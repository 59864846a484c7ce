// Bench text: a stored benchmark for people: what ran where, the measured figures with their spread, the estimate
// beside them, and where the result is kept.
import type { BenchmarkJson, StatJson } from "../../contract/benchmarks.js";
import { RUNTIME_LABELS } from "../../contract/row.js";
import type { Runtime } from "../../estimate/types.js";
import { plural } from "../plural.js";

const VIA: Record<BenchmarkJson["via"], string> = { "node-llama-cpp": "in process (node-llama-cpp)", openai: "OpenAI-compatible API", ollama: "Ollama API" };

const num = (x: number): string => (x >= 100 ? String(Math.round(x)) : x.toFixed(1));
const measured = (s: StatJson | null, unit: string): string =>
  s === null ? "not measured" : `${num(s.median)} ${unit} (${num(s.min)}-${num(s.max)}, spread ${s.spread_pct}%)`;

export function benchText(r: BenchmarkJson, storePath: string): string {
  const runtime = RUNTIME_LABELS[r.runtime as Runtime] ?? r.runtime;
  const where = r.endpoint === null ? VIA[r.via] : `${VIA[r.via]} at ${r.endpoint}`;
  const e = r.estimate;
  const lines = [
    `${r.model}${r.quant ? ` ${r.quant}` : ""} on ${runtime}, ${where}${r.runtime_version ? `, ${r.runtime_version}` : ""}`,
    `  ${plural(r.decode_tps.runs, "run")} after ${plural(r.warmup_runs, "warm-up")}: ${r.prompt_tokens}-token prompt, ${r.max_tokens} tokens each` +
      `${r.context !== null ? `, context ${r.context}` : ""}${r.threads !== null ? `, ${plural(r.threads, "thread")}` : ""}`,
    `  decode   ${measured(r.decode_tps, "tok/s")}${e ? `   estimate ${num(e.estimated_tps)} tok/s (${num(e.tps_range[0])}-${num(e.tps_range[1])})` : ""}`,
    `  prefill  ${measured(r.prefill_tps, "tok/s")}${e && e.prefill_tps !== null ? `   estimate ${num(e.prefill_tps)} tok/s` : ""}`,
    `  TTFT     ${measured(r.ttft_ms, "ms")}`,
  ];
  if (e !== null && r.measured_vs_estimated !== null)
    lines.push(`  measured / estimated decode: ${r.measured_vs_estimated} (estimate: ${e.quant}, ${e.run_mode} on ${e.device}, calibration ${e.calibration}, context ${e.context})`);
  else if (!r.in_catalog && r.via !== "node-llama-cpp") lines.push(`  no estimate: ${r.model_ref} names no model nodefit knows (give --model with its catalog name, and --quant)`);
  else lines.push(`  no estimate: the quant measured is unknown (give it with --quant)`);
  lines.push(`  stored as benchmark #${r.id} in ${storePath}`);
  return `${lines.join("\n")}\n`;
}
