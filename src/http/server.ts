// Server: the app answering on the listener's socket, and its graceful close.
import type { FastifyInstance } from "fastify";
import type { NodeService } from "../service/node-service.js";
import type { SocketLimits } from "./agent-server.js";
import { hostPolicy } from "./allowed-hosts.js";
import { buildApp, type AppOptions } from "./app.js";
import { DEFAULT_DRAIN_MS } from "./limits.js";
import { Listener, type ListenerOptions } from "./listener.js";

export interface RunningServer {
  app: FastifyInstance;
  /** `http://127.0.0.1:8787`, or `unix:/run/nodefit.sock`. */
  address: string;
  /** Stops accepting, finishes in-flight requests, stops the service's refresh, removes the socket. Idempotent. */
  close(): Promise<void>;
}

/** What the listener does not already know: how the app answers, and how long a close may wait. */
export interface AttachOptions extends Omit<AppOptions, "server" | "httpMetrics" | keyof SocketLimits> {
  /** Milliseconds in-flight requests get to finish on close; then their connections are cut. */
  drainMs?: number;
}

export interface StartOptions
  extends Omit<AttachOptions, "hostPolicy">,
    Omit<ListenerOptions, "identity" | "accessTokenSet" | "corsEnabled" | "corsAnyOrigin" | "hostPolicy"> {
  /** `--allowed-host` values: the Host names answered besides loopback names and addresses (allowed-hosts.ts). By
   *  default a loopback target without a token answers only those; `*` answers any. */
  allowedHosts?: readonly string[];
}

/**
 * Builds the app on a listener's socket and hands the listener's requests (the held ones first) to it. On failure the
 * listener refuses what it holds and the error is thrown; the caller closes the listener.
 */
export async function attachApp(listener: Listener, service: NodeService, options: AttachOptions = {}): Promise<RunningServer> {
  const { drainMs = DEFAULT_DRAIN_MS, ...appOptions } = options;
  const app = buildApp(service, { ...appOptions, server: listener.server, httpMetrics: listener.httpMetrics });
  try {
    await app.ready();
  } catch (e) {
    listener.refuse("the agent could not start: the HTTP app failed to load");
    throw e;
  }
  listener.handOver(app.routing);
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      service.close();
      await listener.close(drainMs, () => app.close());
    })();
    return closing;
  };
  return { app, address: listener.address, close };
}

/** Binds, then attaches the app to a service that already exists (tests, and embedders that have one at hand). */
export async function startServer(service: NodeService, options: StartOptions): Promise<RunningServer> {
  const { target, warn, allowedHosts, maxHeaderBytes, requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, connectionTimeoutMs, maxPipelinedRequests, ...attach } =
    options;
  const policy = hostPolicy({ target, tokenSet: Boolean(attach.accessToken), allowed: allowedHosts ?? [] });
  const listener = await Listener.open({
    target,
    warn,
    hostPolicy: policy,
    identity: service.health().node,
    accessTokenSet: Boolean(attach.accessToken),
    corsEnabled: Boolean(attach.cors),
    corsAnyOrigin: Boolean(attach.cors?.anyOrigin),
    ...(attach.maxUrlBytes !== undefined ? { maxUrlBytes: attach.maxUrlBytes } : {}),
    ...definedOnly({ maxHeaderBytes, requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, connectionTimeoutMs, maxPipelinedRequests }),
  });
  try {
    return await attachApp(listener, service, { ...attach, hostPolicy: policy });
  } catch (e) {
    await listener.close(0);
    throw e;
  }
}

const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
