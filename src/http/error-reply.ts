// HTTP errors: the one place an error becomes a status and a `{"error": "..."}` body (5xx details hidden).
import { isNodefitError, type ErrorCode } from "../domain/errors.js";

export interface ErrorReply {
  status: number;
  body: { error: string };
}

const STATUS: Record<ErrorCode, number> = {
  invalid_argument: 400,
  invalid_input_file: 400,
  model_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  unauthorized: 401,
  payload_too_large: 413,
  invalid_catalog: 500,
  probe_failed: 503,
  internal: 500,
};

export const httpStatusOf = (code: ErrorCode): number => STATUS[code];

/** Fastify's own request errors, reworded where its text does not tell a person what to do. */
const FRAMEWORK_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "request body is too large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported content type: send the body as JSON (content-type: application/json)",
  FST_ERR_CTP_INVALID_JSON_BODY: "request body is not valid JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY: "request body is empty: send one JSON object",
  FST_ERR_BAD_URL: "invalid URL: a percent-encoded sequence is malformed",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "request body length does not match its content-length",
};

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/**
 * The reply for anything thrown while handling a request. NodefitError codes map through one table; a
 * framework 4xx keeps its status with a readable message; everything else is a 500 whose details stay in the log.
 */
export function errorReply(e: unknown): ErrorReply {
  if (isNodefitError(e)) {
    const status = httpStatusOf(e.code);
    const error = e.code === "internal" ? "server error: internal" : status >= 500 ? `server error: ${e.message}` : e.message;
    return { status, body: { error } };
  }
  const f = (typeof e === "object" && e !== null ? e : {}) as FrameworkError;
  if (typeof f.statusCode === "number" && f.statusCode >= 400 && f.statusCode < 500) {
    const known = typeof f.code === "string" ? FRAMEWORK_MESSAGES[f.code] : undefined;
    const message = known ?? (typeof f.message === "string" && f.message !== "" ? f.message : "bad request");
    return { status: f.statusCode, body: { error: message } };
  }
  return { status: 500, body: { error: "server error: internal" } };
}
