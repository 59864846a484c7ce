// Server entry: listens on TCP or a unix socket (mode 0660), prints the real address, and closes gracefully.
import { chmod } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import type { NodeService } from "../service/node-service.js";
import { buildApp, type AppOptions } from "./app.js";
import { isLoopbackHost, type ListenTarget } from "./listen-target.js";
import { prepareSocketPath, removeSocket } from "./unix-socket.js";

export interface RunningServer {
  app: FastifyInstance;
  /** `http://127.0.0.1:8787`, or `unix:/run/nodefit.sock`. */
  address: string;
  /** Stops accepting, finishes in-flight requests, stops the service's refresh, removes the socket. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions extends AppOptions {
  target: ListenTarget;
  /** One line for a person (stderr). */
  warn: (message: string) => void;
  /** Milliseconds in-flight requests get to finish on close; then their connections are cut. */
  drainMs?: number;
}

/** Requests answer in milliseconds: this is for a slow client, not for work the agent is doing. */
export const DEFAULT_DRAIN_MS = 4_000;
/** While closing, how often connections that became idle are closed. */
const IDLE_REAP_INTERVAL_MS = 50;

const SOCKET_MODE = 0o660;

export async function startServer(service: NodeService, options: StartOptions): Promise<RunningServer> {
  const { target, warn, drainMs = DEFAULT_DRAIN_MS, ...appOptions } = options;
  const app = buildApp(service, appOptions);
  let address: string;
  if (target.kind === "unix") {
    await prepareSocketPath(target.path);
    // The socket is created with the umask's mode: narrow it first, so it is never reachable by others.
    const previousUmask = process.umask(0o117);
    try {
      await app.listen({ path: target.path });
    } finally {
      process.umask(previousUmask);
    }
    await chmod(target.path, SOCKET_MODE);
    address = `unix:${target.path}`;
  } else {
    if (!isLoopbackHost(target.host) && !appOptions.accessToken)
      warn(
        `WARNING: listening on ${target.host}, reachable from other machines, without an access token: anyone who can reach ` +
          `this port reads this node's hardware and model answers. Set NODEFIT_TOKEN or --token-file, or listen on 127.0.0.1 / a unix socket.`,
      );
    if (appOptions.cors?.anyOrigin && !appOptions.accessToken)
      warn("WARNING: --cors-origin * without an access token: any web page a person on this network opens may read this agent's answers.");
    await app.listen({ host: target.host, port: target.port });
    const bound = app.server.address();
    const port = typeof bound === "object" && bound !== null ? bound.port : target.port;
    const host = target.host.includes(":") ? `[${target.host}]` : target.host;
    address = `http://${host}:${port}`;
  }

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      service.close();
      // In-flight requests finish (idle kept-alive connections close at once); a client still sending after the
      // drain time has its connection cut, so a close never waits on a slow peer.
      const cut = setTimeout(() => app.server.closeAllConnections(), drainMs);
      cut.unref();
      // A connection whose last request ends after close() began is kept alive by Node: close it once idle.
      const reap = setInterval(() => app.server.closeIdleConnections(), IDLE_REAP_INTERVAL_MS);
      reap.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(cut);
        clearInterval(reap);
        if (target.kind === "unix") await removeSocket(target.path);
      }
    })();
    return closing;
  };
  return { app, address, close };
}

/**
 * Closes the server on SIGTERM / SIGINT, then lets the process end. A second signal, or a close that takes
 * longer than `graceMs`, ends the process at once.
 */
export function closeOnSignals(server: RunningServer, log: (message: string) => void, graceMs = DEFAULT_DRAIN_MS + 1_000): void {
  let received = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) process.exit(1);
    received = true;
    log(`${signal} received: closing`);
    const force = setTimeout(() => {
      log(`still closing after ${graceMs} ms: exiting`);
      process.exit(1);
    }, graceMs);
    force.unref();
    server.close().then(
      () => {
        clearTimeout(force);
        process.off("SIGTERM", onSignal);
        process.off("SIGINT", onSignal);
      },
      (e: unknown) => {
        log(`error while closing: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
