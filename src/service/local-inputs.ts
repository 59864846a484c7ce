// Local inputs: this node's runtimes (its endpoints probed with the global fetch, its process list through the hardware
// I/O layer) and the model stores in its home folder, with what the settings say of both.
import path from "node:path";
import { cacheDir, parseProbeCache } from "../domain/cache-dir.js";
import { homeOf } from "../domain/config-dir.js";
import type { HardwareIO } from "../hardware/io.js";
import { PROBE_CACHE_ENV, realIO } from "../hardware/real-io.js";
import { HeaderCache, scanInstalled } from "../installed/scan.js";
import { storeRoots, type ModelsDirs } from "../installed/stores.js";
import type { ScanLimits } from "../installed/walk.js";
import { detectRuntimes } from "../runtimes/detect.js";
import { endpointsToProbe, type RuntimeEndpointConfig } from "../runtimes/endpoints.js";
import { globalFetch, RUNTIME_PROBE_TIMEOUT_MS, warmGlobalFetch, type FetchFn } from "../runtimes/http-get.js";
import { listProcesses } from "../runtimes/process-list.js";
import { NodeInputs } from "./node-inputs.js";

/** The stores change when a person pulls or deletes a model: a scan every five minutes finds it soon enough, and
 *  costs only directory listings once the headers are cached. */
const INSTALLED_RESCAN_MS = 5 * 60_000;

/** What the settings say of runtimes and stores, resolved at the edge (the flags, the environment, the config file). */
export interface NodeInputSettings {
  /** The endpoints given per runtime and the runtimes turned off, each runtime's from the door that wins for it. */
  runtimeEndpoints: RuntimeEndpointConfig;
  /** `--models-dir` folders, else NODEFIT_MODELS_DIRS', else the config file's `models_dirs`. */
  modelsDirs: ModelsDirs;
}

/**
 * `one-shot`: a command that answers once waits for its one look (started when it opens, beside the hardware scan);
 * `agent`: started once the agent listens (`startWarming`), never waited on; `server`: started when it opens (MCP on
 * stdio), never waited on.
 */
export type InputsMode = "one-shot" | "agent" | "server";

export interface LocalInputsOptions extends NodeInputSettings {
  mode: InputsMode;
  /** Milliseconds between runtime probe rounds (the hardware refresh's); 0 = only the first. */
  refreshIntervalMs: number;
  onBackgroundError?: (message: string) => void;
  /** Tests: another fetch (recorded answers), process lister, environment, home folder, bounds. */
  fetch?: FetchFn;
  io?: HardwareIO;
  env?: Readonly<Record<string, string | undefined>>;
  home?: string;
  probeTimeoutMs?: number;
  scanLimits?: Partial<ScanLimits>;
  /** Where GGUF headers read are kept between processes; null = nowhere. Default: the cache directory's
   *  installed-headers.json (NODEFIT_CACHE_DIR, XDG_CACHE_HOME, ~/.cache/nodefit), unless NODEFIT_PROBE_CACHE=off;
   *  nowhere, with a warning to `onBackgroundError`, where a value is refused or no home folder can be told. */
  headerCacheFile?: string | null;
}

/** The file the headers of installed GGUF files are kept in, in the cache directory. */
export const HEADER_CACHE_FILE = "installed-headers.json";

/**
 * The default header cache file, as the CLI's settings resolve it: NODEFIT_PROBE_CACHE by probe_cache's one parser (an
 * empty variable is unset), the cache folder by domain/cache-dir.ts under `home`, else homeOf's. A value the parser
 * refuses or a home folder the system cannot tell leaves the headers uncached, with a warning, rather than stopping
 * the agent.
 */
function defaultHeaderCacheFile(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform, home: string | undefined, warn: (message: string) => void): string | null {
  try {
    const keep = env[PROBE_CACHE_ENV];
    if (keep !== undefined && keep !== "" && !parseProbeCache(keep, PROBE_CACHE_ENV)) return null;
    return path.join(cacheDir(env, platform, home ?? homeOf(env)), HEADER_CACHE_FILE);
  } catch (e) {
    warn(`GGUF header cache off: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

export function localNodeInputs(o: LocalInputsOptions): NodeInputs {
  const env = o.env ?? process.env;
  const io = o.io ?? realIO();
  const fetchFn = o.fetch ?? globalFetch;
  const platform = io.platform;
  const cache = new HeaderCache();
  const cacheFile = o.headerCacheFile !== undefined ? o.headerCacheFile : defaultHeaderCacheFile(env, platform, o.home, (m) => o.onBackgroundError?.(m));
  const inputs = new NodeInputs({
    waitForFirst: o.mode === "one-shot",
    ...(o.onBackgroundError ? { onBackgroundError: o.onBackgroundError } : {}),
    runtimes: {
      intervalMs: o.refreshIntervalMs,
      probe: () =>
        detectRuntimes({
          endpoints: endpointsToProbe(o.runtimeEndpoints, env["OLLAMA_HOST"]),
          off: o.runtimeEndpoints.off,
          fetch: fetchFn,
          timeoutMs: o.probeTimeoutMs ?? RUNTIME_PROBE_TIMEOUT_MS,
          listProcesses: () => listProcesses(io),
          ...(o.fetch ? {} : { warmUp: warmGlobalFetch }),
          selfPid: process.pid,
          now: () => new Date(),
        }),
    },
    installed: {
      intervalMs: o.refreshIntervalMs > 0 ? Math.max(INSTALLED_RESCAN_MS, o.refreshIntervalMs) : 0,
      scan: async (catalog) => {
        if (cacheFile !== null) await cache.load(cacheFile);
        const inventory = await scanInstalled({
          // Read at each scan: a home folder the system cannot tell fails that scan (reported), not the agent's start.
          roots: storeRoots({ env, home: o.home ?? homeOf(env), platform }, o.modelsDirs),
          catalog,
          cache,
          ...(o.scanLimits ? { limits: o.scanLimits } : {}),
          now: () => new Date(),
        });
        if (cacheFile !== null) await cache.save(cacheFile).catch((e: unknown) => o.onBackgroundError?.(`GGUF header cache ${cacheFile} not written: ${String(e)}`));
        return inventory;
      },
    },
  });
  return inputs;
}
