// Limits and timeouts: the defaults the app applies to every request, and the OpenAPI document states.

/** A machine description, a model reference and a few options: a few KiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
/** Model names are well under 200 characters; a query of every key fits in a few hundred bytes. (The name route is a
 *  wildcard, which fastify's maxParamLength does not bound: this limit does.) */
export const DEFAULT_MAX_URL_BYTES = 8 * 1024;
/** Node's default; room for the URL above and a token. */
export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 5_000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
export const DEFAULT_CONNECTION_TIMEOUT_MS = 60_000;
/** Milliseconds in-flight requests get to finish when the agent closes; then their connections are cut. Requests
 *  answer in milliseconds: this is for a slow client, not for work the agent is doing. */
export const DEFAULT_DRAIN_MS = 4_000;
/** How often Node checks the two request timeouts above (its default, 30 s, would let a slow client linger). */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
/** A full /api/v1/models answer of the bundled catalog is about 0.8 MB; a /top answer about 13 kB. */
export const DEFAULT_ENVELOPE_CACHE = { entries: 256, bytes: 32 * 1024 * 1024 } as const;
/**
 * Requests one connection may have in flight (received and not yet written to the kernel), pipelined ones included.
 * Node parses every pipelined request it reads and queues each answer in memory until the earlier ones are sent, so a
 * client that writes thousands of requests and reads nothing made the agent build thousands of answers (1.3 GB of RSS
 * for 2,000 `GET /api/v1/models` on one connection). Beyond this the agent stops reading the connection until answers
 * have left; a client that never reads holds at most this many answers. Clients that pipeline at all send a few
 * requests ahead; one in flight is what every HTTP client library does.
 */
export const MAX_PIPELINED_REQUESTS = 4;
/** While closing, a connection with nothing pending that has sent nothing for this long is closed (two reads of the
 *  socket at least, so a request already in the kernel's buffer when the close began is read and answered first). */
export const DRAIN_QUIET_MS = 100;
