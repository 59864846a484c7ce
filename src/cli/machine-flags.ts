// Shared flags: the options every reading command takes (--machine, --memory/--vram, --ram, --catalog, ...).
import type { Command } from "commander";
import { benchmarksDbPath } from "../bench/data-dir.js";
import { NodefitError } from "../domain/errors.js";
import { parseOverrides, type HardwareOverrides } from "../hardware/overrides.js";
import type { NodeInputSettings } from "../service/local-inputs.js";
import type { InputFlags } from "./input-flags.js";
import type { CacheSettings, Settings } from "./settings.js";

export interface MachineFlags extends InputFlags {
  machine?: string;
  memory?: string;
  vram?: string;
  ram?: string;
  cpuCores?: string;
  nodeName?: string;
  catalog?: string;
  dataDir?: string;
}

export function addMachineOptions(cmd: Command): Command {
  return cmd
    .option("--machine <file>", "answer for the machine described in this JSON file instead of detecting this one")
    .option("--memory <gb>", "GPU memory (VRAM) to assume, in GB (GiB), instead of the detected amount")
    .option("--vram <gb>", "same as --memory")
    .option("--ram <gb>", "system RAM to assume, in GB (GiB)")
    .option("--cpu-cores <n>", "CPU cores to assume")
    .option("--node-name <name>", "node name to report (env NODEFIT_NODE_NAME; config node_name; default: the host name)")
    .option("--catalog <file>", "merge this catalog file over the bundled one (env NODEFIT_CATALOG; config catalog; default: ~/.config/nodefit/catalog.json if present)")
    .option("--data-dir <dir>", "where this node's benchmarks store is (env NODEFIT_DATA_DIR; config data_dir; default $XDG_DATA_HOME/nodefit or ~/.local/share/nodefit)");
}

/** The shared flags and settings, parsed once: what a command's service is opened with. */
export interface MachineOptions {
  /** `--machine FILE.json`; null = detect this node. */
  machineFile: string | null;
  overrides: HardwareOverrides;
  /** The node_name setting; null = the host name (or the description's `node_name`). */
  nodeName: string | null;
  /** The catalog setting; null = the user's default catalog file, if any. */
  catalogFile: string | null;
  /** The runtime_endpoints and models_dirs settings. */
  inputs: NodeInputSettings;
  /** This node's benchmarks store, under the data_dir setting. */
  benchmarksFile?: string;
  /** The cache_dir and probe_cache settings, resolved once (Settings.caches); left out by a command that reads no
   *  hardware, runtimes or stores (plan). */
  caches?: CacheSettings;
}

/**
 * Parses the shared flags and resolves the settings they take part in before anything starts, so a typo fails at once,
 * before any probe runs. Throws `invalid_argument` naming the flag, the variable or the config file's key.
 */
export function parseMachineFlags(flags: MachineFlags, settings: Settings): MachineOptions {
  if (flags.memory !== undefined && flags.vram !== undefined && flags.memory !== flags.vram)
    throw new NodefitError("invalid_argument", "--memory and --vram are the same option: give one");
  return {
    machineFile: flags.machine ?? null,
    overrides: parseOverrides({ vram: flags.memory ?? flags.vram, ram: flags.ram, cpuCores: flags.cpuCores }),
    nodeName: settings.nodeName().value,
    catalogFile: settings.catalog().value,
    inputs: { runtimeEndpoints: settings.runtimeEndpoints().config, modelsDirs: settings.modelsDirs().value },
    benchmarksFile: benchmarksDbPath(settings.dataDir().value),
    caches: settings.caches(),
  };
}
