// Response envelopes: `/health`, `{node, system}` and the models envelope, serialized once for HTTP, CLI --json and MCP.
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
}

export interface ModelsEnvelopeJson {
  node: NodeJson;
  system: SystemJson;
  /** Rows that passed the filters, before `limit`. */
  total_models: number;
  /** `models.length`. */
  returned_models: number;
  filters: FiltersJson;
  models: ModelRowJson[];
}

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
): ModelsEnvelopeJson {
  return {
    node: nodeJson(machine.node),
    system: systemJson(machine),
    total_models: selection.total,
    returned_models: selection.rows.length,
    filters,
    models: selection.rows,
  };
}
