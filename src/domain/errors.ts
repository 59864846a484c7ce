// Errors: the one error type of nodefit, with a machine code each edge maps once (HTTP status, exit code).

export type ErrorCode =
  /** A value given by the caller (query string, flag, request field) is not acceptable. */
  | "invalid_argument"
  /** A file the caller pointed at (machine description, catalog, batch) cannot be read or is malformed. */
  | "invalid_input_file"
  /** A model reference resolved to nothing (or only to ambiguous candidates). */
  | "model_not_found"
  /** No route, or no such resource. */
  | "not_found"
  /** The route exists but not for this method. */
  | "method_not_allowed"
  /** The bundled or user catalog does not pass its schema. */
  | "invalid_catalog"
  /** A hardware probe failed; usually downgraded to a warning, raised only where nothing else can answer. */
  | "probe_failed"
  /** An access token is required and was missing or wrong. */
  | "unauthorized"
  /** A request body or URL beyond the configured limits. */
  | "payload_too_large"
  /** Too much work queued: the request may be retried later (`details.retryAfterS`). */
  | "overloaded"
  /** A bug: anything unexpected. Its message is never sent to a client. */
  | "internal";

export class NodefitError extends Error {
  override readonly name = "NodefitError";
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export const isNodefitError = (e: unknown): e is NodefitError => e instanceof NodefitError;

/** The contract's wording for an invalid enum / number / boolean value: `invalid <key> value: use <accepted>`. */
export function invalidValue(key: string, accepted: string): NodefitError {
  return new NodefitError("invalid_argument", `invalid ${key} value: use ${accepted}`, { key });
}

/** A one-line message for any thrown value, safe for logs (not for clients: see each edge's mapping). */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
