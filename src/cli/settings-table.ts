// The settings table: every setting nodefit has (its flag, its variables, its form in the config file) and the one
// parser of its value whatever the door, with the types the resolver (settings.ts) and the config file share.
import path from "node:path";
import { parseProbeCache } from "../domain/cache-dir.js";
import { invalidValue } from "../domain/errors.js";
import { corsPolicy, parseAllowedHosts, parsePort, type AllowedHosts, type CorsPolicy } from "../http/agent.js";
import { MODELS_DIRS_ENV, parseModelsDirs, splitPathList, type ModelsDirs } from "../installed/stores.js";
import { parseIntegerValue } from "../query/values.js";
import { parseRuntimeEndpoints, RUNTIME_ENDPOINTS_ENV, type RuntimeEndpointConfig } from "../runtimes/endpoints.js";
import { hubBaseUrl, hubTtlMs, parseOfflineValue } from "../service/hub-settings.js";
import { parseNodeName } from "../service/identity.js";
import { LOG_LEVELS, type LogLevel } from "./log-levels.js";

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
export { LOG_LEVELS, type LogLevel };

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

export interface SettingDef<T> {
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
    parse: (raw, key) => parseProbeCache(one(raw), key),
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
export type ValueOf<K extends SettingKey> = ReturnType<(typeof SETTINGS)[K]["parse"]>;

/** The keys the config file may hold (every setting but the token itself). */
export type FileKey = { [K in SettingKey]: (typeof SETTINGS)[K]["json"] extends null ? never : K }[SettingKey];
export const FILE_KEYS = SETTING_KEYS.filter((k): k is FileKey => SETTINGS[k].json !== null);

/** The config file's values, parsed (config-file.ts). */
export type ConfigValues = { [K in FileKey]?: ValueOf<K> };
