// Hub models: the Hugging Face Hub as the service's source of models outside the catalog, for estimate and plan
// requests only (the name route, which schedulers poll, never makes a network call).
import { HubModels, type HubIo, type HubLimits } from "../hub/hub.js";
import { realHubIo } from "../hub/real-io.js";
import type { HubSettings } from "../hub/settings.js";
import type { ExternalModels } from "./node-service.js";

/**
 * The service's external models from the Hub settings (`hubSettings`), with the real I/O unless a test gives its own.
 * A failure is given as the clause that continues the service's `model "x" is not in the catalog`.
 */
export function hubExternalModels(settings: HubSettings, io: HubIo = realHubIo(settings), limits: Partial<HubLimits> = {}): ExternalModels {
  const hub = new HubModels(settings, io, limits);
  return {
    lookup: async (reference, signal) => {
      const r = await hub.lookup(reference, signal);
      return r !== null && "failure" in r ? { failure: r.failure.clause } : r;
    },
  };
}
