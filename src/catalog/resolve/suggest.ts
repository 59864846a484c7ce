// "Did you mean": the catalog names closest in spelling to a reference that resolves to nothing ("lama 3.1 8b",
// "qwen3-8", "mistrall"). Suggestions only: the resolver never takes one for a match.
import { editDistance, typoBudget } from "../../domain/edit-distance.js";
import type { ModelSpec } from "../schema.js";
import { splitQuant } from "./quant-label.js";
import { parseReference } from "./reference.js";
import { isOptionalToken, nameTokens } from "./tokens.js";

export interface Suggestion {
  model: ModelSpec;
  /** How to write it: the Ollama tag for a reference written as a tag, else the catalog id. */
  name: string;
  /** Typing mistakes between the reference and that name (its words compared, separators ignored). */
  distance: number;
}

interface Spelling {
  model: ModelSpec;
  /** The name as a person writes it (an id, an alias, an Ollama tag). */
  text: string;
  ollama: boolean;
  /** Its words joined by one space, with and without the words a name may leave out ("instruct"). */
  keys: string[];
}

const spellingsCache = new WeakMap<readonly ModelSpec[], Spelling[]>();

/** Both ways a name is written: every word, and without the optional ones (Llama-3.1-8B-Instruct = "llama 3.1 8b"). */
function keysOf(text: string): string[] {
  const tokens = nameTokens(text);
  const all = tokens.join(" ");
  const required = tokens.filter((t) => !isOptionalToken(t)).join(" ");
  return [...new Set([all, required].filter((k) => k !== ""))];
}

function spellings(models: readonly ModelSpec[]): Spelling[] {
  const cached = spellingsCache.get(models);
  if (cached) return cached;
  const out: Spelling[] = [];
  for (const model of models) {
    const add = (text: string, ollama: boolean, words = text): void => {
      const keys = keysOf(words);
      if (keys.length > 0) out.push({ model, text, ollama, keys });
    };
    add(model.id, false, model.id.slice(model.id.indexOf("/") + 1));
    for (const alias of model.aliases) add(alias.includes("/") ? alias : model.id, false, alias.slice(alias.indexOf("/") + 1));
    for (const tag of model.ollama) {
      const [name = "", rawTag = ""] = tag.split(":");
      const base = rawTag === "" || rawTag === "latest" ? "" : splitQuant(rawTag).base;
      const written = base === "" ? name : `${name}:${base}`;
      add(written, true, written.replace(":", " "));
    }
  }
  spellingsCache.set(models, out);
  return out;
}

/** Characters the two keys share from the start: "qwen 3 8" is nearer "qwen 3 8b" than "qwen 3 4b". */
function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Catalog models whose names are a few typing mistakes from `reference` (at most one per four characters of it, and
 * at most one more than the closest), closest first, at most `limit`. Names are compared as words ("Llama-3.1-8B"
 * and "llama 3.1 8b" are the same), with and without the words a name may leave out; a quant or file suffix of the
 * reference is ignored. Empty when no name is that close: a model the catalog lacks gets no suggestion.
 */
export function suggestModels(models: readonly ModelSpec[], reference: string, limit = 3): Suggestion[] {
  const ref = parseReference(reference.trim());
  const inputKeys = keysOf(ref.name);
  if (inputKeys.length === 0) return [];
  const budget = typoBudget(inputKeys.reduce((n, k) => Math.max(n, k.length), 0));
  // Written as a tag ("lama3.1:8b"), or as a bare Ollama name ("mistrall"): suggested as tags.
  const asTag = ref.form === "ollama" || (ref.ollama !== null && ref.ollama.tag === "" && !/[-_\s]/.test(ref.ollama.name));
  /** Lower is better: fewer mistakes, a longer common start, then the spelling of the reference's kind. */
  const rank = (c: { spelling: Spelling; distance: number; prefix: number }): number =>
    c.distance * 10_000 - c.prefix * 10 + (c.spelling.ollama === asTag ? 0 : 1);
  const best = new Map<ModelSpec, { spelling: Spelling; distance: number; prefix: number }>();
  for (const s of spellings(models)) {
    let distance = budget + 1;
    let prefix = 0;
    for (const a of inputKeys) {
      for (const b of s.keys) {
        const d = editDistance(a, b, budget);
        const p = commonPrefix(a, b);
        if (d < distance || (d === distance && p > prefix)) {
          distance = d;
          prefix = p;
        }
      }
    }
    // A distance of 0 is a name the resolver refused on purpose (ambiguous, or a base it must not guess).
    if (distance > budget || distance === 0) continue;
    const candidate = { spelling: s, distance, prefix };
    const seen = best.get(s.model);
    if (!seen || rank(candidate) < rank(seen)) best.set(s.model, candidate);
  }
  const ranked = [...best.values()].sort(
    (a, b) =>
      a.distance - b.distance ||
      b.prefix - a.prefix ||
      (b.spelling.model.release_date ?? "").localeCompare(a.spelling.model.release_date ?? "") ||
      a.spelling.model.id.localeCompare(b.spelling.model.id),
  );
  const closest = ranked[0]?.distance ?? 0;
  return ranked
    .filter((r) => r.distance <= closest + 1)
    .slice(0, limit)
    .map((r) => ({ model: r.spelling.model, name: asTag && r.spelling.ollama ? r.spelling.text : r.spelling.model.id, distance: r.distance }));
}

/** "did you mean a, b (id)?" for a message, or "" without suggestions: each as written, then its id when that differs. */
export function didYouMean(suggestions: readonly Suggestion[]): string {
  if (suggestions.length === 0) return "";
  const names = suggestions.map((s) => (s.name === s.model.id ? s.name : `${s.name} (${s.model.id})`));
  return `did you mean ${names.join(", ")}?`;
}
