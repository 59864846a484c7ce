// CLI service: the node service a command answers from, built from the shared hardware flags.
import type { ModelSpec } from "../catalog/schema.js";
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
}

/** Opens the service a command answers from: `openCliService`, or a test's (one service shared by many runs). */
export type OpenService = (machine: MachineOptions, io: CliIo, options?: OpenOptions) => Promise<NodeService>;

/** Opens this node's service (or a described machine's) from the parsed shared flags. */
export async function openCliService(machine: MachineOptions, io: CliIo, options: OpenOptions = {}): Promise<NodeService> {
  return openLocalService({
    machineFile: machine.machineFile,
    overrides: machine.overrides,
    nodeName: machine.nodeName,
    refreshIntervalMs: options.refreshIntervalMs ?? 0,
    warmDefaultAnalysis: options.warmDefaultAnalysis ?? false,
    ...(options.onBackgroundError ? { onBackgroundError: options.onBackgroundError } : {}),
    catalogFile: machine.catalogFile,
    extraModels: options.extraModels ?? [],
    onWarning: (message) => void io.stderr.write(`nodefit: warning: ${message}\n`),
  });
}
