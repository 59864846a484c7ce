// Installed models on the wire: a row's `installed` and `installed_as[]`, and the stores' report, serialized once for
// HTTP, CLI --json and MCP.
import { gib2 } from "../domain/units.js";
import type { IdentifiedBy, InstalledModel, Inventory, ModelFormat, ServingRuntime, StoreKind, StoreReport, StoreStatus } from "../installed/types.js";
import type { ModelRowJson } from "./row.js";

/** One copy of a model on this node's disks. */
export interface InstalledAsJson {
  /** The runtime that serves it from where it is: ollama, llamacpp, lmstudio, mlx or vllm. */
  runtime: ServingRuntime;
  store: StoreKind;
  /** How the store names it: an Ollama tag, a Hugging Face repo, LM Studio's publisher/repo; null in a plain folder. */
  tag: string | null;
  /** The Hugging Face cache's revision; null elsewhere. */
  revision: string | null;
  /** The GGUF file (first part of a split one; an Ollama blob) or the model's folder. */
  path: string;
  format: ModelFormat;
  quant: string | null;
  /** Bytes on disk, exact (every part; every weight file of a folder). */
  bytes: number;
  size_gb: number;
  identified_by: IdentifiedBy;
}

const installedAsJson = (m: InstalledModel): InstalledAsJson => ({
  runtime: m.runtime,
  store: m.store,
  tag: m.tag,
  revision: m.revision,
  path: m.path,
  format: m.format,
  quant: m.quant,
  bytes: m.bytes,
  size_gb: gib2(m.bytes),
  identified_by: m.identifiedBy,
});

/** What rows are told of the stores: each model's copies, and whether a model not among them is known to be absent. */
export interface InstalledIndex {
  /** Every store was read in full: a model with no copy is not installed (false); else unknown (null). */
  complete: boolean;
  byModel: ReadonlyMap<string, InstalledAsJson[]>;
}

export function installedIndex(inventory: Inventory): InstalledIndex {
  const byModel = new Map<string, InstalledAsJson[]>();
  for (const m of inventory.models) {
    const list = byModel.get(m.modelId) ?? [];
    list.push(installedAsJson(m));
    byModel.set(m.modelId, list);
  }
  return { complete: inventory.complete, byModel };
}

/**
 * A row with what the stores say of its model: `installed` true with its copies; false when every store was read and
 * it is in none; null (and no copies) when the stores have not been read or could not be read in full.
 */
export function rowWithInstalled(row: ModelRowJson, index: InstalledIndex | null): ModelRowJson {
  if (index === null) return row;
  const copies = index.byModel.get(row.name);
  if (copies !== undefined) return { ...row, installed: true, installed_as: copies };
  return { ...row, installed: index.complete ? false : null, installed_as: [] };
}

export interface StoreJson {
  store: StoreKind;
  path: string;
  /** `default`, the environment variable the path came from, `--models-dir`, or `config` (the configuration file). */
  source: string;
  status: StoreStatus;
  models: number;
  unidentified: number;
  entries_visited: number;
  error: string | null;
}

export const storeJson = (r: StoreReport): StoreJson => ({
  store: r.kind,
  path: r.path,
  source: r.source,
  status: r.status,
  models: r.models,
  unidentified: r.unidentified,
  entries_visited: r.entriesVisited,
  error: r.error,
});
