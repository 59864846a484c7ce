// The ranked table: one line per model (a row of /api/v1/models, or an estimate for another machine), sortable by
// its column headers, each model a link to its page. On a narrow screen each line becomes a card.
import type { Estimate, Row } from "../api.js";
import { gb, params, range, tokens, tps } from "../format.js";
import { FitBadge } from "./common.js";

/** What a table line shows, from a row or an estimate. */
export interface Line {
  name: string;
  provider: string;
  params_b: number | null;
  fit_level: string;
  run_mode_label: string;
  runtime_label: string;
  quant: string;
  tps: number;
  tps_range: readonly [number, number] | null;
  required_gb: number;
  available_gb: number;
  context: number;
  usable_context: number;
  score: number | null;
  use_case: string | null;
  /** Where the name links to. */
  href: string;
}

export function lineOfRow(r: Row, link: string): Line {
  return {
    name: r.name,
    provider: r.provider,
    params_b: r.params_b,
    fit_level: r.fit_level,
    run_mode_label: r.run_mode_label,
    runtime_label: r.runtime_label,
    quant: r.best_quant,
    tps: r.estimated_tps,
    tps_range: r.tps_range ?? null,
    required_gb: r.memory_required_gb,
    available_gb: r.memory_available_gb,
    context: r.effective_context_length,
    usable_context: r.usable_context,
    score: r.score,
    use_case: r.use_case,
    href: link,
  };
}

const RUN_MODE: Readonly<Record<string, string>> = { gpu: "GPU", moe_offload: "MoE offload", cpu_offload: "CPU offload", cpu_only: "CPU", tensor_parallel: "Tensor parallel" };
const RUNTIME: Readonly<Record<string, string>> = { llamacpp: "llama.cpp", mlx: "MLX", vllm: "vLLM" };

export function lineOfEstimate(e: Estimate, fallback: { name: string; provider: string; params_b: number | null; use_case: string | null }, link: string): Line {
  return {
    name: e.model?.name ?? fallback.name,
    provider: e.model?.provider ?? fallback.provider,
    params_b: e.model?.params_b ?? fallback.params_b,
    fit_level: e.fit_level,
    run_mode_label: RUN_MODE[e.run_mode] ?? e.run_mode,
    runtime_label: RUNTIME[e.runtime] ?? e.runtime,
    quant: e.quant,
    tps: e.estimated_tps,
    tps_range: e.tps_range ?? null,
    required_gb: e.memory.required_gb,
    available_gb: e.memory.available_gb,
    context: e.context,
    usable_context: e.usable_context,
    score: null,
    use_case: fallback.use_case,
    href: link,
  };
}

interface Column {
  key: string;
  title: string;
  /** The sort this column's header asks for; null: not sortable. */
  sort: string | null;
  /** Ascending (use case) rather than descending. */
  ascending?: boolean;
  numeric?: boolean;
  cell: (l: Line, rank: number) => preact.JSX.Element | string;
}

const COLUMNS: readonly Column[] = [
  { key: "rank", title: "#", sort: null, numeric: true, cell: (_l, rank) => String(rank) },
  {
    key: "name",
    title: "Model",
    sort: null,
    cell: (l) => (
      <>
        <a href={l.href} class="model-link">
          {l.name}
        </a>
        <span class="sub">{l.provider}</span>
      </>
    ),
  },
  { key: "params", title: "Params", sort: "params", numeric: true, cell: (l) => params(l.params_b) },
  { key: "fit", title: "Fit", sort: "fit", cell: (l) => <FitBadge level={l.fit_level} /> },
  {
    key: "runs",
    title: "Runs on",
    sort: null,
    cell: (l) => (
      <>
        {l.run_mode_label}
        <span class="sub">
          {l.runtime_label} · {l.quant}
        </span>
      </>
    ),
  },
  {
    key: "tps",
    title: "tok/s",
    sort: "tps",
    numeric: true,
    cell: (l) => (
      <>
        {tps(l.tps)}
        {l.tps_range && l.tps > 0 && <span class="sub">{range(l.tps_range)}</span>}
      </>
    ),
  },
  {
    key: "mem",
    title: "Memory",
    sort: "mem",
    numeric: true,
    cell: (l) => (
      <>
        {gb(l.required_gb)}
        <span class="sub">of {gb(l.available_gb)}</span>
      </>
    ),
  },
  {
    key: "ctx",
    title: "Context",
    sort: "ctx",
    numeric: true,
    cell: (l) => (
      <>
        {tokens(l.context)}
        <span class="sub">fits {tokens(l.usable_context)}</span>
      </>
    ),
  },
  { key: "score", title: "Score", sort: "score", numeric: true, cell: (l) => (l.score === null ? "–" : l.score.toFixed(1)) },
  { key: "use_case", title: "Use case", sort: "use_case", ascending: true, cell: (l) => l.use_case ?? "–" },
];

interface Props {
  lines: readonly Line[];
  caption: string;
  /** The sort in force (a column's `sort`). */
  sort: string;
  /** Sorts offered by headers; others are plain headers. */
  sortable: readonly string[];
  onSort?: (sort: string) => void;
  /** Columns left out. */
  hide?: readonly string[];
  /** The score column's title ("Quality" for another machine, where the line's score is the quality index). */
  scoreTitle?: string;
}

export function RowsTable({ lines, caption, sort, sortable, onSort, hide = [], scoreTitle }: Props) {
  const columns = COLUMNS.filter((c) => !hide.includes(c.key)).map((c) => (c.key === "score" && scoreTitle ? { ...c, title: scoreTitle } : c));
  return (
    <div class="scroll table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table class="rows">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => {
              const active = c.sort !== null && c.sort === sort;
              const canSort = c.sort !== null && onSort !== undefined && sortable.includes(c.sort);
              return (
                <th key={c.key} scope="col" class={c.numeric ? "num" : ""} aria-sort={active ? (c.ascending ? "ascending" : "descending") : undefined}>
                  {canSort ? (
                    <button type="button" class="sort" onClick={() => onSort!(c.sort!)} aria-label={`Sort by ${c.title}`} aria-pressed={active}>
                      {c.title}
                      <span aria-hidden="true">{active ? (c.ascending ? " ▲" : " ▼") : ""}</span>
                    </button>
                  ) : (
                    c.title
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            <tr key={l.name} class={`fit-row-${l.fit_level}`}>
              {columns.map((c) => (
                <td key={c.key} class={`col-${c.key} ${c.numeric ? "num" : ""}`} data-label={c.title}>
                  {c.cell(l, i + 1)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
