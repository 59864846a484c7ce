// The Hub lookup: a reference the catalog does not know, looked up on the Hugging Face Hub (the repository's listing,
// then its config.json or a GGUF file's header), cached on disk with a TTL, answered offline from the cache, and every
// failure said in words. A lookup is bounded whatever the repository holds (anyone can make one): two at a time, a
// deadline and a byte budget each, a capped number of parts, headers parsed off the event loop within byte caps, one
// backoff for the whole Hub after a 429 or an outage, stopped when nobody waits for it, cached per resolved model.
import { paramBreakdown } from "../catalog/params.js";
import { modelFromGgufHeader } from "../catalog/gguf/model-from-gguf.js";
import { canonicalQuant, splitQuant } from "../catalog/resolve/quant-label.js";
import { ModelSchema, type ModelSpec } from "../catalog/schema.js";
import { NodefitError } from "../domain/errors.js";
import { MAX_NAME_LENGTH } from "../domain/limits.js";
import { GGUF_LADDER, type QuantName } from "../domain/quants.js";
import { ALIASES_FILE, cacheName, parseAliases, parseCached, serializeAliases, serializeFound, type Alias, type CachedFound, type HubCacheIo, type HubFound } from "./cache.js";
import { encodePath, HubClient, HubError, LookupScope, LookupStopped, type FetchLike } from "./client.js";
import { architectureFromConfig, ConfigRefusal } from "./config-json.js";
import { readRemoteGgufHeader, RemoteGgufError, type RemotePart } from "./gguf-remote.js";
import { hubReference, type HubReference } from "./reference.js";
import type { HubSettings } from "./settings.js";

export type { HubFound } from "./cache.js";

/** What the service needs of a lookup: an entry and how to say where it came from, or why there is none. */
export type HubLookup =
  | { found: { model: ModelSpec; matchedBy: "hub"; quant: QuantName | null; note: string; ollamaPull: boolean } }
  | { failure: string };

export interface HubIo {
  fetch: FetchLike;
  /** null: no disk cache (no home folder). */
  cache: HubCacheIo | null;
  now: () => number;
}

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
/** config.json at most. */
const MAX_CONFIG_BYTES = 2 ** 20;
/**
 * A listing at most: ~8,000 files (an entry with its LFS fields is ~250 bytes; the largest GGUF repositories list a
 * few hundred to a couple of thousand). Parsing it is one stretch of the event loop (10-25 ms for 2 MiB on a 2-core VM,
 * twice that for 4 MiB); its entries are then read in slices that let the loop turn.
 */
const MAX_LISTING_BYTES = 2 * 2 ** 20;
/** Listing entries read between two turns of the event loop. */
const LISTING_SLICE = 2048;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface HubLimits {
  /**
   * Lookups waiting on the Hub at once; more are answered at once that the Hub was not asked. Two: each may read up
   * to its byte budget and holds a turn of the one GGUF header reader.
   */
  inFlight: number;
  /** One lookup, every request and the header's parse included, ms (a per-request timeout bounds each request too). */
  deadlineMs: number;
  /**
   * Bytes one lookup may read from the Hub, listing (at most 8 MiB), config.json and header ranges together: a header at
   * its 24 MiB cap read in the parser's 2 MB chunks, 63 later parts read 256 KiB each, and the listing.
   */
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
  maxBytes: 48 * 2 ** 20,
  maxParts: 64,
  maxGgufCandidates: 4096,
});

/** A repository's listing (`api/models/{repo}`), the fields nodefit reads. */
interface Listing {
  id: string;
  sha: string;
  files: Map<string, number | null>;
  /** The GGUF model files (mmproj projectors left out), in the listing's order. */
  ggufs: string[];
  safetensorsTotal: number | null;
  license: string | null;
  createdAt: string | null;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);

async function listingOf(raw: unknown, url: string): Promise<Listing> {
  const o = obj(raw);
  const sha = o?.["sha"];
  const siblings = o?.["siblings"];
  if (o === null || typeof sha !== "string" || sha === "" || !Array.isArray(siblings)) throw new HubError("bad_answer", "a listing without sha and siblings", url);
  const files = new Map<string, number | null>();
  const ggufs: string[] = [];
  for (let i = 0; i < siblings.length; i++) {
    if (i > 0 && i % LISTING_SLICE === 0) await nextTurn();
    const e = obj(siblings[i]);
    const name = e?.["rfilename"];
    if (typeof name !== "string") continue;
    const size = e?.["size"] ?? obj(e?.["lfs"])?.["size"];
    files.set(name, typeof size === "number" && Number.isSafeInteger(size) && size >= 0 ? size : null);
    if (isGguf(name)) ggufs.push(name);
  }
  const total = obj(o["safetensors"])?.["total"];
  const card = obj(o["cardData"]);
  // A license is a name the catalog can take (not blank, not longer than a name may be); else the tag's, else unknown.
  const named = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" && v.trim().length <= MAX_NAME_LENGTH ? v.trim() : null);
  const licenseTag = Array.isArray(o["tags"]) ? o["tags"].find((t): t is string => typeof t === "string" && t.startsWith("license:")) : undefined;
  const license = named(card?.["license"]) ?? named(licenseTag?.slice("license:".length));
  const created = typeof o["createdAt"] === "string" && /^\d{4}-\d{2}-\d{2}/.test(o["createdAt"]) ? o["createdAt"].slice(0, 10) : null;
  return {
    id: typeof o["id"] === "string" && /^[\w.-]+\/[\w.-]+$/.test(o["id"]) ? o["id"] : "",
    sha,
    files,
    ggufs,
    safetensorsTotal: typeof total === "number" && total > 0 ? total : null,
    license,
    createdAt: created,
  };
}

/** A refusal of the repository's contents (not of the request): "the Hub has it, but ...". */
class Unreadable extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly revision: string,
  ) {
    super(message);
  }
}

const SHARD = /-(\d{5})-of-(\d{5})\.gguf$/i;
const isGguf = (f: string): boolean => /\.gguf$/i.test(f) && !/(?:^|[/_.-])mmproj/i.test(f);
/** A GGUF file's quant label as its name gives it ("Q4_K_M", "UD-Q4_K_XL"), else its folder's (unsloth's Q4_K_M/...). */
function labelOf(f: string): string | null {
  const parts = f.split("/");
  const own = splitQuant((parts.pop() ?? f).replace(/\.gguf$/i, "").replace(/-\d{5}-of-\d{5}$/i, "")).label;
  return own ?? (parts.length > 0 ? splitQuant(`-${parts.pop()}`).label : null);
}

/** Labels a "has no such quant" message lists at most. */
const MAX_LABELS_SHOWN = 30;

/**
 * The GGUF file a reference means in a repository: the file it names (its exact path in the listing); else the one of
 * the quant it names; else Q4_K_M (what Ollama pulls for `hf.co/owner/repo`), else the best quant of the ladder the
 * repository has, else the first. A split file is every part of it, at most `maxParts`. Each file's label is read
 * once, among the first `maxGgufCandidates` GGUF files of the listing.
 */
function pickGguf(ref: HubReference, listing: Listing, where: string, revision: string, limits: HubLimits): string[] {
  const files = listing.files;
  let chosen: string | undefined;
  if (ref.file !== null) {
    // The path exactly as listed: one file has one name (never any folder's file of that base name).
    if (!files.has(ref.file) || !isGguf(ref.file)) throw new Unreadable(`it has no file ${ref.file}`, where, revision);
    chosen = ref.file;
  } else {
    const candidates = listing.ggufs.slice(0, limits.maxGgufCandidates).map((file) => {
      const label = labelOf(file);
      return { file, label, quant: canonicalQuant(label) };
    });
    const skipped = listing.ggufs.length - candidates.length;
    candidates.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    if (ref.quantLabel !== null) {
      const want = ref.quantLabel.toUpperCase();
      chosen = (candidates.find((c) => c.label === want) ?? (ref.quant === null ? undefined : candidates.find((c) => c.quant === ref.quant)))?.file;
      if (chosen === undefined) {
        const labels = [...new Set(candidates.map((c) => c.label).filter((l): l is string => l !== null))];
        const shown = labels.length > MAX_LABELS_SHOWN ? `${labels.slice(0, MAX_LABELS_SHOWN).join(", ")} and ${labels.length - MAX_LABELS_SHOWN} more` : labels.join(", ") || "none";
        throw new Unreadable(`it has no ${ref.quantLabel} GGUF file (it has ${shown}${skipped > 0 ? `, among the first ${limits.maxGgufCandidates} GGUF files of its listing` : ""})`, where, revision);
      }
    } else {
      const byQuant = new Map<QuantName, string>();
      for (const c of candidates) if (c.quant !== null && !byQuant.has(c.quant)) byQuant.set(c.quant, c.file);
      for (const q of ["Q4_K_M", ...GGUF_LADDER] as const) {
        chosen = byQuant.get(q);
        if (chosen !== undefined) break;
      }
      chosen ??= candidates[0]?.file;
    }
  }
  if (chosen === undefined) throw new Unreadable("it holds no GGUF file", where, revision);
  const shard = SHARD.exec(chosen);
  if (shard === null) return [chosen];
  const count = Number(shard[2]);
  if (count > limits.maxParts) {
    throw new Unreadable(`${chosen} is split into ${count} parts: nodefit reads the headers of at most ${limits.maxParts} parts from the Hub (a 2 TB model in the Hub's 50 GB files has ~45); estimate a local copy with --gguf`, where, revision);
  }
  const stem = chosen.slice(0, shard.index);
  const parts = Array.from({ length: count }, (_, i) => `${stem}-${String(i + 1).padStart(5, "0")}-of-${shard[2]}.gguf`);
  const missing = parts.find((p) => !files.has(p));
  if (missing !== undefined) throw new Unreadable(`a part of the split file ${chosen} is missing (${missing})`, where, revision);
  return parts;
}

interface Memo {
  until: number;
  answer: Promise<HubLookup>;
  /** While the lookup runs: its scope, and how many wait for it (Infinity once one waits that cannot leave). */
  running: { scope: LookupScope; waiters: number } | null;
}

/** What a waiter that left gets (nobody reads it: its request is gone). */
const CANCELLED: HubLookup = { failure: ", and the Hub lookup was stopped: the request ended before it did" };

const iso = (ms: number): string => new Date(ms).toISOString();

/** Looks references up on the Hub; one per process (it memoizes answers and shares lookups in flight). */
export class HubModels {
  readonly #client: HubClient;
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
    this.#client = new HubClient({ baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, fetch: io.fetch });
  }

  /**
   * What a reference names on the Hub; null when it is no Hub reference (a local path, words, an Ollama library tag).
   * `signal`: the caller's request; when every caller waiting for a lookup has gone, the lookup stops.
   */
  async lookup(reference: string, signal?: AbortSignal): Promise<HubLookup | null> {
    const ref = hubReference(reference);
    if (ref === null) return null;
    const key = JSON.stringify({ hub: this.settings.baseUrl, repo: ref.repo.toLowerCase(), revision: ref.revision, file: ref.file, quant: ref.quantLabel?.toUpperCase() ?? null });
    const now = this.io.now();
    const memo = this.#memo.get(key);
    if (memo !== undefined && memo.until > now) return this.#wait(memo, signal);
    if (signal?.aborted) return CANCELLED;
    if (this.#inFlight >= this.limits.inFlight) return { failure: `, and the Hugging Face Hub was not asked: ${this.limits.inFlight} lookups are already waiting on it; retry shortly` };
    // Shared by lookups that arrive while it runs; how long it is kept is decided when it ends.
    const scope = new LookupScope(this.limits.deadlineMs, this.limits.maxBytes);
    const entry: Memo = { until: Infinity, answer: Promise.resolve({ failure: "" }), running: { scope, waiters: 0 } };
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
      return { failure: ", and nodefit is offline (--offline, NODEFIT_OFFLINE or HF_HUB_OFFLINE): the Hugging Face Hub was not asked" };
    }
    const backoff = this.#backoff;
    if (backoff !== null && backoff.until > now) {
      keep(now);
      const wait = `the Hub is not asked for ${Math.ceil((backoff.until - now) / 1000)} s more: ${backoff.why}`;
      if (cached !== null) return this.#found(input, ref, cached.found, `cached ${iso(at)}; not refreshed, ${wait}`);
      return { failure: `, and the Hugging Face Hub was not asked: ${wait}` };
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
        return stale(`the lookup that would refresh it was stopped: ${e.message}`) ?? { failure: `, and the Hugging Face Hub lookup was stopped: ${e.message}` };
      }
      if (e instanceof NodefitError && e.code === "overloaded") {
        keep(now);
        return { failure: `, and the Hugging Face Hub's answer could not be read now: ${e.message}` };
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
          if (e.kind === "bad_answer") return { failure: `, and the Hub's answer could not be read: ${e.message} (${e.url})` };
          return { failure: `, and the Hub could not be reached: ${e.message} (${e.url})` };
        }
        keep(this.io.now() + NEGATIVE_TTL_MS);
        if (e.kind === "not_found") return { failure: `, nor on the Hugging Face Hub (${e.url}: ${e.message})` };
        return { failure: `, and the Hugging Face Hub does not share it (${e.url}: ${e.message})` };
      }
      if (e instanceof Unreadable) {
        keep(this.io.now() + NEGATIVE_TTL_MS);
        return { failure: `; the Hugging Face Hub has it (${e.url}, revision ${e.revision}), but ${e.message}` };
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
    const entryKey = JSON.stringify({ hub: this.settings.baseUrl, repo: repo.toLowerCase(), sha: listing.sha, source: viaGguf ? "gguf" : "config.json", files });
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
    const config = await c.json(resolve("config.json"), MAX_CONFIG_BYTES, scope);
    let model: ModelSpec;
    let quant: QuantName | null;
    try {
      ({ model, quant } = modelFromConfig(config, listing, repo, page));
    } catch (e) {
      if (e instanceof ConfigRefusal) throw new Unreadable(e.message, page, listing.sha);
      throw e;
    }
    return { found: { model, repo, revision: listing.sha, source: "config.json", file: null, quant, url: page }, entryKey, fetched: true };
  }
}

/** The catalog entry of a config.json: its architecture, the Hub's parameter count for a vision tower it does not size. */
function modelFromConfig(config: unknown, listing: Listing, repo: string, page: string): { model: ModelSpec; quant: QuantName | null } {
  const c = architectureFromConfig(config);
  const caveats = [...c.caveats];
  let architecture = c.architecture;
  const text = paramBreakdown(architecture).total;
  // The Hub counts the stored tensors: packed integers of a quantized repository, so only a 16-bit one is compared.
  const stated = c.storedAs === null ? listing.safetensorsTotal : null;
  if (c.vision) {
    if (stated !== null && stated > text) architecture = { ...architecture, vision_params: Math.round(stated - text) };
    else caveats.push("the vision tower is not sized: config.json does not give its parameters and the Hub states no count to take them from");
  } else if (stated !== null && Math.abs(stated - text) / text > 0.05) {
    caveats.push(`config.json's architecture has ${(text / 1e9).toFixed(2)}B parameters; the Hub's safetensors index counts ${(stated / 1e9).toFixed(2)}B`);
  }
  const p = paramBreakdown(architecture);
  const candidate = {
    id: repo,
    provider: repo.slice(0, repo.indexOf("/")),
    family: c.modelType,
    params_total: Math.round(p.total),
    params_active: architecture.moe ? Math.round(p.activePerToken) : null,
    context_length: c.contextLength,
    architecture,
    license: listing.license ?? "unknown",
    release_date: listing.createdAt,
    category: c.vision ? "multimodal" : "general",
    capabilities: c.vision ? ["vision"] : [],
    sources: [page],
    notes: `Read from the Hugging Face Hub: ${repo} at revision ${listing.sha}, config.json (${c.modelType}).`,
    caveats,
  };
  const parsed = ModelSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigRefusal(`its config.json describes a model nodefit cannot take (${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"})`);
  }
  return { model: parsed.data, quant: c.storedAs };
}
