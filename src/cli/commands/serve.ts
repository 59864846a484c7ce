// `nodefit serve`: the node agent. Checks its flags, then hands the start to http's agent entry (bind at once, then the
// app and the service behind it; close on signals).
import { startAgent } from "../../http/agent.js";
import { parseIntegerValue } from "../../query/values.js";
import { provisionalIdentity } from "../../service/identity.js";
import type { CliIo } from "../cli-io.js";
import { parseHubFlags, type HubFlags } from "../hub-flags.js";
import { parseMachineFlags, type MachineFlags } from "../machine-flags.js";

/** A day: free memory read less often than that is not a refresh (and Node's timers overflow past 24.8 days). */
const MAX_REFRESH_INTERVAL_S = 86_400;

export interface ServeFlags extends MachineFlags, HubFlags {
  host?: string;
  port?: string;
  unixSocket?: string;
  token?: string;
  tokenFile?: string;
  /** `--cors-origin`, repeatable, each comma-separated; NODEFIT_CORS_ORIGIN when none is given. */
  corsOrigin?: string[];
  /** `--allowed-host`, repeatable, each comma-separated; NODEFIT_ALLOWED_HOSTS when none is given. */
  allowedHost?: string[];
  refreshInterval: string;
  logLevel: string;
}

/**
 * The start is in two steps, so a liveness probe is answered within a few hundred milliseconds of the process start:
 * first only what binding needs (this module and http/agent.js import nothing heavy), then the HTTP framework, the
 * service and the catalog (`import()`ed), while the listener answers /health and holds other requests. Flags are
 * checked before binding; a bad `--machine` or `--catalog` file, found in the second step, closes the socket and ends
 * the process with exit code 1.
 */
export async function runServe(flags: ServeFlags, io: CliIo): Promise<number> {
  const machine = parseMachineFlags(flags, io.env);
  const hub = parseHubFlags(flags, io.env);
  const refreshIntervalMs = parseIntegerValue("refresh-interval", flags.refreshInterval, 0, MAX_REFRESH_INTERVAL_S) * 1000;
  const log = (message: string): void => void io.stderr.write(`nodefit: ${message}\n`);
  await startAgent({
    host: flags.host,
    port: flags.port,
    unixSocket: flags.unixSocket,
    token: flags.token,
    tokenFile: flags.tokenFile,
    corsOrigin: flags.corsOrigin,
    allowedHost: flags.allowedHost,
    env: io.env,
    logLevel: flags.logLevel,
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
        // A described machine and a --catalog file are read now, so a bad file stops the agent instead of failing
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
