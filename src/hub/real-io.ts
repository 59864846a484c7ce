// The Hub's real I/O: the global fetch, and the cache as one JSON file per lookup in the cache folder (created 0700,
// written to a temporary file and renamed, so a reader never sees half a file).
import { mkdir, open, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { HubCacheIo } from "./cache.js";
import type { HubIo } from "./hub.js";
import type { HubSettings } from "./settings.js";

/** A cache file larger than this is not one nodefit wrote (an entry is a few KB). */
const MAX_CACHE_FILE_BYTES = 4 * 2 ** 20;

export function fsHubCache(dir: string): HubCacheIo {
  return {
    async read(name) {
      let handle;
      try {
        handle = await open(join(dir, name), "r");
      } catch {
        return null;
      }
      try {
        const stats = await handle.stat();
        if (!stats.isFile() || stats.size > MAX_CACHE_FILE_BYTES) return null;
        return await handle.readFile("utf8");
      } catch {
        return null;
      } finally {
        await handle.close();
      }
    },
    async write(name, text) {
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        const tmp = join(dir, `.${name}.${process.pid}.tmp`);
        await writeFile(tmp, text, { mode: 0o600 });
        await rename(tmp, join(dir, name));
      } catch {
        // A cache that cannot be written (a read-only home) costs a lookup next time, nothing else.
      }
    },
  };
}

export function realHubIo(settings: HubSettings): HubIo {
  return { fetch: (url, init) => fetch(url, init), cache: settings.cacheDir === null ? null : fsHubCache(settings.cacheDir), now: () => Date.now() };
}
