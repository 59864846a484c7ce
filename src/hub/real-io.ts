// The Hub's real I/O: the global fetch, and the cache as one JSON file per lookup in the cache folder (private, each
// file written whole or not at all: domain/private-cache-file.ts).
import { join } from "node:path";
import { readPrivateCacheFile, writePrivateCacheFile } from "../domain/private-cache-file.js";
import type { HubCacheIo } from "./cache.js";
import type { HubIo } from "./hub.js";
import type { HubSettings } from "./settings.js";

/** A cache file larger than this is not one nodefit wrote (an entry is a few KB). */
const MAX_CACHE_FILE_BYTES = 4 * 2 ** 20;

export function fsHubCache(dir: string): HubCacheIo {
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
      } catch {
        // A cache that cannot be written (a read-only home) costs a lookup next time, nothing else.
      }
    },
  };
}

export function realHubIo(settings: HubSettings): HubIo {
  return { fetch: (url, init) => fetch(url, init), cache: settings.cacheDir === null ? null : fsHubCache(settings.cacheDir), now: () => Date.now() };
}
