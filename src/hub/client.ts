// Hub HTTP: JSON answers with a timeout and a size cap, and byte ranges for GGUF headers, through an injected fetch;
// every failure becomes a HubError that says what happened in words an answer can carry.
import { messageOf } from "../domain/errors.js";
import { isLoopbackHost } from "../domain/loopback.js";

/** The part of `fetch` the client uses (tests inject their own; the default is the global one). */
export type FetchLike = (url: string, init: { headers?: Record<string, string>; signal?: AbortSignal; redirect?: "manual" }) => Promise<Response>;

/**
 * not_found: no such repository, revision or file (404). refused: the Hub will not share it (401/403: gated or
 * private). rate_limited: 429. unreachable: no answer (network, timeout, 5xx, a body cut short). bad_answer: an
 * answer nodefit cannot read (not JSON, too large, a server that ignores byte ranges).
 */
export type HubErrorKind = "not_found" | "refused" | "rate_limited" | "unreachable" | "bad_answer";

export class HubError extends Error {
  override readonly name = "HubError";
  constructor(
    readonly kind: HubErrorKind,
    message: string,
    readonly url: string,
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
}

/**
 * Why a lookup stopped before the Hub answered it: its deadline passed, it read its byte budget, or nobody waits for
 * its answer any more. Thrown by the client where a request or a body read meets it.
 */
export class LookupStopped extends Error {
  override readonly name = "LookupStopped";
  constructor(
    readonly why: "deadline" | "budget" | "abandoned",
    message: string,
  ) {
    super(message);
  }
}

/**
 * One lookup's bounds, shared by all of its requests: a deadline for the whole lookup and a budget of bytes read
 * (listing, config.json, header ranges), and an abort when its last waiter leaves.
 */
export class LookupScope {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  #left: number;

  constructor(
    readonly deadlineMs: number,
    readonly maxBytes: number,
  ) {
    this.#left = maxBytes;
    this.#timer = setTimeout(() => this.stop(new LookupStopped("deadline", `it did not finish within ${seconds(deadlineMs)} (the most a lookup may take)`)), deadlineMs);
    this.#timer.unref();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Counts bytes read; past the budget the lookup stops. */
  take(bytes: number): void {
    this.#left -= bytes;
    if (this.#left < 0) this.stop(new LookupStopped("budget", `it would read more than the ${Math.round(this.maxBytes / 2 ** 20)} MiB a lookup may read from the Hub`));
    this.signal.throwIfAborted();
  }

  stop(reason: LookupStopped): void {
    if (!this.signal.aborted) this.#controller.abort(reason);
  }

  /** The lookup ended: its timer goes. */
  end(): void {
    clearTimeout(this.#timer);
  }
}

/** JSON answers at most: an `api/models` listing of a large repository is a few hundred KB, a config.json a few KB. */
export const MAX_JSON_BYTES = 8 * 2 ** 20;

export interface HubClientOptions {
  baseUrl: string;
  timeoutMs: number;
  fetch: FetchLike;
  /**
   * A Hugging Face token, sent to the Hub's own origin only (never to a CDN a download redirects to), and only over
   * https or to this host (never in clear text over a network); null: none.
   */
  token?: string | null;
  /** How one gives this process a token, for a refusal's words (default: HF_TOKEN, or huggingface-cli login). */
  tokenAdvice?: string | null;
}


/** Redirects followed per request: the Hub sends a file to its CDN once (a revision alias may add one). */
export const MAX_REDIRECTS = 5;

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** A path with each segment encoded (a file may sit in folders: Q4_K_M/model-00001-of-00002.gguf). */
export const encodePath = (path: string): string => path.split("/").map(encodeURIComponent).join("/");

export class HubClient {
  constructor(private readonly options: HubClientOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  url(path: string): string {
    return `${this.options.baseUrl}/${path}`;
  }

  /**
   * One request with the timeout (and the lookup's scope: its deadline, its abort); network failures and timeouts
   * become `unreachable`, statuses their kinds, a stopped scope its LookupStopped.
   */
  async request(url: string, headers: Record<string, string> = {}, scope?: LookupScope): Promise<Response> {
    scope?.signal.throwIfAborted();
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = scope ? AbortSignal.any([timeout, scope.signal]) : timeout;
    const base = new URL(this.options.baseUrl);
    const hub = base.origin;
    const token = base.protocol === "https:" || isLoopbackHost(base.hostname) ? (this.options.token ?? null) : null;
    const withheld = token === null && (this.options.token ?? null) !== null;
    let tokenSent = false;
    let response: Response;
    let at = url;
    // Redirects are followed here, not by fetch, so the token goes to the Hub's origin alone: a file's redirect to a
    // CDN (signed URL) is asked without it.
    for (let hops = 0; ; hops++) {
      const auth: Record<string, string> = token !== null && new URL(at).origin === hub ? { authorization: `Bearer ${token}` } : {};
      tokenSent = "authorization" in auth;
      try {
        response = await this.options.fetch(at, { headers: { ...headers, ...auth }, signal, redirect: "manual" });
      } catch (e) {
        scope?.signal.throwIfAborted();
        const name = (e as { name?: unknown }).name;
        if (name === "TimeoutError" || name === "AbortError") throw new HubError("unreachable", `no answer within ${seconds(this.options.timeoutMs)}`, url);
        const cause = (e as { cause?: unknown }).cause;
        throw new HubError("unreachable", cause === undefined ? messageOf(e) : `${messageOf(e)}: ${messageOf(cause)}`, url);
      }
      const location = response.headers.get("location");
      if (response.status < 300 || response.status > 399 || location === null) break;
      await response.body?.cancel().catch(() => undefined);
      if (hops >= MAX_REDIRECTS) throw new HubError("bad_answer", `more than ${MAX_REDIRECTS} redirects`, url);
      let next: URL;
      try {
        next = new URL(location, at);
      } catch {
        throw new HubError("bad_answer", "a redirect to an address that is not a URL", url);
      }
      if (next.protocol !== "https:" && next.protocol !== "http:") throw new HubError("bad_answer", `a redirect to a ${next.protocol} address`, url);
      // From https to clear text: the signed URL and the data would cross the network readable.
      if (new URL(at).protocol === "https:" && next.protocol === "http:") throw new HubError("bad_answer", "a redirect from https to plain http", url);
      at = next.href;
    }
    if (response.ok) return response;
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (status === 404) throw new HubError("not_found", "404, no such repository, revision or file", url);
    if (status === 401 || status === 403) throw new HubError("refused", `${status}, ${this.#refusal(token, tokenSent, withheld, hub)}`, url);
    if (status === 429) {
      const after = Number(response.headers.get("retry-after"));
      const retry = Number.isFinite(after) && after > 0 ? Math.ceil(after) : null;
      throw new HubError("rate_limited", `429, rate limited${retry === null ? "" : `: retry in ${retry} s`}`, url, retry);
    }
    if (status >= 500) throw new HubError("unreachable", `the Hub answered ${status}`, url);
    throw new HubError("bad_answer", `the Hub answered ${status}`, url);
  }

  /** Why a 401/403 came: who refused what, and what to do about it. */
  #refusal(token: string | null, tokenSent: boolean, withheld: boolean, hub: string): string {
    // Refused where no token went (a CDN's signed URL, expired or refused): the download was refused, not the token.
    if (token !== null && !tokenSent) return "the download was refused where it was redirected";
    if (withheld) return `a gated or private repository: the token is sent over https alone, and ${hub} is plain http`;
    if (token === null) return `a gated or private repository: give nodefit a Hugging Face token with access to it (${this.options.tokenAdvice ?? "HF_TOKEN, or huggingface-cli login"})`;
    return "a gated or private repository the token given has no access to";
  }

  /** A body of at most `maxBytes`, read to its end; a body cut short (or longer than the cap) is an error. */
  async text(url: string, maxBytes = MAX_JSON_BYTES, scope?: LookupScope): Promise<string> {
    const response = await this.request(url, {}, scope);
    const declared = Number(response.headers.get("content-length"));
    if (Number.isFinite(declared) && declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new HubError("bad_answer", `an answer of ${declared} bytes: at most ${maxBytes}`, url);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body ?? []) {
        size += (chunk as Uint8Array).byteLength;
        if (size > maxBytes) throw new HubError("bad_answer", `an answer over ${maxBytes} bytes`, url);
        scope?.take((chunk as Uint8Array).byteLength);
        chunks.push(chunk as Uint8Array);
      }
    } catch (e) {
      if (e instanceof HubError) throw e;
      scope?.signal.throwIfAborted();
      const name = (e as { name?: unknown }).name;
      if (name === "TimeoutError" || name === "AbortError") throw new HubError("unreachable", `the answer did not finish within ${seconds(this.options.timeoutMs)}`, url);
      throw new HubError("unreachable", `the answer was cut short (${messageOf(e)})`, url);
    }
    if (Number.isFinite(declared) && declared > 0 && size < declared) throw new HubError("unreachable", `the answer was cut short (${size} of ${declared} bytes)`, url);
    return Buffer.concat(chunks).toString("utf8");
  }

  /** A JSON answer (see `text`); one that does not parse is `bad_answer`. */
  async json(url: string, maxBytes = MAX_JSON_BYTES, scope?: LookupScope): Promise<unknown> {
    const body = await this.text(url, maxBytes, scope);
    try {
      return JSON.parse(body) as unknown;
    } catch (e) {
      throw new HubError("bad_answer", `not JSON (${messageOf(e)})`, url);
    }
  }
}
