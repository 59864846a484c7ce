// The agent: http's one entry for `nodefit serve`. Binds at once, then loads the app and the service behind it; closes
// on signals. Like listener.ts, this module imports nothing heavy: the framework comes in with server.js, import()ed.
import type { NodeService } from "../service/node-service.js";
import { resolveAccessToken } from "./access-token.js";
import { hostPolicy } from "./allowed-hosts.js";
import { corsPolicy } from "./cors.js";
import { Listener, type ListenerOptions } from "./listener.js";
import { resolveListenTarget, type ListenFlags } from "./listen-target.js";
import { closeOnSignals } from "./signals.js";

export interface AgentOptions extends ListenFlags {
  /** `--token`: the access token itself. */
  token?: string | undefined;
  /** `--token-file`: a file holding it. */
  tokenFile?: string | undefined;
  /** `--cors-origin` values, each comma-separated; NODEFIT_CORS_ORIGIN when none is given. */
  corsOrigin?: readonly string[] | undefined;
  /** `--allowed-host` values, each comma-separated; NODEFIT_ALLOWED_HOSTS when none is given. */
  allowedHost?: readonly string[] | undefined;
  /** The process environment: NODEFIT_HOST / _PORT / _UNIX_SOCKET / _TOKEN / _CORS_ORIGIN / _ALLOWED_HOSTS fill in what
   *  flags leave out. */
  env: Readonly<Record<string, string | undefined>>;
  /** Fastify's log level; "silent" turns its logger off. */
  logLevel: string;
  /** Where the app's JSON log lines go (stderr). */
  logStream: NodeJS.WritableStream;
  /** One line for a person (stderr): warnings, signals, background errors. */
  log: (message: string) => void;
  /** The node `/health` reports before the service is open; null when only the service knows it. */
  identity: ListenerOptions["identity"];
  /** Called once the socket is bound, with its address, before the app and the service load. */
  onListening: (address: string) => void;
  /**
   * Opens the service the app answers from, once the socket is bound (the catalog and a described machine load here,
   * so /health is answered meanwhile). It closes the service itself if it throws after opening it.
   */
  openService: () => Promise<NodeService>;
}

export interface Agent {
  /** `http://127.0.0.1:8787`, or `unix:/run/nodefit.sock`. */
  address: string;
  /** Closes gracefully, as SIGTERM does. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the agent in two steps, so a liveness probe is answered within a few hundred milliseconds of the process
 * start: first only what binding needs (the listen target, the token, CORS and the allowed hosts are checked before
 * binding), then the HTTP framework and the service (`import()`ed and opened), while the listener answers /health and
 * holds other requests. Resolves once the app answers; if the second step fails, the socket is closed and the error thrown.
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { log } = options;
  const target = resolveListenTarget(options, options.env);
  const { token, warnings } = await resolveAccessToken({ token: options.token, tokenFile: options.tokenFile, env: options.env });
  const envCors = options.env["NODEFIT_CORS_ORIGIN"];
  const cors = corsPolicy(options.corsOrigin?.length ? options.corsOrigin : envCors ? [envCors] : []);
  const envHosts = options.env["NODEFIT_ALLOWED_HOSTS"];
  const hosts = hostPolicy({ target, tokenSet: token !== null, allowed: options.allowedHost?.length ? options.allowedHost : envHosts ? [envHosts] : [] });
  for (const w of warnings) log(w);

  const listener = await Listener.open({
    target,
    warn: log,
    identity: options.identity,
    accessTokenSet: token !== null,
    corsEnabled: cors !== null,
    corsAnyOrigin: cors?.anyOrigin ?? false,
    hostPolicy: hosts,
  });
  options.onListening(listener.address);

  // A signal during the second step waits for it, then closes whatever is running.
  let stop: () => Promise<void> = () => listener.close(0);
  let starting: Promise<unknown> = Promise.resolve();
  const close = (): Promise<void> => starting.then(() => stop(), () => stop());
  const ignoreSignals = closeOnSignals({ close }, log);

  const start = async (): Promise<void> => {
    const serverModule = import("./server.js");
    serverModule.catch(() => undefined); // awaited below; not unhandled while the service opens
    const service = await options.openService();
    try {
      const { attachApp } = await serverModule;
      const server = await attachApp(listener, service, {
        accessToken: token,
        cors,
        hostPolicy: hosts,
        logger: options.logLevel === "silent" ? false : { level: options.logLevel, stream: options.logStream },
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
  return { address: listener.address, close };
}
