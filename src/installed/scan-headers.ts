// GGUF headers for the scan: the versions of a model's files (every part of a split one, names capped before any
// stat), and its header from the cache while they are unchanged, else from the catalog's reader; a refusal of the
// file's content is cached with that version, a passing failure is not, and a read an earlier scan left running is
// joined rather than started again.
import { refusesContent } from "../catalog/gguf/header-reader.js";
import { modelFromGgufHeader, type ImportedGguf } from "../catalog/gguf/model-from-gguf.js";
import { readGgufHeader } from "../catalog/gguf/read-gguf.js";
import { messageOf } from "../domain/errors.js";
import { MAX_GGUF_PARTS } from "../domain/limits.js";
import type { HeaderCache, HeaderEntry } from "./header-cache.js";
import type { ScanBudget } from "./walk.js";

/** Parts of a split model stat'ed at once: on a filesystem that hangs, a scan holds at most this many of libuv's
 *  threads (4 by default, shared with every other file and DNS call of the process). */
const PART_STAT_CONCURRENCY = 2;

/** The header reader: the catalog's GGUF import of the file. */
export async function readInstalledHeader(file: string): Promise<ImportedGguf> {
  return modelFromGgufHeader(await readGgufHeader(file), file);
}

/** A header read's answer: the entry the cache keeps, or a passing failure (the reader busy or out of time, a read
 *  error, a crash), in words, which the next scan tries again. */
type ReadAnswer = { entry: HeaderEntry } | { passing: string };

/** What the scan gets for a model's header: the entry and the model's bytes on disk (null when a part is missing), a
 *  passing failure, or nothing (`stopped`: a bound kept it unread). */
export type ScanHeader = { entry: HeaderEntry; bytes: number | null } | { passing: string } | { stopped: true };

/** Header reads in progress, per cache and file version: a scan that answered at its deadline leaves its read running,
 *  and the next scan joins it (the reader reads one model at a time: a second read would wait for it, then redo it). */
const inProgress = new WeakMap<HeaderCache, Map<string, Promise<ReadAnswer>>>();

/** The files of a GGUF model: every part of a split one (`-00001-of-00003.gguf` and its siblings), else the file; a
 *  refusal, in words, for a name claiming more parts than any model has (before any of them is looked at). */
export function ggufParts(file: string): string[] | string {
  const split = /^(.*)-00001-of-(\d{5})\.gguf$/i.exec(file);
  if (!split) return [file];
  const total = Number(split[2]);
  if (total > MAX_GGUF_PARTS) return `split into ${total} parts by its name: at most ${MAX_GGUF_PARTS} are read`;
  return total < 1 ? [file] : Array.from({ length: total }, (_, i) => `${split[1]}-${String(i + 1).padStart(5, "0")}-of-${split[2]}.gguf`);
}

/** The versions of a model's files (every part of a split one, in order, up to the first missing), stat'ed a few at
 *  a time, and their bytes (null when a part is missing); a refusal for a name that claims more parts than a model
 *  has, before any stat. */
async function partVersions(file: string, budget: ScanBudget): Promise<{ key: string; bytes: number | null } | { error: string } | { stopped: true }> {
  const parts = ggufParts(file);
  if (typeof parts === "string") return { error: parts };
  const versions: string[] = [];
  let bytes: number | null = 0;
  for (let i = 0; i < parts.length && bytes !== null; i += PART_STAT_CONCURRENCY) {
    if (i > 0 && budget.expired()) return { stopped: true };
    const window = parts.slice(i, i + PART_STAT_CONCURRENCY);
    const stats = await Promise.all(window.map((p) => budget.track(`reading the size of ${p}`, () => budget.io.stat(p)).catch((e: unknown) => e as NodeJS.ErrnoException)));
    for (const s of stats) {
      if (s instanceof Error) {
        if (versions.length === 0) return { error: `${file}: ${s.code === "ENOENT" ? "no such file" : (s.code ?? messageOf(s))}` };
        versions.push("none"); // a part not there (yet): the model is read again once it arrives
        bytes = null;
        break;
      }
      versions.push(versions.length === 0 ? `${file}|${s.size}|${s.mtimeMs}|${s.ino}` : `${s.size}|${s.mtimeMs}|${s.ino}`);
      if (bytes !== null) bytes += s.size;
    }
  }
  return { key: versions.join("|"), bytes };
}

/**
 * The header of a GGUF file, from the cache when the file is unchanged (every part of a split one: a part that arrives
 * or grows after the first, as a download goes on, is a new version of the model), and its bytes on disk. `onRead` is
 * called for each header this scan starts reading.
 */
export async function scanHeader(file: string, budget: ScanBudget, cache: HeaderCache, onRead: () => void): Promise<ScanHeader> {
  const v = await partVersions(file, budget);
  if ("stopped" in v) return v;
  if ("error" in v) return { entry: v, bytes: null };
  const hit = cache.get(v.key);
  if (hit !== undefined) return { entry: hit, bytes: v.bytes };
  let reads = inProgress.get(cache);
  if (reads === undefined) inProgress.set(cache, (reads = new Map()));
  let read = reads.get(v.key);
  if (read === undefined) {
    if (!budget.header()) return { stopped: true };
    onRead();
    const started = budget.io.readHeader(file).then(
      (entry): ReadAnswer => ({ entry }),
      (e: unknown): ReadAnswer => (refusesContent(e) ? { entry: { error: messageOf(e) } } : { passing: messageOf(e) }),
    );
    read = started.then((answer) => {
      reads.delete(v.key);
      // Kept even when the scan's time ran out meanwhile: the next scan finds it. A passing failure is not kept.
      if ("entry" in answer) {
        cache.set(v.key, answer.entry);
        void cache.checkpoint();
      }
      return answer;
    });
    reads.set(v.key, read);
  } else if (budget.expired()) return { stopped: true };
  const p = read;
  const answer = await budget.track(`reading the GGUF header of ${file}`, () => p, false);
  return "entry" in answer ? { entry: answer.entry, bytes: v.bytes } : answer;
}
