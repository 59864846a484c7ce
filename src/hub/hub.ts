// The Hub lookup: a reference the catalog does not know, looked up on the Hugging Face Hub (the repository's listing,
// then its config.json or a GGUF file's header), cached on disk with a TTL, answered offline from the cache, and every
// failure said in words.
import { paramBreakdown } from "../catalog/params.js";
import { modelFromGgufHeader } from "../catalog/gguf/model-from-gguf.js";
import { canonicalQuant, splitQuant } from "../catalog/resolve/quant-label.js";
import { ModelSchema, type ModelSpec } from "../catalog/schema.js";
import { MAX_NAME_LENGTH } from "../domain/limits.js";
import { GGUF_LADDER, type QuantName } from "../domain/quants.js";
import { cacheName, parseCached, serializeFound, type CachedFound, type HubCacheIo, type HubFound } from "./cache.js";
import { encodePath, HubClient, HubError, type FetchLike } from "./client.js";
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
/** Rate limited without a Retry-After: wait this long before asking again. */
const RATE_LIMIT_WAIT_MS = 60 * 1000;
/** Answers remembered at most (the oldest forgotten first): a flood of made-up names cannot grow the memo without end. */
export const MAX_MEMO_ENTRIES = 512;
/** Lookups waiting on the Hub at once at most; more are answered at once that the Hub was not asked. */
export const MAX_LOOKUPS_IN_FLIGHT = 8;
/** config.json at most. */
const MAX_CONFIG_BYTES = 2 ** 20;

/** A repository's listing (`api/models/{repo}`), the fields nodefit reads. */
interface Listing {
  id: string;
  sha: string;
  files: Map<string, number | null>;
  safetensorsTotal: number | null;
  license: string | null;
  createdAt: string | null;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);

function listingOf(raw: unknown, url: string): Listing {
  const o = obj(raw);
  const sha = o?.["sha"];
  const siblings = o?.["siblings"];
  if (o === null || typeof sha !== "string" || sha === "" || !Array.isArray(siblings)) throw new HubError("bad_answer", "a listing without sha and siblings", url);
  const files = new Map<string, number | null>();
  for (const s of siblings) {
    const e = obj(s);
    const name = e?.["rfilename"];
    if (typeof name !== "string") continue;
    const size = e?.["size"] ?? obj(e?.["lfs"])?.["size"];
    files.set(name, typeof size === "number" && Number.isSafeInteger(size) && size >= 0 ? size : null);
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

/**
 * The GGUF file a reference means in a repository: the file it names; else the one of the quant it names; else
 * Q4_K_M (what Ollama pulls for `hf.co/owner/repo`), else the best quant of the ladder the repository has, else the first.
 * A split file is every part of it.
 */
function pickGguf(ref: HubReference, files: ReadonlyMap<string, number | null>, where: string, revision: string): string[] {
  const ggufs = [...files.keys()].filter(isGguf).sort();
  let chosen: string | undefined;
  if (ref.file !== null) {
    chosen = ggufs.find((f) => f === ref.file) ?? ggufs.find((f) => f.split("/").pop() === ref.file!.split("/").pop());
    if (chosen === undefined) throw new Unreadable(`it has no file ${ref.file}`, where, revision);
  } else if (ref.quantLabel !== null) {
    const want = ref.quantLabel.toUpperCase();
    chosen = ggufs.find((f) => labelOf(f) === want) ?? (ref.quant === null ? undefined : ggufs.find((f) => canonicalQuant(labelOf(f)) === ref.quant));
    if (chosen === undefined) throw new Unreadable(`it has no ${ref.quantLabel} GGUF file (it has ${[...new Set(ggufs.map(labelOf).filter((l) => l !== null))].join(", ") || "none"})`, where, revision);
  } else {
    for (const q of ["Q4_K_M", ...GGUF_LADDER]) {
      chosen = ggufs.find((f) => canonicalQuant(labelOf(f)) === q);
      if (chosen !== undefined) break;
    }
    chosen ??= ggufs[0];
  }
  if (chosen === undefined) throw new Unreadable("it holds no GGUF file", where, revision);
  const shard = SHARD.exec(chosen);
  if (shard === null) return [chosen];
  const count = Number(shard[2]);
  const stem = chosen.slice(0, shard.index);
  const parts = Array.from({ length: count }, (_, i) => `${stem}-${String(i + 1).padStart(5, "0")}-of-${shard[2]}.gguf`);
  const missing = parts.find((p) => !files.has(p));
  if (missing !== undefined) throw new Unreadable(`a part of the split file ${chosen} is missing (${missing})`, where, revision);
  return parts;
}

interface Memo {
  until: number;
  answer: Promise<HubLookup>;
}

/** Looks references up on the Hub; one per process (it memoizes answers and shares lookups in flight). */
export class HubModels {
  readonly #client: HubClient;
  readonly #memo = new Map<string, Memo>();
  #inFlight = 0;

  constructor(
    readonly settings: HubSettings,
    private readonly io: HubIo,
  ) {
    this.#client = new HubClient({ baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, fetch: io.fetch });
  }

  /** What a reference names on the Hub; null when it is no Hub reference (a local path, words, an Ollama library tag). */
  async lookup(reference: string): Promise<HubLookup | null> {
    const ref = hubReference(reference);
    if (ref === null) return null;
    const key = JSON.stringify({ hub: this.settings.baseUrl, repo: ref.repo.toLowerCase(), revision: ref.revision, file: ref.file, quant: ref.quantLabel });
    const now = this.io.now();
    const memo = this.#memo.get(key);
    if (memo !== undefined && memo.until > now) return memo.answer;
    if (this.#inFlight >= MAX_LOOKUPS_IN_FLIGHT) return { failure: `, and the Hugging Face Hub was not asked: ${MAX_LOOKUPS_IN_FLIGHT} lookups are already waiting on it; retry shortly` };
    // Shared by lookups that arrive while it runs; how long it is kept is decided when it ends.
    const entry: Memo = { until: Infinity, answer: Promise.resolve({ failure: "" }) };
    this.#inFlight++;
    entry.answer = this.#answer(reference.trim(), ref, key, (until) => void (entry.until = until)).finally(() => void this.#inFlight--);
    this.#memo.delete(key);
    this.#memo.set(key, entry);
    if (this.#memo.size > MAX_MEMO_ENTRIES) this.#memo.delete(this.#memo.keys().next().value!);
    return entry.answer;
  }

  async #answer(input: string, ref: HubReference, key: string, keep: (until: number) => void): Promise<HubLookup> {
    const cached = await this.#readCache(key);
    const now = this.io.now();
    const age = cached === null ? Infinity : now - cached.fetchedAt;
    if (cached !== null && age <= this.settings.ttlMs) {
      keep(cached.fetchedAt + this.settings.ttlMs);
      return this.#found(input, ref, cached.found, `cached ${new Date(cached.fetchedAt).toISOString()}`);
    }
    if (this.settings.offline) {
      keep(now);
      if (cached !== null) return this.#found(input, ref, cached.found, `cached ${new Date(cached.fetchedAt).toISOString()}; offline, not refreshed`);
      return { failure: ", and nodefit is offline (--offline, NODEFIT_OFFLINE or HF_HUB_OFFLINE): the Hugging Face Hub was not asked" };
    }
    try {
      const found = await this.#fetch(ref);
      const entry: CachedFound = { found, fetchedAt: this.io.now() };
      await this.io.cache?.write(cacheName(key), serializeFound(key, entry)).catch(() => undefined);
      keep(entry.fetchedAt + this.settings.ttlMs);
      return this.#found(input, ref, found, null);
    } catch (e) {
      if (e instanceof HubError) {
        if (e.kind === "unreachable" || e.kind === "bad_answer" || e.kind === "rate_limited") {
          keep(e.kind === "rate_limited" ? this.io.now() + (e.retryAfterS === null ? RATE_LIMIT_WAIT_MS : e.retryAfterS * 1000) : this.io.now());
          // An answer fetched before serves past its TTL while the Hub cannot be reached, and says so.
          if (cached !== null) return this.#found(input, ref, cached.found, `cached ${new Date(cached.fetchedAt).toISOString()}; the Hub could not be reached to refresh it: ${e.message}`);
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

  async #readCache(key: string): Promise<CachedFound | null> {
    const text = await this.io.cache?.read(cacheName(key)).catch(() => null);
    return text ? parseCached(key, text) : null;
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

  async #fetch(ref: HubReference): Promise<HubFound> {
    const c = this.#client;
    const repoPath = encodePath(ref.repo);
    const api = c.url(ref.revision === "main" ? `api/models/${repoPath}?blobs=true` : `api/models/${repoPath}/revision/${encodeURIComponent(ref.revision)}?blobs=true`);
    const listing = listingOf(await c.json(api), api);
    const repo = listing.id.toLowerCase() === ref.repo.toLowerCase() ? listing.id : ref.repo;
    const page = c.url(encodePath(repo));
    const resolve = (file: string): string => c.url(`${encodePath(repo)}/resolve/${encodeURIComponent(listing.sha)}/${encodePath(file)}`);
    const hasGguf = [...listing.files.keys()].some(isGguf);
    const hasConfig = listing.files.has("config.json");
    const viaGguf = hasGguf && (ref.file !== null || ref.quantLabel !== null || !hasConfig);
    if (viaGguf) {
      const files = pickGguf(ref, listing.files, page, listing.sha);
      const parts: RemotePart[] = files.map((f) => ({ url: resolve(f), name: f, size: listing.files.get(f) ?? null }));
      let imported;
      try {
        const header = await readRemoteGgufHeader(c, parts, `${repo}/${files[0]}`);
        imported = modelFromGgufHeader(header, `${repo}/${files[0]}`, { id: repo, sources: [page], where: `the Hugging Face Hub repository ${repo} at revision ${listing.sha}` });
      } catch (e) {
        if (e instanceof HubError) throw e;
        if (e instanceof RemoteGgufError || (e instanceof Error && e.name === "NodefitError")) throw new Unreadable(`the GGUF header of ${files[0]} cannot be read: ${e.message.replace(/^GGUF file [^:]+: /, "")}`, page, listing.sha);
        throw e;
      }
      const model = ModelSchema.safeParse({ ...imported.model, license: imported.model.license === "unknown" ? (listing.license ?? "unknown") : imported.model.license, release_date: listing.createdAt });
      if (!model.success) {
        const issue = model.error.issues[0];
        throw new Unreadable(`its listing and GGUF header describe a model nodefit cannot take (${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"})`, page, listing.sha);
      }
      return { model: model.data, repo, revision: listing.sha, source: "gguf", file: files[0]!, quant: canonicalQuant(imported.quant), url: page };
    }
    if (!hasConfig) throw new Unreadable("it holds neither config.json nor a GGUF file", page, listing.sha);
    const configUrl = resolve("config.json");
    const config = await c.json(configUrl, MAX_CONFIG_BYTES);
    let model: ModelSpec;
    let quant: QuantName | null;
    try {
      ({ model, quant } = modelFromConfig(config, listing, repo, page));
    } catch (e) {
      if (e instanceof ConfigRefusal) throw new Unreadable(e.message, page, listing.sha);
      throw e;
    }
    return { model, repo, revision: listing.sha, source: "config.json", file: null, quant, url: page };
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
