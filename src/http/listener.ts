// The agent's socket from its first moment: binds before the app has loaded, answers /health, holds other requests.
import { chmod } from "node:fs/promises";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import type { HealthJson } from "../contract/envelope.js";
import { NodefitError } from "../domain/errors.js";
import { buildAgentServer, type SocketLimits } from "./agent-server.js";
import { hostAllowed, hostRefusal, type HostPolicy } from "./allowed-hosts.js";
import type { Connections } from "./connections.js";
import { errorReply } from "./error-reply.js";
import { HttpMetrics, UNMATCHED_ROUTE } from "./http-metrics.js";
import { DEFAULT_MAX_URL_BYTES } from "./limits.js";
import { isLoopbackHost } from "../domain/loopback.js";
import type { ListenTarget } from "./listen-target.js";
import { REQUEST_ID_HEADER, requestIdGenerator } from "./request-id.js";
import { SECURITY_HEADERS } from "./security-headers.js";
import { checkSocketPath, prepareSocketPath, removeOwnSocket, socketIdentity, type SocketIdentity } from "./unix-socket.js";

export type { SocketLimits } from "./agent-server.js";

export interface ListenerOptions extends SocketLimits {
  target: ListenTarget;
  /** One line for a person (stderr). */
  warn: (message: string) => void;
  /**
   * The node `/health` reports until the app takes over; null when only the app knows it (a described machine may
   * name its node): /health then waits for the app like every other request.
   */
  identity: HealthJson["node"] | null;
  /** Whether an access token will guard the API (only for the exposure warning; /health needs none). */
  accessTokenSet?: boolean;
  /** CORS on: a browser's /health (one with an Origin) is left to the app, which sets the CORS headers. */
  corsEnabled?: boolean;
  /** CORS for any origin (only for the warning). */
  corsAnyOrigin?: boolean;
  /** Longest request target the app accepts: a longer /health is left to the app (which refuses it). */
  maxUrlBytes?: number;
  /** Requests held while the app loads (default MAX_HELD_REQUESTS). */
  maxHeldRequests?: number;
  /** The Host names answered (allowed-hosts.ts); null or absent: any. The app holds its requests to it too. */
  hostPolicy?: HostPolicy | null;
}

/** Requests held while the app loads; beyond this a request is answered 503 at once (a flood at start-up). */
export const MAX_HELD_REQUESTS = 1024;
const SOCKET_MODE = 0o660;
const JSON_TYPE = "application/json; charset=utf-8";
const HEALTH_PATH = "/health";

/** How long each held request waited for the app, set when it is handed over. */
const waited = new WeakMap<IncomingMessage, number>();

/** Milliseconds a request waited for the app before it took it (0 for one that arrived after the hand-over): the
 *  app adds it to the latency it logs and counts. */
export function heldForMs(req: IncomingMessage): number {
  return waited.get(req) ?? 0;
}

const pathOnly = (url: string | undefined): string => {
  const u = url ?? "/";
  const q = u.indexOf("?");
  return q === -1 ? u : u.slice(0, q);
};

/**
 * The agent's socket. Loading the HTTP framework, the schemas and the catalog takes most of a second, and a scheduler's
 * liveness probe should not wait for it. The socket is bound first, with the limits every request is held to; /health
 * (which needs nothing but the node's name) is answered at once; every other request waits, in arrival order, until
 * the app is handed over, and is then answered by it exactly as if it had arrived later.
 */
export class Listener {
  readonly server: Server;
  readonly #connections: Connections;
  /** Requests answered by the agent, the early ones and the pre-routing rejections included; the app adds to it. */
  readonly httpMetrics = new HttpMetrics();
  #address = "";
  readonly #identity: HealthJson["node"] | null;
  readonly #corsEnabled: boolean;
  readonly #maxUrlBytes: number;
  readonly #maxHeld: number;
  readonly #hostPolicy: HostPolicy | null;
  readonly #requestId = requestIdGenerator();
  #handler: RequestListener | null = null;
  /** Held requests with their arrival time (performance.now()). */
  #held: Array<[IncomingMessage, ServerResponse, number]> = [];
  #refusal: string | null = null;
  #closing: Promise<void> | null = null;
  #socket: SocketIdentity | null = null;
  #removeOnExit: (() => void) | null = null;

  private constructor(options: ListenerOptions) {
    this.#identity = options.identity;
    this.#corsEnabled = options.corsEnabled ?? false;
    this.#maxUrlBytes = options.maxUrlBytes ?? DEFAULT_MAX_URL_BYTES;
    this.#maxHeld = options.maxHeldRequests ?? MAX_HELD_REQUESTS;
    this.#hostPolicy = options.hostPolicy ?? null;
    const { server, connections } = buildAgentServer(options, (req, res) => this.#onRequest(req, res), this.httpMetrics);
    this.server = server;
    this.#connections = connections;
  }

  /** Binds the target (a unix socket gets mode 0660 before anyone can connect) and warns when exposed unguarded. */
  static async open(options: ListenerOptions): Promise<Listener> {
    const listener = new Listener(options);
    await listener.#bind(options);
    return listener;
  }

  /** `http://127.0.0.1:8787`, or `unix:/run/nodefit.sock`. */
  get address(): string {
    return this.#address;
  }

  /** Hands every request to the app from now on; the held ones first, in the order they arrived. */
  handOver(handler: RequestListener): void {
    this.#handler = handler;
    const held = this.#held;
    this.#held = [];
    const now = performance.now();
    for (const [req, res, arrived] of held) {
      if (res.writableEnded || req.socket.destroyed) continue;
      waited.set(req, now - arrived);
      handler(req, res);
    }
  }

  /** No app will answer (it failed to start, or the agent is stopping): held and later requests but /health get a
   *  503 with this message. */
  refuse(message: string): void {
    this.#refusal = message;
    const held = this.#held;
    this.#held = [];
    for (const [req, res] of held) this.#answerError(req, res, new NodefitError("probe_failed", message));
  }

  /**
   * Stops accepting connections, answers every request already received (pipelined ones and ones still in the
   * kernel's buffer included), closes each connection once it is quiet and cuts what is left after `drainMs`; then
   * runs `beforeClosed` (the app's own close: fastify, closing, would mark each answer `connection: close`, and Node
   * would then drop the requests pipelined behind it), and removes the unix socket. Idempotent.
   */
  close(drainMs: number, beforeClosed?: () => Promise<void>): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#handler === null) this.refuse("the agent is shutting down");
      try {
        await this.#connections.drain(drainMs);
        await beforeClosed?.();
      } finally {
        // Closing a listening unix socket removes its file; this covers a file left behind, and never touches a
        // socket another agent has bound at the same path since.
        if (this.#socket !== null) removeOwnSocket(this.#socket);
        if (this.#removeOnExit !== null) process.off("exit", this.#removeOnExit);
      }
    })();
    return this.#closing;
  }

  async #bind(options: ListenerOptions): Promise<void> {
    const target = options.target;
    if (target.kind === "unix") {
      checkSocketPath(target.path);
      await prepareSocketPath(target.path);
      // The socket is created with the umask's mode: narrow it first, so it is never reachable by others.
      const previousUmask = process.umask(0o117);
      try {
        await this.#listen({ path: target.path });
      } finally {
        process.umask(previousUmask);
      }
      try {
        await chmod(target.path, SOCKET_MODE);
        this.#socket = socketIdentity(target.path);
      } catch (e) {
        this.server.close();
        throw new NodefitError("invalid_argument", `cannot secure unix socket ${target.path}: ${(e as Error).message}`);
      }
      // A process that exits without closing (a second signal, a forced exit) still takes its socket file along.
      const socket = this.#socket;
      this.#removeOnExit = () => removeOwnSocket(socket);
      process.once("exit", this.#removeOnExit);
      this.#address = `unix:${target.path}`;
      return;
    }
    if (!isLoopbackHost(target.host) && !options.accessTokenSet)
      options.warn(
        `WARNING: listening on ${target.host}, reachable from other machines, without an access token: anyone who can reach ` +
          `this port reads this node's hardware and model answers. Set NODEFIT_TOKEN or --token-file, or listen on 127.0.0.1 / a unix socket.`,
      );
    if (options.corsAnyOrigin && !options.accessTokenSet)
      options.warn("WARNING: --cors-origin * without an access token: any web page a person on this network opens may read this agent's answers.");
    await this.#listen({ host: target.host, port: target.port });
    const bound = this.server.address();
    const port = typeof bound === "object" && bound !== null ? bound.port : target.port;
    const host = target.host.includes(":") ? `[${target.host}]` : target.host;
    this.#address = `http://${host}:${port}`;
  }

  #listen(options: { path: string } | { host: string; port: number }): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(new NodefitError("invalid_argument", `cannot listen on ${"path" in options ? options.path : `${options.host}:${options.port}`}: ${e.message}`));
      this.server.once("error", onError);
      this.server.listen(options, () => {
        this.server.off("error", onError);
        resolve();
      });
    });
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (this.#handler !== null) return this.#handler(req, res);
    const host = req.headers.host;
    if (!hostAllowed(this.#hostPolicy, host)) return this.#answerError(req, res, hostRefusal(this.#hostPolicy!, host));
    if (this.#answersHealth(req)) return this.#answerHealth(req, res, this.#identity!);
    if (this.#refusal !== null) return this.#answerError(req, res, new NodefitError("probe_failed", this.#refusal));
    // Clients that gave up (a probe that timed out) do not keep their place.
    if (this.#held.length >= this.#maxHeld) this.#held = this.#held.filter(([r, w]) => !r.socket.destroyed && !w.writableEnded);
    if (this.#held.length >= this.#maxHeld) return this.#answerError(req, res, new NodefitError("probe_failed", "the agent is starting: retry in a second"));
    this.#held.push([req, res, performance.now()]);
  }

  /** /health is answered here only when the answer is the app's: same node, no CORS headers needed, URL accepted. */
  #answersHealth(req: IncomingMessage): boolean {
    const url = req.url ?? "/";
    return (
      this.#identity !== null &&
      (req.method === "GET" || req.method === "HEAD") &&
      pathOnly(url) === HEALTH_PATH &&
      url.length <= this.#maxUrlBytes &&
      !(this.#corsEnabled && req.headers.origin !== undefined)
    );
  }

  #answerHealth(req: IncomingMessage, res: ServerResponse, node: HealthJson["node"]): void {
    const started = performance.now();
    const body = JSON.stringify({ status: "ok", node } satisfies HealthJson);
    this.#write(req, res, 200, body);
    this.httpMetrics.observe(HEALTH_PATH, req.method ?? "other", 200, (performance.now() - started) / 1000);
  }

  #answerError(req: IncomingMessage, res: ServerResponse, error: Error): void {
    const { status, body } = errorReply(error);
    this.#write(req, res, status, JSON.stringify(body));
    this.httpMetrics.observe(UNMATCHED_ROUTE, req.method ?? "other", status, 0);
  }

  #write(req: IncomingMessage, res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      [REQUEST_ID_HEADER]: this.#requestId(req),
      "content-type": JSON_TYPE,
      "content-length": Buffer.byteLength(body),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  }
}
