// The Hub lookup: a reference the catalog does not know, looked up on the Hugging Face Hub (the repository's listing,
// then its config.json or a GGUF file's header), cached on disk with a TTL, answered offline from the cache, and every
// failure said in words. This file owns the lookup itself: its queue (two at a time), deadline and byte budget, the
// backoff for the whole Hub after a 429 or an outage, stopping it when nobody waits for it, and the memo and cache of
// answers per resolved model. The listing and the file chosen in it: listing.ts; the config.json path: from-config.ts.
import { GGUF_READER_LIMITS } from "../catalog/gguf/header-reader.js";
import { modelFromGgufHeader } from "../catalog/gguf/model-from-gguf.js";
import { canonicalQuant } from "../catalog/resolve/quant-label.js";
import { ModelSchema, type ModelSpec } from "../catalog/schema.js";
import { createHash } from "node:crypto";
import { NodefitError } from "../domain/errors.js";
import type { QuantName } from "../domain/quants.js";
import { ALIASES_FILE, cacheName, parseAliases, parseCached, serializeAliases, serializeFound, type Alias, type CachedFound, type HubCacheIo, type HubFound } from "./cache.js";
import { encodePath, HubClient, HubError, LookupScope, LookupStopped, type FetchLike } from "./client.js";
import { MAX_CONFIG_BYTES, modelFromHubConfig } from "./from-config.js";
import { readRemoteGgufHeader, RemoteGgufError, type RemotePart } from "./gguf-remote.js";
import { listingOf, MAX_LISTING_BYTES, pickGguf, Unreadable } from "./listing.js";
import { hubReference, type HubReference } from "./reference.js";
import type { HubSettings } from "./settings.js";

export type { HubFound } from "./cache.js";

/**
 * Why the Hub gave no model: `reason` reads on its own ("the Hub could not be reached: ..."); `clause` continues the
 * service's `model "x" is not in the catalog` (", and the Hub could not be reached: ...", ", nor on the Hugging Face
 * Hub (...)", "; the Hugging Face Hub has it (...), but ...").
 */
export interface HubFailure {
  reason: string;
  clause: string;
}

/** What the service needs of a lookup: an entry and how to say where it came from, or why there is none. */
export type HubLookup =
  | { found: { model: ModelSpec; matchedBy: "hub"; quant: QuantName | null; note: string; ollamaPull: boolean } }
  | { failure: HubFailure };

/** A failure whose reason, after "is not in the catalog", joins with ", and" (or `join`). */
const failed = (reason: string, join: ", and " | "; " = ", and "): HubLookup => ({ failure: { reason, clause: `${join}${reason}` } });

export interface HubIo {
  fetch: FetchLike;
  /** null: no disk cache (no home folder). */
  cache: HubCacheIo | null;
  now: () => number;
}

/**
 * The scope of a token in cache keys: the first 16 hex digits of its SHA-256 (never the token). The disk cache is
 * shared by every command of a user (a CLI run with a token, an agent without one): keyed so, a gated or private
 * repository read with the token is never answered from the cache to a lookup without it.
 */
const tokenScope = (token: string | null): string | null => (token === null ? null : createHash("sha256").update(token).digest("hex").slice(0, 16));

/** A repository the Hub does not have, or will not share, or whose files nodefit cannot read, is asked again after this. */
export const NEGATIVE_TTL_MS = 10 * 60 * 1000;
/** Rate limited without a Retry-After: the whole Hub is not asked for this long. */
const RATE_LIMIT_WAIT_MS = 60 * 1000;
/** A Retry-After is followed up to this long. */
const MAX_BACKOFF_MS = 10 * 60 * 1000;
/** The Hub could not be reached (no answer, a timeout, a 5xx): it is not asked again for this long. */
export const UNREACHABLE_BACKOFF_MS = 15 * 1000;
/** A lookup stopped at its deadline is not tried again for this long. */
const DEADLINE_RETRY_MS = 60 * 1000;
/** Answers remembered at most (the oldest forgotten first): a flood of made-up names cannot grow the memo without end. */
export const MAX_MEMO_ENTRIES = 512;
/** References remembered as aliases of the entry their listing resolved to (in memory and in the cache's aliases file). */
export const MAX_ALIASES = 512;
/**
 * The bytes a lookup can read at most, from the caps on each thing it reads: the listing (MAX_LISTING_BYTES, 2 MiB),
 * then config.json (MAX_CONFIG_BYTES, 1 MiB) or the GGUF header ranges, which the header reader caps per model
 * (GGUF_READER_LIMITS.totalBytes, 32 MiB: a first header up to its 24 MiB cap, and 256 KiB probes of the later parts
 * within the rest). 34 MiB; the budget stops a lookup there whatever any one cap allows.
 */
const MAX_LOOKUP_BYTES = MAX_LISTING_BYTES + Math.max(MAX_CONFIG_BYTES, GGUF_READER_LIMITS.totalBytes);

export interface HubLimits {
  /**
   * Lookups waiting on the Hub at once; more are answered at once that the Hub was not asked. Two: each may read up
   * to its byte budget and holds a turn of the one GGUF header reader.
   */
  inFlight: number;
  /** One lookup, every request and the header's parse included, ms (a per-request timeout bounds each request too). */
  deadlineMs: number;
  /** Bytes one lookup may read from the Hub, listing, config.json and header ranges together (MAX_LOOKUP_BYTES). */
  maxBytes: number;
  /**
   * Parts of a split GGUF file read from the Hub (each costs a request): llama.cpp's gguf-split cuts by tensor count
   * (128 a part: DeepSeek-V3's ~1,150 tensors make 9 parts) or by size (the Hub's 50 GB per file: a 2 TB BF16 model,
   * Kimi K2, makes ~45 parts). 64; a model in more parts is estimated from a local copy (`--gguf`).
   */
  maxParts: number;
  /** GGUF files of a listing a quant is chosen among (the largest GGUF repositories hold a few hundred). */
  maxGgufCandidates: number;
}

export const HUB_LIMITS: Readonly<HubLimits> = Object.freeze({
  inFlight: 2,
  deadlineMs: 20_000,
  maxBytes: MAX_LOOKUP_BYTES,
  maxParts: 64,
  maxGgufCandidates: 4096,
});

interface Memo {
  until: number;
  answer: Promise<HubLookup>;
  /** While the lookup runs: its scope, and how many wait for it (Infinity once one waits that cannot leave). */
  running: { scope: LookupScope; waiters: number } | null;
}

/** What a waiter that left gets (nobody reads it: its request is gone). */
const CANCELLED: HubLookup = failed("the Hugging Face Hub lookup was stopped: the request ended before it did");

/** A lookup stopped because nobody waits for it any more (it has not settled yet). */
const abandoned = (memo: Memo): boolean => {
  const reason: unknown = memo.running?.scope.signal.reason;
  return reason instanceof LookupStopped && reason.why === "abandoned";
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** Looks references up on the Hub; one per process (it memoizes answers and shares lookups in flight). */
export class HubModels {
  readonly #client: HubClient;
  /** Whose answers these are (the token's scope): an answer a token fetched is never served to a lookup without it. */
  readonly #auth: string | null;
  readonly limits: HubLimits;
  readonly #memo = new Map<string, Memo>();
  #inFlight = 0;
  /** No request goes to the Hub before `until` (epoch ms), for every reference: after a 429, or while it is unreachable. */
  #backoff: { until: number; why: string } | null = null;
  /** Each reference's resolved entry (the cache's aliases file, read once). */
  #aliases: Promise<Map<string, Alias>> | null = null;

  constructor(
    readonly settings: HubSettings,
    private readonly io: HubIo,
    limits: Partial<HubLimits> = {},
  ) {
    this.limits = { ...HUB_LIMITS, ...limits };
    this.#client = new HubClient({ baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, fetch: io.fetch, token: settings.token ?? null, tokenAdvice: settings.tokenAdvice ?? null });
    this.#auth = tokenScope(settings.token ?? null);
  }

  /**
   * What a reference names on the Hub; null when it is no Hub reference (a local path, words, an Ollama library tag).
   * `signal`: the caller's request; when every caller waiting for a lookup has gone, the lookup stops.
   */
  async lookup(reference: string, signal?: AbortSignal): Promise<HubLookup | null> {
    const ref = hubReference(reference);
    if (ref === null) return null;
    const key = JSON.stringify({ hub: this.settings.baseUrl, auth: this.#auth, repo: ref.repo.toLowerCase(), revision: ref.revision, file: ref.file, quant: ref.quantLabel?.toUpperCase() ?? null });
    const now = this.io.now();
    const memo = this.#memo.get(key);
    // A lookup whose callers all left is stopped: it counts as expired, and a caller arriving before it settles starts
    // a new one rather than being told that its own request ended.
    if (memo !== undefined && memo.until > now && !abandoned(memo)) return this.#wait(memo, signal);
    if (signal?.aborted) return CANCELLED;
    if (this.#inFlight >= this.limits.inFlight) return failed(`the Hugging Face Hub was not asked: ${this.limits.inFlight} lookups are already waiting on it; retry shortly`);
    // Shared by lookups that arrive while it runs; how long it is kept is decided when it ends.
    const scope = new LookupScope(this.limits.deadlineMs, this.limits.maxBytes);
    const entry: Memo = { until: Infinity, answer: Promise.resolve(CANCELLED), running: { scope, waiters: 0 } };
    this.#inFlight++;
    entry.answer = this.#answer(reference.trim(), ref, key, scope, (until) => void (entry.until = until)).finally(() => {
      this.#inFlight--;
      scope.end();
      entry.running = null;
    });
    this.#memo.delete(key);
    this.#memo.set(key, entry);
    if (this.#memo.size > MAX_MEMO_ENTRIES) this.#memo.delete(this.#memo.keys().next().value!);
    return this.#wait(entry, signal);
  }

  /** One caller's answer: the lookup's, or, when the caller's signal aborts first, CANCELLED; the last to leave stops it. */
  #wait(memo: Memo, signal: AbortSignal | undefined): Promise<HubLookup> {
    const running = memo.running;
    if (running === null) return memo.answer;
    if (signal === undefined) {
      running.waiters = Infinity;
      return memo.answer;
    }
    running.waiters++;
    return new Promise<HubLookup>((resolve, reject) => {
      const leave = (): void => {
        if (--running.waiters <= 0) running.scope.stop(new LookupStopped("abandoned", "nobody waits for its answer any more"));
        resolve(CANCELLED);
      };
      signal.addEventListener("abort", leave, { once: true });
      memo.answer.then(
        (a) => {
          signal.removeEventListener("abort", leave);
          resolve(a);
        },
        (e: unknown) => {
          signal.removeEventListener("abort", leave);
          reject(e);
        },
      );
      if (signal.aborted) leave();
    });
  }

  async #answer(input: string, ref: HubReference, key: string, scope: LookupScope, keep: (until: number) => void): Promise<HubLookup> {
    const alias = (await this.#aliasMap()).get(key) ?? null;
    const cached = alias === null ? null : await this.#readEntry(alias.key);
    const at = alias?.at ?? 0;
    const now = this.io.now();
    if (cached !== null && now - at <= this.settings.ttlMs) {
      keep(at + this.settings.ttlMs);
      return this.#found(input, ref, cached.found, `cached ${iso(at)}`);
    }
    if (this.settings.offline) {
      keep(now);
      if (cached !== null) return this.#found(input, ref, cached.found, `cached ${iso(at)}; offline, not refreshed`);
      return failed("nodefit is offline (--offline, NODEFIT_OFFLINE or HF_HUB_OFFLINE): the Hugging Face Hub was not asked");
    }
    const backoff = this.#backoff;
    if (backoff !== null && backoff.until > now) {
      keep(now);
      const wait = `the Hub is not asked for ${Math.ceil((backoff.until - now) / 1000)} s more: ${backoff.why}`;
      if (cached !== null) return this.#found(input, ref, cached.found, `cached ${iso(at)}; not refreshed, ${wait}`);
      return failed(`the Hugging Face Hub was not asked: ${wait}`);
    }
    try {
      const { found, entryKey, fetched } = await this.#fetch(ref, scope);
      if (fetched) await this.io.cache?.write(cacheName(entryKey), serializeFound(entryKey, { found, fetchedAt: now })).catch(() => undefined);
      await this.#setAlias(key, { key: entryKey, at: now });
      keep(now + this.settings.ttlMs);
      return this.#found(input, ref, found, null);
    } catch (e) {
      const stale = (why: string): HubLookup | null => (cached === null ? null : this.#found(input, ref, cached.found, `cached ${iso(at)}; ${why}`));
      if (e instanceof LookupStopped) {
        if (e.why === "abandoned") {
          keep(now);
          return CANCELLED;
        }
        keep(this.io.now() + (e.why === "budget" ? NEGATIVE_TTL_MS : DEADLINE_RETRY_MS));
        return stale(`the lookup that would refresh it was stopped: ${e.message}`) ?? failed(`the Hugging Face Hub lookup was stopped: ${e.message}`);
      }
      // The header reader busy, or its worker gone (a crash, the heap cap): this lookup failed, the next one tries again.
      if (e instanceof NodefitError && (e.code === "overloaded" || e.code === "internal")) {
        keep(now);
        return failed(`the Hugging Face Hub's answer could not be read now: ${e.message}`);
      }
      if (e instanceof HubError) {
        if (e.kind === "unreachable" || e.kind === "bad_answer" || e.kind === "rate_limited") {
          const later = this.io.now();
          if (e.kind === "rate_limited") this.#backoff = { until: later + Math.min(MAX_BACKOFF_MS, e.retryAfterS === null ? RATE_LIMIT_WAIT_MS : e.retryAfterS * 1000), why: `it answered ${e.message}` };
          if (e.kind === "unreachable") this.#backoff = { until: later + UNREACHABLE_BACKOFF_MS, why: `it could not be reached (${e.message})` };
          keep(e.kind === "rate_limited" ? this.#backoff!.until : later);
          // An answer fetched before serves past its TTL while the Hub cannot be reached, and says so.
          const old = stale(`the Hub could not be reached to refresh it: ${e.message}`);
          if (old !== null) return old;
          if (e.kind === "bad_answer") return failed(`the Hub's answer could not be read: ${e.message} (${e.url})`);
          return failed(`the Hub could not be reached: ${e.message} (${e.url})`);
        }
        keep(this.io.now() + NEGATIVE_TTL_MS);
        if (e.kind === "not_found") return { failure: { reason: `the Hugging Face Hub does not have it (${e.url}: ${e.message})`, clause: `, nor on the Hugging Face Hub (${e.url}: ${e.message})` } };
        return failed(`the Hugging Face Hub does not share it (${e.url}: ${e.message})`);
      }
      if (e instanceof Unreadable) {
        keep(this.io.now() + NEGATIVE_TTL_MS);
        return failed(`the Hugging Face Hub has it (${e.url}, revision ${e.revision}), but ${e.message}`, "; ");
      }
      keep(this.io.now());
      throw e;
    }
  }

  /** The aliases the cache holds, read once; an unreadable or foreign file is none. */
  #aliasMap(): Promise<Map<string, Alias>> {
    this.#aliases ??= (async () => {
      const text = await this.io.cache?.read(ALIASES_FILE).catch(() => null);
      return text ? parseAliases(text, MAX_ALIASES) : new Map<string, Alias>();
    })();
    return this.#aliases;
  }

  async #setAlias(key: string, alias: Alias): Promise<void> {
    const map = await this.#aliasMap();
    map.delete(key);
    map.set(key, alias);
    for (const k of map.keys()) {
      if (map.size <= MAX_ALIASES) break;
      map.delete(k);
    }
    await this.io.cache?.write(ALIASES_FILE, serializeAliases(map)).catch(() => undefined);
  }

  async #readEntry(entryKey: string): Promise<CachedFound | null> {
    const text = await this.io.cache?.read(cacheName(entryKey)).catch(() => null);
    return text ? parseCached(entryKey, text) : null;
  }

  #found(input: string, ref: HubReference, f: HubFound, cache: string | null): HubLookup {
    const what = f.source === "config.json" ? "config.json" : `the GGUF header of ${f.file}`;
    return {
      found: {
        model: f.model,
        matchedBy: "hub",
        quant: ref.quant ?? f.quant,
        note: `"${input}" is not in the catalog: read from the Hugging Face Hub, ${f.url} at revision ${f.revision} (${what})${cache === null ? "" : `; ${cache}`}`,
        ollamaPull: ref.ollamaPull,
      },
    };
  }

  /**
   * The listing, then what it resolves to: the cache's entry for that commit and those files when there is one, else
   * the GGUF header or config.json read now (`fetched`). The entry's key is what the listing resolved to, never the
   * reference as written, so a reference spelled a thousand ways is one entry.
   */
  async #fetch(ref: HubReference, scope: LookupScope): Promise<{ found: HubFound; entryKey: string; fetched: boolean }> {
    const c = this.#client;
    const repoPath = encodePath(ref.repo);
    const api = c.url(ref.revision === "main" ? `api/models/${repoPath}?blobs=true` : `api/models/${repoPath}/revision/${encodeURIComponent(ref.revision)}?blobs=true`);
    const listing = await listingOf(await c.json(api, MAX_LISTING_BYTES, scope), api);
    const repo = listing.id.toLowerCase() === ref.repo.toLowerCase() ? listing.id : ref.repo;
    const page = c.url(encodePath(repo));
    const resolve = (file: string): string => c.url(`${encodePath(repo)}/resolve/${encodeURIComponent(listing.sha)}/${encodePath(file)}`);
    const hasGguf = listing.ggufs.length > 0;
    const hasConfig = listing.files.has("config.json");
    const viaGguf = hasGguf && (ref.file !== null || ref.quantLabel !== null || !hasConfig);
    if (!viaGguf && !hasConfig) throw new Unreadable("it holds neither config.json nor a GGUF file", page, listing.sha);
    const files = viaGguf ? pickGguf(ref, listing, page, listing.sha, this.limits) : ["config.json"];
    const entryKey = JSON.stringify({ hub: this.settings.baseUrl, auth: this.#auth, repo: repo.toLowerCase(), sha: listing.sha, source: viaGguf ? "gguf" : "config.json", files });
    const known = await this.#readEntry(entryKey);
    if (known !== null) return { found: known.found, entryKey, fetched: false };
    if (viaGguf) {
      const parts: RemotePart[] = files.map((f) => ({ url: resolve(f), name: f, size: listing.files.get(f) ?? null }));
      let imported;
      try {
        const header = await readRemoteGgufHeader(c, parts, `${repo}/${files[0]}`, scope);
        imported = modelFromGgufHeader(header, `${repo}/${files[0]}`, { id: repo, sources: [page], where: `the Hugging Face Hub repository ${repo} at revision ${listing.sha}` });
      } catch (e) {
        if (e instanceof HubError || e instanceof LookupStopped) throw e;
        if (e instanceof RemoteGgufError || (e instanceof NodefitError && e.code === "invalid_input_file")) throw new Unreadable(`the GGUF header of ${files[0]} cannot be read: ${e.message.replace(/^GGUF file [^:]+: /, "")}`, page, listing.sha);
        throw e;
      }
      const model = ModelSchema.safeParse({ ...imported.model, license: imported.model.license === "unknown" ? (listing.license ?? "unknown") : imported.model.license, release_date: listing.createdAt });
      if (!model.success) {
        const issue = model.error.issues[0];
        throw new Unreadable(`its listing and GGUF header describe a model nodefit cannot take (${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"})`, page, listing.sha);
      }
      return { found: { model: model.data, repo, revision: listing.sha, source: "gguf", file: files[0]!, quant: canonicalQuant(imported.quant), url: page }, entryKey, fetched: true };
    }
    const { model, quant } = await modelFromHubConfig(c, resolve("config.json"), listing, repo, page, scope);
    return { found: { model, repo, revision: listing.sha, source: "config.json", file: null, quant, url: page }, entryKey, fetched: true };
  }
}
