// Streaming HTTP for the runners: a request whose answer arrives as lines (server-sent events, NDJSON), each line
// stamped with the moment its bytes arrived, under an idle timeout so a hung runtime ends the bench with a clear error.
import { NodefitError, messageOf } from "../../domain/errors.js";

/** The fetch the runners use: the global one, or a test's (recorded answers replayed). */
export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface StreamOptions {
  fetch: FetchFn;
  /** Milliseconds without a byte (before the answer starts, or between two parts of it) after which the request fails. */
  idleTimeoutMs: number;
}

export interface StampedLine {
  line: string;
  /** performance.now() when the bytes that completed this line arrived. */
  at: number;
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** The error of a runtime that stopped answering. */
export function hungError(what: string, url: string, idleTimeoutMs: number, started: boolean): NodefitError {
  const phase = started ? "stopped answering mid-stream" : "did not answer";
  return new NodefitError(
    "probe_failed",
    `${what}: ${url} ${phase} for ${seconds(idleTimeoutMs)} (a hung runtime, or one still loading the model: raise --timeout)`,
    { url, timeoutMs: idleTimeoutMs },
  );
}

/** A runtime that could not be reached or refused the request: the error with what it said. */
export function requestError(what: string, url: string, detail: string): NodefitError {
  return new NodefitError("probe_failed", `${what}: ${url}: ${detail}`, { url });
}

/**
 * Sends a request and yields the answer's lines as they arrive. Fails with a clear error when the server does not
 * answer, answers with an error status, or goes quiet for `idleTimeoutMs`.
 */
export async function* streamLines(what: string, url: string, init: RequestInit, options: StreamOptions): AsyncGenerator<StampedLine> {
  const controller = new AbortController();
  let started = false;
  let timedOut = false;
  let timer: NodeJS.Timeout | null = null;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(hungError(what, url, options.idleTimeoutMs, started));
    }, options.idleTimeoutMs);
    timer.unref?.();
  };
  const fail = (e: unknown): never => {
    if (timedOut) throw hungError(what, url, options.idleTimeoutMs, started);
    if (e instanceof NodefitError) throw e;
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : "";
    throw requestError(what, url, `${messageOf(e)}${cause}`);
  };
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
        body = (await response.text()).slice(0, 300).trim();
      } catch {
        // the status says enough
      }
      throw requestError(what, url, `HTTP ${response.status}${body ? `: ${body}` : ""}`);
    }
    if (response.body === null) throw requestError(what, url, "an empty answer");
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (e) {
        return fail(e);
      }
      const at = performance.now();
      if (chunk.done) break;
      arm();
      pending += decoder.decode(chunk.value, { stream: true });
      let nl: number;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, "");
        pending = pending.slice(nl + 1);
        yield { line, at };
      }
    }
    pending += decoder.decode();
    if (pending.trim() !== "") yield { line: pending.replace(/\r$/, ""), at: performance.now() };
  } finally {
    if (timer) clearTimeout(timer);
    // A consumer that stopped early (an error in a line) lets the connection go.
    if (!controller.signal.aborted) controller.abort();
  }
}

/** A JSON GET with a timeout (a runtime's model list, version): the parsed body, or a clear error. */
export async function getJson(what: string, url: string, options: StreamOptions, init: RequestInit = {}): Promise<unknown> {
  let text = "";
  for await (const { line } of streamLines(what, url, { method: "GET", ...init }, options)) text += `${line}\n`;
  try {
    return JSON.parse(text);
  } catch {
    throw requestError(what, url, `not JSON: ${text.slice(0, 200)}`);
  }
}
