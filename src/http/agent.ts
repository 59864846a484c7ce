// The agent: http's one entry for `nodefit serve`. Binds at once, then loads the app and the service behind it; closes
// on signals. Like listener.ts, this module imports nothing heavy: the framework comes in with server.js, import()ed.
import type { NodeService } from "../service/node-service.js";
import { resolveAccessToken, type TokenChoice } from "./access-token.js";
import { hostPolicy, type AllowedHosts } from "./allowed-hosts.js";
import type { CorsPolicy } from "./cors.js";
import { Listener, type ListenerOptions } from "./listener.js";
import { listenTarget, type ListenChoice } from "./listen-target.js";
import { closeOnSignals } from "./signals.js";

// What the CLI's settings resolver parses the agent's settings with (cli reaches http through this module only).
export { allowedHostsList, NO_ALLOWED_HOSTS, parseAllowedHosts, type AllowedHosts } from "./allowed-hosts.js";
export { corsOrigins, corsPolicy, type CorsPolicy } from "./cors.js";
export { DEFAULT_HOST, DEFAULT_PORT, listenTarget, parsePort, type ListenChoice, type ListenTarget } from "./listen-target.js";
export type { TokenChoice } from "./access-token.js";

export interface AgentOptions {
  /** Where to listen, as the settings chose it (the defaults fill in what they leave out). */
  listen: ListenChoice;
  /** The access token, as the settings chose it. */
  token: TokenChoice;
  /** Origins browsers may read answers from (`corsPolicy`); null: CORS off. */
  cors: CorsPolicy | null;
  /** Host names answered besides loopback names and IP addresses (`parseAllowedHosts`). */
  allowedHosts: AllowedHosts;
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
  const target = listenTarget(options.listen);
  const { token, warnings } = await resolveAccessToken(options.token);
  const cors = options.cors;
  const hosts = hostPolicy({ target, tokenSet: token !== null, allowed: options.allowedHosts });
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
