// Local service: the node service of this process, wired to the bundled catalog, the estimator and the hardware.
import { bundledModels } from "../catalog/bundled.js";
import { describeMachine } from "../hardware/describe.js";
import { analyzeCatalog } from "./analyze.js";
import { runEstimateRequest } from "./estimate-request.js";
import { localMachineSource, provisionalIdentity, type LocalSourceOptions } from "./local-source.js";
import { NodeService } from "./node-service.js";

export interface LocalServiceOptions extends LocalSourceOptions {
  /** Milliseconds between background refreshes of free memory; 0 = never (one-shot commands). */
  refreshIntervalMs: number;
  warmDefaultAnalysis?: boolean;
  onBackgroundError?: (message: string) => void;
}

/** Starts the first hardware scan at once; the returned service answers when it is done. */
export function openLocalService(options: LocalServiceOptions): NodeService {
  const source = localMachineSource(options);
  return new NodeService({
    models: bundledModels(),
    source,
    identity: provisionalIdentity(options.nodeName, options.io),
    refreshIntervalMs: options.refreshIntervalMs,
    warmDefaultAnalysis: options.warmDefaultAnalysis ?? false,
    ...(options.onBackgroundError ? { onBackgroundError: options.onBackgroundError } : {}),
    analyze: analyzeCatalog,
    estimate: (body, ctx) => runEstimateRequest(body, { ...ctx, describeMachine: (d) => describeMachine(d) }),
  });
}
