// Identification: which catalog entry an installed model is. Names first (the store's tag or repo, the file name, the
// header's own name), each through the catalog's resolver, and a name counts only when the file agrees with the entry
// it names (a GGUF header's architecture, a config.json's shape); a file no name identifies is matched by its header's
// shape alone when exactly one entry has that shape and the file names no other model. Fine-tunes and re-exports the
// resolver calls derivatives are not the model they derive from: they get rows of their own.
import type { Architecture, ModelSpec } from "../catalog/schema.js";
import { resolveModel } from "../catalog/resolve.js";
import type { ModelConfigFacts } from "./model-config.js";

/** A name that resolves to an entry, by a match that says the name is that model (not a derivative of it). */
function named(catalog: readonly ModelSpec[], name: string): ModelSpec | null {
  const r = resolveModel(catalog, name);
  return r.status === "matched" && r.model !== null && r.matchedBy !== "derivative" ? r.model : null;
}

/** Whether a name resolves to anything at all (a derivative, an ambiguous set): then the file names some model. */
function namesSomething(catalog: readonly ModelSpec[], name: string): boolean {
  const r = resolveModel(catalog, name);
  return r.status === "matched" || r.status === "ambiguous";
}

/** A GGUF header's architecture agrees with an entry: the same layers and width, and the same experts when MoE. */
export function headerAgrees(entry: Architecture, file: Architecture): boolean {
  if (entry.layers !== file.layers || entry.hidden_size !== file.hidden_size) return false;
  if ((entry.moe === null) !== (file.moe === null)) return false;
  return entry.moe === null || file.moe === null || entry.moe.experts === file.moe.experts;
}

/** The same shape in every figure a header states exactly: what identifies a file that no name identifies. */
function sameShape(entry: Architecture, file: Architecture): boolean {
  return (
    entry.type === file.type &&
    headerAgrees(entry, file) &&
    entry.attention_heads === file.attention_heads &&
    entry.kv_heads === file.kv_heads &&
    entry.vocab_size === file.vocab_size &&
    entry.ffn_size === file.ffn_size
  );
}

export type GgufIdentity = { model: ModelSpec; by: "name_and_header" | "header" } | { model: null; nameDisagrees: boolean };

/**
 * The catalog entry a GGUF file is. `names`: the store's names for it, then the header's (general.name, the repo it
 * cites); `file`: the entry built from its header.
 */
export function identifyGguf(catalog: readonly ModelSpec[], names: readonly string[], file: ModelSpec): GgufIdentity {
  let nameDisagrees = false;
  let namesOther = false;
  for (const name of names) {
    const m = named(catalog, name);
    if (m === null) {
      namesOther ||= namesSomething(catalog, name);
      continue;
    }
    if (headerAgrees(m.architecture, file.architecture)) return { model: m, by: "name_and_header" };
    nameDisagrees = true;
  }
  if (nameDisagrees || namesOther) return { model: null, nameDisagrees };
  const shaped = catalog.filter((m) => sameShape(m.architecture, file.architecture));
  return shaped.length === 1 && shaped[0] ? { model: shaped[0], by: "header" } : { model: null, nameDisagrees: false };
}

/** The catalog entry a safetensors / MLX folder is: by name, checked against its config.json's shape when it states one. */
export function identifyFolder(catalog: readonly ModelSpec[], names: readonly string[], config: ModelConfigFacts): { model: ModelSpec; by: "name_and_config" | "name" } | null {
  for (const name of names) {
    const m = named(catalog, name);
    if (m === null) continue;
    const layersKnown = config.layers !== null && config.hiddenSize !== null;
    if (!layersKnown) return { model: m, by: "name" };
    if (m.architecture.layers === config.layers && m.architecture.hidden_size === config.hiddenSize) return { model: m, by: "name_and_config" };
  }
  return null;
}
