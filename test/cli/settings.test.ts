// The settings resolver: every setting through each door it has (a flag, a NODEFIT_* variable, the config file, the
// default), the first that gives a value winning and remembered as its source; the config file's mistakes, each in one
// sentence naming the file and the key; a mistake reading the same whatever the door.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { exitCodeOf } from "../../src/cli/exit-code.js";
import type { OpenService } from "../../src/cli/open-service.js";
import { runCli } from "../../src/cli/run.js";
import { FILE_KEYS, loadConfig, NO_CONFIG, Settings, SETTING_KEYS, SETTINGS, type LoadedConfig, type SettingFlags, type SettingKey } from "../../src/cli/settings.js";
import { NodefitError } from "../../src/domain/errors.js";
import { MAX_CONFIG_FILE_BYTES } from "../../src/domain/limits.js";
import { realProbeCache } from "../../src/hardware/real-io.js";
import { hubSettings } from "../../src/hub/settings.js";

const POSIX = process.platform !== "win32";
let dir = "";
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-settings-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A config file holding `json` (text as given), in a folder of its own. */
function configFile(json: unknown): string {
  const folder = join(dir, `c${++n}`);
  mkdirSync(folder);
  const file = join(folder, "config.json");
  writeFileSync(file, typeof json === "string" ? json : JSON.stringify(json));
  return file;
}

const HOME = { HOME: "/home/u" };

/** One door of a setting: the raw value it is given there, and the value it resolves to. */
interface Door {
  raw: unknown;
  value: unknown;
}

/**
 * Each setting with a value at each door it has: values (as `nodefit config` shows them) that differ per door, so the
 * winner is seen. The file's relative paths are the file's folder's (`@` stands for it).
 */
const CASES: Record<Exclude<SettingKey, "runtime_endpoints" | "unix_socket">, { flag?: Door; env?: Door; file?: Door; default: unknown }> = {
  host: { flag: { raw: "::1", value: "::1" }, env: { raw: "0.0.0.0", value: "0.0.0.0" }, file: { raw: "10.0.0.1", value: "10.0.0.1" }, default: "127.0.0.1" },
  port: { flag: { raw: "1", value: 1 }, env: { raw: "2", value: 2 }, file: { raw: 3, value: 3 }, default: 8787 },
  token: { flag: { raw: "flag-secret", value: "set" }, env: { raw: "env-secret", value: "set" }, default: null },
  token_file: { flag: { raw: "/f/token", value: "/f/token" }, env: { raw: "/e/token", value: "/e/token" }, file: { raw: "token", value: "@/token" }, default: null },
  cors_origin: {
    flag: { raw: ["https://F.example:443"], value: ["https://f.example"] },
    env: { raw: "https://e.example, http://e2.example:8080", value: ["https://e.example", "http://e2.example:8080"] },
    file: { raw: ["https://c.example", "*"], value: ["https://c.example", "*"] },
    default: [],
  },
  allowed_hosts: {
    flag: { raw: ["a.internal", ".f.example"], value: ["a.internal", ".f.example"] },
    env: { raw: "b.internal", value: ["b.internal"] },
    file: { raw: ["c.internal:8787"], value: ["c.internal"] },
    default: [],
  },
  refresh_interval: { flag: { raw: "5", value: 5 }, env: { raw: "6", value: 6 }, file: { raw: 7, value: 7 }, default: 30 },
  log_level: { flag: { raw: "info", value: "info" }, env: { raw: "DEBUG", value: "debug" }, file: { raw: "error", value: "error" }, default: "warn" },
  models_dirs: { flag: { raw: ["/m1"], value: ["/m1"] }, env: { raw: "/m2:/m3", value: ["/m2", "/m3"] }, file: { raw: ["models", "/m4"], value: ["@/models", "/m4"] }, default: [] },
  node_name: { flag: { raw: "flag-node", value: "flag-node" }, env: { raw: "env-node", value: "env-node" }, file: { raw: "file-node", value: "file-node" }, default: null },
  catalog: { flag: { raw: "/f/catalog.json", value: "/f/catalog.json" }, env: { raw: "/e/catalog.json", value: "/e/catalog.json" }, file: { raw: "catalog.json", value: "@/catalog.json" }, default: null },
  data_dir: { flag: { raw: "/f/data", value: "/f/data" }, env: { raw: "/e/data", value: "/e/data" }, file: { raw: "data", value: "@/data" }, default: "/home/u/.local/share/nodefit" },
  cache_dir: { env: { raw: "/e/cache", value: "/e/cache" }, file: { raw: "cache", value: "@/cache" }, default: "/home/u/.cache/nodefit" },
  probe_cache: { env: { raw: "on", value: true }, file: { raw: false, value: false }, default: true },
  offline: { flag: { raw: true, value: true }, env: { raw: "0", value: false }, file: { raw: true, value: true }, default: false },
  hub_url: { env: { raw: "http://127.0.0.1:9/", value: "http://127.0.0.1:9" }, file: { raw: "https://hub.example/", value: "https://hub.example" }, default: "https://huggingface.co" },
  hub_cache_ttl: { env: { raw: "60", value: 60 }, file: { raw: 120, value: 120 }, default: 86400 },
};

/** The settings of a run with these doors: the file written and read as the CLI reads it. */
async function settingsWith(o: { flags?: SettingFlags; env?: Record<string, string>; file?: Record<string, unknown> }): Promise<{ settings: Settings; folder: string }> {
  const file = configFile(o.file ?? {});
  const config = await loadConfig(file, {});
  return { settings: new Settings({ flags: o.flags ?? {}, env: { ...HOME, ...o.env }, config, platform: "linux" }), folder: join(file, "..") };
}

const flagProp = (key: SettingKey): keyof SettingFlags => SETTINGS[key].flagProp!;
const envName = (key: SettingKey): string => SETTINGS[key].env[0]!;

describe("every setting, every door: flag > env > config file > default", () => {
  it("the cases cover every setting (runtime_endpoints and unix_socket have their own tests)", () => {
    expect([...Object.keys(CASES), "runtime_endpoints", "unix_socket"].sort()).toEqual([...SETTING_KEYS].sort());
    for (const key of SETTING_KEYS) expect(SETTINGS[key].flag !== null, key).toBe(key in CASES ? CASES[key as keyof typeof CASES].flag !== undefined : true);
  });

  for (const [key, c] of Object.entries(CASES) as Array<[keyof typeof CASES, (typeof CASES)[keyof typeof CASES]]>) {
    it(key, async () => {
      const shown = (s: Settings) => s.describe()[key];
      const at = (v: unknown, folder: string): unknown => (typeof v === "string" ? v.replace("@", folder) : Array.isArray(v) ? v.map((x) => at(x, folder)) : v);
      const fileDoor = c.file ? { [key]: c.file.raw } : {};
      const envDoor = c.env ? { [envName(key)]: String(c.env.raw) } : {};
      const flagDoor = c.flag ? { [flagProp(key)]: c.flag.raw } : {};

      const none = await settingsWith({});
      expect(shown(none.settings)).toEqual({ value: c.default, source: "default", from: "default" });
      if (c.file) {
        const r = await settingsWith({ file: fileDoor });
        expect(shown(r.settings)).toEqual({ value: at(c.file.value, r.folder), source: "file", from: join(r.folder, "config.json") });
      }
      if (c.env) {
        const r = await settingsWith({ file: fileDoor, env: envDoor });
        expect(shown(r.settings)).toEqual({ value: c.env.value, source: "env", from: envName(key) });
      }
      if (c.flag) {
        const r = await settingsWith({ file: fileDoor, env: envDoor, flags: flagDoor as SettingFlags });
        expect(shown(r.settings)).toEqual({ value: c.flag.value, source: "flag", from: SETTINGS[key].flag });
      }
    });
  }

  it("an empty variable or flag is not set: the next door answers", async () => {
    const { settings } = await settingsWith({ flags: { port: "" }, env: { NODEFIT_PORT: "", NODEFIT_NODE_NAME: "" }, file: { port: 9100, node_name: "from-file" } });
    expect(settings.port()).toMatchObject({ value: 9100, source: "file" });
    expect(settings.nodeName()).toMatchObject({ value: "from-file", source: "file" });
  });

  it("offline: NODEFIT_OFFLINE before HF_HUB_OFFLINE; either over the file", async () => {
    expect((await settingsWith({ env: { HF_HUB_OFFLINE: "1" }, file: { offline: false } })).settings.offline()).toEqual({ value: true, source: "env", from: "HF_HUB_OFFLINE" });
    expect((await settingsWith({ env: { NODEFIT_OFFLINE: "no", HF_HUB_OFFLINE: "1" } })).settings.offline()).toEqual({ value: false, source: "env", from: "NODEFIT_OFFLINE" });
  });

  it("the Hub's settings: its cache under cache_dir when one is given", async () => {
    // Offline: no token looked for (and this test never reads the home folder's login file).
    const { settings, folder } = await settingsWith({ env: { NODEFIT_HUB_CACHE_TTL: "60", HF_TOKEN: "hf_not_read_offline" }, file: { hub_url: "http://127.0.0.1:9", offline: true, cache_dir: "cache" } });
    expect(settings.hub()).toEqual({ baseUrl: "http://127.0.0.1:9", offline: true, cacheDir: join(folder, "cache", "hub"), ttlMs: 60_000, timeoutMs: 8000, token: null, tokenAdvice: "HF_TOKEN, or huggingface-cli login" });
    expect((await settingsWith({ env: { XDG_CACHE_HOME: "/x" } })).settings.hub().cacheDir).toBe("/x/nodefit/hub");
  });

  it("one cache folder per platform: cache_dir's default, and the Hub's answers in its hub/ (hubSettings too)", () => {
    const at = (env: Record<string, string>, platform: NodeJS.Platform) => {
      const s = new Settings({ env, platform });
      return { cache_dir: s.cacheDir().value, hub: s.hub().cacheDir, embedder: hubSettings(env, {}, platform).cacheDir };
    };
    expect(at({ HOME: "/Users/u", XDG_CACHE_HOME: "/x" }, "darwin")).toEqual({ cache_dir: "/Users/u/Library/Caches/nodefit", hub: "/Users/u/Library/Caches/nodefit/hub", embedder: "/Users/u/Library/Caches/nodefit/hub" });
    const local = "C:\\Users\\u\\AppData\\Local";
    expect(at({ HOME: "C:\\Users\\u", LOCALAPPDATA: local }, "win32")).toEqual({
      cache_dir: `${local}\\nodefit\\cache`,
      hub: `${local}\\nodefit\\cache\\hub`,
      embedder: `${local}\\nodefit\\cache\\hub`,
    });
    expect(at({ HOME: "/home/u", NODEFIT_CACHE_DIR: "/srv/nf" }, "linux")).toEqual({ cache_dir: "/srv/nf", hub: "/srv/nf/hub", embedder: "/srv/nf/hub" });
  });

  it("a NODEFIT_MODELS_DIRS of only separators or spaces is not set: the config file's models_dirs answers", async () => {
    for (const raw of [":", " ", " : :"]) {
      const { settings, folder } = await settingsWith({ env: { NODEFIT_MODELS_DIRS: raw }, file: { models_dirs: ["/srv/models"] } });
      expect(settings.modelsDirs(), JSON.stringify(raw)).toEqual({ value: { dirs: ["/srv/models"], source: "config" }, source: "file", from: join(folder, "config.json") });
    }
    expect((await settingsWith({ env: { NODEFIT_MODELS_DIRS: ":" } })).settings.modelsDirs()).toEqual({ value: { dirs: [], source: null }, source: "default", from: "default" });
  });
});

describe("the access token", () => {
  it("a door gives the token or its file, not both; the first door giving either wins; the flag's is visible", async () => {
    const tokenFile = (await settingsWith({ env: { NODEFIT_TOKEN: "env-secret" }, file: { token_file: "t" } })).settings.token();
    expect(tokenFile).toMatchObject({ value: { kind: "value", token: "env-secret", visible: false }, source: "env", from: "NODEFIT_TOKEN" });
    const fromFlag = (await settingsWith({ flags: { tokenFile: "/run/t" }, env: { NODEFIT_TOKEN: "env-secret" } })).settings.token();
    expect(fromFlag).toEqual({ value: { kind: "file", path: "/run/t" }, source: "flag", from: "--token-file" });
    expect((await settingsWith({ flags: { token: "x" } })).settings.token().value).toEqual({ kind: "value", token: "x", visible: true });
    const { settings, folder } = await settingsWith({ file: { token_file: "secret/token" } });
    expect(settings.token().value).toEqual({ kind: "file", path: join(folder, "secret", "token") });
    expect(() => new Settings({ flags: { token: "a", tokenFile: "/x" }, env: {} }).token()).toThrow("--token and --token-file cannot be combined: give one");
    expect(() => new Settings({ env: { NODEFIT_TOKEN: "a", NODEFIT_TOKEN_FILE: "/x" } }).token()).toThrow("NODEFIT_TOKEN and NODEFIT_TOKEN_FILE cannot be combined: set one");
  });

  it("nodefit config never shows it: set, and where from", async () => {
    const { settings } = await settingsWith({ flags: { token: "flag-secret" }, env: { NODEFIT_TOKEN: "env-secret" } });
    const report = JSON.stringify(settings.describe());
    expect(report).not.toMatch(/secret/);
    expect(settings.describe().token).toEqual({ value: "set", source: "flag", from: "--token" });
  });
});

describe("where serve listens", () => {
  it("a socket from any door; relative in the file: from the file's folder; a TCP setting of a higher door wins", async () => {
    const r = await settingsWith({ file: { unix_socket: "agent.sock" } });
    expect(r.settings.listen()).toEqual({ value: { kind: "unix", path: join(r.folder, "agent.sock") }, source: "file", from: join(r.folder, "config.json") });
    expect(r.settings.describe().unix_socket.value).toBe(join(r.folder, "agent.sock"));
    expect(r.settings.describe().host.value).toBeNull();
    const tcp = await settingsWith({ env: { NODEFIT_PORT: "9000" }, file: { unix_socket: "agent.sock" } });
    expect(tcp.settings.listen().value).toEqual({ kind: "tcp", host: "127.0.0.1", port: 9000 });
    expect(tcp.settings.describe().unix_socket).toEqual({ value: null, source: "default", from: "default" });
    const flagSocket = await settingsWith({ flags: { unixSocket: "/run/f.sock" }, env: { NODEFIT_HOST: "::" } });
    expect(flagSocket.settings.listen()).toEqual({ value: { kind: "unix", path: "/run/f.sock" }, source: "flag", from: "--unix-socket" });
  });
});

describe("runtime endpoints: the first door that names a runtime gives all of its endpoints", () => {
  it("per runtime: the flag's, the environment's, the file's, the default", async () => {
    const { settings, folder } = await settingsWith({
      flags: { runtimeEndpoint: ["ollama=http://f:1"] },
      env: { NODEFIT_RUNTIME_ENDPOINTS: "ollama=http://e:2,vllm=off", OLLAMA_HOST: "ignored:5" },
      file: { runtime_endpoints: ["ollama=http://c:3", "lmstudio=http://c:4", "lmstudio=http://c:5", "vllm=http://c:6"] },
    });
    const per = settings.runtimeEndpoints().perRuntime;
    const file = join(folder, "config.json");
    expect(per.ollama).toEqual({ value: ["http://f:1"], source: "flag", from: "--runtime-endpoint" });
    expect(per.vllm).toEqual({ value: "off", source: "env", from: "NODEFIT_RUNTIME_ENDPOINTS" });
    expect(per.lmstudio).toEqual({ value: ["http://c:4", "http://c:5"], source: "file", from: file });
    expect(per.llamacpp).toEqual({ value: ["http://127.0.0.1:8080"], source: "default", from: "default" });
    expect(per.mlx).toEqual({ value: [], source: "default", from: "default" });
    expect(settings.runtimeEndpoints().config).toEqual({
      given: [
        { kind: "ollama", url: "http://f:1", source: "flag" },
        { kind: "lmstudio", url: "http://c:4", source: "config" },
        { kind: "lmstudio", url: "http://c:5", source: "config" },
      ],
      off: ["vllm"],
    });
  });

  it("Ollama's default from OLLAMA_HOST, said so", async () => {
    const { settings } = await settingsWith({ env: { OLLAMA_HOST: "127.0.0.1:9999" } });
    expect(settings.runtimeEndpoints().perRuntime.ollama).toEqual({ value: ["http://127.0.0.1:9999"], source: "env", from: "OLLAMA_HOST" });
  });
});

describe("a mistake reads the same from every door, naming where it was", () => {
  it.each([
    ["port", "70000", 70000, "an integer from 0 to 65535 (0 = any free port)"],
    ["refresh_interval", "86401", 86401, "an integer from 0 to 86400"],
    ["log_level", "loud", "loud", "fatal|error|warn|info|debug|trace|silent"],
    ["node_name", " ", " ", "a non-empty name"],
  ] as const)("%s", async (key, text, json, accepted) => {
    const flag = SETTINGS[key].flag!.slice(2);
    expect(() => new Settings({ flags: { [flagProp(key)]: text }, env: {} }).describe()).toThrow(`invalid ${flag} value: use ${accepted}`);
    expect(() => new Settings({ env: { [envName(key)]: text } }).describe()).toThrow(`invalid ${envName(key)} value: use ${accepted}`);
    const file = configFile({ [key]: json });
    await expect(loadConfig(file, {})).rejects.toThrow(`config file ${file}: invalid ${key} value: use ${accepted}`);
  });

  it("list settings: the bad entry named", async () => {
    expect(() => new Settings({ env: { NODEFIT_CORS_ORIGIN: "https://ok.example,ftp://x" } }).corsOrigin()).toThrow(/^invalid NODEFIT_CORS_ORIGIN value "ftp:\/\/x": use a comma-separated list of origins/);
    const cors = configFile({ cors_origin: ["https://ok.example", "ftp://x"] });
    await expect(loadConfig(cors, {})).rejects.toThrow(`config file ${cors}: invalid cors_origin value "ftp://x": use a comma-separated list of origins`);
    const endpoints = configFile({ runtime_endpoints: ["tgi=http://x:1"] });
    await expect(loadConfig(endpoints, {})).rejects.toThrow(`config file ${endpoints}: invalid runtime_endpoints value: use NAME=URL, NAME one of ollama|llamacpp|lmstudio|vllm|mlx`);
    expect(() => new Settings({ flags: { runtimeEndpoint: ["tgi=http://x:1"] }, env: {} }).runtimeEndpoints()).toThrow(/^invalid runtime-endpoint value: use NAME=URL/);
    const dirs = configFile({ models_dirs: [" "] });
    await expect(loadConfig(dirs, {})).rejects.toThrow(`config file ${dirs}: invalid models_dirs value: use a folder path`);
  });

  it("a variable only the command uses is checked: a bad NODEFIT_PORT does not stop `models`", async () => {
    const settings = new Settings({ env: { NODEFIT_PORT: "http", NODEFIT_NODE_NAME: "n" } });
    expect(settings.nodeName().value).toBe("n");
    expect(() => settings.port()).toThrow("invalid NODEFIT_PORT value");
  });
});

describe("the config file", () => {
  const mistake = async (json: unknown): Promise<string> => {
    const file = configFile(json);
    const e = await loadConfig(file, {}).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(NodefitError);
    expect((e as NodefitError).code).toBe("invalid_argument");
    expect(exitCodeOf(e)).toBe(2);
    expect((e as NodefitError).message.startsWith(`config file ${file}: `)).toBe(true);
    return (e as NodefitError).message.slice(`config file ${file}: `.length);
  };

  it("its keys: the settings' names less NODEFIT_, lowercased, the token excepted", () => {
    for (const key of FILE_KEYS) if (SETTINGS[key].env[0]!.startsWith("NODEFIT_")) expect(SETTINGS[key].env[0]).toBe(`NODEFIT_${key.toUpperCase()}`);
    expect(FILE_KEYS).not.toContain("token");
    expect(FILE_KEYS).toContain("token_file");
  });

  it("each mistake in one sentence naming the file and the key", async () => {
    expect(await mistake({ prot: 8080 })).toBe(`unknown key "prot": the keys are ${FILE_KEYS.join(", ")}`);
    expect(await mistake({ port: "8080" })).toBe('port: must be a number (got "8080")');
    expect(await mistake({ offline: "yes" })).toBe('offline: must be true or false (got "yes")');
    expect(await mistake({ models_dirs: "/m" })).toBe('models_dirs: must be a list (got "/m")');
    expect(await mistake({ models_dirs: ["/m", 1] })).toBe("models_dirs[1]: must be text (got 1)");
    expect(await mistake({ port: 1.5 })).toBe("invalid port value: use an integer from 0 to 65535 (0 = any free port)");
    expect(await mistake({ hub_url: "ftp://hub" })).toMatch(/^invalid hub_url value: use an http\(s\) URL/);
    expect(await mistake({ unix_socket: "/run/a.sock", port: 1 })).toBe("unix_socket cannot be combined with host or port");
    expect(await mistake({ token: "s3cret" })).toMatch(/^token: an access token is not kept in the config file .*token_file/);
    expect(await mistake("{ port: 1 }")).toMatch(/^not valid JSON \(/);
    expect(await mistake("[]")).toBe('must be a JSON object of settings, like {"port": 8787} (got an empty list)');
  });

  it("a file that holds every key is read whole; an empty text is not set", async () => {
    const file = configFile({
      host: "0.0.0.0",
      port: 9000,
      token_file: "token",
      cors_origin: ["https://dash.example"],
      allowed_hosts: ["nodefit.internal"],
      refresh_interval: 60,
      log_level: "info",
      runtime_endpoints: ["ollama=http://127.0.0.1:11434", "vllm=off"],
      models_dirs: ["/srv/models"],
      node_name: "gpu-1",
      catalog: "catalog.json",
      data_dir: "/var/lib/nodefit",
      cache_dir: "/var/cache/nodefit",
      probe_cache: true,
      offline: false,
      hub_url: "https://huggingface.co",
      hub_cache_ttl: 86400,
      unix_socket: "",
    });
    const loaded = await loadConfig(file, {});
    expect(Object.keys(loaded.values).sort()).toEqual(FILE_KEYS.filter((k) => k !== "unix_socket").sort());
    expect(loaded.file).toEqual({ path: file, from: "--config", found: true });
  });

  it("--config, else NODEFIT_CONFIG, else config.json in the config folder; a missing default is no file", async () => {
    const flagFile = configFile({ port: 1 });
    const envFile = configFile({ port: 2 });
    const xdg = join(dir, "xdg");
    mkdirSync(join(xdg, "nodefit"), { recursive: true });
    expect((await loadConfig(flagFile, { NODEFIT_CONFIG: envFile })).values).toEqual({ port: 1 });
    expect((await loadConfig(undefined, { NODEFIT_CONFIG: envFile })).file).toEqual({ path: envFile, from: "NODEFIT_CONFIG", found: true });
    expect(await loadConfig(undefined, { XDG_CONFIG_HOME: xdg })).toEqual({ file: { path: join(xdg, "nodefit", "config.json"), from: "default", found: false }, values: {} });
    writeFileSync(join(xdg, "nodefit", "config.json"), '{"port": 3}');
    expect(await loadConfig(undefined, { XDG_CONFIG_HOME: xdg, NODEFIT_CONFIG: "" })).toEqual({ file: { path: join(xdg, "nodefit", "config.json"), from: "default", found: true }, values: { port: 3 } });
    expect((await loadConfig(undefined, { HOME: join(dir, "nohome") })).file).toEqual({ path: join(dir, "nohome", ".config", "nodefit", "config.json"), from: "default", found: false });
  });

  it("a named file that is not there is an error naming who named it (exit 1, as any file nodefit cannot read)", async () => {
    const missing = join(dir, "missing.json");
    await expect(loadConfig(missing, {})).rejects.toMatchObject({ code: "invalid_input_file", message: `cannot read the config file ${missing}: no such file (named by --config)` });
    await expect(loadConfig(undefined, { NODEFIT_CONFIG: missing })).rejects.toThrow(`cannot read the config file ${missing}: no such file (named by NODEFIT_CONFIG)`);
  });

  it.skipIf(!POSIX)("a FIFO at the default location is refused at once, never read", async () => {
    const xdg = join(dir, "xdg-fifo");
    mkdirSync(join(xdg, "nodefit"), { recursive: true });
    execFileSync("mkfifo", [join(xdg, "nodefit", "config.json")]);
    const t0 = performance.now();
    await expect(loadConfig(undefined, { XDG_CONFIG_HOME: xdg })).rejects.toThrow(`cannot read the config file ${join(xdg, "nodefit", "config.json")}: a FIFO (named pipe), not a regular file`);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it("a file over 256 KiB is refused before it is read", async () => {
    const big = configFile(`{"node_name": "${"x".repeat(MAX_CONFIG_FILE_BYTES)}"}`);
    await expect(loadConfig(big, {})).rejects.toThrow(/more than a config file may hold \(256 KiB\)/);
  });
});

describe("through the CLI (in process)", () => {
  async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; opened: number }> {
    let stdout = "";
    let stderr = "";
    const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { XDG_CONFIG_HOME: join(dir, "none"), ...env }, readStdin: async () => "" };
    const openService = vi.fn<OpenService>(() => Promise.reject(new Error("the service must not open")));
    const code = await runCli(args, io, { openService });
    return { code, stdout, stderr, opened: openService.mock.calls.length };
  }

  it("no refused value is echoed with its credentials or query: flag, variable, config file", async () => {
    const cases: Array<{ args: string[]; env?: Record<string, string>; shown: string }> = [
      { args: ["runtimes", "--runtime-endpoint", "vllm=http://user:secret@h:8000?token=secret"], shown: 'vllm=http://***@h:8000?***' },
      { args: ["runtimes"], env: { NODEFIT_RUNTIME_ENDPOINTS: "vllm=user:secret@h:8000" }, shown: "vllm=***@h:8000" },
      { args: ["--config", configFile({ runtime_endpoints: ["ollama=https://u:secret@h/?sig=secret"] }), "runtimes"], shown: "ollama=https://***@h/?***" },
      { args: ["estimate", "--model", "Qwen/Qwen3-8B"], env: { NODEFIT_HUB_URL: "https://user:secret@hub.example" }, shown: "https://***@hub.example" },
      { args: ["estimate", "--model", "Qwen/Qwen3-8B"], env: { NODEFIT_OFFLINE: "http://u:secret@h" }, shown: "http://***@h" },
      { args: ["runtimes"], env: { NODEFIT_PROBE_CACHE: "https://u:secret@h" }, shown: "https://***@h" },
      { args: ["--config", configFile({ port: "http://u:secret@h/?k=secret" }), "models"], shown: "http://***@h/?***" },
      { args: ["--config", configFile({ hub_url: "http://u:secret@h" }), "estimate", "--model", "Qwen/Qwen3-8B"], shown: "http://***@h" },
    ];
    for (const c of cases) {
      const r = await cli(c.args, c.env);
      expect(r.code, `${c.args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr, c.args.join(" ")).toContain(c.shown);
      expect(r.stderr, c.args.join(" ")).not.toContain("secret");
    }
  });

  it("a mistake in the file is a usage error (exit 2) before anything opens, on every command", async () => {
    const file = configFile({ port: "80" });
    for (const args of [["--config", file, "models"], ["models", "--config", file], ["config"]]) {
      const r = await cli(args, args[0] === "config" ? { NODEFIT_CONFIG: file } : {});
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toBe(`nodefit: config file ${file}: port: must be a number (got "80")\n`);
      expect(r.opened).toBe(0);
    }
  });

  it("the file's settings reach the command: the opener gets the file's node name and models folders", async () => {
    const file = configFile({ node_name: "from-file", models_dirs: ["models"], runtime_endpoints: ["vllm=off"], cache_dir: "cache", probe_cache: false, data_dir: "data" });
    let seen: Parameters<OpenService>[0] | null = null;
    let stderr = "";
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env: {}, readStdin: async () => "" };
    const code = await runCli(["--config", file, "runtimes"], io, {
      openService: async (machine) => {
        seen = machine;
        throw new NodefitError("internal", "stop here");
      },
    });
    expect(code, stderr).toBe(1);
    expect(seen).toMatchObject({
      nodeName: "from-file",
      inputs: { modelsDirs: { dirs: [join(file, "..", "models")], source: "config" }, runtimeEndpoints: { given: [], off: ["vllm"] } },
      benchmarksFile: join(file, "..", "data", "benchmarks.db"),
      caches: { dir: join(file, "..", "cache"), offBy: `probe_cache: false in the config file ${file}`, probeCache: { off: `probe_cache: false in the config file ${file}` } },
    });
  });

  it("probe_cache off says which setting and door turned it off (nodefit doctor shows it), not 'the caller'", () => {
    const file: LoadedConfig = { file: { path: "/etc/nodefit/config.json", from: "--config", found: true }, values: { probe_cache: false, cache_dir: "/var/cache/nodefit" } };
    expect(new Settings({ env: {}, config: file }).probeCacheOff()).toBe("probe_cache: false in the config file /etc/nodefit/config.json");
    expect(new Settings({ env: { NODEFIT_PROBE_CACHE: "no" }, config: { ...file, values: { cache_dir: "/c" } } }).probeCacheOff()).toBe("NODEFIT_PROBE_CACHE=no");
    expect(new Settings({ env: {}, config: NO_CONFIG }).probeCacheOff()).toBeNull();
    expect(realProbeCache({ probeCache: { off: "probe_cache: false in the config file /etc/nodefit/config.json" } }).disabledBy).toBe(
      "probe_cache: false in the config file /etc/nodefit/config.json",
    );
  });

  it("nodefit config --json: each setting's value and source; flags given to it count", async () => {
    const file = configFile({ port: 9100, log_level: "info" });
    const r = await cli(["config", "--json", "--config", file, "--log-level", "debug"], { NODEFIT_HOST: "0.0.0.0", NODEFIT_TOKEN: "s3cret" });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("s3cret");
    const out = JSON.parse(r.stdout) as { config_file: unknown; settings: Record<string, unknown> };
    expect(out.config_file).toEqual({ path: file, from: "--config", found: true });
    expect(out.settings["port"]).toEqual({ value: 9100, source: "file", from: file });
    expect(out.settings["host"]).toEqual({ value: "0.0.0.0", source: "env", from: "NODEFIT_HOST" });
    expect(out.settings["log_level"]).toEqual({ value: "debug", source: "flag", from: "--log-level" });
    expect(out.settings["token"]).toEqual({ value: "set", source: "env", from: "NODEFIT_TOKEN" });
  });
});
