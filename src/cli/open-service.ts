// CLI service: the node service a command answers from, built from the shared hardware flags.
import path from "node:path";
import type { ModelSpec } from "../catalog/schema.js";
import { realIO } from "../hardware/real-io.js";
import type { HubSettings } from "../service/hub-settings.js";
import { HEADER_CACHE_FILE, type InputsMode } from "../service/local-inputs.js";
import { openLocalService } from "../service/local-service.js";
import type { NodeService } from "../service/node-service.js";
import type { CliIo } from "./cli-io.js";
import type { MachineOptions } from "./machine-flags.js";

export interface OpenOptions {
  refreshIntervalMs?: number;
  warmDefaultAnalysis?: boolean;
  onBackgroundError?: (message: string) => void;
  /** Entries for this run only (a GGUF file to estimate). */
  extraModels?: readonly ModelSpec[];
  /** When runtimes and model stores are looked at: `one-shot` (default) waits for its one look, `agent` starts once the
   *  agent listens, `server` (MCP on stdio) at once; neither of the last two ever waits. */
  inputsMode?: InputsMode;
  /** The Hugging Face Hub for references the catalog does not know (estimate, plan, serve, mcp); left out: none. */
  hub?: HubSettings | null;
  /** false: the command reads no hardware (`nodefit plan`). */
  hardware?: boolean;
}

/** Opens the service a command answers from: `openCliService`, or a test's (one service shared by many runs). */
export type OpenService = (machine: MachineOptions, io: CliIo, options?: OpenOptions) => Promise<NodeService>;

/** Opens this node's service (or a described machine's) from the parsed shared flags. */
export async function openCliService(machine: MachineOptions, io: CliIo, options: OpenOptions = {}): Promise<NodeService> {
  // The cache settings, resolved once by the settings, reach the RAM bandwidth probe's cache and the GGUF header cache
  // (a command without them reads no hardware).
  const caches = machine.caches;
  const cacheIo = caches === undefined ? {} : { io: realIO({ probeCache: caches.probeCache }) };
  const headerCache = caches === undefined ? {} : { headerCacheFile: caches.offBy === null ? path.join(caches.dir, HEADER_CACHE_FILE) : null };
  return openLocalService({
    machineFile: machine.machineFile,
    overrides: machine.overrides,
    nodeName: machine.nodeName,
    refreshIntervalMs: options.refreshIntervalMs ?? 0,
    warmDefaultAnalysis: options.warmDefaultAnalysis ?? false,
    ...(options.onBackgroundError ? { onBackgroundError: options.onBackgroundError } : {}),
    catalogFile: machine.catalogFile,
    extraModels: options.extraModels ?? [],
    inputs: { ...machine.inputs, mode: options.inputsMode ?? "one-shot", ...headerCache },
    ...cacheIo,
    ...(machine.benchmarksFile !== undefined ? { benchmarksFile: machine.benchmarksFile } : {}),
    hub: options.hub ?? null,
    ...(options.hardware === false ? { hardware: false } : {}),
    onWarning: (message) => void io.stderr.write(`nodefit: warning: ${message}\n`),
  });
}
