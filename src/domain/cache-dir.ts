// The user's nodefit cache folder, where the RAM bandwidth measurement, the installed GGUF headers and (under `hub/`)
// the Hub's answers are kept: NODEFIT_CACHE_DIR, else `%LOCALAPPDATA%\nodefit\cache` on Windows,
// `~/Library/Caches/nodefit` on macOS, `$XDG_CACHE_HOME/nodefit` (an absolute one) or `~/.cache/nodefit`; paths only.
// Also the one parser of the probe_cache switch (NODEFIT_PROBE_CACHE), which the CLI's settings and the local inputs share.
import path, { posix, win32 } from "node:path";
import { NodefitError } from "./errors.js";
import { redactUrl } from "./redact.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The variable that moves every cache. */
export const CACHE_DIR_ENV = "NODEFIT_CACHE_DIR";
/** The Hub's answers' folder in the cache folder. */
export const HUB_CACHE_SUBDIR = "hub";

/**
 * The platform's user cache folder for nodefit (NODEFIT_CACHE_DIR aside), from LOCALAPPDATA / XDG_CACHE_HOME and the
 * home folder; null when it needs a home folder and has none.
 */
export function userCacheDir(env: Env, platform: NodeJS.Platform, homedir: string): string;
export function userCacheDir(env: Env, platform: NodeJS.Platform, homedir: string | null): string | null;
export function userCacheDir(env: Env, platform: NodeJS.Platform, homedir: string | null): string | null {
  if (platform === "win32") {
    const local = env["LOCALAPPDATA"];
    if (local !== undefined && local !== "") return win32.join(local, "nodefit", "cache");
    return homedir === null ? null : win32.join(homedir, "AppData", "Local", "nodefit", "cache");
  }
  if (platform === "darwin") return homedir === null ? null : posix.join(homedir, "Library", "Caches", "nodefit");
  // The XDG spec: a relative $XDG_CACHE_HOME is invalid and ignored.
  const xdg = env["XDG_CACHE_HOME"];
  if (xdg !== undefined && posix.isAbsolute(xdg)) return posix.join(xdg, "nodefit");
  return homedir === null ? null : posix.join(homedir, ".cache", "nodefit");
}

/** NODEFIT_CACHE_DIR (a relative one taken from the working folder), else the platform's user cache folder. */
export function cacheDir(env: Env, platform: NodeJS.Platform, homedir: string): string;
export function cacheDir(env: Env, platform: NodeJS.Platform, homedir: string | null): string | null;
export function cacheDir(env: Env, platform: NodeJS.Platform, homedir: string | null): string | null {
  const given = env[CACHE_DIR_ENV];
  return given !== undefined && given.trim() !== "" ? path.resolve(given) : userCacheDir(env, platform, homedir);
}

const CACHE_ON = new Set(["1", "true", "yes", "on"]);
const CACHE_OFF = new Set(["0", "false", "no", "off"]);

/**
 * A probe_cache value (NODEFIT_PROBE_CACHE, the config file's `probe_cache`): on|1|true|yes keeps the RAM bandwidth and
 * GGUF header caches between runs, off|0|false|no keeps nothing; anything else throws `invalid_argument` naming `key`.
 */
export function parseProbeCache(raw: string, key: string): boolean {
  const text = raw.trim().toLowerCase();
  if (CACHE_ON.has(text)) return true;
  if (CACHE_OFF.has(text)) return false;
  throw new NodefitError("invalid_argument", `invalid ${key} value: use on|1|true|yes to keep the cache, off|0|false|no to keep nothing between runs (got "${redactUrl(raw)}")`, { key });
}

/** The Hub's answers' folder in a cache folder. */
export const hubCacheIn = (dir: string, platform: NodeJS.Platform = process.platform): string => (platform === "win32" ? win32 : posix).join(dir, HUB_CACHE_SUBDIR);
