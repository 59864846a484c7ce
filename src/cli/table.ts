// Text tables: aligned columns for people, with optional ANSI color that never counts toward the width, fitted to the
// terminal: past its width, low-priority columns are dropped or abbreviated and long names cut with "…".

export type Align = "left" | "right";

export interface Column {
  header: string;
  align?: Align;
  /** A column whose cells may be cut with "…" (a name): the fewest characters it keeps before columns are dropped. */
  minWidth?: number;
  /** How a cell is cut to a width (default: its end, then "…"). */
  cut?: (text: string, width: number) => string;
  /** A narrower form a layout step may switch to: its header, and each cell's text from the full one. */
  compact?: { header: string; text: (full: string) => string };
}

/** A cell: its text, and an optional color wrapper applied after padding. */
export type Cell = string | { text: string; paint: (s: string) => string };

/** What the table may give up to fit, in order: drop a column, or switch it to its compact form. */
export interface LayoutStep {
  column: number;
  action: "drop" | "compact";
  /** Taken rather than cut a name ("…"); the other steps are taken only when the names are cut to their minWidth. */
  beforeCutting?: boolean;
}

export interface TableLayout {
  /** Characters a line may take (Infinity: no limit). */
  width: number;
  steps: readonly LayoutStep[];
}

export interface FittedTable {
  text: string;
  /** Columns dropped (indexes into the columns given). */
  dropped: number[];
  /** Columns shown in their compact form. */
  compacted: number[];
  /** Whether some cell was cut with "…". */
  cut: boolean;
}

const textOf = (c: Cell): string => (typeof c === "string" ? c : c.text);

/** Cuts a text to `width` characters, its end replaced by "…". */
export function cutEnd(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/**
 * Cuts a text to `width` characters in its middle, keeping its start and (the larger part) its end: names differ most
 * at the end ("...-Super-49B-v1" and "...-Super-49B-v1_5"), so two cut names stay apart.
 */
export function cutMiddle(text: string, width: number): string {
  if (text.length <= width) return text;
  if (width < 5) return cutEnd(text, width);
  const head = Math.floor((width - 1) * 0.4);
  return `${text.slice(0, head)}…${text.slice(text.length - (width - 1 - head))}`;
}

/** The gap between columns. */
const GAP = 2;
/** A cut column keeps at least this many characters when nothing else is left to give up. */
const HARD_MIN = 8;

/**
 * Renders the table within `layout.width`. When the columns at their natural widths are wider, the steps marked
 * `beforeCutting` are taken in order until they fit; then the cuttable columns shrink (cut with "…") down to their
 * `minWidth`; then the other steps are taken in order; then the cuttable columns shrink further. A line still too wide
 * is cut (only for widths no layout fits).
 */
export function fitTable(columns: readonly Column[], rows: readonly (readonly Cell[])[], layout: TableLayout): FittedTable {
  const dropped = new Set<number>();
  const compacted = new Set<number>();
  const headerOf = (i: number): string => {
    const col = columns[i];
    return col === undefined ? "" : compacted.has(i) && col.compact ? col.compact.header : col.header;
  };
  const cellText = (i: number, cell: Cell | undefined): string => {
    const text = textOf(cell ?? "");
    const col = columns[i];
    return compacted.has(i) && col?.compact ? col.compact.text(text) : text;
  };
  const natural = (i: number): number => rows.reduce((w, r) => Math.max(w, cellText(i, r[i]).length), headerOf(i).length);
  const shown = (): number[] => columns.map((_, i) => i).filter((i) => !dropped.has(i));
  const total = (widths: ReadonlyMap<number, number>): number => {
    const cols = shown();
    return cols.reduce((n, i) => n + (widths.get(i) ?? 0), 0) + GAP * Math.max(0, cols.length - 1);
  };

  /** Widths with the cuttable columns shrunk as far as `floor` allows and needed; null when that does not fit. */
  const tryFit = (floor: (i: number) => number): Map<number, number> | null => {
    const widths = new Map(shown().map((i) => [i, natural(i)] as const));
    let excess = total(widths) - layout.width;
    for (const i of shown()) {
      if (excess <= 0) break;
      const col = columns[i];
      if (col?.minWidth === undefined) continue;
      const w = widths.get(i) ?? 0;
      const keep = Math.max(Math.min(w, floor(i)), headerOf(i).length);
      const give = Math.min(excess, w - keep);
      widths.set(i, w - give);
      excess -= give;
    }
    return excess <= 0 ? widths : null;
  };

  const take = (step: LayoutStep): void => void (step.action === "drop" ? dropped.add(step.column) : compacted.add(step.column));
  const uncut = (): Map<number, number> | null => tryFit(() => Infinity);
  const soft = (): Map<number, number> | null => tryFit((i) => columns[i]?.minWidth ?? Infinity);
  let widths = uncut();
  for (const step of layout.steps.filter((s) => s.beforeCutting)) {
    if (widths !== null) break;
    take(step);
    widths = uncut();
  }
  widths ??= soft();
  for (const step of layout.steps.filter((s) => !s.beforeCutting)) {
    if (widths !== null) break;
    take(step);
    widths = soft();
  }
  widths ??= tryFit(() => HARD_MIN);
  const forced = widths === null;
  widths ??= new Map(shown().map((i) => [i, natural(i)] as const));

  let cut = false;
  const line = (cells: readonly Cell[], header: boolean): string =>
    shown()
      .map((i) => {
        const col = columns[i];
        const cell = cells[i] ?? "";
        const width = widths.get(i) ?? 0;
        let text = header ? headerOf(i) : cellText(i, cell);
        if (text.length > width) {
          text = (col?.cut ?? cutEnd)(text, width);
          cut = true;
        }
        const padded = col?.align === "right" ? text.padStart(width) : text.padEnd(width);
        return typeof cell === "string" || header || forced ? padded : cell.paint(padded);
      })
      .join(" ".repeat(GAP))
      .trimEnd();
  const lines = [line(columns.map((c) => c.header), true), ...rows.map((r) => line(r, false))];
  // Narrower than any layout: each line is cut (the cells are unpainted then, so no color code is cut in half).
  const text = (forced ? lines.map((l) => cutEnd(l, layout.width)) : lines).join("\n") + "\n";
  return { text, dropped: [...dropped], compacted: [...compacted], cut: cut || forced };
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
  return fitTable(columns, rows, { width: Infinity, steps: [] }).text;
}

const ESC = "\u001b[";
export interface Painter {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `${ESC}${open}m${s}${ESC}${close}m`;

export const COLOR: Painter = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  red: wrap(31, 39),
  cyan: wrap(36, 39),
};

const same = (s: string): string => s;
export const PLAIN: Painter = { bold: same, dim: same, green: same, yellow: same, red: same, cyan: same };
