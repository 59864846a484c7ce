// Name resolution: Hugging Face ids, GGUF file names, Ollama tags, quantizer repos and loose words to catalog entries.
import type { ModelSpec } from "./schema.js";

export type MatchKind = "hf_id" | "alias" | "gguf_repo" | "ollama_tag" | "gguf_file" | "quantizer_repo" | "words";

export interface Candidate {
  model: ModelSpec;
  confidence: number;
}

export interface Resolution {
  input: string;
  /** The entry the reference names, or null when nothing (or nothing unambiguous) matched. */
  model: ModelSpec | null;
  matchedBy: MatchKind | null;
  confidence: number;
  /** A quant named by the reference itself (GGUF file name, Ollama tag suffix), if any. */
  quant: string | null;
  /** Ranked alternatives (the match first), for "did you mean". */
  candidates: Candidate[];
}

/** Quant names as they appear in file names and tags, longest first so Q4_K_M wins over Q4_K. */
const QUANT_PATTERN =
  /(?:^|[-_.:])((?:UD-)?(?:IQ[1-4]_(?:XXS|XS|S|M|NL)|Q[2-8]_K_(?:XL|L|M|S)|Q[2-8]_K|Q[4-8]_[01]|Q8_0|F16|FP16|BF16|F32|MXFP4))$/i;

/** Owners whose repositories repackage other people's weights (GGUF, MLX, AWQ conversions). */
const QUANTIZERS = new Set([
  "bartowski",
  "unsloth",
  "lmstudio-community",
  "mlx-community",
  "thebloke",
  "quantfactory",
  "ggml-org",
  "second-state",
  "maziyarpanahi",
  "mradermacher",
  "hugging-quants",
  "nousresearch",
]);

const REPO_SUFFIXES = /[-_.](gguf|mlx|awq|gptq|fp8|int4|int8|4bit|8bit|6bit|3bit|bf16|nvfp4|mxfp4|dwq)$/i;

const compact = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");
const nameOf = (id: string): string => id.slice(id.indexOf("/") + 1);

interface Index {
  byId: Map<string, ModelSpec>;
  byName: Map<string, ModelSpec[]>;
  byRepo: Map<string, ModelSpec>;
  byOllama: Map<string, ModelSpec>;
  models: readonly ModelSpec[];
}

const indexes = new WeakMap<readonly ModelSpec[], Index>();

function indexOf(models: readonly ModelSpec[]): Index {
  const cached = indexes.get(models);
  if (cached) return cached;
  const idx: Index = { byId: new Map(), byName: new Map(), byRepo: new Map(), byOllama: new Map(), models };
  const addName = (key: string, m: ModelSpec) => {
    const k = compact(key);
    const list = idx.byName.get(k) ?? [];
    if (!list.includes(m)) list.push(m);
    idx.byName.set(k, list);
  };
  for (const m of models) {
    idx.byId.set(m.id.toLowerCase(), m);
    addName(nameOf(m.id), m);
    for (const a of m.aliases) addName(a, m);
    for (const r of m.gguf_sources) idx.byRepo.set(r.toLowerCase(), m);
    for (const v of m.variants) idx.byRepo.set(v.repo.toLowerCase(), m);
    for (const t of m.ollama) {
      const tag = t.toLowerCase();
      idx.byOllama.set(tag, m);
      if (!tag.includes(":")) idx.byOllama.set(`${tag}:latest`, m);
      if (tag.endsWith(":latest")) idx.byOllama.set(tag.slice(0, -7), m);
    }
  }
  indexes.set(models, idx);
  return idx;
}

const found = (input: string, model: ModelSpec, matchedBy: MatchKind, confidence: number, quant: string | null): Resolution => ({
  input,
  model,
  matchedBy,
  confidence,
  quant,
  candidates: [{ model, confidence }],
});

function splitQuant(s: string): { base: string; quant: string | null } {
  const m = QUANT_PATTERN.exec(s);
  if (!m || m.index === undefined) return { base: s, quant: null };
  const quant = (m[1] as string).toUpperCase().replace(/^UD-/, "UD-");
  return { base: s.slice(0, m.index), quant: quant === "FP16" ? "F16" : quant };
}

/** A single name (no owner) that equals an entry's name or alias, once repo suffixes and quants are stripped. */
function byName(idx: Index, raw: string): ModelSpec[] {
  let s = raw;
  for (let i = 0; i < 3; i++) s = s.replace(REPO_SUFFIXES, "");
  const direct = idx.byName.get(compact(s));
  if (direct) return direct;
  // Quantizers often drop the owner's prefix ("Meta-Llama-3.1-8B-Instruct" vs "Llama-3.1-8B-Instruct").
  return idx.byName.get(compact(s.replace(/^meta-/i, ""))) ?? idx.byName.get(compact(`meta-${s}`)) ?? [];
}

const SIZE_TOKEN = /^\d+(\.\d+)?[bmkt]$|^a\d+(\.\d+)?b$|^e\d+b$/;

/** Loose words: every word must occur in the entry's names; sizes (8b, a3b) must match whole tokens. */
function byWords(idx: Index, input: string): Candidate[] {
  const words = input.toLowerCase().split(/[^a-z0-9.]+/).filter(Boolean);
  if (words.length === 0) return [];
  const out: Candidate[] = [];
  for (const m of idx.models) {
    const names = [nameOf(m.id), m.id, ...m.aliases];
    let best = 0;
    for (const n of names) {
      const tokens = n.toLowerCase().split(/[^a-z0-9.]+/).filter(Boolean);
      const flat = compact(n);
      const ok = words.every((w) => (SIZE_TOKEN.test(w) ? tokens.includes(w) : flat.includes(compact(w))));
      if (!ok) continue;
      const covered = words.reduce((s, w) => s + compact(w).length, 0) / Math.max(1, flat.length);
      best = Math.max(best, covered);
    }
    if (best > 0) out.push({ model: m, confidence: Math.round(Math.min(0.9, 0.4 + 0.5 * best) * 100) / 100 });
  }
  return out.sort((a, b) => b.confidence - a.confidence || a.model.id.localeCompare(b.model.id));
}

/**
 * Resolves a reference to a catalog entry. Refuses rather than guesses: when loose words fit several entries
 * about equally, `model` is null and `candidates` lists them.
 */
export function resolveModel(models: readonly ModelSpec[], reference: string): Resolution {
  const input = reference.trim();
  const idx = indexOf(models);
  const none: Resolution = { input, model: null, matchedBy: null, confidence: 0, quant: null, candidates: [] };
  if (input === "") return none;
  const lower = input.toLowerCase();

  // Hugging Face id, any case; GGUF / MLX / AWQ repos listed on an entry.
  const exact = idx.byId.get(lower);
  if (exact) return found(input, exact, "hf_id", 1, null);
  const repo = idx.byRepo.get(lower);
  if (repo) return found(input, repo, "gguf_repo", 0.98, null);

  // Ollama tag, with an optional quant suffix: llama3.1:8b-instruct-q4_K_M.
  if (/^[a-z0-9._-]+:[a-z0-9._-]+$/i.test(input) && !input.includes("/")) {
    const tagged = idx.byOllama.get(lower);
    if (tagged) return found(input, tagged, "ollama_tag", 1, null);
    const [name, tag = ""] = lower.split(":") as [string, string];
    const { base, quant } = splitQuant(tag);
    const parts = base.split("-").filter(Boolean);
    for (let n = parts.length; n >= 1; n--) {
      const hit = idx.byOllama.get(`${name}:${parts.slice(0, n).join("-")}`);
      if (hit) return found(input, hit, "ollama_tag", quant ? 0.95 : 0.9, quant);
    }
  }

  // A file name or path: Qwen3-8B-Q4_K_M.gguf, model-00001-of-00003.gguf.
  const file = input.split(/[\\/]/).pop() as string;
  if (/\.gguf$/i.test(file) || (input.includes("/") === false && QUANT_PATTERN.test(input))) {
    const stem = file.replace(/\.gguf$/i, "").replace(/-\d{5}-of-\d{5}$/i, "");
    const { base, quant } = splitQuant(stem);
    const hits = byName(idx, base);
    if (hits.length === 1) return found(input, hits[0] as ModelSpec, "gguf_file", 0.95, quant);
  }

  // owner/name: the original's name under a quantizer (bartowski/Qwen3-8B-GGUF) or a different owner.
  if (input.includes("/")) {
    const owner = lower.slice(0, lower.indexOf("/"));
    const { base, quant } = splitQuant(nameOf(input));
    const hits = byName(idx, base);
    if (hits.length === 1) return found(input, hits[0] as ModelSpec, QUANTIZERS.has(owner) ? "quantizer_repo" : "alias", QUANTIZERS.has(owner) ? 0.9 : 0.75, quant);
  } else {
    const hits = byName(idx, input);
    if (hits.length === 1) return found(input, hits[0] as ModelSpec, "alias", 0.95, null);
  }

  // Loose words.
  const { base: words, quant } = splitQuant(input.replace(/\.gguf$/i, ""));
  const ranked = byWords(idx, words.includes("/") ? nameOf(words) : words);
  const [first, second] = ranked;
  if (first && (!second || first.confidence - second.confidence >= 0.1)) {
    return { input, model: first.model, matchedBy: "words", confidence: first.confidence, quant, candidates: ranked.slice(0, 5) };
  }
  return { ...none, quant, candidates: ranked.slice(0, 5) };
}
