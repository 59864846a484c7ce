// Hub settings: where the Hub is, whether to ask it, where and how long answers are cached, how long a request may
// take; the validators of each (the CLI resolves which door gives a value), and the settings from the environment alone.
import { posix, win32 } from "node:path";
import { cacheDir, hubCacheIn } from "../domain/cache-dir.js";
import { messageOf, NodefitError } from "../domain/errors.js";
import { redactUrl } from "../domain/redact.js";

export interface HubSettings {
  /** The Hub's base URL, no trailing slash (NODEFIT_HUB_URL; default https://huggingface.co). */
  baseUrl: string;
  /** Never ask the Hub (--offline, NODEFIT_OFFLINE, HF_HUB_OFFLINE); cached answers still serve. */
  offline: boolean;
  /** Folder of cached answers (`hub/` in the cache folder, domain/cache-dir.ts); null = no disk cache. */
  cacheDir: string | null;
  /** How long a cached answer is used before the Hub is asked again, ms (NODEFIT_HUB_CACHE_TTL, seconds). */
  ttlMs: number;
  /** How long one request to the Hub may take, ms. */
  timeoutMs: number;
  /**
   * A Hugging Face token for gated and private repositories (NODEFIT_HUB_TOKEN, HF_TOKEN, else the file
   * `huggingface-cli login` writes): sent to the Hub's own origin only, never shown. Absent or null: none.
   */
  token?: string | null;
  /** How one gives this process a token, for a refusal's words (the agent's is NODEFIT_HUB_TOKEN alone). */
  tokenAdvice?: string | null;
}

export const DEFAULT_HUB_URL = "https://huggingface.co";
/** A day: a repository's config.json and headers rarely change, and a revision's never do. */
export const DEFAULT_HUB_TTL_S = 24 * 60 * 60;
/** Per request: the Hub answers metadata in well under a second; a request still waiting after this is not coming. */
export const DEFAULT_HUB_TIMEOUT_MS = 8000;
/** The longest TTL one may set: a year. */
export const MAX_HUB_TTL_S = 365 * 24 * 60 * 60;

const TRUE = new Set(["1", "true", "yes", "on"]);
const FALSE = new Set(["", "0", "false", "no", "off"]);

/** An offline switch's value (NODEFIT_OFFLINE, HF_HUB_OFFLINE): 1|true|yes|on or 0|false|no|off; throws naming `name`. */
export function parseOfflineValue(raw: string, name: string): boolean {
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new NodefitError("invalid_argument", `invalid ${name} value: use 1|true|yes to stay offline, 0|false|no to ask the Hub (got "${redactUrl(raw)}")`, { key: name });
}

const flag = (env: Readonly<Record<string, string | undefined>>, name: string): boolean => {
  const raw = env[name];
  return raw === undefined ? false : parseOfflineValue(raw, name);
};

/** The Hub's base URL, checked (http or https, no credentials, query or fragment); the default when unset. `key` names
 *  where it came from in the error, which echoes the value with its credentials, query and fragment masked. */
export function hubBaseUrl(raw: string | undefined, key = "NODEFIT_HUB_URL"): string {
  if (raw === undefined || raw.trim() === "") return DEFAULT_HUB_URL;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new NodefitError("invalid_argument", `invalid ${key} value: use an http(s) URL such as ${DEFAULT_HUB_URL} (got "${redactUrl(raw)}")`, { key });
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "")
    throw new NodefitError("invalid_argument", `invalid ${key} value: use an http(s) URL without credentials, query or fragment, such as ${DEFAULT_HUB_URL} (got "${redactUrl(raw)}")`, { key });
  return url.href.replace(/\/+$/, "");
}

/** A cache TTL in whole seconds, as milliseconds; the default when unset. `key` names where it came from in the error. */
export function hubTtlMs(raw: string | undefined, key = "NODEFIT_HUB_CACHE_TTL"): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_HUB_TTL_S * 1000;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) > MAX_HUB_TTL_S)
    throw new NodefitError("invalid_argument", `invalid ${key} value: use whole seconds from 0 to ${MAX_HUB_TTL_S} (got "${redactUrl(raw)}")`, { key });
  return Number(raw) * 1000;
}

/**
 * Where `huggingface-cli login` keeps the token, as huggingface_hub finds it: HF_TOKEN_PATH, else `token` in HF_HOME,
 * whose default is `huggingface` in XDG_CACHE_HOME, else in ~/.cache.
 */
export function hubTokenFile(env: Readonly<Record<string, string | undefined>>, home: string | null, platform: NodeJS.Platform = process.platform): string | null {
  const join = (platform === "win32" ? win32 : posix).join;
  if (env["HF_TOKEN_PATH"]) return env["HF_TOKEN_PATH"];
  if (env["HF_HOME"]) return join(env["HF_HOME"], "token");
  if (env["XDG_CACHE_HOME"]) return join(env["XDG_CACHE_HOME"], "huggingface", "token");
  return home === null ? null : join(home, ".cache", "huggingface", "token");
}

/** The most a token may be: Hugging Face's are 37 characters ("hf_" and 34); anything near a kilobyte is not one. */
const MAX_TOKEN_CHARS = 1024;

/**
 * A token as given (a variable's value, a token file's text): trimmed; null when empty. Throws `invalid_argument`
 * naming `key`, never echoing the value, when it is not one line of printable characters within MAX_TOKEN_CHARS.
 */
export function hubToken(raw: string | undefined, key: string): string | null {
  const token = raw?.trim() ?? "";
  if (token === "") return null;
  if (token.length > MAX_TOKEN_CHARS || !/^[\x21-\x7e]+$/.test(token))
    throw new NodefitError("invalid_argument", `invalid ${key}: a Hugging Face token is one word of printable characters (hf_...), at most ${MAX_TOKEN_CHARS}`, { key });
  return token;
}

/** A token found, or why none was taken where one was looked for (for a refusal's words); both null: none anywhere. */
export interface HubTokenFound {
  token: string | null;
  note: string | null;
  /** Where the token came from: the variable's name or the login file's path; null without one. */
  from?: string | null;
}

/**
 * Hugging Face's switch against tokens a program was not handed (HF_HUB_DISABLE_IMPLICIT_TOKEN): with it set, HF_TOKEN
 * and the login file are not used; NODEFIT_HUB_TOKEN, set for nodefit, still is.
 */
const implicitTokenOff = (env: Readonly<Record<string, string | undefined>>): boolean => /^(?:1|true|yes|on)$/i.test(env["HF_HUB_DISABLE_IMPLICIT_TOKEN"]?.trim() ?? "");

/**
 * The token the environment gives: NODEFIT_HUB_TOKEN (a bad value is refused: it is nodefit's setting), else Hugging
 * Face's HF_TOKEN or its former HUGGING_FACE_HUB_TOKEN (a bad value there is passed over, with a note: it is another
 * program's variable, and a command that never asks the Hub must not fail on it).
 */
export function hubTokenFromEnv(env: Readonly<Record<string, string | undefined>>): HubTokenFound {
  const own = hubToken(env["NODEFIT_HUB_TOKEN"], "NODEFIT_HUB_TOKEN");
  if (own !== null) return { token: own, note: null, from: "NODEFIT_HUB_TOKEN" };
  if (implicitTokenOff(env)) return { token: null, note: "HF_HUB_DISABLE_IMPLICIT_TOKEN is set: only NODEFIT_HUB_TOKEN is used" };
  let note: string | null = null;
  for (const key of ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"]) {
    try {
      const token = hubToken(env[key], key);
      if (token !== null) return { token, note: null, from: key };
    } catch (e) {
      note ??= `${key} passed over: ${messageOf(e)}`;
    }
  }
  return { token: null, note };
}

/** Whether the login file may be read for a token (HF_HUB_DISABLE_IMPLICIT_TOKEN unset). */
export const loginFileAllowed = (env: Readonly<Record<string, string | undefined>>): boolean => !implicitTokenOff(env);

/** The Hub's answers' folder: `hub/` in the cache folder (NODEFIT_CACHE_DIR, else the platform's user cache folder,
 *  domain/cache-dir.ts); null without a home folder (HOME, USERPROFILE) where the platform's needs one. */
export function hubCacheDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string | null {
  const home = env["HOME"] || env["USERPROFILE"] || null;
  const dir = cacheDir(env, platform, home);
  return dir === null ? null : hubCacheIn(dir, platform);
}

/**
 * The settings from the environment alone (and `offline`), for embedders and tests: NODEFIT_HUB_URL, NODEFIT_OFFLINE
 * (and Hugging Face's own HF_HUB_OFFLINE), NODEFIT_HUB_CACHE_TTL, NODEFIT_CACHE_DIR / XDG_CACHE_HOME / HOME, the token
 * of NODEFIT_HUB_TOKEN / HF_TOKEN (no file is read here; the CLI also reads the login file). The CLI resolves its flags, the
 * environment and the configuration file first (src/cli/settings.ts) and builds the settings from the validators above.
 * Throws `invalid_argument` naming the variable.
 */
export function hubSettings(env: Readonly<Record<string, string | undefined>>, flags: { offline?: boolean | undefined } = {}, platform: NodeJS.Platform = process.platform): HubSettings {
  // As the CLI resolves it: the first variable set decides (NODEFIT_OFFLINE=0 asks the Hub whatever HF_HUB_OFFLINE says).
  const nodefitSet = (env["NODEFIT_OFFLINE"] ?? "").trim() !== "";
  const offline = flags.offline === true || (nodefitSet ? flag(env, "NODEFIT_OFFLINE") : flag(env, "HF_HUB_OFFLINE"));
  return {
    baseUrl: hubBaseUrl(env["NODEFIT_HUB_URL"]),
    offline,
    cacheDir: hubCacheDir(env, platform),
    ttlMs: hubTtlMs(env["NODEFIT_HUB_CACHE_TTL"]),
    timeoutMs: DEFAULT_HUB_TIMEOUT_MS,
    token: hubTokenFromEnv(env).token,
  };
}
