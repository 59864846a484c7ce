// CLI settings: every setting nodefit has, resolved at the edge from four doors, the first that gives a value winning:
// a flag, an environment variable, the config file, the default. Each resolved value keeps the door it came through
// (`nodefit config` shows them). A value is parsed by its setting's one parser whatever the door (the flag's, told the
// door's name for its errors), so a mistake reads the same from a flag, a variable and the file, naming where it was.
// The config file is found here and read by config-file.ts, import()ed only when there is a file: it loads zod, which
// `nodefit serve` must not load before it binds (a test walks its static imports). This module imports none.
import { lstatSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaultDataDir } from "../bench/data-dir.js";
import { hubCacheIn, userCacheDir } from "../domain/cache-dir.js";
import { userConfigDir } from "../domain/config-dir.js";
import { invalidValue, NodefitError } from "../domain/errors.js";
import { redactUrl } from "../domain/redact.js";
import {
  allowedHostsList,
  corsOrigins,
  corsPolicy,
  DEFAULT_HOST,
  DEFAULT_PORT,
  listenTarget,
  NO_ALLOWED_HOSTS,
  parseAllowedHosts,
  parsePort,
  type AllowedHosts,
  type CorsPolicy,
  type ListenChoice,
  type TokenChoice,
} from "../http/agent.js";
import { MODELS_DIRS_ENV, parseModelsDirs, splitPathList, type ModelsDirs } from "../installed/stores.js";
import { parseIntegerValue } from "../query/values.js";
import { endpointsToProbe, parseRuntimeEndpoints, RUNTIME_ENDPOINTS_ENV, type RuntimeEndpointConfig } from "../runtimes/endpoints.js";
import { RUNTIME_KINDS, type RuntimeKind } from "../runtimes/types.js";
import { DEFAULT_HUB_TIMEOUT_MS, DEFAULT_HUB_TTL_S, DEFAULT_HUB_URL, hubBaseUrl, hubTtlMs, parseOfflineValue, type HubSettings } from "../service/hub-settings.js";
import { parseNodeName } from "../service/identity.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The door a value came through. */
export type SettingSource = "flag" | "env" | "file" | "default";

export interface Resolved<T> {
  value: T;
  source: SettingSource;
  /** The flag (`--port`), the variable (`NODEFIT_PORT`), the config file's path, or `default`. */
  from: string;
}

/** The flags that give settings, as commander hands them over (a command has some of them). */
export interface SettingFlags {
  host?: string | undefined;
  port?: string | undefined;
  unixSocket?: string | undefined;
  token?: string | undefined;
  tokenFile?: string | undefined;
  corsOrigin?: string[] | undefined;
  allowedHost?: string[] | undefined;
  refreshInterval?: string | undefined;
  logLevel?: string | undefined;
  runtimeEndpoint?: string[] | undefined;
  modelsDir?: string[] | undefined;
  nodeName?: string | undefined;
  catalog?: string | undefined;
  dataDir?: string | undefined;
  offline?: boolean | undefined;
}

/** Fastify's (pino's) levels, and `silent`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A day: free memory read less often than that is not a refresh (and Node's timers overflow past 24.8 days). */
export const MAX_REFRESH_INTERVAL_S = 86_400;
export const DEFAULT_REFRESH_INTERVAL_S = 30;

/** Where a value is parsed: its door, and the folder a relative path is taken from (null: kept as given). */
export interface ParseContext {
  door: Exclude<SettingSource, "default">;
  /** The config file's folder for the file's paths; the working folder for a flag's or a variable's. */
  base: string;
  platform: NodeJS.Platform;
}

/** A flag's or a variable's text, a repeatable flag's values, or the file's value (numbers and booleans as text). */
export type RawValue = string | readonly string[];

/** What the config file holds for a setting (config-file.ts builds its schema from these). */
export type JsonKind = "text" | "number" | "boolean" | "list";

interface SettingDef<T> {
  /** The flag that gives it, null when it has none. */
  flag: `--${string}` | null;
  /** The property commander puts the flag's value in. */
  flagProp: keyof SettingFlags | null;
  /** Its variables: the first set (non-empty) one is the environment's value. */
  env: readonly string[];
  /** A variable's text that gives nothing (a list of only separators): not set, as an empty variable is not. */
  blank?: (raw: string, platform: NodeJS.Platform) => boolean;
  /** Its form in the config file; null: not allowed there. */
  json: JsonKind | null;
  parse(raw: RawValue, key: string, ctx: ParseContext): T;
}

const one = (raw: RawValue): string => (typeof raw === "string" ? raw : (raw[raw.length - 1] ?? ""));
const list = (raw: RawValue): readonly string[] => (typeof raw === "string" ? [raw] : raw);

/** A path: relative ones taken from the file's folder when the file gives it, else kept as given (the working folder's). */
function pathValue(raw: RawValue, key: string, ctx: ParseContext, resolve = false): string {
  const text = one(raw);
  if (text.trim() === "") throw invalidValue(key, "a path");
  return ctx.door === "file" || resolve ? path.resolve(ctx.base, text) : text;
}

function textValue(raw: RawValue, key: string, accepted: string): string {
  const text = one(raw).trim();
  if (text === "") throw invalidValue(key, accepted);
  return text;
}

const SWITCH_ON = new Set(["1", "true", "yes", "on"]);
const SWITCH_OFF = new Set(["0", "false", "no", "off"]);

function switchValue(raw: RawValue, key: string, accepted: string): boolean {
  const text = one(raw).trim().toLowerCase();
  if (SWITCH_ON.has(text)) return true;
  if (SWITCH_OFF.has(text)) return false;
  throw new NodefitError("invalid_argument", `invalid ${key} value: use ${accepted} (got "${redactUrl(one(raw))}")`, { key });
}

/** The model folders' door, as parseModelsDirs names it. */
const modelsDirsSource = (door: ParseContext["door"]): "--models-dir" | typeof MODELS_DIRS_ENV | "config" =>
  door === "flag" ? "--models-dir" : door === "env" ? MODELS_DIRS_ENV : "config";

/**
 * Every setting: its flag, its variables, its form in the config file (the file's key is the setting's key, the
 * variable's name less NODEFIT_, lowercased), and its parser.
 */
export const SETTINGS = {
  host: {
    flag: "--host",
    flagProp: "host",
    env: ["NODEFIT_HOST"],
    json: "text",
    parse: (raw, key) => textValue(raw, key, "a host name or IP address to listen on"),
  },
  port: { flag: "--port", flagProp: "port", env: ["NODEFIT_PORT"], json: "number", parse: (raw, key) => parsePort(one(raw), key) },
  unix_socket: {
    flag: "--unix-socket",
    flagProp: "unixSocket",
    env: ["NODEFIT_UNIX_SOCKET"],
    json: "text",
    parse: (raw, key, ctx) => pathValue(raw, key, ctx),
  },
  token: {
    flag: "--token",
    flagProp: "token",
    env: ["NODEFIT_TOKEN"],
    json: null,
    parse: (raw) => one(raw).trim(),
  },
  token_file: {
    flag: "--token-file",
    flagProp: "tokenFile",
    env: ["NODEFIT_TOKEN_FILE"],
    json: "text",
    parse: (raw, key, ctx) => pathValue(raw, key, ctx),
  },
  cors_origin: {
    flag: "--cors-origin",
    flagProp: "corsOrigin",
    env: ["NODEFIT_CORS_ORIGIN"],
    json: "list",
    parse: (raw, key): CorsPolicy | null => corsPolicy(list(raw), key),
  },
  allowed_hosts: {
    flag: "--allowed-host",
    flagProp: "allowedHost",
    env: ["NODEFIT_ALLOWED_HOSTS"],
    json: "list",
    parse: (raw, key): AllowedHosts => parseAllowedHosts(list(raw), key),
  },
  refresh_interval: {
    flag: "--refresh-interval",
    flagProp: "refreshInterval",
    env: ["NODEFIT_REFRESH_INTERVAL"],
    json: "number",
    parse: (raw, key) => parseIntegerValue(key, one(raw), 0, MAX_REFRESH_INTERVAL_S),
  },
  log_level: {
    flag: "--log-level",
    flagProp: "logLevel",
    env: ["NODEFIT_LOG_LEVEL"],
    json: "text",
    parse: (raw, key): LogLevel => {
      const level = one(raw).trim().toLowerCase();
      if (!(LOG_LEVELS as readonly string[]).includes(level)) throw invalidValue(key, LOG_LEVELS.join("|"));
      return level as LogLevel;
    },
  },
  runtime_endpoints: {
    flag: "--runtime-endpoint",
    flagProp: "runtimeEndpoint",
    env: [RUNTIME_ENDPOINTS_ENV],
    json: "list",
    parse: (raw, key, ctx): RuntimeEndpointConfig => parseRuntimeEndpoints(list(raw), key, ctx.door === "file" ? "config" : ctx.door),
  },
  models_dirs: {
    flag: "--models-dir",
    flagProp: "modelsDir",
    env: [MODELS_DIRS_ENV],
    blank: (raw, platform) => splitPathList(raw, platform).length === 0,
    json: "list",
    parse: (raw, _key, ctx): ModelsDirs =>
      parseModelsDirs(typeof raw === "string" ? splitPathList(raw, ctx.platform) : raw, modelsDirsSource(ctx.door), ctx.base, ctx.platform),
  },
  node_name: { flag: "--node-name", flagProp: "nodeName", env: ["NODEFIT_NODE_NAME"], json: "text", parse: (raw, key) => parseNodeName(one(raw), key) },
  catalog: {
    flag: "--catalog",
    flagProp: "catalog",
    env: ["NODEFIT_CATALOG"],
    json: "text",
    parse: (raw, key, ctx) => pathValue(raw, key, ctx),
  },
  data_dir: {
    flag: "--data-dir",
    flagProp: "dataDir",
    env: ["NODEFIT_DATA_DIR"],
    json: "text",
    parse: (raw, key, ctx) => pathValue(raw, key, ctx, true),
  },
  cache_dir: {
    flag: null,
    flagProp: null,
    env: ["NODEFIT_CACHE_DIR"],
    json: "text",
    parse: (raw, key, ctx) => pathValue(raw, key, ctx, true),
  },
  probe_cache: {
    flag: null,
    flagProp: null,
    env: ["NODEFIT_PROBE_CACHE"],
    json: "boolean",
    parse: (raw, key) => switchValue(raw, key, "on|1|true|yes to keep the cache, off|0|false|no to keep nothing between runs"),
  },
  offline: {
    flag: "--offline",
    flagProp: "offline",
    env: ["NODEFIT_OFFLINE", "HF_HUB_OFFLINE"],
    json: "boolean",
    parse: (raw, key) => parseOfflineValue(one(raw), key),
  },
  hub_url: { flag: null, flagProp: null, env: ["NODEFIT_HUB_URL"], json: "text", parse: (raw, key) => hubBaseUrl(one(raw), key) },
  hub_cache_ttl: {
    flag: null,
    flagProp: null,
    env: ["NODEFIT_HUB_CACHE_TTL"],
    json: "number",
    parse: (raw, key) => hubTtlMs(one(raw), key) / 1000,
  },
} as const satisfies Record<string, SettingDef<unknown>>;

export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];
type ValueOf<K extends SettingKey> = ReturnType<(typeof SETTINGS)[K]["parse"]>;

/** The keys the config file may hold (every setting but the token itself). */
export type FileKey = { [K in SettingKey]: (typeof SETTINGS)[K]["json"] extends null ? never : K }[SettingKey];
export const FILE_KEYS = SETTING_KEYS.filter((k): k is FileKey => SETTINGS[k].json !== null);

/** The config file's values, parsed (config-file.ts). */
export type ConfigValues = { [K in FileKey]?: ValueOf<K> };

/** Where the config file is and who said so. */
export interface ConfigFileInfo {
  path: string;
  /** `--config`, `NODEFIT_CONFIG`, or `default` (the user's config folder). */
  from: "--config" | "NODEFIT_CONFIG" | "default";
  /** False for a default file that is not there (a named one that is not there is an error). */
  found: boolean;
}

export interface LoadedConfig {
  /** null: no config file was looked for (a test, an embedder). */
  file: ConfigFileInfo | null;
  values: ConfigValues;
}

export const NO_CONFIG: LoadedConfig = { file: null, values: {} };

export const CONFIG_ENV = "NODEFIT_CONFIG";
export const CONFIG_FILE_NAME = "config.json";

const homeOf = (env: Env): string => (env["HOME"] !== undefined && env["HOME"] !== "" ? env["HOME"] : os.homedir());

/** The default config file: `config.json` in the user's config folder (XDG_CONFIG_HOME, ~/.config, %APPDATA%). */
export const defaultConfigPath = (env: Env, platform: NodeJS.Platform = process.platform, home: string = homeOf(env)): string =>
  (platform === "win32" ? path.win32 : path.posix).join(userConfigDir(env, platform, home), CONFIG_FILE_NAME);

function absent(file: string): boolean {
  try {
    lstatSync(file);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR";
  }
}

/**
 * Finds and reads the config file: `--config FILE`, else NODEFIT_CONFIG, else the default (a default that is not there
 * is no file; a named one that is not there is an error). Throws `invalid_input_file` when the file cannot be read
 * (exit 1, as for any file nodefit reads), `invalid_argument` for a mistake in it (exit 2, as for a bad flag).
 */
export async function loadConfig(flag: string | undefined, env: Env, platform: NodeJS.Platform = process.platform): Promise<LoadedConfig> {
  if (flag !== undefined && flag.trim() === "") throw invalidValue("config", "a config file's path");
  const fromEnv = env[CONFIG_ENV];
  const named: Omit<ConfigFileInfo, "found"> | null =
    flag !== undefined
      ? { path: path.resolve(flag), from: "--config" }
      : fromEnv !== undefined && fromEnv !== ""
        ? { path: path.resolve(fromEnv), from: CONFIG_ENV }
        : null;
  const where = named ?? { path: defaultConfigPath(env, platform), from: "default" as const };
  if (named === null && absent(where.path)) return { file: { ...where, found: false }, values: {} };
  const { readConfigFile } = await import("./config-file.js");
  return { file: { ...where, found: true }, values: await readConfigFile(where.path, where.from, platform) };
}

/** Where the RAM bandwidth measurement, the installed GGUF headers and the Hub's answers are kept between runs. */
export interface CacheSettings {
  /** The cache_dir setting, else the platform's user cache folder. */
  dir: string;
  /** null: the RAM bandwidth and GGUF header caches keep; else why not, naming the setting and its door. */
  offBy: string | null;
  /** The RAM bandwidth cache as the hardware's real I/O takes it: the folder, or why it is off. */
  probeCache: string | { off: string };
}

export interface SettingsInput {
  flags?: SettingFlags;
  env: Env;
  config?: LoadedConfig;
  cwd?: string;
  platform?: NodeJS.Platform;
}

/** One runtime's endpoints as resolved: its URLs, `off`, or (default, mlx) none until a process is seen. */
export type RuntimeEndpointsValue = string[] | "off";

/**
 * The settings of one command run: each resolved when first asked (a command validates only the variables it uses;
 * the config file was validated whole when it was read), then kept.
 */
export class Settings {
  private readonly flags: SettingFlags;
  private readonly env: Env;
  private readonly config: LoadedConfig;
  private readonly cwd: string;
  private readonly platform: NodeJS.Platform;
  private readonly memo = new Map<string, unknown>();

  constructor(input: SettingsInput) {
    this.flags = input.flags ?? {};
    this.env = input.env;
    this.config = input.config ?? NO_CONFIG;
    this.cwd = input.cwd ?? process.cwd();
    this.platform = input.platform ?? process.platform;
  }

  /** The config file, when one was read. */
  get file(): ConfigFileInfo | null {
    return this.config.file;
  }

  private once<T>(name: string, compute: () => T): T {
    if (!this.memo.has(name)) this.memo.set(name, compute());
    return this.memo.get(name) as T;
  }

  private ctx(door: ParseContext["door"]): ParseContext {
    return { door, base: door === "file" ? path.dirname(this.config.file?.path ?? this.cwd) : this.cwd, platform: this.platform };
  }

  /** The flag's value when given (an empty text or list is not given). */
  private flagRaw(key: SettingKey): RawValue | undefined {
    const prop = SETTINGS[key].flagProp;
    if (prop === null) return undefined;
    const v = this.flags[prop];
    if (v === undefined || v === "" || v === false) return undefined;
    if (v === true) return "true";
    if (Array.isArray(v)) return v.length === 0 ? undefined : v;
    return v as string;
  }

  /** The first of the setting's variables set to a non-empty value. */
  private envRaw(key: SettingKey): { name: string; raw: string } | undefined {
    const def: SettingDef<unknown> = SETTINGS[key];
    for (const name of def.env) {
      const v = this.env[name];
      if (v !== undefined && v !== "" && def.blank?.(v, this.platform) !== true) return { name, raw: v };
    }
    return undefined;
  }

  private fileFrom(): string {
    return this.config.file?.path ?? "config file";
  }

  /** One door's value of a setting, parsed; undefined when that door does not give it. */
  private door<K extends SettingKey>(key: K, door: ParseContext["door"]): Resolved<ValueOf<K>> | undefined {
    const def = SETTINGS[key] as unknown as SettingDef<ValueOf<K>>;
    if (door === "flag") {
      const raw = this.flagRaw(key);
      return raw === undefined || def.flag === null ? undefined : { value: def.parse(raw, def.flag.slice(2), this.ctx("flag")), source: "flag", from: def.flag };
    }
    if (door === "env") {
      const e = this.envRaw(key);
      return e === undefined ? undefined : { value: def.parse(e.raw, e.name, this.ctx("env")), source: "env", from: e.name };
    }
    const values = this.config.values as Record<string, unknown>;
    return key in values && values[key] !== undefined ? { value: values[key] as ValueOf<K>, source: "file", from: this.fileFrom() } : undefined;
  }

  /** flag > env > file > default. */
  private pick<K extends SettingKey, D = ValueOf<K>>(key: K, fallback: () => D): Resolved<ValueOf<K> | D> {
    return this.once(key, () => this.door(key, "flag") ?? this.door(key, "env") ?? this.door(key, "file") ?? { value: fallback(), source: "default", from: "default" });
  }

  /**
   * Where serve listens. Within a door a socket excludes a host or port. The first door that says anything of it
   * decides the kind: its socket, or TCP, whose host and port each come from the first door that gives them.
   */
  listen(): Resolved<ListenChoice> {
    return this.once("listen", () => {
      for (const door of ["flag", "env", "file"] as const) {
        const socket = this.door("unix_socket", door);
        const host = this.door("host", door);
        const port = this.door("port", door);
        if (socket !== undefined && (host !== undefined || port !== undefined)) {
          const [s, h, p] = door === "flag" ? ["--unix-socket", "--host", "--port"] : door === "env" ? ["NODEFIT_UNIX_SOCKET", "NODEFIT_HOST", "NODEFIT_PORT"] : ["unix_socket", "host", "port"];
          throw new NodefitError("invalid_argument", `${door === "file" ? `config file ${this.fileFrom()}: ` : ""}${s} cannot be combined with ${h} or ${p}`);
        }
        if (socket !== undefined) {
          const choice: ListenChoice = { kind: "unix", path: socket.value };
          listenTarget(choice); // a path the kernel would cut short is refused here, where it was read
          return { value: choice, source: socket.source, from: socket.from };
        }
        if (host !== undefined || port !== undefined) {
          const h = this.host();
          const p = this.port();
          const first = host ?? port!;
          return { value: { kind: "tcp", host: h.value, port: p.value }, source: first.source, from: first.from };
        }
      }
      return { value: { kind: "tcp", host: null, port: null }, source: "default", from: "default" };
    });
  }

  host(): Resolved<string> {
    return this.pick("host", () => DEFAULT_HOST);
  }

  port(): Resolved<number> {
    return this.pick("port", () => DEFAULT_PORT);
  }

  /** The socket when serve listens on one (a TCP setting of a higher door wins over it). */
  unixSocket(): Resolved<string | null> {
    const listen = this.listen();
    return listen.value.kind === "unix" ? { value: listen.value.path, source: listen.source, from: listen.from } : { value: null, source: "default", from: "default" };
  }

  /**
   * The access token: from the first door giving `token` or `token_file` (a door giving both is refused). The config
   * file may name a token file only (config-file.ts refuses a token there).
   */
  token(): Resolved<TokenChoice> {
    return this.once("token", () => {
      for (const door of ["flag", "env", "file"] as const) {
        const token = door === "file" ? undefined : this.door("token", door);
        const file = this.door("token_file", door);
        const value = token !== undefined && token.value !== "" ? token : undefined;
        if (value !== undefined && file !== undefined)
          throw new NodefitError(
            "invalid_argument",
            door === "flag" ? "--token and --token-file cannot be combined: give one" : "NODEFIT_TOKEN and NODEFIT_TOKEN_FILE cannot be combined: set one",
          );
        if (file !== undefined) return { value: { kind: "file", path: file.value }, source: file.source, from: file.from };
        if (value !== undefined) return { value: { kind: "value", token: value.value, visible: door === "flag" }, source: value.source, from: value.from };
      }
      return { value: null, source: "default", from: "default" };
    });
  }

  corsOrigin(): Resolved<CorsPolicy | null> {
    return this.pick("cors_origin", () => null);
  }

  allowedHosts(): Resolved<AllowedHosts> {
    return this.pick("allowed_hosts", () => NO_ALLOWED_HOSTS);
  }

  /** Seconds. */
  refreshInterval(): Resolved<number> {
    return this.pick("refresh_interval", () => DEFAULT_REFRESH_INTERVAL_S);
  }

  logLevel(): Resolved<LogLevel> {
    return this.pick("log_level", () => "warn");
  }

  /**
   * The endpoints to probe, per runtime: the first door that names a runtime (`NAME=URL` or `NAME=off`) gives all of
   * its endpoints; a runtime no door names keeps its default (Ollama's from OLLAMA_HOST).
   */
  runtimeEndpoints(): { config: RuntimeEndpointConfig; perRuntime: Record<RuntimeKind, Resolved<RuntimeEndpointsValue>> } {
    return this.once("runtime_endpoints", () => {
      const doors = (["flag", "env", "file"] as const).map((d) => this.door("runtime_endpoints", d)).filter((d) => d !== undefined);
      const config: RuntimeEndpointConfig = { given: [], off: [] };
      const perRuntime = {} as Record<RuntimeKind, Resolved<RuntimeEndpointsValue>>;
      const defaults = endpointsToProbe({ given: [], off: [] }, this.env["OLLAMA_HOST"]);
      for (const kind of RUNTIME_KINDS) {
        const door = doors.find((d) => d.value.off.includes(kind) || d.value.given.some((e) => e.kind === kind));
        if (door === undefined) {
          const mine = defaults.filter((e) => e.kind === kind);
          const fromOllamaHost = mine.some((e) => e.source === "OLLAMA_HOST");
          perRuntime[kind] = { value: mine.map((e) => e.url), source: fromOllamaHost ? "env" : "default", from: fromOllamaHost ? "OLLAMA_HOST" : "default" };
          continue;
        }
        const given = door.value.given.filter((e) => e.kind === kind);
        if (door.value.off.includes(kind)) config.off.push(kind);
        else config.given.push(...given);
        perRuntime[kind] = { value: door.value.off.includes(kind) ? "off" : given.map((e) => e.url), source: door.source, from: door.from };
      }
      return { config, perRuntime };
    });
  }

  modelsDirs(): Resolved<ModelsDirs> {
    return this.pick("models_dirs", () => ({ dirs: [], source: null }));
  }

  /** null: the host name (or a described machine's node_name). */
  nodeName(): Resolved<string | null> {
    return this.pick("node_name", () => null);
  }

  /** null: the user's catalog file (catalog.json in the config folder), if there is one. */
  catalog(): Resolved<string | null> {
    return this.pick("catalog", () => null);
  }

  dataDir(): Resolved<string> {
    return this.pick("data_dir", () => defaultDataDir(this.env));
  }

  /** Default: the platform's user cache folder (domain/cache-dir.ts). */
  cacheDir(): Resolved<string> {
    return this.pick("cache_dir", () => userCacheDir(this.env, this.platform, homeOf(this.env)));
  }

  probeCache(): Resolved<boolean> {
    return this.pick("probe_cache", () => true);
  }

  /** Why the caches keep nothing between runs, naming the setting and the door it came through; null when they keep. */
  probeCacheOff(): string | null {
    const r = this.probeCache();
    if (r.value) return null;
    if (r.source === "file") return `probe_cache: false in the config file ${r.from}`;
    if (r.source === "env") return `${r.from}=${this.env[r.from] ?? ""}`;
    return `probe_cache off (${r.from})`;
  }

  /**
   * Offline: `--offline`, else NODEFIT_OFFLINE, else HF_HUB_OFFLINE, else the file's `offline`. A variable saying 0 or
   * false asks the Hub even where the file says offline.
   */
  offline(): Resolved<boolean> {
    return this.pick("offline", () => false);
  }

  hubUrl(): Resolved<string> {
    return this.pick("hub_url", () => DEFAULT_HUB_URL);
  }

  /** Seconds. */
  hubCacheTtl(): Resolved<number> {
    return this.pick("hub_cache_ttl", () => DEFAULT_HUB_TTL_S);
  }

  /**
   * The caches' settings, resolved once for every cache that reads them (the RAM bandwidth measurement's, the
   * installed GGUF headers', the Hub's, which keeps its answers under `hub/` whatever probe_cache says).
   */
  caches(): CacheSettings {
    return this.once("caches", () => {
      const dir = this.cacheDir().value;
      const offBy = this.probeCacheOff();
      return { dir, offBy, probeCache: offBy === null ? dir : { off: offBy } };
    });
  }

  /** The Hub's settings: its cache in the cache folder's `hub/` (whatever probe_cache says). */
  hub(): HubSettings {
    return {
      baseUrl: this.hubUrl().value,
      offline: this.offline().value,
      cacheDir: hubCacheIn(this.cacheDir().value, this.platform),
      ttlMs: this.hubCacheTtl().value * 1000,
      timeoutMs: DEFAULT_HUB_TIMEOUT_MS,
    };
  }

  /** Every setting as `nodefit config` shows it: plain values (never the token), each with its door. */
  describe(): SettingsReport {
    const plain = <T, U>(r: Resolved<T>, f: (v: T) => U): Resolved<U> => ({ value: f(r.value), source: r.source, from: r.from });
    const token = this.token();
    const listen = this.listen();
    const tcp = listen.value.kind === "tcp";
    const endpoints = this.runtimeEndpoints().perRuntime;
    return {
      host: tcp ? this.host() : { value: null, source: "default", from: "default" },
      port: tcp ? this.port() : { value: null, source: "default", from: "default" },
      unix_socket: this.unixSocket(),
      token: { value: token.value?.kind === "value" ? "set" : null, source: token.value?.kind === "value" ? token.source : "default", from: token.value?.kind === "value" ? token.from : "default" },
      token_file: token.value?.kind === "file" ? plain(token, () => (token.value as { path: string }).path) : { value: null, source: "default", from: "default" },
      cors_origin: plain(this.corsOrigin(), corsOrigins),
      allowed_hosts: plain(this.allowedHosts(), allowedHostsList),
      refresh_interval: this.refreshInterval(),
      log_level: this.logLevel(),
      runtime_endpoints: endpoints,
      models_dirs: plain(this.modelsDirs(), (m) => m.dirs),
      node_name: this.nodeName(),
      catalog: this.catalog(),
      data_dir: this.dataDir(),
      cache_dir: this.cacheDir(),
      probe_cache: this.probeCache(),
      offline: this.offline(),
      hub_url: this.hubUrl(),
      hub_cache_ttl: this.hubCacheTtl(),
    };
  }
}

/** `nodefit config --json`'s `settings`: each setting's plain value and door; runtime_endpoints per runtime. */
export type SettingsReport = { [K in Exclude<SettingKey, "runtime_endpoints">]: Resolved<unknown> } & {
  runtime_endpoints: Record<RuntimeKind, Resolved<RuntimeEndpointsValue>>;
};
