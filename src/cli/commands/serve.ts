// `nodefit serve`: the node agent. Starts the hardware scan, listens, prints the real address, closes on signals.
import { resolveAccessToken } from "../../http/access-token.js";
import { corsPolicy } from "../../http/cors.js";
import { closeOnSignals, startServer } from "../../http/server.js";
import { resolveListenTarget } from "../../http/listen-target.js";
import { parseIntegerValue } from "../../query/values.js";
import type { CliIo } from "../cli-io.js";
import type { MachineFlags } from "../machine-flags.js";
import { openCliService } from "../open-service.js";

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

export async function runServe(flags: ServeFlags, io: CliIo): Promise<number> {
  const target = resolveListenTarget(flags, io.env);
  const refreshIntervalMs = parseIntegerValue("refresh-interval", flags.refreshInterval, 0) * 1000;
  const log = (message: string): void => void io.stderr.write(`nodefit: ${message}\n`);
  const { token, warnings } = await resolveAccessToken({ token: flags.token, tokenFile: flags.tokenFile, env: io.env });
  const envCors = io.env["NODEFIT_CORS_ORIGIN"];
  const cors = corsPolicy(flags.corsOrigin?.length ? flags.corsOrigin : envCors ? [envCors] : []);
  const service = await openCliService(flags, io, { refreshIntervalMs, onBackgroundError: log });
  try {
    // A described machine is read at once, so a bad file stops the start instead of failing every request.
    if (flags.machine !== undefined) await service.machine();
    // So does a --catalog file; the bundled catalog alone is loaded once the agent listens.
    if (flags.catalog !== undefined) void service.models.length;
    for (const w of warnings) log(w);
    const server = await startServer(service, {
      target,
      warn: log,
      accessToken: token,
      cors,
      logger: flags.logLevel === "silent" ? false : { level: flags.logLevel, stream: io.stderr as unknown as NodeJS.WritableStream },
    });
    io.stdout.write(`nodefit listening on ${server.address}\n`);
    // Only now: the default analysis (a few hundred ms of CPU) must not delay the first answers.
    service.startWarming();
    closeOnSignals(server, log);
    return 0;
  } catch (e) {
    service.close();
    throw e;
  }
}
