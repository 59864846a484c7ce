// The built CLI on a fixture home: with an Ollama store in $HOME, `nodefit models --json` marks that model installed
// with its tag (issue 14's "done when"); --installed keeps the installed models; `nodefit runtimes` reports the stores;
// --models-dir adds a folder; a bad --runtime-endpoint is a usage error before anything is read.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHome, type FixtureHome } from "../installed/stores.js";
import { runCli } from "./run-cli.js";

let dir = "";
let fx: FixtureHome;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-cli-home-"));
  fx = buildHome(dir);
  // Only the fixture home's stores: the variables that would move them elsewhere are cleared; no runtime is probed.
  env = {
    HOME: fx.home,
    XDG_CACHE_HOME: "",
    HF_HOME: "",
    HF_HUB_CACHE: "",
    HUGGINGFACE_HUB_CACHE: "",
    OLLAMA_MODELS: "",
    LLAMA_CACHE: "",
    NODEFIT_MODELS_DIRS: "",
    NODEFIT_RUNTIME_ENDPOINTS: "ollama=off,llamacpp=off,lmstudio=off,vllm=off,mlx=off",
    NODEFIT_DATA_DIR: join(dir, "data"),
  };
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Row {
  name: string;
  installed: boolean | null;
  installed_as: Array<{ tag: string | null; store: string; runtime: string; quant: string | null; bytes: number }>;
}

describe("installed models through the CLI", () => {
  it("nodefit models --json marks the model of the Ollama store in $HOME installed, with its tag", async () => {
    const t0 = performance.now();
    const r = await runCli(["models", "--json"], { env });
    const ms = performance.now() - t0;
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { filters: { installed: boolean | null }; models: Row[] };
    const llama = out.models.find((m) => m.name === "meta-llama/Llama-3.2-1B-Instruct")!;
    expect(llama.installed).toBe(true);
    expect(llama.installed_as[0]).toMatchObject({ store: "ollama", runtime: "ollama", tag: "llama3.2:1b", quant: "Q4_K_M", bytes: fx.ollama.llama.bytes });
    expect(out.models.find((m) => m.name === "Qwen/Qwen3-8B")?.installed).toBe(false);
    expect(out.filters.installed).toBeNull();
    console.log(`nodefit models --json on the fixture home: ${ms.toFixed(0)} ms (process start, hardware, the stores' scan, the analysis)`);
  }, 60_000);

  it("--installed keeps the installed models; --models-dir adds a folder's", async () => {
    const r = await runCli(["models", "--installed", "--json"], { env });
    expect(r.code, r.stderr).toBe(0);
    const names = (JSON.parse(r.stdout) as { models: Row[] }).models.map((m) => m.name).sort();
    expect(names).toEqual(["HuggingFaceTB/SmolLM2-135M-Instruct", "Qwen/Qwen3-0.6B", "local/Tiny-Test-Model", "meta-llama/Llama-3.2-1B-Instruct"]);
    const withDir = await runCli(["models", "--installed", "--json", "--models-dir", fx.modelsDir], { env });
    expect(withDir.code, withDir.stderr).toBe(0);
    const rows = (JSON.parse(withDir.stdout) as { models: Row[] }).models;
    expect(rows.map((m) => m.name)).toHaveLength(5);
    expect(rows.find((m) => m.name === "local/Tiny-Test-Model")!.installed_as.map((c) => c.store)).toEqual(["ollama", "models_dir"]);
    // For people: the table marks installed models, info lists each copy.
    const table = await runCli(["models", "--installed"], { env: { ...env, COLUMNS: "200" } });
    expect(table.stdout).toMatch(/^meta-llama\/Llama-3\.2-1B-Instruct\+ /m);
    expect(table.stdout).toContain("+ on this node's disks (nodefit info NAME lists each copy; --installed keeps only these)");
    const info = await runCli(["info", "llama3.2:1b"], { env: { ...env, COLUMNS: "200" } });
    expect(info.stdout).toMatch(/^ {2}installed +llama3\.2:1b \(ollama, Q4_K_M, 0\.65 GiB, served by ollama\)$/m);
    const absent = await runCli(["models", "--no-installed", "--json", "--limit", "3"], { env });
    expect((JSON.parse(absent.stdout) as { models: Row[] }).models.every((m) => m.installed === false)).toBe(true);
  }, 60_000);

  it("nodefit runtimes: the stores read, as JSON and as text", async () => {
    const json = await runCli(["runtimes", "--json"], { env });
    expect(json.code, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout) as { status: string; endpoints: unknown[]; installed: { models: number; stores: Array<{ store: string; status: string; models: number }> } };
    expect(r.status).toBe("ready");
    expect(r.endpoints).toEqual([]);
    expect(r.installed.models).toBe(7);
    expect(r.installed.stores.filter((s) => s.status === "read").map((s) => [s.store, s.models])).toEqual([
      ["ollama", 3],
      ["huggingface", 3],
      ["lmstudio", 1],
      ["llamacpp", 1],
    ]);
    const text = await runCli(["runtimes"], { env: { ...env, COLUMNS: "200" } });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^installed +7 model copies in 4 stores, scanned in \d+ ms$/m);
    expect(text.stdout).toContain(`ollama ${join(fx.home, ".ollama", "models")}: 3 models (1 not identified)`);
  }, 60_000);

  it("a bad --runtime-endpoint or NODEFIT_RUNTIME_ENDPOINTS is a usage error", async () => {
    const r = await runCli(["runtimes", "--runtime-endpoint", "tgi=http://x", "--json"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid runtime-endpoint value: use NAME=URL, NAME one of ollama|llamacpp|lmstudio|vllm|mlx and URL an http(s) address (or off) (got "tgi=http://x")');
    const e = await runCli(["models", "--json"], { env: { ...env, NODEFIT_RUNTIME_ENDPOINTS: "ollama" } });
    expect(e.code).toBe(2);
    expect(e.stderr).toContain("invalid NODEFIT_RUNTIME_ENDPOINTS value");
  }, 60_000);
});
