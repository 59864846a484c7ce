// Streaming HTTP for the runners: a request whose answer arrives as lines (server-sent events, NDJSON), each line
// stamped with the moment its bytes arrived, under an idle timeout so a hung runtime ends the bench with a clear error.
// Bounded whatever the endpoint sends: a line is at most MAX_STREAM_LINE_CHARS, a JSON answer at most MAX_JSON_BYTES,
// and a request ends at the bench's deadline (--max-time) even while bytes keep dripping in.
import { NodefitError, messageOf } from "../../domain/errors.js";
import { readCappedText } from "../../domain/capped-body.js";
import { redactUrls } from "../../domain/redact.js";

/** The fetch the runners use: the global one, or a test's (recorded answers replayed). */
export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface StreamOptions {
  fetch: FetchFn;
  /** Milliseconds without a byte (before the answer starts, or between two parts of it) after which the request fails. */
  idleTimeoutMs: number;
  /** When the whole bench must be over (a performance.now() time) and the limit it came from; none: no deadline. */
  deadline?: BenchDeadline | null | undefined;
}

/** The bench's time limit: requests still running at `at` (performance.now()) fail, naming `limitMs`. */
export interface BenchDeadline {
  at: number;
  limitMs: number;
}

/**
 * The longest line a stream may send: an event of a streamed completion is a few hundred bytes (one token and its
 * counters; llama.cpp's final event with `timings` under 2 KB); 1 MiB is far above any real one.
 */
export const MAX_STREAM_LINE_CHARS = 1024 * 1024;

/** The largest JSON answer read whole (a model list, Ollama's /api/show with its template and license: tens of KB). */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;

export interface StampedLine {
  line: string;
  /** performance.now() when the bytes that completed this line arrived. */
  at: number;
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** The URL as an error shows it: credentials, query and fragment masked. */
const shown = (url: string): string => redactUrls(url);

/** The error of a runtime that stopped answering. */
export function hungError(what: string, url: string, idleTimeoutMs: number, started: boolean): NodefitError {
  const phase = started ? "stopped answering mid-stream" : "did not answer";
  return new NodefitError(
    "probe_failed",
    `${what}: ${shown(url)} ${phase} for ${seconds(idleTimeoutMs)} (a hung runtime, or one still loading the model: raise --timeout)`,
    { url: shown(url), timeoutMs: idleTimeoutMs },
  );
}

/**
 * The error of a bench that ran past its time limit: `what` still running at `url` when it ran out, or, with no URL,
 * `what` not started because it had (run-bench, between generations).
 */
export function deadlineError(what: string, url: string | null, limitMs: number): NodefitError {
  const limit = `the bench's time limit of ${seconds(limitMs)}`;
  if (url === null) return new NodefitError("probe_failed", `${limit} ran out before ${what} (raise --max-time)`, { timeoutMs: limitMs });
  return new NodefitError("probe_failed", `${what}: ${shown(url)} still running when ${limit} ran out (raise --max-time)`, {
    url: shown(url),
    timeoutMs: limitMs,
  });
}

/** A runtime that could not be reached or refused the request: the error with what it said (URLs' secrets masked). */
export function requestError(what: string, url: string, detail: string): NodefitError {
  return new NodefitError("probe_failed", `${what}: ${shown(url)}: ${redactUrls(detail)}`, { url: shown(url) });
}

/**
 * Sends a request and yields the answer's body in parts as they arrive, each stamped. Fails with a clear error when
 * the server does not answer, answers with an error status, goes quiet for `idleTimeoutMs`, or is still sending at
 * the deadline.
 */
async function* streamChunks(what: string, url: string, init: RequestInit, options: StreamOptions): AsyncGenerator<{ bytes: Uint8Array; at: number }> {
  const controller = new AbortController();
  let started = false;
  let why: "idle" | "deadline" | null = null;
  let idle: NodeJS.Timeout | null = null;
  let total: NodeJS.Timeout | null = null;
  const deadline = options.deadline ?? null;
  const arm = (): void => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => {
      why = "idle";
      controller.abort(hungError(what, url, options.idleTimeoutMs, started));
    }, options.idleTimeoutMs);
    idle.unref?.();
  };
  const fail = (e: unknown): never => {
    if (why === "idle") throw hungError(what, url, options.idleTimeoutMs, started);
    if (why === "deadline") throw deadlineError(what, url, deadline!.limitMs);
    if (e instanceof NodefitError) throw e;
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
    throw requestError(what, url, `${messageOf(e)}${cause}`);
  };
  if (deadline !== null) {
    const left = deadline.at - performance.now();
    if (left <= 0) throw deadlineError(what, url, deadline.limitMs);
    total = setTimeout(() => {
      why = "deadline";
      controller.abort(deadlineError(what, url, deadline.limitMs));
    }, left);
    total.unref?.();
  }
  arm();
  try {
    let response: Response;
    try {
      response = await options.fetch(url, { ...init, signal: controller.signal });
    } catch (e) {
      return fail(e);
    }
    started = true;
    arm();
    if (!response.ok) {
      let body = "";
      try {
        body = (await readCappedText(response, 4096, controller.signal)).slice(0, 300).trim();
      } catch {
        // the status says enough
      }
      throw requestError(what, url, `HTTP ${response.status}${body ? `: ${body}` : ""}`);
    }
    if (response.body === null) throw requestError(what, url, "an empty answer");
    const reader = response.body.getReader();
    try {
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (e) {
          return fail(e);
        }
        if (why !== null) return fail(null);
        const at = performance.now();
        if (chunk.done) break;
        arm();
        yield { bytes: chunk.value, at };
      }
    } finally {
      // Stop reading whatever the consumer did (a line too long, an error in an event): the connection goes.
      void reader.cancel().catch(() => undefined);
    }
  } finally {
    if (idle) clearTimeout(idle);
    if (total) clearTimeout(total);
    if (!controller.signal.aborted) controller.abort();
  }
}

/**
 * Sends a request and yields the answer's lines as they arrive. Fails with a clear error when the server does not
 * answer, answers with an error status, goes quiet for `idleTimeoutMs`, sends a line over MAX_STREAM_LINE_CHARS, or is
 * still sending at the deadline.
 */
export async function* streamLines(what: string, url: string, init: RequestInit, options: StreamOptions): AsyncGenerator<StampedLine> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const { bytes, at } of streamChunks(what, url, init, options)) {
    // Only the new text is searched for a line's end: a long line costs its length once, not once per part.
    let from = pending.length;
    pending += decoder.decode(bytes, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf("\n", from)) >= 0) {
      const line = pending.slice(0, nl).replace(/\r$/, "");
      pending = pending.slice(nl + 1);
      from = 0;
      if (line.length > MAX_STREAM_LINE_CHARS) throw lineTooLong(what, url);
      yield { line, at };
    }
    if (pending.length > MAX_STREAM_LINE_CHARS) throw lineTooLong(what, url);
  }
  pending += decoder.decode();
  if (pending.length > MAX_STREAM_LINE_CHARS) throw lineTooLong(what, url);
  if (pending.trim() !== "") yield { line: pending.replace(/\r$/, ""), at: performance.now() };
}

const lineTooLong = (what: string, url: string): NodefitError =>
  requestError(what, url, `sent a line longer than ${MAX_STREAM_LINE_CHARS / (1024 * 1024)} MiB: not a runtime's stream`);

/** A JSON request with a timeout (a runtime's model list, version): the parsed body (at most MAX_JSON_BYTES), or a clear error. */
export async function getJson(what: string, url: string, options: StreamOptions, init: RequestInit = {}): Promise<unknown> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const { bytes } of streamChunks(what, url, { method: "GET", ...init }, options)) {
    n += bytes.byteLength;
    if (n > MAX_JSON_BYTES) throw requestError(what, url, `an answer over ${MAX_JSON_BYTES / (1024 * 1024)} MiB: not a runtime's answer`);
    parts.push(bytes);
  }
  const text = new TextDecoder().decode(Buffer.concat(parts));
  try {
    return JSON.parse(text);
  } catch {
    throw requestError(what, url, `not JSON: ${text.slice(0, 200)}`);
  }
}
