// Runtime endpoints: each runtime's default address, Ollama's own OLLAMA_HOST, and the endpoints a person gives
// (`--runtime-endpoint NAME=URL`, repeatable; NODEFIT_RUNTIME_ENDPOINTS, comma-separated; `runtime_endpoints` in the
// configuration file). One parser for every door; which door wins for a runtime is the CLI's settings resolver's.
import { NodefitError } from "../domain/errors.js";
import { redactUrl } from "../domain/redact.js";
import { RUNTIME_KINDS, type EndpointSource, type RuntimeEndpoint, type RuntimeKind } from "./types.js";

/**
 * Where each runtime listens unless told otherwise: Ollama 11434 (its docs, `OLLAMA_HOST`), llama.cpp's llama-server
 * 8080 (tools/server/README.md, `--port`), LM Studio 1234 (its server settings), vLLM 8000 (`vllm serve --port`),
 * mlx_lm.server 8080 (`mlx_lm.server --port`). MLX's default is probed only when an mlx_lm.server process runs: on
 * port 8080 anything OpenAI-compatible (llama.cpp first) would pass for it.
 */
export const DEFAULT_PORTS: Readonly<Record<RuntimeKind, number>> = { ollama: 11434, llamacpp: 8080, lmstudio: 1234, vllm: 8000, mlx: 8080 };

/** Runtimes whose default endpoint is probed without a process seen first. */
const PROBED_BY_DEFAULT: readonly RuntimeKind[] = ["ollama", "llamacpp", "lmstudio", "vllm"];

export const RUNTIME_ENDPOINTS_ENV = "NODEFIT_RUNTIME_ENDPOINTS";

/** Names people write for each runtime. */
const KIND_NAMES: Readonly<Record<string, RuntimeKind>> = {
  ollama: "ollama",
  llamacpp: "llamacpp",
  "llama.cpp": "llamacpp",
  "llama-cpp": "llamacpp",
  "llama-server": "llamacpp",
  lmstudio: "lmstudio",
  "lm-studio": "lmstudio",
  vllm: "vllm",
  mlx: "mlx",
  mlx_lm: "mlx",
  "mlx-lm": "mlx",
};

/** `off` as a URL: do not probe that runtime at all. */
const OFF = new Set(["off", "none", "no"]);

export interface RuntimeEndpointConfig {
  /** Endpoints given for a runtime replace its default; `NAME=off` leaves it unprobed. */
  given: RuntimeEndpoint[];
  off: RuntimeKind[];
}

const ACCEPTED = `NAME=URL, NAME one of ${RUNTIME_KINDS.join("|")} and URL an http(s) address (or off)`;

/** A base URL as probes use it: http(s), a host, no query or fragment, no trailing slash. Null when it is not one. */
export function normalizeBaseUrl(text: string): string | null {
  let u: URL;
  try {
    u = new URL(text.includes("://") ? text : `http://${text}`);
  } catch {
    return null;
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || u.hostname === "" || u.search !== "" || u.hash !== "" || u.username !== "" || u.password !== "") return null;
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`;
}

/**
 * Parses `NAME=URL` entries, from the flag (each value may hold several, comma-separated), the environment or the
 * configuration file. Throws `invalid_argument` naming the key (`runtime-endpoint`, NODEFIT_RUNTIME_ENDPOINTS, the
 * file's key) on the first bad entry. Within one door, `NAME=off` wins over that runtime's URLs.
 */
export function parseRuntimeEndpoints(values: readonly string[], key: string, source: "flag" | "env" | "config"): RuntimeEndpointConfig {
  const given: RuntimeEndpoint[] = [];
  const off: RuntimeKind[] = [];
  for (const value of values) {
    for (const raw of value.split(",")) {
      const entry = raw.trim();
      if (entry === "") continue;
      const eq = entry.indexOf("=");
      const kind = eq > 0 ? KIND_NAMES[entry.slice(0, eq).trim().toLowerCase()] : undefined;
      const target = eq > 0 ? entry.slice(eq + 1).trim() : "";
      // The entry as echoed: a URL's credentials, query and fragment masked (the error reaches stderr and logs).
      const shown = eq > 0 ? `${entry.slice(0, eq)}=${redactUrl(entry.slice(eq + 1))}` : redactUrl(entry);
      if (kind === undefined) throw new NodefitError("invalid_argument", `invalid ${key} value: use ${ACCEPTED} (got "${shown}")`, { key });
      if (OFF.has(target.toLowerCase())) {
        if (!off.includes(kind)) off.push(kind);
        continue;
      }
      const url = normalizeBaseUrl(target);
      if (url === null) throw new NodefitError("invalid_argument", `invalid ${key} value: use ${ACCEPTED} (got "${shown}")`, { key });
      if (!given.some((g) => g.kind === kind && g.url === url)) given.push({ kind, url, source });
    }
  }
  return { given, off };
}

/**
 * Ollama's own OLLAMA_HOST as its client reads it (envconfig.Host): `host`, `host:port`, `scheme://host:port`; the
 * default port 11434; an any-address (0.0.0.0, ::) means this host for a client. Null when unset or unreadable.
 */
export function ollamaHostUrl(value: string | undefined): string | null {
  const text = value?.trim() ?? "";
  if (text === "") return null;
  let u: URL;
  try {
    u = new URL(text.includes("://") ? text : `http://${text}`);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return null;
  const host = u.hostname === "0.0.0.0" || u.hostname === "" ? "127.0.0.1" : u.hostname === "[::]" ? "[::1]" : u.hostname;
  const port = u.port === "" ? (text.includes("://") && u.protocol === "https:" ? "443" : String(DEFAULT_PORTS.ollama)) : u.port;
  return normalizeBaseUrl(`${u.protocol}//${host}:${port}${u.pathname}`);
}

/** The endpoints to probe in a round's first wave: what was given for a runtime (one door's, chosen by the caller), else
 *  each runtime's default (Ollama's from OLLAMA_HOST when set); none for a runtime turned off. */
export function endpointsToProbe(given: RuntimeEndpointConfig, ollamaHost: string | undefined): RuntimeEndpoint[] {
  const out: RuntimeEndpoint[] = [];
  for (const kind of RUNTIME_KINDS) {
    if (given.off.includes(kind)) continue;
    const mine = given.given.filter((e) => e.kind === kind);
    if (mine.length > 0) out.push(...mine);
    else if (PROBED_BY_DEFAULT.includes(kind)) {
      const ollama = kind === "ollama" ? ollamaHostUrl(ollamaHost) : null;
      out.push(ollama !== null ? { kind, url: ollama, source: "OLLAMA_HOST" as EndpointSource } : { kind, url: `http://127.0.0.1:${DEFAULT_PORTS[kind]}`, source: "default" });
    }
  }
  return out;
}
