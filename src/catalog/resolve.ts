// Name resolution: Hugging Face ids, GGUF file names, Ollama tags, LM Studio and quantizer repos, and loose words to catalog entries.
import type { QuantName } from "../domain/quants.js";
import type { ModelSpec } from "./schema.js";
import { nameIndex, type NameIndex } from "./resolve/name-index.js";
import { canonicalQuant, splitQuant } from "./resolve/quant-label.js";
import { parseReference, type Reference } from "./resolve/reference.js";
import { matchDerivative, type DerivativeMatch } from "./resolve/derivative.js";
import { matchPruned } from "./resolve/pruned.js";
import { prunedModel, type PrunedRepos } from "./expert-pruned.js";
import { localModelId } from "./local-id.js";
import { VARIANT_QUANT } from "./variants.js";
import type { Variant } from "./schema.js";
import { compactName, nameTokens } from "./resolve/tokens.js";
import { matchWords, sizeDescribes } from "./resolve/words.js";

/** How a reference matched; "derivative": a fine-tune, merge or re-export named after a catalog entry, sized as it. */
export type MatchKind = "hf_id" | "alias" | "gguf_repo" | "ollama_tag" | "gguf_file" | "quantizer_repo" | "words" | "derivative";

/** matched: `model` is set; ambiguous: several entries fit, see `candidates`; not_found: nothing fits. */
export type ResolutionStatus = "matched" | "ambiguous" | "not_found";

export interface Candidate {
  model: ModelSpec;
  confidence: number;
}

export interface Resolution {
  input: string;
  status: ResolutionStatus;
  /** The entry the reference names, or null when nothing (or nothing unambiguous) matched. */
  model: ModelSpec | null;
  matchedBy: MatchKind | null;
  /** 1 for an exact id or tag; lower the looser the match (0.75 at the least); 0 without a match. */
  confidence: number;
  /** The quant the reference names (GGUF file, Ollama tag, repo suffix), as the estimator names it; null if none or unknown. */
  quant: QuantName | null;
  /** The quant label as written ("UD-Q2_K_XL"), also when the estimator does not know it. */
  quantLabel: string | null;
  /** The match first, then alternatives, best first (at most 5): what "did you mean" lists. */
  candidates: Candidate[];
  /** What the match assumes, for the answer's notes (a derivative is sized as its base); null when nothing. */
  note: string | null;
}

/** Owners that publish other people's weights repackaged (GGUF, MLX, AWQ conversions). */
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
  "redhatai",
  "neuralmagic",
  "casperhansen",
  "gaianet",
]);

interface Context {
  input: string;
  idx: NameIndex;
  ref: Reference;
  quant: QuantName | null;
  quantLabel: string | null;
}

function matched(ctx: Context, model: ModelSpec, matchedBy: MatchKind, confidence: number, extra: Candidate[] = []): Resolution {
  const others = extra.filter((c) => c.model !== model).slice(0, 4);
  return {
    input: ctx.input,
    status: "matched",
    model,
    matchedBy,
    confidence,
    quant: ctx.quant,
    quantLabel: ctx.quantLabel,
    candidates: [{ model, confidence }, ...others],
    note: null,
  };
}

function unmatched(ctx: Context, candidates: Candidate[]): Resolution {
  return {
    input: ctx.input,
    status: candidates.length > 0 ? "ambiguous" : "not_found",
    model: null,
    matchedBy: null,
    confidence: 0,
    quant: ctx.quant,
    quantLabel: ctx.quantLabel,
    candidates: candidates.slice(0, 5),
    note: null,
  };
}

/** bartowski names repos and files "Owner_Name" (Qwen_Qwen3-8B, google_gemma-3-4b-it): drop a known owner prefix. */
function withoutOwnerPrefix(idx: NameIndex, name: string): string {
  const m = /^([\w.-]+?)_(.+)$/.exec(name);
  if (m && m[1] && m[2] && idx.owners.has(m[1].toLowerCase())) return m[2];
  return name;
}

/** A name equal (letters and digits compared) to one entry's name or alias. */
function byExactName(idx: NameIndex, name: string): ModelSpec | null {
  for (const n of [name, withoutOwnerPrefix(idx, name)]) {
    const hits = idx.byCompact.get(compactName(n));
    if (hits && hits.length === 1 && hits[0]) return hits[0];
  }
  return null;
}

/** Loose words (with a known owner prefix dropped), reported as `kind`, never more confident than `cap`. */
function byWords(ctx: Context, name: string, kind: MatchKind, cap: number): Resolution {
  const w = matchWords(ctx.idx, nameTokens(withoutOwnerPrefix(ctx.idx, name)));
  const candidates = w.candidates.map((c) => ({ model: c.model, confidence: Math.round((0.4 + 0.4 * c.coverage) * 100) / 100 }));
  if (w.model) return matched(ctx, w.model, kind, Math.min(cap, w.confidence), candidates);
  return unmatched(ctx, candidates);
}

function resolveRepo(ctx: Context): Resolution {
  const { idx, ref } = ctx;
  const repo = (ref.repo ?? "").toLowerCase();
  const id = idx.byId.get(repo);
  // An id names the model, not a quant ("...-A3B-BF16" is the id of the BF16 original): only a file or tag does.
  if (id) return matched(ref.quantFrom === "name" ? { ...ctx, quant: null, quantLabel: null } : ctx, id, "hf_id", 1);
  const listed = idx.byRepo.get(repo);
  if (listed) {
    const quant = ctx.quant ?? listed.formatQuant;
    return matched({ ...ctx, quant }, listed.model, listed.kind === "gguf" ? "gguf_repo" : "quantizer_repo", 0.98);
  }
  const quantizer = QUANTIZERS.has(ref.owner ?? "") || ref.repackaged;
  const named = byExactName(idx, ref.name);
  if (named) return matched(ctx, named, quantizer ? "quantizer_repo" : "alias", quantizer ? 0.9 : 0.85);
  if (ref.file) {
    const viaFile = resolveName(ctx, parseReference(ref.file).name, "gguf_file");
    if (viaFile.model) return viaFile;
  }
  return byWords(ctx, ref.name, quantizer ? "quantizer_repo" : "words", 0.8);
}

function resolveOllama(ctx: Context): Resolution {
  const { idx, ref } = ctx;
  const o = ref.ollama;
  if (!o) return unmatched(ctx, []);
  const tagged = (base: string) => (base === "" ? o.name : `${o.name}:${base}`);
  const base = splitQuant(o.tag).base;
  // A "-qat" tag the catalog does not list is the quantization-aware checkpoint of the tag without it.
  const hits = idx.byOllama.get(tagged(base)) ?? idx.byOllama.get(tagged(base.replace(/[-_]qat$/, "")));
  if (hits && hits.length === 1 && hits[0]) return matched(ctx, hits[0], "ollama_tag", 1);
  // A size tag of a name whose default the catalog lists (bge-large:335m): the default, when it is that size.
  const [only, ...more] = idx.byOllama.get(o.name) ?? [];
  const entry = only && more.length === 0 ? idx.entries.find((e) => e.model === only) : undefined;
  if (entry && sizeDescribes(entry, base)) return matched(ctx, entry.model, "ollama_tag", 0.95);
  return byWords(ctx, ref.name, "ollama_tag", 0.85);
}

/** A name or file stem: exact name or alias first, then words. */
function resolveName(ctx: Context, name: string, kind: "alias" | "gguf_file"): Resolution {
  if (name.trim() === "") return unmatched(ctx, []);
  const named = byExactName(ctx.idx, name);
  if (named) return matched(ctx, named, kind, 0.95);
  return byWords(ctx, name, kind === "gguf_file" ? "gguf_file" : "words", 0.9);
}

const EVIDENCE: Record<DerivativeMatch["evidence"], (d: DerivativeMatch) => string> = {
  base_name: (d) => `its name contains ${d.model.id}'s ("${d.because}")`,
  family_and_size: (d) => `its name states ${d.model.family}'s family and size ("${d.because}")`,
  moe_size: (d) => `its name states only the size "${d.because}", which in the catalog only ${d.model.id}'s architecture has`,
};

/** Below a derivative's confidence: the base is named, but the expert count is worked out from a rounded total. */
const PRUNED_CONFIDENCE = 0.7;

/**
 * The id of a model the resolver builds, and the repository of its weights: a publisher's repo is its id; a quantizer's
 * conversion (`mradermacher/...-GGUF`, `...-MLX-4bit`) holds its weights, and the model, whose original repo the
 * reference does not name, gets a local id, as does a file name or loose words.
 */
function prunedIdentity(ctx: Context, name: string): { id: string; repos: PrunedRepos } {
  const { ref } = ctx;
  const none: PrunedRepos = { gguf_sources: [], variants: [] };
  if (ref.repo === null) return { id: localModelId(name), repos: none };
  if (!QUANTIZERS.has(ref.owner ?? "") && !ref.repackaged) return { id: ref.repo, repos: none };
  const format = (Object.keys(VARIANT_QUANT) as Array<Variant["format"]>).find((f) => VARIANT_QUANT[f] !== null && VARIANT_QUANT[f] === ctx.ref.formatQuant);
  if (format) return { id: localModelId(name), repos: { gguf_sources: [], variants: [{ format, repo: ref.repo, bytes: null }] } };
  return { id: localModelId(name), repos: /gguf/i.test(ref.repo) ? { gguf_sources: [ref.repo], variants: [] } : none };
}

/**
 * An expert-pruned model (REAP) named after a catalog MoE with a smaller total (resolve/pruned.ts): an entry of its own,
 * the base's architecture with fewer routed experts, named as the reference names it.
 */
function byPruned(ctx: Context, names: readonly string[]): Resolution | null {
  for (const name of names) {
    const p = matchPruned(ctx.idx, nameTokens(name));
    if (!p) continue;
    const { id, repos } = prunedIdentity(ctx, name);
    const model = prunedModel(p.base, p.shape, id, repos);
    const note = `"${ctx.input}" is not in the catalog; read as an expert-pruned (REAP) derivative of ${p.base.id}: its name contains ${p.base.id}'s ("${p.because}") with a total of ${p.total}, which ${p.shape.experts} of its ${p.shape.baseExperts} routed experts per MoE layer give (${(p.shape.paramsTotal / 1e9).toFixed(1)}B). The rest is sized as ${p.base.id}'s; a token runs as many experts as there.`;
    return { ...matched(ctx, model, "derivative", PRUNED_CONFIDENCE, [{ model: p.base, confidence: 0.5 }]), note };
  }
  return null;
}

/** A fine-tune, merge or re-export named after a catalog entry (resolve/derivative.ts), when nothing else matched. */
function byDerivative(ctx: Context): Resolution | null {
  const { idx, ref } = ctx;
  const names = [ref.name, ...(ref.file ? [parseReference(ref.file).name] : [])];
  const pruned = byPruned(ctx, names);
  if (pruned) return pruned;
  for (const name of names) {
    const d = matchDerivative(idx, nameTokens(name));
    if (!d) continue;
    const twins = d.twins.length > 0 ? ` (the same architecture as ${d.twins.map((m) => m.id).join(", ")})` : "";
    const note = `"${ctx.input}" is not in the catalog; read as a derivative (fine-tune, merge or re-export) of ${d.model.id}${twins}: ${EVIDENCE[d.evidence](d)}. Its weights are sized as ${d.model.id}'s.`;
    const r = matched(ctx, d.model, "derivative", d.confidence, d.twins.map((model) => ({ model, confidence: d.confidence })));
    return { ...r, note };
  }
  return null;
}

/**
 * Resolves a reference to a catalog entry. Refuses rather than guesses: when words fit several entries with
 * different weights, or an Ollama default and a name disagree, `model` is null, `status` is "ambiguous" and
 * `candidates` lists the entries that fit. A reference nothing names may be a derivative named after an entry
 * ("Qwen3.5-27B-Anko"): then it matches that entry with `matchedBy` "derivative", a confidence of 0.75-0.8 and a
 * `note` saying it is sized as the base. The index is built once per `models` array.
 */
export function resolveModel(models: readonly ModelSpec[], reference: string): Resolution {
  const r = resolveNamed(models, reference);
  if (r.status !== "not_found" || r.input === "") return r;
  const idx = nameIndex(models);
  const ref = parseReference(r.input);
  return byDerivative({ input: r.input, idx, ref, quant: r.quant, quantLabel: r.quantLabel }) ?? r;
}

/** A reference that names a catalog entry by one of its names, repos, tags or words. */
function resolveNamed(models: readonly ModelSpec[], reference: string): Resolution {
  const input = reference.trim();
  const idx = nameIndex(models);
  const ref = parseReference(input);
  const formatQuant = ref.formatQuant === null ? null : canonicalQuant(ref.formatQuant);
  const ctx: Context = { input, idx, ref, quant: canonicalQuant(ref.quantLabel) ?? formatQuant, quantLabel: ref.quantLabel ?? ref.formatQuant };
  if (input === "") return unmatched(ctx, []);

  const exact = idx.byId.get(input.toLowerCase());
  if (exact) return matched({ ...ctx, quant: null, quantLabel: null }, exact, "hf_id", 1);

  if (ref.form === "repo") return resolveRepo(ctx);
  if (ref.form === "ollama") return resolveOllama(ctx);

  if (ref.ollama && ref.form === "plain") {
    // A bare lowercase name: Ollama pulls its default tag, unless the same words name another entry.
    const defaults = idx.byOllama.get(ref.ollama.name) ?? [];
    const named = byExactName(idx, ref.name);
    const [only] = defaults;
    if (defaults.length === 1 && only) {
      if (named && named !== only) return unmatched(ctx, [only, named].map((model) => ({ model, confidence: 0.5 })));
      return matched(ctx, only, "ollama_tag", named ? 0.95 : 0.9);
    }
  }
  return resolveName(ctx, ref.name, ref.form === "file" ? "gguf_file" : "alias");
}
