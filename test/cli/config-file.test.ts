// The built CLI with a config file (issue 14: runtime endpoints "configurable by flag, env and config file"):
// `nodefit config --json` shows where each setting came from; `nodefit runtimes` probes the endpoint the file names;
// `nodefit serve` listens where the file says; NODEFIT_CONFIG names the file as --config does; a mistake is exit 2.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServe } from "../http/support/agent-process.js";
import { FIXTURE_MACHINE, runCli } from "./run-cli.js";

let dir = "";
let ollama: Server;
let ollamaUrl = "";
let env: Record<string, string>;

/** A stand-in Ollama: its version, no tags, nothing loaded. */
function startOllama(): Promise<Server> {
  const answers: Record<string, unknown> = { "/api/version": { version: "0.9.0" }, "/api/tags": { models: [] }, "/api/ps": { models: [] } };
  const server = createServer((req, res) => {
    const body = answers[req.url ?? ""];
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(body ?? { error: "not found" }));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function write(name: string, json: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(json, null, 2));
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-config-"));
  ollama = await startOllama();
  ollamaUrl = `http://127.0.0.1:${(ollama.address() as AddressInfo).port}`;
  mkdirSync(join(dir, "home"));
  // Nothing from this machine's own settings: an empty home and config folder, the variables that would win cleared.
  env = {
    HOME: join(dir, "home"),
    XDG_CONFIG_HOME: join(dir, "xdg"),
    XDG_CACHE_HOME: join(dir, "cache"),
    NODEFIT_CONFIG: "",
    NODEFIT_RUNTIME_ENDPOINTS: "",
    NODEFIT_MODELS_DIRS: "",
    NODEFIT_PORT: "",
    NODEFIT_HOST: "",
    NODEFIT_UNIX_SOCKET: "",
    NODEFIT_LOG_LEVEL: "",
    NODEFIT_TOKEN: "",
    NODEFIT_TOKEN_FILE: "",
    OLLAMA_HOST: "",
    OLLAMA_MODELS: "",
    HF_HOME: "",
    HF_HUB_CACHE: "",
    LLAMA_CACHE: "",
  };
});

afterAll(async () => {
  await new Promise((r) => ollama?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface ConfigJson {
  config_file: { path: string; from: string; found: boolean } | null;
  settings: Record<string, { value: unknown; source: string; from: string }> & { runtime_endpoints: Record<string, { value: unknown; source: string }> };
}

describe("nodefit config", () => {
  it("--json: the file read and each setting's source (flag > env > file > default)", async () => {
    const file = write("sources.json", { port: 9100, node_name: "file-node", runtime_endpoints: [`ollama=${ollamaUrl}`, "vllm=off"], token_file: "token" });
    const r = await runCli(["config", "--json", "--config", file, "--node-name", "flag-node"], { env: { ...env, NODEFIT_HOST: "0.0.0.0" } });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as ConfigJson;
    expect(out.config_file).toEqual({ path: file, from: "--config", found: true });
    expect(out.settings["port"]).toEqual({ value: 9100, source: "file", from: file });
    expect(out.settings["host"]).toEqual({ value: "0.0.0.0", source: "env", from: "NODEFIT_HOST" });
    expect(out.settings["node_name"]).toEqual({ value: "flag-node", source: "flag", from: "--node-name" });
    expect(out.settings["token_file"]).toEqual({ value: join(dir, "token"), source: "file", from: file });
    expect(out.settings["log_level"]).toEqual({ value: "warn", source: "default", from: "default" });
    expect(out.settings.runtime_endpoints["ollama"]).toEqual({ value: [ollamaUrl], source: "file", from: file });
    expect(out.settings.runtime_endpoints["vllm"]).toEqual({ value: "off", source: "file", from: file });
    expect(out.settings["cache_dir"]).toEqual({ value: join(dir, "cache", "nodefit"), source: "default", from: "default" });
  }, 30_000);

  it("for people: one line per setting, a token shown as set, never printed; the default file when none is named", async () => {
    const r = await runCli(["config"], { env: { ...env, NODEFIT_TOKEN: "s3cret-value" } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("s3cret-value");
    expect(r.stdout).toContain(`config file: ${join(dir, "xdg", "nodefit", "config.json")} (the default location; not there)`);
    expect(r.stdout).toMatch(/^token +set +NODEFIT_TOKEN$/m);
    expect(r.stdout).toMatch(/^port +8787 +default$/m);
  }, 30_000);

  it("--help", async () => {
    const r = await runCli(["config", "--help"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/show every setting, its value and where it came from/);
    expect(r.stdout).toMatch(/--json/);
  }, 30_000);
});

describe("a setting from the file is used", () => {
  it("nodefit runtimes probes the Ollama endpoint the file names (endpoint_source config)", async () => {
    const file = write("runtimes.json", { runtime_endpoints: [`ollama=${ollamaUrl}`, "llamacpp=off", "lmstudio=off", "vllm=off", "mlx=off"] });
    const r = await runCli(["runtimes", "--json", "--config", file], { env });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { runtimes: Array<{ runtime: string; endpoint: string | null; endpoint_source: string | null; version: string | null }>; endpoints: Array<{ url: string; source: string }> };
    expect(out.endpoints.map((e) => `${e.url} ${e.source}`)).toEqual([`${ollamaUrl} config`]);
    expect(out.runtimes.find((x) => x.runtime === "ollama")).toMatchObject({ endpoint: ollamaUrl, endpoint_source: "config", version: "0.9.0" });
  }, 60_000);

  it("NODEFIT_CONFIG names the file as --config does; the flag wins over the file", async () => {
    const file = write("env-named.json", { runtime_endpoints: ["ollama=http://127.0.0.1:9", "llamacpp=off", "lmstudio=off", "vllm=off", "mlx=off"] });
    const r = await runCli(["runtimes", "--json", "--runtime-endpoint", `ollama=${ollamaUrl}`], { env: { ...env, NODEFIT_CONFIG: file } });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { endpoints: Array<{ url: string; source: string }> };
    expect(out.endpoints.map((e) => `${e.url} ${e.source}`)).toEqual([`${ollamaUrl} flag`]);
    const shown = JSON.parse((await runCli(["config", "--json"], { env: { ...env, NODEFIT_CONFIG: file } })).stdout) as ConfigJson;
    expect(shown.config_file).toEqual({ path: file, from: "NODEFIT_CONFIG", found: true });
    expect(shown.settings.runtime_endpoints["lmstudio"]).toEqual({ value: "off", source: "file", from: file });
  }, 60_000);

  it.runIf(process.platform === "linux")("nodefit serve listens on the file's unix socket (relative to the file's folder)", async () => {
    const folder = join(dir, "served");
    mkdirSync(folder);
    writeFileSync(join(folder, "config.json"), JSON.stringify({ unix_socket: "agent.sock", node_name: "from-config", log_level: "silent" }));
    const served = await spawnServe(["--machine", FIXTURE_MACHINE], { ...env, NODEFIT_CONFIG: join(folder, "config.json") });
    let code: number | null = null;
    try {
      const address = served.address;
      expect(address).toBe(`unix:${join(folder, "agent.sock")}`);
      const health = await new Promise<unknown>((resolve, reject) => {
        const req = request({ socketPath: join(folder, "agent.sock"), path: "/health" }, (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (c: string) => (text += c));
          res.on("end", () => resolve(JSON.parse(text)));
        });
        req.on("error", reject);
        req.end();
      });
      expect(health).toMatchObject({ status: "ok", node: { name: "from-config" } });
    } finally {
      code = await served.stop();
    }
    expect(code).toBe(0);
  }, 60_000);
});

describe("mistakes", () => {
  it("a mistake in the file: exit 2, one line naming the file and the key, before anything starts", async () => {
    const file = write("bad.json", { runtime_endpoints: "ollama=http://x:1" });
    for (const args of [["runtimes", "--config", file], ["serve", "--port", "0", "--config", file]]) {
      const r = await runCli(args, { env });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toBe(`nodefit: config file ${file}: runtime_endpoints: must be a list (got "ollama=http://x:1")\n`);
      expect(r.stdout).not.toMatch(/listening/);
    }
    const unknown = write("unknown.json", { runtime_endpoint: [] });
    const r = await runCli(["config", "--json"], { env: { ...env, NODEFIT_CONFIG: unknown } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^nodefit: config file ${unknown}: unknown key "runtime_endpoint": the keys are host, port, `));
    expect(JSON.parse(r.stdout)).toEqual({ error: expect.stringMatching(/unknown key "runtime_endpoint"/) });
  }, 60_000);

  it("a named file that is not there: exit 1, naming it and who named it", async () => {
    const missing = join(dir, "nope.json");
    const r = await runCli(["config"], { env: { ...env, NODEFIT_CONFIG: missing } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`nodefit: cannot read the config file ${missing}: no such file (named by NODEFIT_CONFIG)\n`);
  }, 30_000);
});
