// Test service: a NodeService over the bundled catalog and a described machine, with the given analysis.
import { bundledModels } from "../../../src/catalog/bundled.js";
import type { Machine } from "../../../src/domain/machine.js";
import { fixedMachineSource, type MachineSource } from "../../../src/service/machine-source.js";
import { NodeService, type AnalyzeFn, type EstimateFn } from "../../../src/service/node-service.js";
import { analyzeCatalog } from "../../../src/service/analyze.js";
import { runEstimateRequest } from "../../../src/service/estimate-request.js";
import { rtx4090Machine } from "./machine.js";

export interface TestServiceOptions {
  machine?: Machine;
  source?: MachineSource;
  analyze?: AnalyzeFn;
  estimate?: EstimateFn;
  refreshIntervalMs?: number;
}

export function testService(options: TestServiceOptions = {}): NodeService {
  const machine = options.machine ?? rtx4090Machine();
  return new NodeService({
    models: bundledModels(),
    source: options.source ?? fixedMachineSource(machine),
    identity: machine.node,
    refreshIntervalMs: options.refreshIntervalMs ?? 0,
    analyze: options.analyze ?? analyzeCatalog,
    estimate: options.estimate ?? runEstimateRequest,
  });
}

/** Waits until the app reports ready (the first snapshot and the default analysis, which runs in slices). */
export async function whenReady(app: { inject: (url: string) => Promise<{ statusCode: number }> }): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await app.inject("/ready")).statusCode === 200) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the app never became ready");
}
