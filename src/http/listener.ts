// The agent's socket from its first moment: binds before the app has loaded, answers /health, holds other requests.
import { chmod } from "node:fs/promises";
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { HealthJson } from "../contract/envelope.js";
import { NodefitError } from "../domain/errors.js";
import { errorReply, writeClientError } from "./error-reply.js";
import { HttpMetrics, UNMATCHED_ROUTE } from "./http-metrics.js";
import {
  DEFAULT_CONNECTION_TIMEOUT_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  TIMEOUT_CHECK_INTERVAL_MS,
} from "./limits.js";
import { isLoopbackHost, type ListenTarget } from "./listen-target.js";
import { REQUEST_ID_HEADER, requestIdGenerator } from "./request-id.js";
import { SECURITY_HEADERS } from "./security-headers.js";
import { prepareSocketPath, removeSocket, removeSocketNow } from "./unix-socket.js";

/**
 * Why this exists: loading the HTTP framework, the schemas and the catalog takes most of a second, and a scheduler's
 * liveness probe should not wait for it. The socket is bound first, with the limits every request is held to; /health
 * (which needs nothing but the node's name) is answered at once; every other request waits, in arrival order, until
 * the app is handed over, and is then answered by it exactly as if it had arrived later.
 */
export interface ListenerOptions {
  target: ListenTarget;
  /** One line for a person (stderr). */
  warn: (message: string) => void;
  /** The node `/health` reports until the app takes over. */
  identity: HealthJson["node"];
  /** Whether an access token will guard the API (only for the exposure warning; /health needs none). */
  accessTokenSet?: boolean;
  /** CORS on: /health is then left to the app, which sets the CORS headers. */
  corsEnabled?: boolean;
  /** CORS for any origin (only for the warning). */
  corsAnyOrigin?: boolean;
  /** Largest request line and headers together, in bytes (Node's maxHeaderSize). */
  maxHeaderBytes?: number;
  /** Milliseconds to receive a whole request, headers and body (0 = no limit). */
  requestTimeoutMs?: number;
  /** Milliseconds to receive a request's headers (at most requestTimeoutMs). */
  headersTimeoutMs?: number;
  /** Milliseconds an idle kept-alive connection stays open. */
  keepAliveTimeoutMs?: number;
  /** Milliseconds a socket may stay silent before it is closed. */
  connectionTimeoutMs?: number;
  /** Requests held while the app loads (default MAX_HELD_REQUESTS). */
  maxHeldRequests?: number;
}

/** Requests held while the app loads; beyond this a request is answered 503 at once (a flood at start-up). */
export const MAX_HELD_REQUESTS = 1024;
/** While closing, how often connections that became idle are closed. */
const IDLE_REAP_INTERVAL_MS = 50;
const SOCKET_MODE = 0o660;
const JSON_TYPE = "application/json; charset=utf-8";
const HEALTH_PATH = "/health";

const pathOnly = (url: string | undefined): string => {
  const u = url ?? "/";
  const q = u.indexOf("?");
  return q === -1 ? u : u.slice(0, q);
};

export class Listener {
  readonly server: Server;
  /** Requests answered by the agent, the early ones and the pre-routing rejections included; the app adds to it. */
  readonly httpMetrics = new HttpMetrics();
  #address = "";
  readonly #target: ListenTarget;
  readonly #identity: HealthJson["node"];
  readonly #answersHealth: boolean;
  readonly #maxHeld: number;
  readonly #requestId = requestIdGenerator();
  #handler: RequestListener | null = null;
  #held: Array<[IncomingMessage, ServerResponse]> = [];
  #refusal: string | null = null;
  #closing: Promise<void> | null = null;
  #removeOnExit: (() => void) | null = null;

  private constructor(options: ListenerOptions) {
    this.#target = options.target;
    this.#identity = options.identity;
    this.#answersHealth = !options.corsEnabled;
    this.#maxHeld = options.maxHeldRequests ?? MAX_HELD_REQUESTS;
    const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
    const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.server = createServer(
      {
        maxHeaderSize: maxHeaderBytes,
        requestTimeout,
        headersTimeout: Math.min(options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS, requestTimeout || Infinity),
        keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
        connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      },
      (req, res) => this.#onRequest(req, res),
    );
    this.server.setTimeout(options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS);
    // Requests Node's parser rejects (headers too large, too slow, not HTTP) never reach a route: a JSON body, raw.
    this.server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
      const status = writeClientError(error, socket, { maxHeaderBytes }, SECURITY_HEADERS);
      if (status !== null) this.httpMetrics.observe(UNMATCHED_ROUTE, "other", status, 0);
    });
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
    for (const [req, res] of held) if (!res.writableEnded && !req.socket.destroyed) handler(req, res);
  }

  /** The app could not start: held and later requests (but /health) are answered 503 with this reason. */
  refuse(reason: string): void {
    this.#refusal = reason;
    const held = this.#held;
    this.#held = [];
    for (const [req, res] of held) this.#answerError(req, res, new NodefitError("probe_failed", `the agent could not start: ${reason}`));
  }

  /**
   * Stops accepting connections, lets requests in flight finish (cut after `drainMs`), runs `beforeClosed` (the app's
   * own close) meanwhile, and removes the unix socket. Idempotent.
   */
  close(drainMs: number, beforeClosed?: () => Promise<void>): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#handler === null) this.refuse("shutting down");
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      // In-flight requests finish (idle kept-alive connections close at once); a client still sending after the
      // drain time has its connection cut, so a close never waits on a slow peer.
      const cut = setTimeout(() => this.server.closeAllConnections(), drainMs);
      cut.unref();
      // A connection whose last request ends after close() began is kept alive by Node: close it once idle.
      const reap = setInterval(() => this.server.closeIdleConnections(), IDLE_REAP_INTERVAL_MS);
      reap.unref();
      try {
        await beforeClosed?.();
        await closed;
      } finally {
        clearTimeout(cut);
        clearInterval(reap);
        if (this.#target.kind === "unix") {
          await removeSocket(this.#target.path);
          if (this.#removeOnExit) process.off("exit", this.#removeOnExit);
        }
      }
    })();
    return this.#closing;
  }

  async #bind(options: ListenerOptions): Promise<void> {
    const target = options.target;
    if (target.kind === "unix") {
      await prepareSocketPath(target.path);
      // The socket is created with the umask's mode: narrow it first, so it is never reachable by others.
      const previousUmask = process.umask(0o117);
      try {
        await this.#listen({ path: target.path });
      } finally {
        process.umask(previousUmask);
      }
      await chmod(target.path, SOCKET_MODE);
      // A process that exits without closing (a second signal, a forced exit) still takes its socket file along.
      const path = target.path;
      this.#removeOnExit = () => removeSocketNow(path);
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
    if (this.#answersHealth && (req.method === "GET" || req.method === "HEAD") && pathOnly(req.url) === HEALTH_PATH) return this.#answerHealth(req, res);
    if (this.#refusal !== null)
      return this.#answerError(req, res, new NodefitError("probe_failed", `the agent could not start: ${this.#refusal}`));
    if (this.#held.length >= this.#maxHeld) return this.#answerError(req, res, new NodefitError("probe_failed", "the agent is starting: retry in a second"));
    this.#held.push([req, res]);
  }

  #answerHealth(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const body = JSON.stringify({ status: "ok", node: this.#identity } satisfies HealthJson);
    this.#write(req, res, 200, body);
    this.httpMetrics.observe(HEALTH_PATH, req.method ?? "other", 200, (performance.now() - started) / 1000);
  }

  #answerError(req: IncomingMessage, res: ServerResponse, error: NodefitError): void {
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
