// Shared flags: the options every reading command takes (--machine, --memory/--vram, --ram, --catalog, ...).
import type { Command } from "commander";
import { NodefitError } from "../domain/errors.js";
import { validateOverrides } from "../hardware/overrides.js";
import { checkNodeName } from "../service/identity.js";

export interface MachineFlags {
  machine?: string;
  memory?: string;
  vram?: string;
  ram?: string;
  cpuCores?: string;
  nodeName?: string;
  catalog?: string;
}

export function addMachineOptions(cmd: Command): Command {
  return cmd
    .option("--machine <file>", "answer for the machine described in this JSON file instead of detecting this one")
    .option("--memory <gb>", "GPU memory (VRAM) to assume, in GB (GiB), instead of the detected amount")
    .option("--vram <gb>", "same as --memory")
    .option("--ram <gb>", "system RAM to assume, in GB (GiB)")
    .option("--cpu-cores <n>", "CPU cores to assume")
    .option("--node-name <name>", "node name to report (env NODEFIT_NODE_NAME; default: the host name)")
    .option("--catalog <file>", "merge this catalog file over the bundled one (default: ~/.config/nodefit/catalog.json if present)");
}

/** The node name to report: --node-name, else NODEFIT_NODE_NAME (null: the host name). */
export function nodeNameOf(flags: MachineFlags, env: Readonly<Record<string, string | undefined>>): string | null {
  const envName = env["NODEFIT_NODE_NAME"];
  return flags.nodeName ?? (envName === undefined || envName === "" ? null : envName);
}

/** Checks the flags that need no I/O (sizes, core count, node name), so a typo fails before anything starts. */
export function validateMachineFlags(flags: MachineFlags): void {
  if (flags.memory !== undefined && flags.vram !== undefined && flags.memory !== flags.vram)
    throw new NodefitError("invalid_argument", "--memory and --vram are the same option: give one");
  validateOverrides({ vram: flags.memory ?? flags.vram, ram: flags.ram, cpuCores: flags.cpuCores });
  if (flags.nodeName !== undefined) checkNodeName(flags.nodeName);
}
