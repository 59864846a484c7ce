// Models table: the models envelope for people, one aligned row per model.
import type { ModelsEnvelopeJson } from "../../contract/envelope.js";
import { CATALOG_CAVEAT_PREFIX } from "../../estimate/estimate.js";
import { renderTable, type Painter } from "../table.js";
import { fitPaint, fixed } from "./fit-paint.js";
import { systemSummary } from "./system-text.js";

export function modelsTable(env: ModelsEnvelopeJson, p: Painter): string {
  const head = `${p.bold(systemSummary(env))}\n`;
  if (env.models.length === 0) return `${head}no model matches (${env.total_models} before the limit)\n`;
  const table = renderTable(
    [
      { header: "MODEL" },
      { header: "PARAMS", align: "right" },
      { header: "QUANT" },
      { header: "RUNTIME" },
      { header: "MODE" },
      { header: "FIT" },
      { header: "MEM GiB", align: "right" },
      { header: "TPS", align: "right" },
      { header: "CTX", align: "right" },
      { header: "SCORE", align: "right" },
    ],
    env.models.map((m) => [
      qualified(m) ? `${m.name} *` : m.name,
      m.parameter_count,
      m.best_quant,
      m.runtime_label,
      m.run_mode_label,
      { text: m.fit_label, paint: fitPaint(p, m.fit_level) },
      `${fixed(m.memory_required_gb, 1)}/${fixed(m.memory_available_gb, 1)}`,
      fixed(m.estimated_tps, 1),
      String(m.effective_context_length),
      fixed(m.score, 1),
    ]),
  );
  const shown = env.returned_models === env.total_models ? `${env.total_models} models` : `${env.returned_models} of ${env.total_models} models`;
  const legend = env.models.some(qualified) ? `\n${p.dim("* the catalog qualifies these figures (a shape inferred or fitted, a KV cache that is an upper bound): nodefit info NAME says how")}` : "";
  return `${head}\n${table}\n${p.dim(`${shown}, sorted by ${env.filters.sort}`)}${legend}\n`;
}

/** A row whose figures the catalog's caveats qualify (their notes come first in the row). */
const qualified = (m: ModelsEnvelopeJson["models"][number]): boolean => m.notes.some((n) => n.startsWith(CATALOG_CAVEAT_PREFIX));
