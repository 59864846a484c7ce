// HTTP app: the fastify instance (routes, 404/405, errors, access token), built without listening so tests inject.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from "fastify";
import { NodefitError } from "../domain/errors.js";
import type { NodeService } from "../service/node-service.js";
import { bearerCheck } from "./access-token.js";
import { errorReply } from "./error-reply.js";
import { allowedMethods, pathOf } from "./route-table.js";
import { registerRoutes } from "./routes.js";

export interface AppOptions {
  /** Fastify's logger option: false (tests) or pino options (the server logs to stderr). */
  logger?: FastifyServerOptions["logger"];
  /** Largest request body accepted, in bytes. */
  bodyLimitBytes?: number;
  /** When set, every route but /health requires `Authorization: Bearer <token>`. */
  accessToken?: string | null;
  /** Milliseconds a request may take from its first byte to its answer (0 = no limit). */
  requestTimeoutMs?: number;
  /** Milliseconds an idle kept-alive connection stays open. */
  keepAliveTimeoutMs?: number;
}

/** A machine description, a model reference and a few options: a few KiB. */
const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Longest URL path accepted for a model name (names are well under 200 characters). */
const MAX_PARAM_LENGTH = 1024;

function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const { status, body } = errorReply(error);
  return reply.code(status).type("application/json; charset=utf-8").send(body);
}

export function buildApp(service: NodeService, options: AppOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors raised before routing (a malformed %-sequence) get the same JSON body as every other error.
    frameworkErrors: (error, _req, reply) => sendError(reply as FastifyReply, error),
  });

  // Only JSON bodies: a text/plain estimate request would otherwise arrive as a string.
  app.removeContentTypeParser("text/plain");

  // Unknown paths and wrong methods are settled before any body is read.
  app.addHook("onRequest", async (req, reply) => {
    if (!req.is404) return;
    const allowed = allowedMethods(pathOf(req.url));
    if (allowed.length === 0) throw new NodefitError("not_found", `not found: ${req.method} ${pathOf(req.url)}`);
    void reply.header("allow", allowed.join(", "));
    throw new NodefitError("method_not_allowed", `method ${req.method} not allowed on ${pathOf(req.url)}: use ${allowed.join(", ")}`);
  });

  const token = options.accessToken ?? null;
  if (token !== null && token !== "") {
    const check = bearerCheck(token);
    app.addHook("onRequest", async (req, reply) => {
      if (pathOf(req.url) === "/health" || req.is404) return;
      try {
        check(req.headers.authorization);
      } catch (e) {
        void reply.header("www-authenticate", 'Bearer realm="nodefit"');
        throw e;
      }
    });
  }

  app.setNotFoundHandler(async (req) => {
    throw new NodefitError("not_found", `not found: ${req.method} ${pathOf(req.url)}`);
  });

  app.setErrorHandler(async (error, req, reply) => {
    if (errorReply(error).status >= 500) req.log.error({ err: error }, "request failed");
    return sendError(reply, error);
  });

  registerRoutes(app, service);
  return app;
}
