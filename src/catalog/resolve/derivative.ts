// Derivatives: fine-tunes, merges and re-exports named after the model they were made from ("Qwen3.5-27B-Anko",
// "Llama-3.1-8B-Lexi-Uncensored-V2", "Ornstein3.6-35B-A3B"). Their architecture is the base's, so the base sizes them;
// the evidence must be in the name, and a name that could be another size or another kind of model is refused.
import { largest } from "../extremes.js";
import type { ModelSpec } from "../schema.js";
import type { IndexedEntry, NameIndex } from "./name-index.js";
import { PARAM_SIZE, isOptionalToken, isSizeToken } from "./tokens.js";
import { explains } from "./words.js";

/** How the base was recognized. */
export type DerivativeEvidence = "base_name" | "family_and_size" | "moe_size";

export interface DerivativeMatch {
  model: ModelSpec;
  evidence: DerivativeEvidence;
  confidence: number;
  /** Other entries with the same architecture that the evidence fits as well (sized the same). */
  twins: ModelSpec[];
  /** Why: the words that named the base ("qwen 3.5 27b"). */
  because: string;
}

/**
 * Words that name another model built on a base, or something that is not a model, rather than a fine-tune of it:
 * base / pretrained / text-only checkpoints the catalog keeps apart, sibling lines (coder, math, vision-language,
 * omni, embedding, reranker, guard, reward models), adapters, draft and speculative heads, distillations into another
 * base, and expert-pruned (REAP) models, whose size is not the base's.
 */
export const OTHER_MODEL: ReadonlySet<string> = new Set([
  "base", "pt", "text", "python", "coder", "math", "vl", "vision", "omni", "audio", "speech", "tts", "asr", "embed",
  "embedding", "embeddings", "reranker", "rerank", "guard", "safeguard", "reward", "prm", "lora", "qlora", "adapter",
  "adapters", "draft", "eagle", "medusa", "dflash", "distill", "reap", "pruned", "prune", "moe",
]);

/** A fine-tune's own name: a word of at least three letters ("anko", "abliterated"), not a stray "ti" or "h". */
const NAME_WORD = /^[a-z]{3,}$/;
/** A version number ("3.6"): with the family's brand absent, a dotted version is the one family word a name keeps. */
const DOTTED = /^\d+\.\d+$/;
const NUMBER = /^\d+(?:\.\d+)?$/;

/** Edit distance (Levenshtein, with adjacent transpositions), to tell a misspelled brand ("lamma") from a name. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/** The brand of a family: its first word of two or more letters ("qwen" of Qwen3.6, "nemotron" of Nemotron 3 Nano). */
const brandOf = (e: IndexedEntry): string | null => e.family.find((t) => /^[a-z]{2,}$/.test(t)) ?? null;

interface Found {
  entry: IndexedEntry;
  /** Required words of the name found (tier 1) or family words found (tier 2). */
  strength: number;
  /** Words of the reference that the base's name or family does not explain: the derivative's own. */
  extra: string[];
  because: string;
}

/** The entries found equally well, if they are one architecture: the newest first (its name is the one shown). */
function oneArchitecture(found: Found[]): Found[] | null {
  if (found.length === 0) return null;
  const best = largest(found.map((f) => f.strength), 0);
  const top = found.filter((f) => f.strength === best);
  const shape = top[0]!.entry.shapeKey;
  if (!top.every((f) => f.entry.shapeKey === shape)) return null;
  return top.sort((a, b) => (b.entry.model.release_date ?? "").localeCompare(a.entry.model.release_date ?? "") || a.entry.model.id.localeCompare(b.entry.model.id));
}

/** The derivative's own words must name it (a word of three letters or more) and none may say it is another model. */
const ownWordsOk = (extra: readonly string[]): boolean => extra.some((w) => NAME_WORD.test(w)) && !extra.some((w) => OTHER_MODEL.has(w));

/** A word one or two edits from a brand of the catalog is a misspelled brand ("lamma 3.1 8b"), not a fine-tune's name. */
function misspelledBrand(idx: NameIndex, extra: readonly string[]): boolean {
  const brands = new Set(idx.entries.map(brandOf).filter((b): b is string => b !== null && b.length >= 4));
  return extra.some((w) => w.length >= 4 && !brands.has(w) && [...brands].some((b) => distance(w, b) <= 2));
}

/** Every size the reference states describes the entry (a REAP "19b" of a 26B does not). */
const sizesFit = (e: IndexedEntry, words: readonly string[]): boolean => words.filter(isSizeToken).every((w) => explains(e, w));

/** Whether `name`'s words appear in `words` side by side, in any order ("27b qwen3.5" too), as one run. */
function contiguous(words: readonly string[], name: readonly string[]): boolean {
  const want = new Set(name);
  for (let i = 0; i + want.size <= words.length; i++) {
    const window = new Set(words.slice(i, i + want.size));
    if ([...want].every((t) => window.has(t))) return true;
  }
  return false;
}

/** Tier 1: a name of the entry (with its size) inside the reference, other words the derivative's. */
function byBaseName(idx: NameIndex, words: readonly string[]): Found[] {
  const set = new Set(words);
  const found: Found[] = [];
  for (const entry of idx.entries) {
    let best: Found | null = null;
    for (const n of entry.names) {
      if (!n.required.some(isSizeToken) || !n.required.some((t) => /^[a-z]{2,}/.test(t) && !isSizeToken(t))) continue;
      if (!n.required.every((t) => set.has(t))) continue;
      const inName = new Set([...n.required, ...n.optional]);
      const extra = [...set].filter((w) => !inName.has(w) && !isOptionalToken(w));
      // More required words is a more specific name; then a name written as one run of words ("llama 3 8b" in
      // "hermes 2 pro llama 3 8b", not "hermes 3 8b" picked out of it); then a default-variant word the reference also
      // has ("instruct").
      const run = contiguous(words, n.required) ? 5 : 0;
      const strength = n.required.length * 10 + run + n.optional.filter((t) => set.has(t)).length;
      if (!best || strength > best.strength) best = { entry, strength, extra, because: n.required.join(" ") };
    }
    if (best && sizesFit(entry, words)) found.push(best);
  }
  return found;
}

/**
 * Tier 2: the family's brand ("qwen") or its dotted version ("3.6" of Qwen3.6), and a size the entry states; no version
 * in the reference may contradict the family's ("Nemotron-3.5-..." is not Nemotron 3).
 */
function byFamilyAndSize(idx: NameIndex, words: readonly string[]): Found[] {
  const set = new Set(words);
  const numbers = words.filter((w) => NUMBER.test(w));
  const found: Found[] = [];
  for (const entry of idx.entries) {
    const brand = brandOf(entry);
    const evidence = entry.family.filter((t) => (t === brand && set.has(t)) || (DOTTED.test(t) && set.has(t)));
    if (evidence.length === 0 || !sizesFit(entry, words)) continue;
    const versions = entry.family.filter((t) => NUMBER.test(t));
    if (numbers.length > 0 && versions.length > 0 && !versions.every((v) => set.has(v))) continue;
    const extra = words.filter((w) => !entry.family.includes(w) && !isSizeToken(w) && !isOptionalToken(w));
    const sizes = words.filter(isSizeToken);
    found.push({ entry, strength: evidence.length, extra, because: [...evidence, ...sizes].join(" ") });
  }
  return found;
}

/** Tier 3: no family named, but a total and an active size ("35b a3b") that only one architecture of the catalog has. */
function byMoeSize(idx: NameIndex, words: readonly string[]): Found[] {
  const sizes = words.filter(isSizeToken);
  if (!sizes.some((w) => PARAM_SIZE.test(w)) || !sizes.some((w) => /^a\d+(?:\.\d+)?b$/.test(w))) return [];
  const familyWords = new Set(idx.entries.flatMap((e) => e.family.filter((t) => /^[a-z]{2,}$/.test(t))));
  if (words.some((w) => familyWords.has(w))) return [];
  const extra = words.filter((w) => !isSizeToken(w) && !isOptionalToken(w));
  return idx.entries.filter((e) => e.model.architecture.moe !== null && sizesFit(e, words)).map((entry) => ({ entry, strength: 1, extra, because: sizes.join(" ") }));
}

/**
 * The catalog entry a derivative's name names as its base, or null. Tried in order: a base's own name inside the
 * reference (confidence 0.8); its family and size (0.75); an MoE size pair no other architecture has (0.75). Each
 * requires that the found entries are one architecture, that every size the name states fits it, and that the
 * derivative's own words name a fine-tune (not a base checkpoint, a sibling line, an adapter or a pruned model).
 */
export function matchDerivative(idx: NameIndex, tokens: readonly string[]): DerivativeMatch | null {
  const words = [...new Set(tokens.filter((t) => t !== ""))];
  // A size (not only an active one) is part of the evidence: "Tess-4" or "OmniCoder" alone names no base.
  if (!words.some((w) => isSizeToken(w) && !/^a\d/.test(w))) return null;
  const tiers: Array<[DerivativeEvidence, number, (i: NameIndex, w: readonly string[]) => Found[]]> = [
    ["base_name", 0.8, byBaseName],
    ["family_and_size", 0.75, byFamilyAndSize],
    ["moe_size", 0.75, byMoeSize],
  ];
  for (const [evidence, confidence, find] of tiers) {
    const found = find(idx, words);
    if (found.length === 0) continue;
    const top = oneArchitecture(found);
    const first = top?.[0];
    // A tier that finds the base but refuses it (another model, another size) ends the search: lower tiers see less.
    if (!top || !first || !ownWordsOk(first.extra)) return null;
    if (evidence !== "base_name" && misspelledBrand(idx, first.extra)) return null;
    return { model: first.entry.model, evidence, confidence, twins: top.slice(1).map((f) => f.entry.model), because: first.because };
  }
  return null;
}
