// Shared flags: the options every reading command takes (--machine, --memory/--vram, --ram, --catalog, ...).
import type { Command } from "commander";
import { benchmarksDbPath, dataDir } from "../bench/data-dir.js";
import { NodefitError } from "../domain/errors.js";
import { parseOverrides, type HardwareOverrides } from "../hardware/overrides.js";
import { parseNodeName } from "../service/identity.js";
import type { NodeInputSettings } from "../service/local-inputs.js";
import { parseInputFlags, type InputFlags } from "./input-flags.js";

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
    .option("--node-name <name>", "node name to report (env NODEFIT_NODE_NAME; default: the host name)")
    .option("--catalog <file>", "merge this catalog file over the bundled one (default: ~/.config/nodefit/catalog.json if present)")
    .option("--data-dir <dir>", "where this node's benchmarks store is (env NODEFIT_DATA_DIR; default $XDG_DATA_HOME/nodefit or ~/.local/share/nodefit)");
}

/** The shared flags, parsed once: what a command's service is opened with. */
export interface MachineOptions {
  /** `--machine FILE.json`; null = detect this node. */
  machineFile: string | null;
  overrides: HardwareOverrides;
  /** `--node-name`, else NODEFIT_NODE_NAME; null = the host name (or the description's `node_name`). */
  nodeName: string | null;
  /** `--catalog FILE`; null = the user's default catalog file, if any. */
  catalogFile: string | null;
  /** `--runtime-endpoint`, `--models-dir` and their environment variables (commands without the flags: the variables). */
  inputs: NodeInputSettings;
  /** This node's benchmarks store: under `--data-dir`, else NODEFIT_DATA_DIR, else the XDG data directory. */
  benchmarksFile?: string;
}

/**
 * Parses the shared flags (and NODEFIT_NODE_NAME) before anything starts, so a typo fails at once, before any probe
 * runs. Throws `invalid_argument` naming the flag.
 */
export function parseMachineFlags(flags: MachineFlags, env: Readonly<Record<string, string | undefined>>): MachineOptions {
  if (flags.memory !== undefined && flags.vram !== undefined && flags.memory !== flags.vram)
    throw new NodefitError("invalid_argument", "--memory and --vram are the same option: give one");
  const envName = env["NODEFIT_NODE_NAME"];
  const nodeName = flags.nodeName ?? (envName === undefined || envName === "" ? null : envName);
  return {
    machineFile: flags.machine ?? null,
    overrides: parseOverrides({ vram: flags.memory ?? flags.vram, ram: flags.ram, cpuCores: flags.cpuCores }),
    nodeName: nodeName === null ? null : parseNodeName(nodeName),
    catalogFile: flags.catalog ?? null,
    inputs: parseInputFlags(flags, env),
    benchmarksFile: benchmarksDbPath(dataDir(flags.dataDir ?? null, env)),
  };
}
