// Test support: a node service over the bundled catalog with this node's inputs wired to a fixture home folder, recorded
// runtime answers and a recorded process list.
import { bundledModels } from "../../src/catalog/bundled.js";
import type { HardwareIO } from "../../src/hardware/io.js";
import { parseModelsDirs } from "../../src/installed/stores.js";
import type { FetchFn } from "../../src/runtimes/http-get.js";
import { parseRuntimeEndpoints } from "../../src/runtimes/endpoints.js";
import { analyzeCatalog } from "../../src/service/analyze.js";
import { runEstimateRequest } from "../../src/service/estimate-request.js";
import { localNodeInputs, type InputsMode } from "../../src/service/local-inputs.js";
import { fixedMachineSource } from "../../src/service/machine-source.js";
import { NodeService } from "../../src/service/node-service.js";
import { rtx4090Machine } from "../http/support/machine.js";

/** A process lister that prints this `ps` output. */
export const psIo = (stdout: string): HardwareIO =>
  ({
    platform: "linux",
    run: async (command: string, args: readonly string[]) => ({ command, args, stdout, stderr: "", exitCode: 0, timedOut: false, spawnError: null, durationMs: 1 }),
  }) as unknown as HardwareIO;

export interface InputsServiceOptions {
  home: string;
  modelsDirs?: string[];
  mode: InputsMode;
  fetch: FetchFn;
  ps?: string;
  endpoints?: string[];
  probeTimeoutMs?: number;
  refreshIntervalMs?: number;
}

export function inputsService(o: InputsServiceOptions): NodeService {
  const machine = rtx4090Machine();
  const inputs = localNodeInputs({
    mode: o.mode,
    refreshIntervalMs: o.refreshIntervalMs ?? 0,
    runtimeEndpoints: parseRuntimeEndpoints(o.endpoints ?? [], "runtime-endpoint", "flag"),
    modelsDirs: parseModelsDirs(o.modelsDirs ?? [], "--models-dir", "/"),
    fetch: o.fetch,
    io: psIo(o.ps ?? ""),
    env: {},
    home: o.home,
    ...(o.probeTimeoutMs !== undefined ? { probeTimeoutMs: o.probeTimeoutMs } : {}),
  });
  const service = new NodeService({
    models: bundledModels(),
    source: fixedMachineSource({ ...machine, origin: "detected" }),
    identity: machine.node,
    refreshIntervalMs: o.refreshIntervalMs ?? 0,
    analyze: analyzeCatalog,
    estimate: runEstimateRequest,
    inputs,
  });
  if (o.mode === "server") inputs.start();
  return service;
}
