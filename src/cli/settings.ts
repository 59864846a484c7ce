// CLI settings: every setting nodefit has, resolved at the edge from four doors, the first that gives a value winning:
// a flag, an environment variable, the config file, the default. Each resolved value keeps the door it came through
// (`nodefit config` shows them). A value is parsed by its setting's one parser whatever the door (the flag's, told the
// door's name for its errors), so a mistake reads the same from a flag, a variable and the file, naming where it was.
// This file holds the resolver (`Settings`); the table of settings and their parsers is settings-table.ts, the config
// file's lookup config-location.ts (their names are exported here too, so a command imports the settings from one
// module). The config file is read by config-file.ts, import()ed only when there is a file: it loads zod, which
// `nodefit serve` must not load before it binds (a test walks its static imports). These modules import none.
import path from "node:path";
import { defaultDataDir } from "../bench/data-dir.js";
import { hubCacheIn, userCacheDir } from "../domain/cache-dir.js";
import { messageOf, NodefitError } from "../domain/errors.js";
import { InputFileError, readInputFileSync } from "../domain/read-input-file.js";
import {
  allowedHostsList,
  corsOrigins,
  DEFAULT_HOST,
  DEFAULT_PORT,
  listenTarget,
  NO_ALLOWED_HOSTS,
  type AllowedHosts,
  type CorsPolicy,
  type ListenChoice,
  type TokenChoice,
} from "../http/agent.js";
import type { ModelsDirs } from "../installed/stores.js";
import { endpointsToProbe, type RuntimeEndpointConfig } from "../runtimes/endpoints.js";
import { RUNTIME_KINDS, type RuntimeKind } from "../runtimes/types.js";
import { DEFAULT_HUB_TIMEOUT_MS, DEFAULT_HUB_TTL_S, DEFAULT_HUB_URL, hubToken, hubTokenFile, hubTokenFromEnv, loginFileAllowed, type HubSettings, type HubTokenFound } from "../service/hub-settings.js";
import { homeOf, NO_CONFIG, type ConfigFileInfo, type LoadedConfig } from "./config-location.js";
import {
  DEFAULT_REFRESH_INTERVAL_S,
  SETTINGS,
  type LogLevel,
  type ParseContext,
  type RawValue,
  type Resolved,
  type SettingDef,
  type SettingFlags,
  type SettingKey,
  type ValueOf,
} from "./settings-table.js";

export {
  DEFAULT_REFRESH_INTERVAL_S,
  FILE_KEYS,
  LOG_LEVELS,
  MAX_REFRESH_INTERVAL_S,
  SETTING_KEYS,
  SETTINGS,
  type ConfigValues,
  type FileKey,
  type JsonKind,
  type LogLevel,
  type ParseContext,
  type RawValue,
  type Resolved,
  type SettingFlags,
  type SettingKey,
  type SettingSource,
} from "./settings-table.js";
export { CONFIG_ENV, CONFIG_FILE_NAME, defaultConfigPath, loadConfig, NO_CONFIG, type ConfigFileInfo, type LoadedConfig } from "./config-location.js";

type Env = Readonly<Record<string, string | undefined>>;

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

  /**
   * The Hub's settings: its cache in the cache folder's `hub/` (whatever probe_cache says). `agent`: for `serve`, whose
   * API anyone it lets in may ask, so a token it holds answers their questions about gated and private repositories:
   * it takes NODEFIT_HUB_TOKEN alone, set for it on purpose, never a person's HF_TOKEN or login file. Offline, no token
   * is looked for.
   */
  hub(options: { agent?: boolean } = {}): HubSettings {
    const offline = this.offline().value;
    const found: HubTokenFound = offline
      ? { token: null, note: null }
      : options.agent === true
        ? { token: hubToken(this.env["NODEFIT_HUB_TOKEN"], "NODEFIT_HUB_TOKEN"), note: null }
        : this.hubToken();
    const advice = options.agent === true ? "NODEFIT_HUB_TOKEN, the one token the agent reads" : "HF_TOKEN, or huggingface-cli login";
    return {
      baseUrl: this.hubUrl().value,
      offline,
      cacheDir: hubCacheIn(this.cacheDir().value, this.platform),
      ttlMs: this.hubCacheTtl().value * 1000,
      timeoutMs: DEFAULT_HUB_TIMEOUT_MS,
      token: found.token,
      tokenAdvice: found.note === null ? advice : `${advice}; ${found.note}`,
    };
  }

  /**
   * A person's Hugging Face token for gated repositories: NODEFIT_HUB_TOKEN, HF_TOKEN (or HUGGING_FACE_HUB_TOKEN), else
   * the file `huggingface-cli login` wrote (read as every token file is: a regular file within its cap). A file that is
   * not there is no token; one that cannot be read or holds no token is passed over with a note for the refusal's words
   * (a command that never asks the Hub must not fail on another program's file).
   */
  hubToken(): HubTokenFound {
    return this.once("hub_token", () => {
      const fromEnv = hubTokenFromEnv(this.env);
      if (fromEnv.token !== null || !loginFileAllowed(this.env)) return fromEnv;
      let home: string | null;
      try {
        home = homeOf(this.env);
      } catch {
        home = null;
      }
      const file = hubTokenFile(this.env, home, this.platform);
      if (file === null) return fromEnv;
      try {
        const token = hubToken(readInputFileSync(file, "token").text, `token file ${file}`);
        return token === null ? fromEnv : { token, note: null, from: file };
      } catch (e) {
        if (e instanceof InputFileError && e.errno === "ENOENT") return fromEnv;
        return { token: null, note: fromEnv.note ?? `the login file was passed over: ${messageOf(e)}` };
      }
    });
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
      hub_token: this.hubTokenReport(),
    };
  }

  /** The Hub token as `nodefit config` shows it: set or not, and from where (a variable, the login file), never itself. */
  private hubTokenReport(): Resolved<unknown> {
    const t = this.hubToken();
    if (t.token === null || t.from === undefined || t.from === null) return { value: null, source: "default", from: "default" };
    // A variable came through the environment; the login file is where Hugging Face's tools keep it (no door of nodefit's).
    const variable = /^[A-Z_]+$/.test(t.from);
    return { value: "set", source: variable ? "env" : "default", from: t.from };
  }
}

/** `nodefit config --json`'s `settings`: each setting's plain value and door; runtime_endpoints per runtime. */
export type SettingsReport = { [K in Exclude<SettingKey, "runtime_endpoints">]: Resolved<unknown> } & {
  runtime_endpoints: Record<RuntimeKind, Resolved<RuntimeEndpointsValue>>;
  /** The Hugging Face token a person's commands send the Hub: "set" or null, from a variable or the login file. */
  hub_token: Resolved<unknown>;
};
