// HTTP GET for runtime probes: an injectable fetch (global fetch by default; tests replay recorded answers), a short
// timeout that covers the body too, a cap on the bytes read, and failures as values (refused, timeout, error).
import { readCappedText } from "../domain/capped-body.js";

/** What probes need of `fetch`: a GET with an abort signal. The global `fetch` fits it. */
export type FetchFn = (url: string, init: { signal: AbortSignal; headers: Record<string, string>; redirect: "manual" }) => Promise<Response>;

export type HttpResult =
  | { ok: true; status: number; body: string; ms: number }
  | { ok: false; failure: "refused" | "timeout" | "error"; message: string; ms: number };

/** A probe's GET: the path under the endpoint's URL. */
export type HttpGetter = (url: string) => Promise<HttpResult>;

/** Every probe request ends within this (the connection, the answer and its body); a runtime on this host answers in a
 *  few milliseconds, so a slower one is reported as hung. */
export const RUNTIME_PROBE_TIMEOUT_MS = 300;

/** The most of an answer read: model lists and /metrics of a busy vLLM are tens of KiB. */
const MAX_ANSWER_BYTES = 1024 * 1024;

const errorCode = (e: unknown): string | null => {
  for (let c: unknown = e, depth = 0; c !== null && typeof c === "object" && depth < 4; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return null;
};

const isTimeout = (e: unknown, signal: AbortSignal): boolean =>
  signal.aborted || (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError"));

/**
 * One GET: never throws; a timeout, a refused connection and any other failure are results. A timeout that fired late
 * (the event loop was busy: a CLI parsing the catalog, a slow machine) says nothing of the endpoint, whose answer may
 * be waiting behind the timer: such a request is tried once more.
 */
export async function httpGet(fetchFn: FetchFn, url: string, timeoutMs = RUNTIME_PROBE_TIMEOUT_MS, maxBytes = MAX_ANSWER_BYTES): Promise<HttpResult> {
  const first = await getOnce(fetchFn, url, timeoutMs, maxBytes);
  if (first.ok || first.failure !== "timeout" || first.ms < timeoutMs * LATE_FACTOR) return first;
  return getOnce(fetchFn, url, timeoutMs, maxBytes);
}

/** A timeout observed this much later than it was set for fired late. */
const LATE_FACTOR = 1.5;

async function getOnce(fetchFn: FetchFn, url: string, timeoutMs: number, maxBytes: number): Promise<HttpResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  const ms = (): number => Math.round(performance.now() - started);
  try {
    const res = await fetchFn(url, { signal, headers: { accept: "application/json, text/plain;q=0.9" }, redirect: "manual" });
    const body = await readCappedText(res, maxBytes);
    return { ok: true, status: res.status, body, ms: ms() };
  } catch (e) {
    if (isTimeout(e, signal)) return { ok: false, failure: "timeout", message: `no answer within ${timeoutMs} ms`, ms: ms() };
    const code = errorCode(e);
    if (code === "ECONNREFUSED") return { ok: false, failure: "refused", message: "connection refused", ms: ms() };
    return { ok: false, failure: "error", message: code ?? (e instanceof Error ? e.message : String(e)), ms: ms() };
  }
}

/**
 * A getter for one probe round: each URL is fetched once however many probes ask for it (llama.cpp's and MLX's
 * servers share port 8080), and every request of the round has the same timeout.
 */
export function roundGetter(fetchFn: FetchFn, timeoutMs = RUNTIME_PROBE_TIMEOUT_MS): HttpGetter {
  const seen = new Map<string, Promise<HttpResult>>();
  return (url) => {
    let r = seen.get(url);
    if (r === undefined) seen.set(url, (r = httpGet(fetchFn, url, timeoutMs)));
    return r;
  };
}

/** The global fetch, as probes call it. */
export const globalFetch: FetchFn = (url, init) => fetch(url, init);

let warming: Promise<void> | null = null;

/**
 * Node's fetch loads its HTTP client on first use, a few hundred milliseconds on a slow machine: loaded once, with a
 * request that touches no network, before the first probe's clock starts.
 */
export function warmGlobalFetch(): Promise<void> {
  warming ??= fetch("data:,").then(
    (r) => r.arrayBuffer().then(() => undefined),
    () => undefined,
  );
  return warming;
}

/** A JSON body, or null when it is not JSON. */
export function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}
