// Local service: the node service of this process, wired to the bundled catalog, the estimator and the hardware.
import { benchmarksDbPath, dataDir } from "../bench/data-dir.js";
import { BenchmarkStoreReader } from "../bench/store.js";
import { mergeCatalogs } from "../catalog/load.js";
import type { ModelSpec } from "../catalog/schema.js";
import { loadCatalog } from "../catalog/user-catalog.js";
import { NodefitError } from "../domain/errors.js";
import { analyzeCatalog } from "./analyze.js";
import { hubExternalModels } from "./hub-models.js";
import type { HubSettings } from "./hub-settings.js";
import { runEstimateRequest } from "./estimate-request.js";
import { provisionalIdentity } from "./identity.js";
import { localMachineSource, type LocalSourceOptions } from "./local-source.js";
import { localNodeInputs, type LocalInputsOptions } from "./local-inputs.js";
import { NodeService } from "./node-service.js";

export interface LocalServiceOptions extends LocalSourceOptions {
  /** Milliseconds between background refreshes of free memory; 0 = never (one-shot commands). */
  refreshIntervalMs: number;
  warmDefaultAnalysis?: boolean;
  onBackgroundError?: (message: string) => void;
  /** `--catalog FILE`: merged over the bundled catalog (null = the user's default catalog file, if any). */
  catalogFile?: string | null;
  /** Entries added for this process only (a GGUF file being estimated), merged last. */
  extraModels?: readonly ModelSpec[];
  /** Problems with the user catalog that did not stop loading. */
  onWarning?: (message: string) => void;
  /** This node's benchmarks store (`nodefit bench` results); undefined = the default file under the data directory
   *  (NODEFIT_DATA_DIR, XDG_DATA_HOME), null = none. */
  benchmarksFile?: string | null;
  /** This node's runtimes and model stores (local-inputs.ts): how they are looked at. Left out, or with a described
   *  machine: not at all (rows keep `installed: null`). */
  inputs?: Omit<LocalInputsOptions, "refreshIntervalMs" | "onBackgroundError" | "io"> | null;
  /** The Hugging Face Hub for references the catalog does not know (estimate and plan requests); null or left out: none. */
  hub?: HubSettings | null;
  /** false: the command reads no hardware (`nodefit plan`): no scan, no runtimes or stores; asking for the machine fails. */
  hardware?: boolean;
}

/** The machine source of a command that reads no hardware: asking for the machine is a bug. */
const NO_HARDWARE = { initial: () => Promise.reject(new NodefitError("internal", "this command reads no hardware")), refresh: null };

/** Starts the first hardware scan at once; the returned service answers when it is done. */
export function openLocalService(options: LocalServiceOptions): NodeService {
  // Loaded on first use: parsing and validating the catalog costs tens of milliseconds the agent's start need not wait for.
  const models = (): readonly ModelSpec[] => {
    const catalog = loadCatalog({ catalogFile: options.catalogFile ?? null });
    for (const w of catalog.warnings) options.onWarning?.(w);
    return options.extraModels && options.extraModels.length > 0 ? mergeCatalogs(catalog.models, options.extraModels) : catalog.models;
  };
  const hardware = options.hardware !== false;
  const source = hardware ? localMachineSource(options) : NO_HARDWARE;
  const inputs =
    options.machineFile !== null || !options.inputs || !hardware
      ? null
      : localNodeInputs({
          ...options.inputs,
          refreshIntervalMs: options.refreshIntervalMs,
          ...(options.onBackgroundError ? { onBackgroundError: options.onBackgroundError } : {}),
          ...(options.io ? { io: options.io } : {}),
        });
  const service = new NodeService({
    models,
    source,
    identity: provisionalIdentity(options.nodeName, options.io),
    refreshIntervalMs: options.refreshIntervalMs,
    warmDefaultAnalysis: options.warmDefaultAnalysis ?? false,
    ...(options.onBackgroundError ? { onBackgroundError: options.onBackgroundError } : {}),
    analyze: analyzeCatalog,
    estimate: runEstimateRequest,
    benchmarks: options.benchmarksFile === null ? null : new BenchmarkStoreReader(options.benchmarksFile ?? benchmarksDbPath(dataDir(null, process.env))),
    inputs,
    external: options.hub ? hubExternalModels(options.hub) : null,
  });
  // MCP on stdio looks at once; the agent once it listens (startWarming); a one-shot command when it asks.
  if (options.inputs?.mode === "server") inputs?.start();
  return service;
}
