// Expert-pruned derivatives by name: "gemma-4-19b-a4b-it-REAP" (Google's 26B-A4B with experts pruned to 19B total),
// "Qwen3-Coder-REAP-25B-A3B": a base mixture of experts named with another total and a word that says it was pruned.
import { largest } from "../extremes.js";
import type { ModelSpec } from "../schema.js";
import { prunedShape, type PrunedShape } from "../expert-pruned.js";
import type { IndexedEntry, NameIndex } from "./name-index.js";
import { OTHER_MODEL } from "./derivative.js";
import { PARAM_SIZE, isOptionalToken, isSizeToken } from "./tokens.js";

/**
 * Words that say experts were removed: REAP (Cerebras' router-weighted expert activation pruning, arXiv 2510.13999)
 * and plain "pruned". Other pruning (layers, width, depth) changes more than the experts: a name that says so is not
 * read this way.
 */
const PRUNED_WORDS = new Set(["reap", "pruned", "prune"]);
const OTHER_PRUNING = new Set(["layer", "layers", "depth", "width", "heads", "attention"]);
const ACTIVE = /^a\d+(?:\.\d+)?b$/;

export interface PrunedMatch {
  base: ModelSpec;
  shape: PrunedShape;
  /** The words that named the base, and the stated total ("gemma 4 a4b instruct", "19b"). */
  because: string;
  total: string;
}

const params = (word: string): number => {
  const m = PARAM_SIZE.exec(word)!;
  return Number(m[1]) * (m[2] === "b" ? 1e9 : 1e6);
};

/** Pruning keeps the experts a token runs: an active size the reference states is the base's (within 10%). */
function activeFits(base: ModelSpec, words: readonly string[]): boolean {
  const active = base.params_active ?? base.params_total;
  return words.filter((w) => ACTIVE.test(w)).every((w) => Math.abs(Number(w.slice(1, -1)) * 1e9 - active) / active <= 0.1);
}

/**
 * The catalog entry a pruned model's name names, and the shape its stated total gives. The name must say it was
 * pruned, state one total, and contain every other word of one of the base's names, its active size included when
 * that name has one; the total must be smaller than the base's. Found entries must be one architecture, and none of
 * the name's other words may be a size (a second total names something else).
 */
export function matchPruned(idx: NameIndex, tokens: readonly string[]): PrunedMatch | null {
  const words = [...new Set(tokens.filter((t) => t !== ""))];
  if (!words.some((w) => PRUNED_WORDS.has(w)) || words.some((w) => OTHER_PRUNING.has(w))) return null;
  const totals = words.filter((w) => PARAM_SIZE.test(w));
  if (totals.length !== 1) return null;
  const total = totals[0]!;
  const set = new Set(words);
  const found: Array<{ entry: IndexedEntry; shape: PrunedShape; because: string; strength: number }> = [];
  for (const entry of idx.entries) {
    if (entry.model.architecture.moe === null) continue;
    let best: { because: string; strength: number } | null = null;
    for (const n of entry.names) {
      const family = n.required.filter((t) => !PARAM_SIZE.test(t));
      // Every word of the name but its total must be in the reference ("minimax m2" has none to leave out).
      if (!family.some((t) => /^[a-z]{2,}/.test(t) && !isSizeToken(t))) continue;
      if (!family.every((t) => set.has(t))) continue;
      const active = [...n.required, ...n.optional].filter((t) => ACTIVE.test(t));
      if (active.length > 0 && !active.every((t) => set.has(t))) continue;
      // The reference's other words may name the pruned model, not another line of the family ("coder" of Qwen3-Coder).
      const inName = new Set([...n.required, ...n.optional]);
      if (words.some((w) => !inName.has(w) && !PRUNED_WORDS.has(w) && !isOptionalToken(w) && OTHER_MODEL.has(w))) continue;
      const strength = family.length * 10 + n.optional.filter((t) => set.has(t)).length;
      if (!best || strength > best.strength) best = { because: [...family, ...active].join(" "), strength };
    }
    if (!best || !activeFits(entry.model, words)) continue;
    const shape = prunedShape(entry.model, params(total));
    if (shape) found.push({ entry, shape, ...best });
  }
  if (found.length === 0) return null;
  const strongest = largest(found.map((f) => f.strength), 0);
  const top = found.filter((f) => f.strength === strongest);
  if (!top.every((f) => f.entry.shapeKey === top[0]!.entry.shapeKey)) return null;
  const first = top.sort((a, b) => (b.entry.model.release_date ?? "").localeCompare(a.entry.model.release_date ?? ""))[0]!;
  return { base: first.entry.model, shape: first.shape, because: first.because, total };
}
