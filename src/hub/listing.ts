// A repository's listing and the file a reference means in it: the listing's fields nodefit reads (bounded, read in
// slices), the GGUF file (every part of a split one) a reference names or the quant it would pull, and the refusal of a
// repository's contents (Unreadable).
import { canonicalQuant, splitQuant } from "../catalog/resolve/quant-label.js";
import { asObject } from "../domain/json.js";
import { MAX_NAME_LENGTH } from "../domain/limits.js";
import { GGUF_LADDER, type QuantName } from "../domain/quants.js";
import { HubError } from "./client.js";
import type { HubLimits } from "./hub.js";
import type { HubReference } from "./reference.js";

/**
 * A listing at most: ~8,000 files (an entry with its LFS fields is ~250 bytes; the largest GGUF repositories list a
 * few hundred to a couple of thousand). Parsing it is one stretch of the event loop (10-25 ms for 2 MiB on a 2-core VM,
 * twice that for 4 MiB); its entries are then read in slices that let the loop turn.
 */
export const MAX_LISTING_BYTES = 2 * 2 ** 20;
/** Listing entries read between two turns of the event loop. */
const LISTING_SLICE = 2048;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A repository's listing (`api/models/{repo}`), the fields nodefit reads. */
export interface Listing {
  id: string;
  sha: string;
  files: Map<string, number | null>;
  /** The GGUF model files (mmproj projectors left out), in the listing's order. */
  ggufs: string[];
  safetensorsTotal: number | null;
  license: string | null;
  createdAt: string | null;
}

export async function listingOf(raw: unknown, url: string): Promise<Listing> {
  const o = asObject(raw);
  const sha = o?.["sha"];
  const siblings = o?.["siblings"];
  if (o === null || typeof sha !== "string" || sha === "" || !Array.isArray(siblings)) throw new HubError("bad_answer", "a listing without sha and siblings", url);
  const files = new Map<string, number | null>();
  const ggufs: string[] = [];
  for (let i = 0; i < siblings.length; i++) {
    if (i > 0 && i % LISTING_SLICE === 0) await nextTurn();
    const e = asObject(siblings[i]);
    const name = e?.["rfilename"];
    if (typeof name !== "string") continue;
    const size = e?.["size"] ?? asObject(e?.["lfs"])?.["size"];
    files.set(name, typeof size === "number" && Number.isSafeInteger(size) && size >= 0 ? size : null);
    if (isGguf(name)) ggufs.push(name);
  }
  const total = asObject(o["safetensors"])?.["total"];
  const card = asObject(o["cardData"]);
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
export class Unreadable extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly revision: string,
  ) {
    super(message);
  }
}

const SHARD = /-(\d{5})-of-(\d{5})\.gguf$/i;
export const isGguf = (f: string): boolean => /\.gguf$/i.test(f) && !/(?:^|[/_.-])mmproj/i.test(f);
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
export function pickGguf(ref: HubReference, listing: Listing, where: string, revision: string, limits: Pick<HubLimits, "maxParts" | "maxGgufCandidates">): string[] {
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
