// HTTP app: the fastify instance (limits, timeouts, hooks, routes, errors), built without listening so tests inject.
import type { Server } from "node:http";
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from "fastify";
import { NodefitError } from "../domain/errors.js";
import type { NodeService } from "../service/node-service.js";
import type { CorsPolicy } from "./cors.js";
import { EnvelopeCache } from "./envelope-cache.js";
import { errorReply } from "./error-reply.js";
import { HttpMetrics, UNMATCHED_ROUTE } from "./http-metrics.js";
import { createAgentServer, type SocketLimits } from "./agent-server.js";
import { dashboard, DEFAULT_DASHBOARD_DIR } from "./dashboard.js";
import type { HostPolicy } from "./allowed-hosts.js";
import { heldForMs } from "./listener.js";
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_ENVELOPE_CACHE, DEFAULT_MAX_URL_BYTES } from "./limits.js";
import { registerMcpRoute } from "./mcp-route.js";
import { registerOpsRoutes } from "./ops-routes.js";
import { ProcessMetrics } from "./process-metrics.js";
import { Readiness } from "./readiness.js";
import { applyCommonHeaders, requestGuard } from "./request-guard.js";
import { requestIdGenerator } from "./request-id.js";
import { pathOf, routeLabel } from "./route-table.js";
import { JSON_TYPE, registerApiRoutes } from "./routes.js";

export interface AppOptions extends SocketLimits {
  /** Fastify's logger option: false (tests) or pino options (the server logs JSON lines to stderr). */
  logger?: FastifyServerOptions["logger"];
  /** When set, every route but /health and /ready requires `Authorization: Bearer <token>`. */
  accessToken?: string | null;
  /** Browser origins allowed to read answers; null or absent = CORS off. */
  cors?: CorsPolicy | null;
  /** The Host names answered (allowed-hosts.ts: `hostPolicy()`); null or absent = any. */
  hostPolicy?: HostPolicy | null;
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes?: number;
  /** Longest request target (path and query), in bytes. */
  maxUrlBytes?: number;
  /** Serialized model answers kept per snapshot (entries, bytes). */
  envelopeCache?: { entries: number; bytes: number };
  /**
   * The listening socket (listener.ts) the app answers on, already bound with its limits. Absent: the app makes its
   * own with the limits above (for `app.listen()`, or tests that inject).
   */
  server?: Server;
  /** Request counts and latencies, shared with the listener so its early answers are counted too. */
  httpMetrics?: HttpMetrics;
  /** The built dashboard's folder (default: this package's dist/dashboard/); null: no dashboard, `/` is JSON only. */
  dashboardDir?: string | null;
}

/** pino's level numbers: a request line is written at info (30). */
const PINO_LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** An error as its status and JSON body; a HEAD request gets the status and headers only, as HTTP wants. */
function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const { status, body, retryAfterS } = errorReply(error);
  reply.code(status).type(JSON_TYPE);
  if (retryAfterS !== undefined) reply.header("retry-after", String(retryAfterS));
  return reply.request.method === "HEAD" ? reply.send() : reply.send(body);
}

export function buildApp(service: NodeService, options: AppOptions = {}): FastifyInstance {
  const server = options.server;
  const httpMetrics = options.httpMetrics ?? new HttpMetrics();
  const app = Fastify({
    logger: options.logger ?? false,
    // One line per answered request is written by the onResponse hook below (with its route and latency).
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    genReqId: requestIdGenerator(),
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // The socket: the listener's, already bound (see server.ts), or one with the same limits for app.listen().
    serverFactory: server ? () => server : (handler) => createAgentServer(options, handler, httpMetrics),
    // While closing, requests on kept-alive connections are still answered (with `connection: close`).
    return503OnClosing: false,
    // Errors raised before routing (a malformed %-sequence) get the same headers and JSON body as every other error,
    // and are counted here: no onResponse hook runs for them.
    frameworkErrors: (error, req, reply) => {
      applyCommonHeaders(req, reply as FastifyReply);
      sendError(reply as FastifyReply, error);
      httpMetrics.observe(UNMATCHED_ROUTE, req.method, reply.statusCode, reply.elapsedTime / 1000);
    },
    // Requests Node's parser rejects are answered by the socket's own handler (agent-server.ts), not twice.
    clientErrorHandler: () => {},
  });

  // Only JSON bodies: a text/plain estimate request would otherwise arrive as a string.
  app.removeContentTypeParser("text/plain");

  const dashboardDir = options.dashboardDir === undefined ? DEFAULT_DASHBOARD_DIR : options.dashboardDir;
  const readiness = new Readiness(service, (e) => app.log.error({ err: e }, "start-up step failed"));
  const processMetrics = new ProcessMetrics();
  const envelopeCache = new EnvelopeCache(
    options.envelopeCache?.entries ?? DEFAULT_ENVELOPE_CACHE.entries,
    options.envelopeCache?.bytes ?? DEFAULT_ENVELOPE_CACHE.bytes,
  );

  app.addHook(
    "onRequest",
    requestGuard({
      maxUrlBytes: options.maxUrlBytes ?? DEFAULT_MAX_URL_BYTES,
      accessToken: options.accessToken ?? null,
      cors: options.cors ?? null,
      hostPolicy: options.hostPolicy ?? null,
      dashboard: dashboardDir !== null,
    }),
  );

  // One line per request (at info), and the HTTP metrics.
  const logRequests = (PINO_LEVELS[app.log.level] ?? Infinity) <= PINO_LEVELS["info"]!;
  app.addHook("onResponse", (req, reply, done) => {
    const pattern = req.routeOptions.url;
    const route = pattern === undefined || req.is404 ? UNMATCHED_ROUTE : routeLabel(pattern);
    const ms = reply.elapsedTime + heldForMs(req.raw);
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

  registerOpsRoutes(app, { service, readiness, httpMetrics, processMetrics, dashboard: dashboardDir === null ? null : dashboard(dashboardDir) });
  registerApiRoutes(app, service, envelopeCache);
  registerMcpRoute(app, service);
  return app;
}
