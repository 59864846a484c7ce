// Text tables: aligned columns for people, with optional ANSI color that never counts toward the width.

export type Align = "left" | "right";

export interface Column {
  header: string;
  align?: Align;
}

/** A cell: its text, and an optional color wrapper applied after padding. */
export type Cell = string | { text: string; paint: (s: string) => string };

const textOf = (c: Cell): string => (typeof c === "string" ? c : c.text);

export function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
  const widths = columns.map((col, i) => Math.max(col.header.length, ...rows.map((r) => textOf(r[i] ?? "").length)));
  const line = (cells: readonly Cell[]): string =>
    columns
      .map((col, i) => {
        const cell = cells[i] ?? "";
        const text = textOf(cell);
        const width = widths[i] ?? 0;
        const padded = col.align === "right" ? text.padStart(width) : text.padEnd(width);
        return typeof cell === "string" ? padded : cell.paint(padded);
      })
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join("\n") + "\n";
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
