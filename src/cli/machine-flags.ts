// Machine flags: the hardware options every reading command shares (--machine, --memory/--vram, --ram, ...).
import type { Command } from "commander";

export interface MachineFlags {
  machine?: string;
  memory?: string;
  vram?: string;
  ram?: string;
  cpuCores?: string;
  nodeName?: string;
}

export function addMachineOptions(cmd: Command): Command {
  return cmd
    .option("--machine <file>", "answer for the machine described in this JSON file instead of detecting this one")
    .option("--memory <gb>", "GPU memory (VRAM) to assume, in GB (GiB), instead of the detected amount")
    .option("--vram <gb>", "same as --memory")
    .option("--ram <gb>", "system RAM to assume, in GB (GiB)")
    .option("--cpu-cores <n>", "CPU cores to assume")
    .option("--node-name <name>", "node name to report (env NODEFIT_NODE_NAME; default: the host name)");
}
