// HTTP errors: the one place an error becomes a status and a `{"error": "..."}` body (5xx details hidden).
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { isNodefitError, type ErrorCode } from "../domain/errors.js";

const JSON_TYPE = "application/json; charset=utf-8";

export interface ErrorReply {
  status: number;
  body: { error: string };
  /** Seconds to wait before retrying (the `Retry-After` header of a 503 for too much queued work). */
  retryAfterS?: number;
}

const STATUS: Record<ErrorCode, number> = {
  invalid_argument: 400,
  invalid_input_file: 400,
  model_not_found: 404,
  not_found: 404,
  method_not_allowed: 405,
  unauthorized: 401,
  payload_too_large: 413,
  overloaded: 503,
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
    const retryAfterS = e.details?.["retryAfterS"];
    return typeof retryAfterS === "number" ? { status, body: { error }, retryAfterS } : { status, body: { error } };
  }
  const f = (typeof e === "object" && e !== null ? e : {}) as FrameworkError;
  if (typeof f.statusCode === "number" && f.statusCode >= 400 && f.statusCode < 500) {
    const known = typeof f.code === "string" ? FRAMEWORK_MESSAGES[f.code] : undefined;
    const message = known ?? (typeof f.message === "string" && f.message !== "" ? f.message : "bad request");
    return { status: f.statusCode, body: { error: message } };
  }
  return { status: 500, body: { error: "server error: internal" } };
}

/**
 * The raw answer to a request Node's HTTP parser rejected before any route ran (the socket's `clientError`):
 * headers too large, a request too slow to arrive, or bytes that are not HTTP. Same `{"error"}` body as every answer.
 */
export function clientErrorReply(code: string | undefined, limits: { maxHeaderBytes: number }): ErrorReply {
  if (code === "ERR_HTTP_REQUEST_TIMEOUT")
    return { status: 408, body: { error: "request timed out: send the request line, headers and body promptly" } };
  if (code === "HPE_HEADER_OVERFLOW")
    return { status: 431, body: { error: `request line and headers are too large: send at most ${limits.maxHeaderBytes} bytes` } };
  return { status: 400, body: { error: "malformed HTTP request" } };
}

/** The status line and headers of a JSON error answer written without a framework, then its body. */
function rawAnswer(status: number, body: string, headers: Readonly<Record<string, string>>): string {
  const lines = Object.entries({ ...headers, "content-type": JSON_TYPE, "content-length": String(Buffer.byteLength(body)), connection: "close" })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\n${lines}\r\n${body}`;
}

/**
 * Writes `clientErrorReply`'s answer straight to the socket (no route, no reply object exists yet), with the given
 * headers, and closes the connection. A reset or already closed socket gets nothing. Returns the status written, or null.
 */
export function writeClientError(error: NodeJS.ErrnoException, socket: Duplex, limits: { maxHeaderBytes: number }, headers: Readonly<Record<string, string>>): number | null {
  if (error.code === "ECONNRESET" || socket.destroyed) return null;
  const { status, body } = clientErrorReply(error.code, limits);
  const writable = socket.writable;
  if (writable) socket.write(rawAnswer(status, JSON.stringify(body), headers));
  socket.destroy(error);
  return writable ? status : null;
}

/** How long a socket answered raw waits for its client to close before it is destroyed. */
const RAW_LINGER_MS = 2_000;

/**
 * Writes a `{"error"}` answer on a socket no HTTP parser owns any more (a CONNECT request), then closes it: what the
 * client still sends is read and dropped meanwhile, so the close does not reset the answer away. Returns the status
 * written, or null when the socket was already gone.
 */
export function writeRawError(socket: Duplex, status: number, message: string, headers: Readonly<Record<string, string>>): number | null {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return null;
  }
  const linger = setTimeout(() => socket.destroy(), RAW_LINGER_MS);
  linger.unref();
  socket.once("close", () => clearTimeout(linger));
  socket.on("error", () => socket.destroy());
  socket.resume();
  socket.end(rawAnswer(status, JSON.stringify({ error: message }), headers));
  return status;
}

/**
 * Answers a request refused before the app sees it (no Host, an unknown Expect) on its response: a `{"error"}` body,
 * the given headers, and the connection closed after it (what follows on it is not read).
 */
export function writeErrorAnswer(req: IncomingMessage, res: ServerResponse, status: number, message: string, headers: Readonly<Record<string, string>>): void {
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { ...headers, "content-type": JSON_TYPE, "content-length": Buffer.byteLength(body), connection: "close" });
  res.end(req.method === "HEAD" ? undefined : body);
}
