// The runtimes object: GET /api/v1/runtimes, `nodefit runtimes --json` and the MCP `runtimes` tool. The runtimes found
// on this node, what they hold in memory, the endpoints tried, and the model stores read.
import type { NodeIdentity } from "../domain/machine.js";
import { gib2OrNull } from "../domain/units.js";
import type { Inventory } from "../installed/types.js";
import {
  RUNTIME_KIND_LABELS,
  type EndpointSource,
  type EndpointStatus,
  type LoadedModel,
  type RuntimeKind,
  type RuntimeProcess,
  type RuntimeSnapshot,
  type DetectedRuntime,
} from "../runtimes/types.js";
import { nodeJson, type NodeJson } from "./envelope.js";
import { storeJson, type StoreJson } from "./installed.js";

/** `pending`: the first look has not finished (it runs in the background); `ready`; `not_probed`: a described machine. */
export type InputStatus = "pending" | "ready" | "not_probed";

export interface LoadedModelJson {
  name: string;
  size_gb: number | null;
  vram_gb: number | null;
  context_length: number | null;
  quant: string | null;
  expires_at: string | null;
}

export interface RuntimeProcessJson {
  pid: number;
  command: string;
  rss_gb: number | null;
  port: number | null;
  model: string | null;
}

export interface RuntimeJson {
  runtime: RuntimeKind;
  label: string;
  status: DetectedRuntime["status"];
  endpoint: string | null;
  endpoint_source: EndpointSource | null;
  version: string | null;
  models_loaded: LoadedModelJson[];
  models_available: number | null;
  processes: RuntimeProcessJson[];
  details: Record<string, string | number | boolean | null>;
}

export interface EndpointJson {
  runtime: RuntimeKind;
  url: string;
  source: EndpointSource;
  status: EndpointStatus;
  latency_ms: number;
  error: string | null;
}

export interface InstalledSummaryJson {
  status: InputStatus;
  scanned_at: string | null;
  scan_ms: number | null;
  /** Every store read in full. */
  complete: boolean | null;
  /** Copies of models found (all stores). */
  models: number;
  stores: StoreJson[];
}

export interface RuntimesJson {
  node: NodeJson;
  status: InputStatus;
  checked_at: string | null;
  probe_ms: number | null;
  /** Whether the process list was read; null when not tried. */
  processes_listed: boolean | null;
  runtimes: RuntimeJson[];
  endpoints: EndpointJson[];
  installed: InstalledSummaryJson;
  warnings: string[];
}

const loadedJson = (m: LoadedModel): LoadedModelJson => ({
  name: m.name,
  size_gb: gib2OrNull(m.sizeBytes),
  vram_gb: gib2OrNull(m.vramBytes),
  context_length: m.contextLength,
  quant: m.quant,
  expires_at: m.expiresAt,
});

const processJson = (p: RuntimeProcess): RuntimeProcessJson => ({ pid: p.pid, command: p.command, rss_gb: gib2OrNull(p.rssBytes), port: p.port, model: p.model });

const runtimeJson = (r: DetectedRuntime): RuntimeJson => ({
  runtime: r.kind,
  label: RUNTIME_KIND_LABELS[r.kind],
  status: r.status,
  endpoint: r.endpoint?.url ?? null,
  endpoint_source: r.endpoint?.source ?? null,
  version: r.version,
  models_loaded: r.loaded.map(loadedJson),
  models_available: r.available,
  processes: r.processes.map(processJson),
  details: { ...r.details },
});

/** The runtimes object from the last snapshots (null: not taken yet, or not taken at all when `probed` is false). */
export function runtimesJson(node: NodeIdentity, probed: boolean, runtimes: RuntimeSnapshot | null, installed: Inventory | null, extraWarnings: readonly string[] = []): RuntimesJson {
  const status = (taken: boolean): InputStatus => (!probed ? "not_probed" : taken ? "ready" : "pending");
  return {
    node: nodeJson(node),
    status: status(runtimes !== null),
    checked_at: runtimes?.checkedAt.toISOString() ?? null,
    probe_ms: runtimes?.durationMs ?? null,
    processes_listed: runtimes?.processesListed ?? null,
    runtimes: runtimes?.runtimes.map(runtimeJson) ?? [],
    endpoints:
      runtimes?.endpoints.map((e) => ({ runtime: e.endpoint.kind, url: e.endpoint.url, source: e.endpoint.source, status: e.status, latency_ms: e.latencyMs, error: e.error })) ?? [],
    installed: {
      status: status(installed !== null),
      scanned_at: installed?.scannedAt.toISOString() ?? null,
      scan_ms: installed?.durationMs ?? null,
      complete: installed?.complete ?? null,
      models: installed?.models.length ?? 0,
      stores: installed?.stores.map(storeJson) ?? [],
    },
    warnings: [...extraWarnings, ...(runtimes?.warnings ?? []), ...(installed?.warnings ?? [])],
  };
}
