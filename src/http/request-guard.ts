// Request guard: the one onRequest hook: allowed hosts, URL limit, security headers, request id, CORS, 404/405 and the
// access token (which the dashboard's page and files, holding no data, do not need).
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { NodefitError } from "../domain/errors.js";
import { bearerCheck } from "./access-token.js";
import { hostAllowed, hostRefusal, type HostPolicy } from "./allowed-hosts.js";
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS, corsAllows, type CorsPolicy } from "./cors.js";
import { REQUEST_ID_HEADER } from "./request-id.js";
import { wantsHtml } from "./dashboard.js";
import { allowedMethods, isDashboardRequest, OPEN_PATHS, pathOf } from "./route-table.js";
import { SECURITY_HEADERS } from "./security-headers.js";

export interface GuardOptions {
  /** Longest request target (path and query) accepted, in bytes. */
  maxUrlBytes: number;
  /** When set, every route but the probes requires `Authorization: Bearer <token>`. */
  accessToken: string | null;
  /** null: CORS off (no Access-Control-* header is ever sent). */
  cors: CorsPolicy | null;
  /** null: any Host is answered. */
  hostPolicy: HostPolicy | null;
  /** The dashboard is served: its page and files answer without the token. */
  dashboard: boolean;
}

/** Headers every answer carries, errors included (also used where an answer bypasses the hooks). */
export function applyCommonHeaders(req: FastifyRequest, reply: FastifyReply): void {
  void reply.headers(SECURITY_HEADERS);
  void reply.header(REQUEST_ID_HEADER, req.id);
}

export type GuardHook = (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

/**
 * Runs before routing settles anything else, so unknown paths, wrong methods and missing tokens are answered before
 * any body is read. A CORS preflight from an allowed origin is answered here (without the token, as browsers send none).
 */
export function requestGuard(options: GuardOptions): GuardHook {
  const check = options.accessToken === null || options.accessToken === "" ? null : bearerCheck(options.accessToken);
  const cors = options.cors;
  return function guard(req, reply, done) {
    applyCommonHeaders(req, reply);
    // First: a page that reached the agent through a name of its own (DNS rebinding) learns nothing else.
    if (!hostAllowed(options.hostPolicy, req.headers.host)) {
      done(hostRefusal(options.hostPolicy!, req.headers.host));
      return;
    }
    const url = req.url;
    if (url.length > options.maxUrlBytes) {
      done(new NodefitError("payload_too_large", `request URL is too long: send at most ${options.maxUrlBytes} bytes of path and query`));
      return;
    }
    const path = pathOf(url);

    if (cors !== null) {
      const origin = req.headers.origin;
      if (typeof origin === "string" && corsAllows(cors, origin)) {
        void reply.header("access-control-allow-origin", cors.anyOrigin ? "*" : origin);
        if (!cors.anyOrigin) void reply.header("vary", "Origin");
        const allowed = allowedMethods(path, options.dashboard);
        if (req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined && allowed.length > 0) {
          void reply
            .code(204)
            .headers({
              "access-control-allow-methods": allowed.join(", "),
              "access-control-allow-headers": CORS_ALLOWED_HEADERS,
              "access-control-max-age": String(CORS_MAX_AGE_SECONDS),
            })
            .send();
          return;
        }
        void reply.header("access-control-expose-headers", REQUEST_ID_HEADER);
      }
    }

    if (req.is404) {
      const allowed = allowedMethods(path, options.dashboard);
      if (allowed.length === 0) {
        done(new NodefitError("not_found", `not found: ${req.method} ${path}`));
        return;
      }
      void reply.header("allow", allowed.join(", "));
      done(new NodefitError("method_not_allowed", `method ${req.method} not allowed on ${path}: use ${allowed.join(", ")}`));
      return;
    }

    // The dashboard's page and files hold no data: a browser gets them without the token, then signs in.
    if (check !== null && !OPEN_PATHS.has(path) && !(options.dashboard && isDashboardRequest(path, wantsHtml(req.headers.accept)))) {
      try {
        check(req.headers.authorization);
      } catch (e) {
        void reply.header("www-authenticate", 'Bearer realm="nodefit"');
        done(e as Error);
        return;
      }
    }
    done();
  };
}
