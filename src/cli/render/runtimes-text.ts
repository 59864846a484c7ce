// Runtimes text: the runtimes object for people: each runtime found with what it holds in memory, the endpoints that
// did not answer, the model stores read, and the warnings.
import type { LoadedModelJson, RuntimeJson, RuntimesJson } from "../../contract/runtimes.js";
import type { Painter } from "../table.js";
import { plural } from "../plural.js";
import { labelledText, type LabelledLine } from "../wrap.js";

const gib = (n: number | null): string | null => (n === null ? null : `${n.toFixed(2)} GiB`);

function loadedLine(m: LoadedModelJson): string {
  const parts = [m.name];
  const size = gib(m.size_gb);
  if (size !== null) parts.push(m.vram_gb === null ? size : `${size} (${gib(m.vram_gb)} in GPU memory)`);
  if (m.quant !== null) parts.push(m.quant);
  if (m.context_length !== null) parts.push(`context ${m.context_length}`);
  if (m.expires_at !== null) parts.push(`unloads at ${m.expires_at}`);
  return `loaded: ${parts.join(", ")}`;
}

function runtimeLines(r: RuntimeJson): LabelledLine[] {
  const head =
    r.status === "running"
      ? `${r.version === null ? "" : `${r.version} `}at ${r.endpoint}${r.endpoint_source === "default" ? "" : ` (${r.endpoint_source})`}` +
        (r.models_available === null ? "" : `, ${plural(r.models_available, "model")} available`)
      : "a process runs, but no endpoint answered";
  const lines: string[] = [head];
  lines.push(...r.models_loaded.map(loadedLine));
  if (r.status === "running" && r.models_loaded.length === 0) lines.push("loaded: none");
  for (const p of r.processes) lines.push(`process ${p.pid}${p.rss_gb === null ? "" : ` (${gib(p.rss_gb)} resident)`}: ${p.command}`);
  const details = Object.entries(r.details).filter(([, v]) => v !== null);
  if (details.length > 0) lines.push(details.map(([k, v]) => `${k} ${String(v)}`).join(", "));
  return lines.map((value, i) => ({ label: i === 0 ? r.label : "", value }));
}

/** The runtimes object for people, wrapped to `width` columns (Infinity: no wrapping). */
export function runtimesText(r: RuntimesJson, p: Painter, width = Infinity): string {
  const lines: LabelledLine[] = [];
  const when = r.checked_at === null ? (r.status === "not_probed" ? "not probed (a described machine)" : "not probed yet") : `probed at ${r.checked_at} in ${r.probe_ms} ms`;
  lines.push({ label: "node", value: `${r.node.name} (${r.node.os}), ${when}` });
  if (r.runtimes.length === 0 && r.status === "ready") lines.push({ label: "runtimes", value: "none found" });
  for (const rt of r.runtimes) lines.push(...runtimeLines(rt));
  const quiet = r.endpoints.filter((e) => e.status !== "answered" && !r.runtimes.some((rt) => rt.endpoint === e.url && rt.runtime === e.runtime));
  if (quiet.length > 0)
    lines.push({ label: "not answering", value: quiet.map((e) => `${e.runtime} ${e.url} (${e.status === "refused" ? "not running" : (e.error ?? e.status)})`).join(", ") });
  const stores = r.installed.stores.filter((s) => s.status !== "missing");
  if (r.installed.status === "ready") {
    lines.push({
      label: "installed",
      value: `${plural(r.installed.models, "model copy", "model copies")} in ${plural(stores.length, "store")}${r.installed.complete ? "" : " (not every store read in full)"}, scanned in ${r.installed.scan_ms} ms`,
    });
    for (const s of stores)
      lines.push({ label: "", value: `${s.store} ${s.path}: ${plural(s.models, "model")}${s.unidentified > 0 ? ` (${s.unidentified} not identified)` : ""}${s.status === "read" ? "" : `, ${s.status}${s.error ? `: ${s.error}` : ""}`}` });
  }
  r.warnings.forEach((w, i) => lines.push({ label: i === 0 ? "warnings" : "", value: w }));
  return labelledText(lines, width, p.bold);
}
