// Counts in words: "1 session", "2 sessions", "1 GPU", "0 models".

/** `n` and the noun in the number it takes: `plural(1, "session")` is "1 session", `plural(2, "session")` "2 sessions". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
