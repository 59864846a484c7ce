// Models table: the models envelope for people, one aligned row per model, fitted to the terminal's width.
import type { ModelsEnvelopeJson } from "../../contract/envelope.js";
import { CATALOG_CAVEAT_PREFIX } from "../../estimate/estimate.js";
import { plural } from "../plural.js";
import { cutMiddle, fitTable, type Column, type LayoutStep, type Painter } from "../table.js";
import { wrapWords } from "../wrap.js";
import { fitPaint, fixed } from "./fit-paint.js";
import { systemSummary } from "./system-text.js";

const QUALIFIED = " *";

/** A model name cut in its middle to a width (its end tells versions apart), keeping the mark of a qualified row. */
const cutName = (text: string, width: number): string =>
  text.endsWith(QUALIFIED) ? `${cutMiddle(text.slice(0, -QUALIFIED.length), width - QUALIFIED.length)}${QUALIFIED}` : cutMiddle(text, width);

/** The name without its owner ("Qwen/Qwen3-8B" -> "Qwen3-8B"): the first thing a narrow table gives up. */
const withoutOwner = (text: string): string => text.slice(text.indexOf("/") + 1);

const MODEL = 0;
const PARAMS = 1;
const RUNTIME = 3;
const MODE = 4;
const MEM = 6;
const CTX = 8;
const SCORE = 9;

const COLUMNS: readonly Column[] = [
  { header: "MODEL", minWidth: 24, cut: cutName, compact: { header: "MODEL", text: withoutOwner } },
  { header: "PARAMS", align: "right" },
  { header: "QUANT" },
  { header: "RUNTIME" },
  { header: "MODE" },
  { header: "FIT" },
  // Memory needed of the memory the run mode may use; compact: the need alone.
  { header: "MEM GiB", align: "right", compact: { header: "GiB", text: (t) => t.split("/")[0] ?? t } },
  { header: "TPS", align: "right" },
  { header: "CTX", align: "right" },
  { header: "SCORE", align: "right" },
];

/**
 * What a narrow terminal gives up, in order: the context column (the same for most rows; the footer says it when it
 * is), the memory available (the need stays), the owner in names, all three rather than cut a name; then, with names
 * cut to 24 characters, the parameter count (names mostly say it), the score (the order says it), then the run mode
 * and the runtime (only below some 70 columns).
 */
const STEPS: readonly LayoutStep[] = [
  { column: CTX, action: "drop", beforeCutting: true },
  { column: MEM, action: "compact", beforeCutting: true },
  { column: MODEL, action: "compact", beforeCutting: true },
  { column: PARAMS, action: "drop" },
  { column: SCORE, action: "drop" },
  { column: MODE, action: "drop" },
  { column: RUNTIME, action: "drop" },
];

/**
 * The table of a models envelope, fitted to `width` columns (Infinity: every column at full width, `--wide`): past
 * the width, columns are given up in STEPS' order and long names cut with "…"; the footer says what is left out.
 */
export function modelsTable(env: ModelsEnvelopeJson, p: Painter, width = Infinity): string {
  const head = `${wrapWords(systemSummary(env), width).map((l) => p.bold(l)).join("\n")}\n`;
  if (env.models.length === 0) return `${head}no model matches (${plural(env.total_models, "model")} before the limit)\n`;
  const fitted = fitTable(
    COLUMNS,
    env.models.map((m) => [
      `${m.name}${qualified(m) ? QUALIFIED : ""}${m.installed === true ? INSTALLED : ""}`,
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
    { width, steps: STEPS },
  );
  const shown = env.returned_models === env.total_models ? plural(env.total_models, "model") : `${env.returned_models} of ${plural(env.total_models, "model")}`;
  const contexts = new Set(env.models.map((m) => m.effective_context_length));
  const context = contexts.size === 1 && fitted.dropped.includes(CTX) ? `, context ${[...contexts].join("")}` : "";
  const wide = fitted.dropped.length > 0 || fitted.compacted.length > 0 || fitted.cut ? "; --wide shows every column" : "";
  const footer = wrapWords(`${shown}, sorted by ${env.filters.sort}${context}${wide}`, width).map((l) => p.dim(l));
  const legend = env.models.some(qualified)
    ? wrapWords("* the catalog qualifies these figures (a shape inferred or fitted, a KV cache that is an upper bound): nodefit info NAME says how", width).map((l) => p.dim(l))
    : [];
  const installed = env.models.some((m) => m.installed === true)
    ? wrapWords(`${INSTALLED} on this node's disks (nodefit info NAME lists each copy; --installed keeps only these)`, width).map((l) => p.dim(l))
    : [];
  return `${head}\n${fitted.text}\n${[...footer, ...legend, ...installed].join("\n")}\n`;
}

/** After the name of a model installed on this node. */
const INSTALLED = "+";

/** A row whose figures the catalog's caveats qualify (their notes come first in the row). */
const qualified = (m: ModelsEnvelopeJson["models"][number]): boolean => m.notes.some((n) => n.startsWith(CATALOG_CAVEAT_PREFIX));
