// The Hub's real I/O: the global fetch, and the cache as JSON files in the cache folder (private, each file written
// whole or not at all: domain/private-cache-file.ts), the folder pruned to a cap after each new entry.
import { lstat, readdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import { readPrivateCacheFile, writePrivateCacheFile } from "../domain/private-cache-file.js";
import type { HubCacheIo } from "./cache.js";
import type { HubIo } from "./hub.js";
import type { HubSettings } from "./settings.js";

/** A cache file larger than this is not one nodefit wrote (an entry is a few KB, the aliases file ~150 KB at its cap). */
const MAX_CACHE_FILE_BYTES = 4 * 2 ** 20;

/**
 * The cache folder's bounds: entries (one per model, commit and files read; a few KB each) and their bytes. Past
 * either, the oldest entries go first. A node that looks up more models than this asks the Hub again for the oldest.
 */
export const HUB_CACHE_CAPS = { entries: 1024, bytes: 64 * 2 ** 20 };

/** Entries' names (cacheName), and the temporary files of writes (a writer killed mid-write leaves one). */
const ENTRY = /^[0-9a-f]{40}\.json$/;
const TEMPORARY = /^(?:[0-9a-f]{40}|aliases)\.json\.\d+\.[0-9a-f]+\.tmp$/;
/** A temporary file older than this belongs to no write in progress. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/**
 * Removes the oldest entries (by modification time) past the caps, and temporary files left by writes that never
 * ended; leaves the aliases file and anything it did not write alone. Links are removed as links (lstat, unlink).
 */
export async function pruneHubCache(dir: string, caps = HUB_CACHE_CAPS, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const entries: Array<{ name: string; mtime: number; size: number }> = [];
  const remove: string[] = [];
  for (const name of names) {
    const entry = ENTRY.test(name);
    if (!entry && !TEMPORARY.test(name)) continue;
    const st = await lstat(join(dir, name)).catch(() => null);
    if (st === null) continue;
    if (entry) entries.push({ name, mtime: st.mtimeMs, size: st.size });
    else if (now - st.mtimeMs > STALE_TEMPORARY_MS) remove.push(name);
  }
  entries.sort((a, b) => b.mtime - a.mtime);
  let bytes = 0;
  entries.forEach((e, i) => {
    bytes += e.size;
    if (i >= caps.entries || bytes > caps.bytes) remove.push(e.name);
  });
  for (const name of remove) await unlink(join(dir, name)).catch(() => undefined);
  return remove.length;
}

export function fsHubCache(dir: string, caps = HUB_CACHE_CAPS): HubCacheIo {
  return {
    async read(name) {
      try {
        return await readPrivateCacheFile(join(dir, name), MAX_CACHE_FILE_BYTES);
      } catch {
        // A link, a FIFO or an oversized file where an entry should be: not one nodefit wrote; looked up again.
        return null;
      }
    },
    async write(name, text) {
      try {
        await writePrivateCacheFile(join(dir, name), text);
        if (ENTRY.test(name)) await pruneHubCache(dir, caps);
      } catch {
        // A cache that cannot be written (a read-only home) costs a lookup next time, nothing else.
      }
    },
  };
}

export function realHubIo(settings: HubSettings): HubIo {
  return { fetch: (url, init) => fetch(url, init), cache: settings.cacheDir === null ? null : fsHubCache(settings.cacheDir), now: () => Date.now() };
}
