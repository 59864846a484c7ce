// `nodefit serve`: the node agent. Resolves its settings (flags, environment, config file), then hands the start to
// http's agent entry (bind at once, then the app and the service behind it; close on signals).
import { startAgent } from "../../http/agent.js";
import { provisionalIdentity } from "../../service/identity.js";
import type { CliIo } from "../cli-io.js";
import type { HubFlags } from "../hub-flags.js";
import { parseMachineFlags, type MachineFlags } from "../machine-flags.js";
import { NO_CONFIG, Settings, type LoadedConfig, type SettingFlags } from "../settings.js";

export interface ServeFlags extends MachineFlags, HubFlags, SettingFlags {
  /** `--cors-origin`, repeatable, each comma-separated. */
  corsOrigin?: string[];
  /** `--allowed-host`, repeatable, each comma-separated. */
  allowedHost?: string[];
}

/**
 * The start is in two steps, so a liveness probe is answered within a few hundred milliseconds of the process start:
 * first only what binding needs (this module and http/agent.js import nothing heavy; the config file's reader loads
 * zod only when there is a file), then the HTTP framework, the service and the catalog (`import()`ed), while the
 * listener answers /health and holds other requests. Every setting is resolved before binding; a bad `--machine` or
 * catalog file, found in the second step, closes the socket and ends the process with exit code 1.
 */
export async function runServe(flags: ServeFlags, io: CliIo, config: LoadedConfig = NO_CONFIG): Promise<number> {
  const settings = new Settings({ flags, env: io.env, config });
  const machine = parseMachineFlags(flags, settings);
  const hub = settings.hub({ agent: true });
  const refreshIntervalMs = settings.refreshInterval().value * 1000;
  const log = (message: string): void => void io.stderr.write(`nodefit: ${message}\n`);
  await startAgent({
    listen: settings.listen().value,
    token: settings.token().value,
    cors: settings.corsOrigin().value,
    allowedHosts: settings.allowedHosts().value,
    logLevel: settings.logLevel().value,
    logStream: io.stderr as unknown as NodeJS.WritableStream,
    log,
    // A described machine may name its node: then only the app knows what /health says.
    identity: machine.nodeName === null && machine.machineFile !== null ? null : provisionalIdentity(machine.nodeName),
    onListening: (address) => void io.stdout.write(`nodefit listening on ${address}\n`),
    openService: async () => {
      const { openCliService } = await import("../open-service.js");
      // Runtimes and model stores are looked at once the agent listens, in the background (never waited on).
      const service = await openCliService(machine, io, { refreshIntervalMs, onBackgroundError: log, inputsMode: "agent", hub });
      try {
        // A described machine and a catalog file are read now, so a bad file stops the agent instead of failing
        // every request; the bundled catalog alone is loaded by the first request or the warm-up.
        if (machine.machineFile !== null) await service.machine();
        if (machine.catalogFile !== null) void service.models.length;
      } catch (e) {
        service.close();
        throw e;
      }
      return service;
    },
  });
  return 0;
}
