// The largest and smallest of a list by a loop: Math.max(...list) passes every entry as an argument, and a list whose
// length comes from input (a GGUF header's per-layer arrays, ffn_sizes, a machine's GPUs) overflows the call stack.

/** The largest of `values`; `empty` when there are none. */
export function largest(values: Iterable<number>, empty: number): number {
  let max = -Infinity;
  let any = false;
  for (const v of values) {
    any = true;
    if (v > max) max = v;
  }
  return any ? max : empty;
}

/** The smallest of `values`; `empty` when there are none. */
export function smallest(values: Iterable<number>, empty: number): number {
  let min = Infinity;
  let any = false;
  for (const v of values) {
    any = true;
    if (v < min) min = v;
  }
  return any ? min : empty;
}
