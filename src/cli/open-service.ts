// CLI service: the node service a command answers from, built from the shared hardware flags.
import type { ModelSpec } from "../catalog/schema.js";
import { openLocalService } from "../service/local-service.js";
import type { NodeService } from "../service/node-service.js";
import type { CliIo } from "./cli-io.js";
import { nodeNameOf, validateMachineFlags, type MachineFlags } from "./machine-flags.js";

export interface OpenOptions {
  refreshIntervalMs?: number;
  warmDefaultAnalysis?: boolean;
  onBackgroundError?: (message: string) => void;
  /** Entries for this run only (a GGUF file to estimate). */
  extraModels?: readonly ModelSpec[];
}

/** Opens the service a command answers from: `openCliService`, or a test's (one service shared by many runs). */
export type OpenService = (flags: MachineFlags, io: CliIo, options?: OpenOptions) => Promise<NodeService>;

export async function openCliService(flags: MachineFlags, io: CliIo, options: OpenOptions = {}): Promise<NodeService> {
  validateMachineFlags(flags);
  return openLocalService({
    machineFile: flags.machine ?? null,
    overrides: { vram: flags.memory ?? flags.vram, ram: flags.ram, cpuCores: flags.cpuCores },
    nodeName: nodeNameOf(flags, io.env),
    refreshIntervalMs: options.refreshIntervalMs ?? 0,
    warmDefaultAnalysis: options.warmDefaultAnalysis ?? false,
    ...(options.onBackgroundError ? { onBackgroundError: options.onBackgroundError } : {}),
    catalogFile: flags.catalog ?? null,
    extraModels: options.extraModels ?? [],
    onWarning: (message) => void io.stderr.write(`nodefit: warning: ${message}\n`),
  });
}
