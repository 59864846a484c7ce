// Edit distance: how many typing mistakes (a letter added, left out, replaced, or two swapped) turn one name into
// another. "Did you mean" for model and GPU names uses it; a match is never decided by it.

/**
 * The optimal-string-alignment distance (Levenshtein with adjacent transpositions: "mistrla" is 1 from "mistral"),
 * or `max + 1` as soon as it must exceed `max` (names far apart cost no full table).
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
}

/** Mistakes a name of this length may hold and still be suggested: one per four characters, at least one. */
export const typoBudget = (length: number): number => Math.max(1, Math.floor(length / 4));
