// `nodefit serve`: the node agent. Binds at once, then loads the app and the service behind it; closes on signals.
import { resolveAccessToken } from "../../http/access-token.js";
import { corsPolicy } from "../../http/cors.js";
import { Listener } from "../../http/listener.js";
import { resolveListenTarget } from "../../http/listen-target.js";
import { closeOnSignals } from "../../http/signals.js";
import { parseIntegerValue } from "../../query/values.js";
import { provisionalIdentity } from "../../service/identity.js";
import type { CliIo } from "../cli-io.js";
import { nodeNameOf, validateMachineFlags, type MachineFlags } from "../machine-flags.js";

export interface ServeFlags extends MachineFlags {
  host?: string;
  port?: string;
  unixSocket?: string;
  token?: string;
  tokenFile?: string;
  /** `--cors-origin`, repeatable, each comma-separated; NODEFIT_CORS_ORIGIN when none is given. */
  corsOrigin?: string[];
  refreshInterval: string;
  logLevel: string;
}

/**
 * The start is in two steps, so a liveness probe is answered within a few hundred milliseconds of the process start:
 * first only what binding needs (this module imports nothing heavy), then the HTTP framework, the service and the
 * catalog (`import()`ed), while the listener answers /health and holds other requests. Flags are checked before
 * binding; a bad `--machine` or `--catalog` file, found in the second step, closes the socket and ends the process
 * with exit code 1.
 */
export async function runServe(flags: ServeFlags, io: CliIo): Promise<number> {
  validateMachineFlags(flags);
  const target = resolveListenTarget(flags, io.env);
  const refreshIntervalMs = parseIntegerValue("refresh-interval", flags.refreshInterval, 0) * 1000;
  const log = (message: string): void => void io.stderr.write(`nodefit: ${message}\n`);
  const { token, warnings } = await resolveAccessToken({ token: flags.token, tokenFile: flags.tokenFile, env: io.env });
  const envCors = io.env["NODEFIT_CORS_ORIGIN"];
  const cors = corsPolicy(flags.corsOrigin?.length ? flags.corsOrigin : envCors ? [envCors] : []);
  for (const w of warnings) log(w);
  const nodeName = nodeNameOf(flags, io.env);

  const listener = await Listener.open({
    target,
    warn: log,
    // A described machine may name its node: then only the app knows what /health says.
    identity: nodeName === null && flags.machine !== undefined ? null : provisionalIdentity(nodeName),
    accessTokenSet: token !== null,
    corsEnabled: cors !== null,
    corsAnyOrigin: cors?.anyOrigin ?? false,
  });
  io.stdout.write(`nodefit listening on ${listener.address}\n`);

  // A signal during the second step waits for it, then closes whatever is running.
  let stop: () => Promise<void> = () => listener.close(0);
  let starting: Promise<unknown> = Promise.resolve();
  const ignoreSignals = closeOnSignals({ close: () => starting.then(() => stop(), () => stop()) }, log);

  const start = async (): Promise<void> => {
    const [{ openCliService }, { attachApp }] = await Promise.all([import("../open-service.js"), import("../../http/server.js")]);
    const service = await openCliService(flags, io, { refreshIntervalMs, onBackgroundError: log });
    try {
      // A described machine and a --catalog file are read now, so a bad file stops the agent instead of failing
      // every request; the bundled catalog alone is loaded by the first request or the warm-up.
      if (flags.machine !== undefined) await service.machine();
      if (flags.catalog !== undefined) void service.models.length;
      const server = await attachApp(listener, service, {
        accessToken: token,
        cors,
        logger: flags.logLevel === "silent" ? false : { level: flags.logLevel, stream: io.stderr as unknown as NodeJS.WritableStream },
      });
      stop = () => server.close();
    } catch (e) {
      service.close();
      throw e;
    }
    // The default analysis (a few hundred ms of CPU) runs once requests are answered, not before.
    service.startWarming();
  };
  starting = start();
  try {
    await starting;
  } catch (e) {
    ignoreSignals();
    listener.refuse("the agent could not start");
    await listener.close(0);
    throw e;
  }
  return 0;
}
