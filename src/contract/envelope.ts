// Response envelopes: `/health`, `{node, system}` and the models envelope, serialized once for HTTP, CLI --json and MCP.
import type { Resolution } from "../catalog/resolve.js";
import type { Machine, NodeIdentity } from "../domain/machine.js";
import type { ModelRowJson } from "./row.js";
import { systemJson, type SystemJson } from "./system.js";

export interface NodeJson {
  name: string;
  os: string;
}

export interface HealthJson {
  status: "ok";
  node: NodeJson;
}

export interface SystemResponseJson {
  node: NodeJson;
  system: SystemJson;
}

/** The effective query, every key present, null where unset (see the contract's "models envelope"). */
export interface FiltersJson {
  limit: number | null;
  perfect: boolean | null;
  min_fit: string | null;
  runtime: string | null;
  use_case: string | null;
  provider: string | null;
  search: string | null;
  sort: string;
  max_context: number | null;
  include_too_tight: boolean;
  top_only: boolean;
  force_runtime: string | null;
  /** `installed=true|false`: only models on (or not on) this node's disks; null = not given. */
  installed: boolean | null;
}

/**
 * On the name route, what the name resolver made of `{name}` (an Ollama tag, a Hugging Face id, a GGUF file name,
 * loose words): the model it names is kept beside the substring matches. Null on the other routes.
 */
export interface ResolvedFromJson {
  input: string;
  status: "matched" | "ambiguous" | "not_found";
  /** The model the name resolves to (a row's `name`); null when it is ambiguous or names nothing. */
  name: string | null;
  /** How it matched (`ollama_tag`, `hf_id`, `gguf_file`, `words`, ...); null without a match. */
  matched_by: string | null;
  /** 1 for an exact id or tag, lower the looser the match; 0 without one. */
  confidence: number;
  /** The quant the name carries (a GGUF file's, an Ollama tag's), as the estimator names it; null if none. */
  quant: string | null;
  /** The match first, then alternatives, best first: what "did you mean" lists. */
  candidates: string[];
  /** What the match assumes (a derivative is sized as its base); null when nothing. */
  note: string | null;
}

export interface ModelsEnvelopeJson {
  node: NodeJson;
  system: SystemJson;
  /** Rows that passed the filters, before `limit`. */
  total_models: number;
  /** `models.length`. */
  returned_models: number;
  filters: FiltersJson;
  resolved_from: ResolvedFromJson | null;
  models: ModelRowJson[];
}

export const resolvedFromJson = (r: Resolution): ResolvedFromJson => ({
  input: r.input,
  status: r.status,
  name: r.model?.id ?? null,
  matched_by: r.matchedBy,
  confidence: r.confidence,
  quant: r.quant,
  candidates: r.candidates.map((c) => c.model.id),
  note: r.note,
});

export const nodeJson = (node: NodeIdentity): NodeJson => ({ name: node.name, os: node.os });

export const healthJson = (node: NodeIdentity): HealthJson => ({ status: "ok", node: nodeJson(node) });

export const systemResponseJson = (machine: Machine): SystemResponseJson => ({
  node: nodeJson(machine.node),
  system: systemJson(machine),
});

export function modelsEnvelopeJson(
  machine: Machine,
  selection: { total: number; rows: ModelRowJson[] },
  filters: FiltersJson,
  resolvedFrom: ResolvedFromJson | null = null,
): ModelsEnvelopeJson {
  return {
    node: nodeJson(machine.node),
    system: systemJson(machine),
    total_models: selection.total,
    returned_models: selection.rows.length,
    filters,
    resolved_from: resolvedFrom,
    models: selection.rows,
  };
}
