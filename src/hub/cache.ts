// The Hub cache: what a lookup found, kept on disk per resolved model (the repository, the commit and the files read:
// one JSON file each) with the time it was fetched, and one small file of aliases (each reference as written, to the
// entry its listing resolved to, and when), so a repeated estimate asks the Hub once a TTL and an offline one still
// answers. Its I/O is injected; the folder is pruned to a cap (real-io.ts).
import { createHash } from "node:crypto";
import { ModelSchema, type ModelSpec } from "../catalog/schema.js";
import { quantName, type QuantName } from "../domain/quants.js";

/** Reads and writes cache files by name; a missing or unreadable file reads as null, a failed write is ignored. */
export interface HubCacheIo {
  read(name: string): Promise<string | null>;
  write(name: string, text: string): Promise<void>;
}

/** What a lookup found: the entry, and where on the Hub it came from. */
export interface HubFound {
  model: ModelSpec;
  /** `owner/name` as the Hub spells it. */
  repo: string;
  /** The commit the files were read at (the Hub's sha of the revision asked). */
  revision: string;
  /** config.json, or the GGUF file whose header was read. */
  source: "config.json" | "gguf";
  file: string | null;
  /** The quant the files hold, as the estimator names it (a GGUF file's; a quantized repository's format). */
  quant: QuantName | null;
  /** The repository's page. */
  url: string;
}

export interface CachedFound {
  found: HubFound;
  /** Epoch ms when it was fetched. */
  fetchedAt: number;
}

const VERSION = 1;

/** The file name of an entry's key: a hash, so any key makes a safe name. */
export const cacheName = (key: string): string => `${createHash("sha256").update(key).digest("hex").slice(0, 40)}.json`;

export function serializeFound(key: string, entry: CachedFound): string {
  return `${JSON.stringify({ version: VERSION, key, fetched_at: new Date(entry.fetchedAt).toISOString(), found: entry.found })}\n`;
}

/**
 * A cache file's entry, or null when it is not one this version wrote for this key (another version, a collision, a
 * truncated or edited file): such a file is ignored and rewritten by the next lookup that reaches the Hub.
 */
export function parseCached(key: string, text: string): CachedFound | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const r = raw as { version?: unknown; key?: unknown; fetched_at?: unknown; found?: Partial<Record<keyof HubFound, unknown>> };
  if (r?.version !== VERSION || r.key !== key || typeof r.fetched_at !== "string" || typeof r.found !== "object" || r.found === null) return null;
  const fetchedAt = Date.parse(r.fetched_at);
  const f = r.found;
  const model = ModelSchema.safeParse(f.model);
  const str = (v: unknown): v is string => typeof v === "string" && v !== "";
  if (!Number.isFinite(fetchedAt) || !model.success || !str(f.repo) || !str(f.revision) || !str(f.url) || (f.source !== "config.json" && f.source !== "gguf")) return null;
  const quant = typeof f.quant === "string" ? quantName(f.quant) : null;
  return {
    fetchedAt,
    found: { model: model.data, repo: f.repo, revision: f.revision, source: f.source, file: str(f.file) ? f.file : null, quant, url: f.url },
  };
}

/** The aliases' file: beside the entries, never pruned with them. */
export const ALIASES_FILE = "aliases.json";

/** A reference's alias: the key of the entry its listing resolved to, and when the Hub listed it (epoch ms). */
export interface Alias {
  key: string;
  at: number;
}

export function serializeAliases(aliases: ReadonlyMap<string, Alias>): string {
  return `${JSON.stringify({ version: VERSION, aliases: [...aliases].map(([ref, a]) => [ref, a.key, new Date(a.at).toISOString()]) })}\n`;
}

/** The aliases of a file this version wrote, at most `max` (the newest); anything else reads as none. */
export function parseAliases(text: string, max: number): Map<string, Alias> {
  const out = new Map<string, Alias>();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return out;
  }
  const r = raw as { version?: unknown; aliases?: unknown };
  if (r?.version !== VERSION || !Array.isArray(r.aliases)) return out;
  for (const item of r.aliases.slice(-max)) {
    if (!Array.isArray(item) || typeof item[0] !== "string" || typeof item[1] !== "string" || typeof item[2] !== "string") continue;
    const at = Date.parse(item[2]);
    if (Number.isFinite(at)) out.set(item[0], { key: item[1], at });
  }
  return out;
}
