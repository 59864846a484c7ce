// The agent's HTTP server: Node's, with the socket limits, backpressure on pipelined requests, and a JSON answer with
// the security headers to every request Node would otherwise answer (or drop) itself. Imports nothing heavy.
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { Connections } from "./connections.js";
import { writeClientError, writeErrorAnswer, writeRawError } from "./error-reply.js";
import { UNMATCHED_ROUTE, type HttpMetrics } from "./http-metrics.js";
import {
  DEFAULT_CONNECTION_TIMEOUT_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  MAX_PIPELINED_REQUESTS,
  TIMEOUT_CHECK_INTERVAL_MS,
} from "./limits.js";
import { REQUEST_ID_HEADER, requestIdGenerator } from "./request-id.js";
import { SECURITY_HEADERS } from "./security-headers.js";

/** The socket's limits and timeouts: every request is held to them, whoever answers it. */
export interface SocketLimits {
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
  /** Requests one connection may have in flight (MAX_PIPELINED_REQUESTS). */
  maxPipelinedRequests?: number;
}

export interface AgentServer {
  server: Server;
  /** Its connections: the pipelining gate, and the drain on close. */
  connections: Connections;
}

/**
 * An HTTP server with the agent's socket limits. Each connection has at most `maxPipelinedRequests` requests in
 * flight (connections.ts). Node answers some requests itself, with an empty body and none of the agent's headers, or
 * drops them; here each gets a JSON `{"error"}` answer with the security headers, counted in `metrics`:
 * - bytes Node's parser rejects (headers too large, too slow, not HTTP): 400 / 408 / 431, then the connection closes;
 * - an HTTP/1.1 request without Host: 400 (RFC 9112 requires one);
 * - an `Expect` other than 100-continue: 417 (100-continue is honoured: `100 Continue` is sent when the request is
 *   handed to the app, then the app answers as usual);
 * - CONNECT: 405 (the agent is no proxy; Node closed the connection without a word).
 */
export function buildAgentServer(limits: SocketLimits, handler: RequestListener, metrics: HttpMetrics): AgentServer {
  const maxHeaderBytes = limits.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const requestTimeout = limits.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server = createServer({
    maxHeaderSize: maxHeaderBytes,
    requestTimeout,
    headersTimeout: Math.min(limits.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS, requestTimeout || Infinity),
    keepAliveTimeout: limits.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    // Checked below, so the answer is JSON with the agent's headers.
    requireHostHeader: false,
  });
  server.setTimeout(limits.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS);
  const connections = new Connections(server, limits.maxPipelinedRequests ?? MAX_PIPELINED_REQUESTS);
  const requestId = requestIdGenerator();
  const headersFor = (req: Pick<IncomingMessage, "headers">, extra: Record<string, string> = {}): Record<string, string> => ({
    ...SECURITY_HEADERS,
    [REQUEST_ID_HEADER]: requestId(req),
    ...extra,
  });

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, message: string): void => {
    writeErrorAnswer(req, res, status, message, headersFor(req));
    metrics.observe(UNMATCHED_ROUTE, req.method ?? "other", status, 0);
  };
  const answer = (req: IncomingMessage, res: ServerResponse, sendContinue: boolean): void => {
    if (req.httpVersionMajor === 1 && req.httpVersionMinor === 1 && req.headers.host === undefined)
      return refuse(req, res, 400, "missing Host header: an HTTP/1.1 request must name the host it is for");
    if (sendContinue) res.writeContinue();
    handler(req, res);
  };

  server.on("request", connections.gate((req, res) => answer(req, res, false)));
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => connections.admit(req, res, (r, s) => answer(r, s, true)));
  server.on("checkExpectation", (req: IncomingMessage, res: ServerResponse) =>
    connections.admit(req, res, (r, s) => refuse(r, s, 417, "unsupported Expect header: send only Expect: 100-continue, or none")),
  );
  server.on("connect", (req: IncomingMessage, socket: Duplex) => {
    const status = writeRawError(socket, 405, "method CONNECT not allowed: this agent is not a proxy", headersFor(req, { allow: "GET, HEAD, POST" }));
    if (status !== null) metrics.observe(UNMATCHED_ROUTE, "other", status, 0);
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // No request was parsed: the id is one of the agent's.
    const status = writeClientError(error, socket, { maxHeaderBytes }, headersFor({ headers: {} }));
    if (status !== null) metrics.observe(UNMATCHED_ROUTE, "other", status, 0);
  });
  return { server, connections };
}

/** `buildAgentServer`'s server alone (the app's own, for `app.listen()`). */
export function createAgentServer(limits: SocketLimits, handler: RequestListener, metrics: HttpMetrics): Server {
  return buildAgentServer(limits, handler, metrics).server;
}
