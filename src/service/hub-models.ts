// Hub models: the Hugging Face Hub as the service's source of models outside the catalog, for estimate and plan
// requests only (the name route, which schedulers poll, never makes a network call).
import { HubModels, type HubIo } from "../hub/hub.js";
import { realHubIo } from "../hub/real-io.js";
import type { HubSettings } from "../hub/settings.js";
import type { ExternalModels } from "./node-service.js";

/** The service's external models from the Hub settings (`hubSettings`), with the real I/O unless a test gives its own. */
export function hubExternalModels(settings: HubSettings, io: HubIo = realHubIo(settings)): ExternalModels {
  const hub = new HubModels(settings, io);
  return { lookup: (reference, signal) => hub.lookup(reference, signal) };
}
