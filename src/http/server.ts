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
}

const SOCKET_MODE = 0o660;

export async function startServer(service: NodeService, options: StartOptions): Promise<RunningServer> {
  const { target, warn, ...appOptions } = options;
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
      warn(`warning: listening on ${target.host}, reachable from other machines, without an access token (set --token or NODEFIT_TOKEN)`);
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
      await app.close();
      if (target.kind === "unix") await removeSocket(target.path);
    })();
    return closing;
  };
  return { app, address, close };
}

/**
 * Closes the server on SIGTERM / SIGINT, then lets the process end. A second signal, or a close that takes
 * longer than `graceMs`, ends the process at once.
 */
export function closeOnSignals(server: RunningServer, log: (message: string) => void, graceMs = 10_000): void {
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
