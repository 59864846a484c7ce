// Word matching: which entries a loose name ("qwen3 30b a3b", "llama 3.1 70b") names, and whether exactly one does.
import type { ModelSpec } from "../schema.js";
import type { IndexedEntry, NameIndex, NameWords } from "./name-index.js";
import { PARAM_SIZE, isOptionalToken, isSizeToken } from "./tokens.js";

export interface WordCandidate {
  model: ModelSpec;
  /** Share of the entry's best name the words cover (1 = the words name it fully). */
  coverage: number;
}

export interface WordMatch {
  /** The entry the words name, or null when none or several do. */
  model: ModelSpec | null;
  confidence: number;
  /** Entries every word describes, best first (for "did you mean"). */
  candidates: WordCandidate[];
}

/** Parameters a size word states ("8b", "270m"); null for other words. */
function paramCount(word: string): number | null {
  const m = PARAM_SIZE.exec(word);
  if (!m || m[1] === undefined) return null;
  return Number(m[1]) * (m[2] === "b" ? 1e9 : 1e6);
}

const near = (a: number, b: number, share: number): boolean => Math.abs(a - b) / b <= share;

/**
 * A size word the entry's names do not have fits it when it rounds the size they state ("8b" for EXAONE's "7.8b"),
 * or, when they state none, its total parameters ("109b" for Llama 4 Scout), within 5% either way. A size its names
 * contradict ("9b" for Qwen3-8B) does not: the words name a model of another size. A stated size is one within 25% of
 * the total ("7b" of Gemma 7B's 8.5B), not an active or expert size ("17b" of Scout).
 */
function sizeFits(word: string, e: IndexedEntry): boolean {
  const size = paramCount(word);
  if (size === null) return false;
  const stated = statedSizes(e);
  return stated.length > 0 ? stated.some((n) => near(size, n, 0.05)) : near(size, e.model.params_total, 0.05);
}

const statedCache = new WeakMap<IndexedEntry, number[]>();

/** The total sizes the entry's names and tags state, worked out once per entry. */
function statedSizes(e: IndexedEntry): number[] {
  let sizes = statedCache.get(e);
  if (!sizes) {
    const total = e.model.params_total;
    sizes = [...e.vocabulary].map(paramCount).filter((n): n is number => n !== null && near(n, total, 0.25));
    statedCache.set(e, sizes);
  }
  return sizes;
}

/** Whether `word` describes the entry: a word of its names, repos, tags, owner or family, or a size that fits it. */
export const explains = (e: IndexedEntry, word: string): boolean => e.vocabulary.has(word) || sizeFits(word, e);

/** Whether `word` is a parameter count that describes the entry (one its names use, or one that fits its size). */
export const sizeDescribes = (e: IndexedEntry, word: string): boolean => PARAM_SIZE.test(word) && explains(e, word);

interface Cover {
  entry: IndexedEntry;
  /** Required words of the best name that the reference covers, as a share. */
  coverage: number;
  /** The best name is fully covered. */
  full: boolean;
  /** Reference words the best name lacks (explained by the entry's other names only). */
  extra: number;
  /** Optional words of the best name the reference left out. */
  missingOptional: number;
}

function cover(e: IndexedEntry, words: ReadonlySet<string>): Cover {
  let best: Cover | null = null;
  for (const n of e.names) {
    const c = coverName(e, n, words);
    if (!best || rank(c) < rank(best)) best = c;
  }
  return best ?? { entry: e, coverage: 0, full: false, extra: words.size, missingOptional: 0 };
}

const rank = (c: Cover): number => (c.full ? 0 : 1000) + (1 - c.coverage) * 100 + c.extra * 2 + c.missingOptional;

function coverName(entry: IndexedEntry, n: NameWords, words: ReadonlySet<string>): Cover {
  const covered = n.required.filter((t) => words.has(t)).length;
  const inName = new Set([...n.required, ...n.optional]);
  let extra = 0;
  for (const w of words) if (!inName.has(w) && !isOptionalToken(w)) extra++;
  const missingOptional = n.optional.filter((t) => !words.has(t) && !/^a\d/.test(t)).length;
  const coverage = n.required.length === 0 ? 0 : covered / n.required.length;
  return { entry, coverage, full: covered === n.required.length && n.required.length > 0, extra, missingOptional };
}

/** Among equally covered candidates: the words' own family first, then newest, then smallest. */
function tieBreak(a: Cover, b: Cover, words: ReadonlySet<string>): number {
  const ownFamily = (c: Cover) => (c.entry.family.length > 0 && c.entry.family.every((t) => words.has(t)) ? 0 : 1);
  const ma = a.entry.model;
  const mb = b.entry.model;
  return ownFamily(a) - ownFamily(b) || (mb.release_date ?? "").localeCompare(ma.release_date ?? "") || ma.params_total - mb.params_total || ma.id.localeCompare(mb.id);
}

/**
 * Matches words against the catalog. An entry is a candidate when every word describes it (appears in one of its
 * names, repos, tags, owner or family, or is a parameter count within 10% of its size). It is the match when the
 * words cover one of its names (leaving out only default-variant words such as "instruct") and no entry with other
 * weights is covered as well; or when it is the only candidate and the words cover its family name. Otherwise
 * nothing is chosen and the candidates are returned.
 */
export function matchWords(idx: NameIndex, tokens: readonly string[]): WordMatch {
  const words = new Set(tokens.filter((t) => t !== ""));
  const none: WordMatch = { model: null, confidence: 0, candidates: [] };
  if (words.size === 0) return none;
  // Candidates from the rarest non-size word, then every word must be explained.
  let pool: readonly IndexedEntry[] | null = null;
  for (const w of words) {
    if (isSizeToken(w) || isOptionalToken(w)) continue;
    const hit = idx.byWord.get(w) ?? [];
    if (pool === null || hit.length < pool.length) pool = hit;
  }
  const described = (pool ?? idx.entries).filter((e) => [...words].every((w) => explains(e, w)));
  if (described.length === 0) return none;

  const covers = described.map((e) => cover(e, words)).sort((a, b) => rank(a) - rank(b) || tieBreak(a, b, words));
  const candidates = covers.slice(0, 5).map((c) => ({ model: c.entry.model, coverage: Math.round(c.coverage * 100) / 100 }));
  const full = covers.filter((c) => c.full);

  if (full.length === 0) {
    // No name is covered: the words may still name a family that has a single entry ("llama 3.3"), even when
    // models of other families carry those words in their names (Llama-3_3-Nemotron-Super, derived from it).
    // Not when another candidate's family extends the named one ("mistral small": Mistral Small 3, 3.1, 3.2 too).
    const namesFamily = (e: IndexedEntry): boolean => e.family.length > 0 && e.family.every((t) => words.has(t) || isOptionalToken(t));
    const ofFamily = described.filter(namesFamily);
    const only = ofFamily[0];
    const extended = (e: IndexedEntry): boolean => only !== undefined && e !== only && only.family.every((t) => e.family.includes(t));
    if (ofFamily.length === 1 && only && !described.some(extended)) return { model: only.model, confidence: 0.75, candidates };
    return { ...none, candidates };
  }
  const [first, second] = full;
  if (!first) return { ...none, candidates };
  if (!second) return { model: first.entry.model, confidence: first.extra === 0 && first.missingOptional === 0 ? 0.9 : 0.85, candidates };
  const tie = (c: Cover) => c.extra * 10 + c.missingOptional;
  if (tie(first) < tie(second)) return { model: first.entry.model, confidence: 0.85, candidates };
  // Several names covered equally: a match only if they are the same weights under different names.
  const tied = full.filter((c) => tie(c) === tie(first));
  if (tied.every((c) => c.entry.shapeKey === first.entry.shapeKey)) return { model: first.entry.model, confidence: 0.8, candidates };
  return { ...none, candidates };
}
