// Fit colors: how a fit level looks in a terminal (green to red), and plain everywhere else.
import type { Painter } from "../table.js";

export function fitPaint(p: Painter, fitLevel: string): (s: string) => string {
  switch (fitLevel) {
    case "perfect":
      return p.green;
    case "good":
      return p.cyan;
    case "marginal":
      return p.yellow;
    default:
      return p.red;
  }
}

/** A number with a fixed count of decimals, or "-" when absent. */
export const fixed = (x: number | null | undefined, decimals: number): string => (x === null || x === undefined ? "-" : x.toFixed(decimals));
