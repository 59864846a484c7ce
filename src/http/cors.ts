// CORS: off unless origins are listed; then those origins (or any, with `*`) may read answers from a browser.
import { NodefitError } from "../domain/errors.js";

export interface CorsPolicy {
  /** True when `*` was given: any origin, answered with `access-control-allow-origin: *`. */
  anyOrigin: boolean;
  origins: ReadonlySet<string>;
}

/** Request headers a browser may send cross-origin (the token and a JSON body's type). */
export const CORS_ALLOWED_HEADERS = "authorization, content-type";
/** Seconds a browser may cache a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;

const ACCEPTED = "a comma-separated list of origins like https://dash.example.com:8443, or *";

/** `scheme://host[:port]`, as a browser sends it in `Origin` (a default port dropped, the host lowercased). */
function normalizeOrigin(raw: string, key: string): string {
  const invalid = (): NodefitError => new NodefitError("invalid_argument", `invalid ${key} value ${JSON.stringify(raw)}: use ${ACCEPTED}`, { key });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid();
  }
  const bare = url.pathname === "/" && url.search === "" && url.hash === "" && url.username === "" && url.password === "";
  if ((url.protocol !== "http:" && url.protocol !== "https:") || !bare || /^[a-z]+:\/\/[^/]*\/./i.test(raw)) throw invalid();
  return url.origin;
}

/**
 * The policy for `--cors-origin` values (each may hold several, comma-separated); null when none is given (CORS off).
 * `key` names where they came from in the error a bad one gets (the flag, NODEFIT_CORS_ORIGIN, the config file's key).
 */
export function corsPolicy(values: readonly string[], key = "cors-origin"): CorsPolicy | null {
  const items = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== "");
  if (items.length === 0) return null;
  const anyOrigin = items.includes("*");
  const origins = new Set(items.filter((v) => v !== "*").map((v) => normalizeOrigin(v, key)));
  return { anyOrigin, origins };
}

/** The origins as they are given back: each normalized, `*` last. */
export const corsOrigins = (policy: CorsPolicy | null): string[] => (policy === null ? [] : [...policy.origins, ...(policy.anyOrigin ? ["*"] : [])]);

export const corsAllows = (policy: CorsPolicy, origin: string): boolean => policy.anyOrigin || policy.origins.has(origin);
