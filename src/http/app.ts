// HTTP app: the fastify instance (limits, timeouts, hooks, routes, errors), built without listening so tests inject.
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from "fastify";
import { NodefitError } from "../domain/errors.js";
import type { NodeService } from "../service/node-service.js";
import type { CorsPolicy } from "./cors.js";
import { EnvelopeCache } from "./envelope-cache.js";
import { errorReply, writeClientError } from "./error-reply.js";
import { HttpMetrics, UNMATCHED_ROUTE } from "./http-metrics.js";
import {
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_CONNECTION_TIMEOUT_MS,
  DEFAULT_ENVELOPE_CACHE,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_MAX_URL_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  TIMEOUT_CHECK_INTERVAL_MS,
} from "./limits.js";
import { registerOpsRoutes } from "./ops-routes.js";
import { ProcessMetrics } from "./process-metrics.js";
import { Readiness } from "./readiness.js";
import { applyCommonHeaders, requestGuard } from "./request-guard.js";
import { requestIdGenerator } from "./request-id.js";
import { pathOf, routeLabel } from "./route-table.js";
import { JSON_TYPE, registerApiRoutes } from "./routes.js";
import { SECURITY_HEADERS } from "./security-headers.js";

export interface AppOptions {
  /** Fastify's logger option: false (tests) or pino options (the server logs JSON lines to stderr). */
  logger?: FastifyServerOptions["logger"];
  /** When set, every route but /health and /ready requires `Authorization: Bearer <token>`. */
  accessToken?: string | null;
  /** Browser origins allowed to read answers; null or absent = CORS off. */
  cors?: CorsPolicy | null;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes?: number;
  /** Longest request target (path and query), in bytes. */
  maxUrlBytes?: number;
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
  /** Serialized model answers kept per snapshot (entries, bytes). */
  envelopeCache?: { entries: number; bytes: number };
}

/** pino's level numbers: a request line is written at info (30). */
const PINO_LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const { status, body } = errorReply(error);
  return reply.code(status).type(JSON_TYPE).send(body);
}

export function buildApp(service: NodeService, options: AppOptions = {}): FastifyInstance {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    logger: options.logger ?? false,
    // One line per answered request is written by the onResponse hook below (with its route and latency).
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: requestIdGenerator(),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    requestTimeout,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
    http: {
      maxHeaderSize: maxHeaderBytes,
      headersTimeout: Math.min(options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS, requestTimeout || Infinity),
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    // While closing, requests on kept-alive connections are still answered (with `connection: close`).
    return503OnClosing: false,
    // Errors raised before routing (a malformed %-sequence) get the same headers and JSON body as every other error.
    frameworkErrors: (error, req, reply) => {
      applyCommonHeaders(req, reply as FastifyReply);
      return sendError(reply as FastifyReply, error);
    },
    // Requests Node's parser rejects (headers too large, too slow) never reach a route: same body, written raw.
    clientErrorHandler: (error, socket) => writeClientError(error, socket, { maxHeaderBytes }, SECURITY_HEADERS),
  });

  // Only JSON bodies: a text/plain estimate request would otherwise arrive as a string.
  app.removeContentTypeParser("text/plain");

  const readiness = new Readiness(service, (e) => app.log.error({ err: e }, "start-up step failed"));
  const httpMetrics = new HttpMetrics();
  const processMetrics = new ProcessMetrics();
  const envelopeCache = new EnvelopeCache(
    options.envelopeCache?.entries ?? DEFAULT_ENVELOPE_CACHE.entries,
    options.envelopeCache?.bytes ?? DEFAULT_ENVELOPE_CACHE.bytes,
  );

  app.addHook("onRequest", requestGuard({ maxUrlBytes: options.maxUrlBytes ?? DEFAULT_MAX_URL_BYTES, accessToken: options.accessToken ?? null, cors: options.cors ?? null }));

  // One line per request (at info), and the HTTP metrics.
  const logRequests = (PINO_LEVELS[app.log.level] ?? Infinity) <= PINO_LEVELS["info"]!;
  app.addHook("onResponse", (req, reply, done) => {
    const pattern = req.routeOptions.url;
    const route = pattern === undefined || req.is404 ? UNMATCHED_ROUTE : routeLabel(pattern);
    const ms = reply.elapsedTime;
    httpMetrics.observe(route, req.method, reply.statusCode, ms / 1000);
    if (logRequests) req.log.info({ method: req.method, url: req.url, route, status: reply.statusCode, ms: Math.round(ms * 100) / 100 }, "request");
    done();
  });

  app.addHook("onReady", (done) => {
    processMetrics.start();
    readiness.start();
    done();
  });
  app.addHook("onClose", (_instance, done) => {
    processMetrics.stop();
    done();
  });

  // A safety net: the onRequest guard answers unknown paths first; this keeps them JSON if the guard ever lets one by.
  app.setNotFoundHandler(async (req) => {
    throw new NodefitError("not_found", `not found: ${req.method} ${pathOf(req.url)}`);
  });

  app.setErrorHandler(async (error, req, reply) => {
    if (errorReply(error).status >= 500) req.log.error({ err: error }, "request failed");
    return sendError(reply, error);
  });

  registerOpsRoutes(app, { service, readiness, httpMetrics, processMetrics });
  registerApiRoutes(app, service, envelopeCache);
  return app;
}
