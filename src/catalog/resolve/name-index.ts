// Name index: every way the catalog names its entries (ids, repos, aliases, Ollama tags, words), built once per catalog array.
import type { QuantName } from "../../domain/quants.js";
import type { ModelSpec } from "../schema.js";
import { VARIANT_QUANT } from "../variants.js";
import { parseReference } from "./reference.js";
import { splitQuant } from "./quant-label.js";
import { compactName, isOptionalToken, nameTokens } from "./tokens.js";

/** One name of an entry as words: the words a reference must contain to name it, and those it may leave out. */
export interface NameWords {
  required: string[];
  optional: string[];
}

export interface IndexedEntry {
  model: ModelSpec;
  /** Names a reference must cover to name this entry (id, aliases, tagged Ollama names). */
  names: NameWords[];
  /** Every word any of the entry's names, repos, tags, owner or family uses: the words that may describe it. */
  vocabulary: Set<string>;
  /** The family's words ("llama", "3.1"). */
  family: string[];
  /** Architecture and size, for telling same-weights-different-name apart from different models. */
  shapeKey: string;
}

/** A repo the catalog lists, with the format it holds. */
export interface ListedRepo {
  model: ModelSpec;
  kind: "gguf" | "variant";
  /** The estimator's name for a variant's format (AWQ, MLX-4BIT, ...); null for GGUF repos. */
  formatQuant: QuantName | null;
}

export interface NameIndex {
  entries: IndexedEntry[];
  byId: Map<string, ModelSpec>;
  /** Repos listed in gguf_sources and variants, lowercased. */
  byRepo: Map<string, ListedRepo>;
  /** Ollama `name:tag` (quant suffix removed, `:latest` as bare name), lowercased. */
  byOllama: Map<string, ModelSpec[]>;
  /** Compacted names and aliases ("qwen38b"). */
  byCompact: Map<string, ModelSpec[]>;
  /** Owners of the catalog's models and of their former ids (Qwen, google, CohereForAI), lowercased. */
  owners: Set<string>;
  /** word -> entries whose vocabulary has it. */
  byWord: Map<string, IndexedEntry[]>;
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
};

const nameOf = (id: string): string => id.slice(id.indexOf("/") + 1);

function words(name: string): NameWords {
  const tokens = [...new Set(nameTokens(name))];
  return { required: tokens.filter((t) => !isOptionalToken(t)), optional: tokens.filter(isOptionalToken) };
}

function ollamaKeys(tag: string): string[] {
  const lower = tag.toLowerCase();
  const [name = "", rawTag = ""] = lower.split(":");
  const t = rawTag === "latest" ? "" : splitQuant(rawTag).base;
  return [t === "" ? name : `${name}:${t}`];
}

const indexes = new WeakMap<readonly ModelSpec[], NameIndex>();

/** The index of a catalog array, built on first use and kept while the array lives. */
export function nameIndex(models: readonly ModelSpec[]): NameIndex {
  const cached = indexes.get(models);
  if (cached) return cached;
  const idx: NameIndex = {
    entries: [],
    byId: new Map(),
    byRepo: new Map(),
    byOllama: new Map(),
    byCompact: new Map(),
    owners: new Set(),
    byWord: new Map(),
  };
  for (const model of models) {
    const vocabulary = new Set<string>();
    const addWords = (s: string) => {
      for (const t of nameTokens(s)) vocabulary.add(t);
    };
    const names: NameWords[] = [words(nameOf(model.id))];
    idx.byId.set(model.id.toLowerCase(), model);
    idx.owners.add(model.id.slice(0, model.id.indexOf("/")).toLowerCase());
    push(idx.byCompact, compactName(nameOf(model.id)), model);
    addWords(model.id);
    addWords(model.family);
    addWords(model.provider);
    for (const alias of model.aliases) {
      if (/^[\w.-]+\/[\w.-]+$/.test(alias)) {
        // A former id (CohereForAI/..., THUDM/...): an id, and its name part a name.
        idx.byId.set(alias.toLowerCase(), model);
        idx.owners.add(alias.slice(0, alias.indexOf("/")).toLowerCase());
      }
      const aliasName = alias.includes("/") ? nameOf(alias) : alias;
      names.push(words(aliasName));
      push(idx.byCompact, compactName(aliasName), model);
      addWords(alias);
    }
    for (const tag of model.ollama) {
      for (const key of ollamaKeys(tag)) push(idx.byOllama, key, model);
      addWords(tag.replace(":", " "));
      // A tagged name ("granite4:tiny-h") is a name people write; a bare one ("qwen3") names no size.
      if (tag.includes(":") && !/:latest$/i.test(tag)) names.push(words(splitQuant(tag.replace(":", "-")).base));
    }
    for (const repo of model.gguf_sources) {
      idx.byRepo.set(repo.toLowerCase(), { model, kind: "gguf", formatQuant: null });
      // The repo's name without its format suffix (-GGUF, -AWQ-INT4): "int4" describes a file, not the model.
      addWords(parseReference(repo).name);
    }
    for (const v of model.variants) {
      idx.byRepo.set(v.repo.toLowerCase(), { model, kind: "variant", formatQuant: VARIANT_QUANT[v.format] ?? null });
      addWords(parseReference(v.repo).name);
    }
    const entry: IndexedEntry = {
      model,
      names,
      vocabulary,
      family: [...new Set(nameTokens(model.family))],
      shapeKey: `${model.params_total}:${JSON.stringify(model.architecture)}`,
    };
    idx.entries.push(entry);
    for (const w of vocabulary) push(idx.byWord, w, entry);
  }
  indexes.set(models, idx);
  return idx;
}
