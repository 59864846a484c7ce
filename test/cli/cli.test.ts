import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOG_LEVELS } from "../../src/cli/settings-table.js";
import { FIXTURE_MACHINE, runCli } from "./run-cli.js";

const M = ["--machine", FIXTURE_MACHINE];
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-cli-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("nodefit --help and usage errors", () => {
  it("--help everywhere, exit 0", async () => {
    const all = [["--help"], ["models", "--help"], ["serve", "--help"], ["estimate", "--help"], ["info", "--help"], ["system", "--help"], ["doctor", "--help"]];
    const results = await Promise.all(all.map((args) => runCli(args)));
    for (const [i, r] of results.entries()) {
      expect(r.code, all[i]!.join(" ")).toBe(0);
      expect(r.stdout).toMatch(/^Usage: nodefit/);
    }
  });

  it("serve --help lists the log levels the settings accept (program.ts keeps its own copy, not to load the settings)", async () => {
    const r = await runCli(["serve", "--help"]);
    expect(r.stdout.replace(/\s+/g, " ")).toContain(LOG_LEVELS.join("|"));
  });

  it("exit 2 for an unknown option, a bad value, an unknown command", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["models", "--bogus"], /unknown option/],
      [["models", "--min-fit", "great", ...M], /invalid min_fit value: use perfect\|good\|marginal\|too_tight/],
      [["models", "--sort", "name", ...M], /invalid sort value: use score\|tps\|params\|mem\|ctx\|date\|use_case/],
      [["models", "-n", "-1", ...M], /invalid limit value: use an integer >= 0/],
      [["models", "--ram", "lots", ...M], /invalid ram value/],
      [["estimate", ...M], /--model/],
      [["frobnicate"], /unknown command/],
      [["serve", "--unix-socket", "/tmp/x.sock", "--port", "1", ...M], /cannot be combined/],
      [["serve", "--port", "99999", ...M], /invalid port value/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    for (const [i, r] of results.entries()) {
      const [args, message] = cases[i]!;
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it("--json errors also print {error} on stdout", async () => {
    const r = await runCli(["models", "--json", "--runtime", "ollama", ...M]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: "invalid runtime value: use any|mlx|llamacpp|vllm" });
  });

  it("exit 1 for a failure: an unreadable machine file, a model not in the catalog", async () => {
    const missing = await runCli(["system", "--machine", join(dir, "nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read/);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{");
    expect((await runCli(["system", "--machine", bad])).code).toBe(1);
    const unknown = await runCli(["estimate", "--model", "definitely-not-a-model-xyz", "--json", ...M]);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toEqual({ error: expect.any(String) });
    // Not found at all (not ambiguous): the command line points at the GGUF door.
    expect(JSON.parse(unknown.stdout).error).toMatch(/is not in the catalog.*--gguf FILE.*catalog import FILE/);
    const ambiguous = await runCli(["estimate", "--model", "gemma 4", ...M]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/ambiguous: did you mean/);
    expect(ambiguous.stderr).not.toMatch(/--gguf/);
    expect((await runCli(["info", "definitely-not-a-model-xyz", ...M])).code).toBe(1);
    const serveBad = await runCli(["serve", "--port", "0", "--machine", bad]);
    expect(serveBad.code).toBe(1);
    expect(serveBad.stderr).toMatch(/not valid JSON/);
  });

  it("a typo gets the names it was likely meant for, as suggestions; exit 1 all the same", async () => {
    const typo = await runCli(["estimate", "--model", "lama 3.1 8b", ...M]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/is not in the catalog .*; did you mean meta-llama\/Llama-3\.1-8B-Instruct\?$/m);
    expect(typo.stderr).not.toMatch(/--gguf/);
    const info = await runCli(["info", "mistrall", ...M]);
    expect(info.code).toBe(1);
    expect(info.stderr).toMatch(/^nodefit: no model in the catalog matches "mistrall" \(did you mean mistral \(mistralai\/Mistral-7B-Instruct-v0\.3\)/m);
  });
});

describe("nodefit doctor", () => {
  it("--json report and --fixture folder", async () => {
    const fixture = join(dir, "fixture");
    const r = await runCli(["doctor", "--json", "--fixture", fixture]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ node: { name: expect.any(String) }, probes: expect.any(Array), warnings: expect.any(Array) });
    expect(existsSync(join(fixture, "machine.json"))).toBe(true);
  });
});

describe("nodefit commands on a described machine", () => {
  it("system --json is {node, system}", async () => {
    const r = await runCli(["system", "--json", ...M]);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.node).toEqual({ name: "fixture-4090", os: "linux" });
    expect(body.system).toMatchObject({ total_ram_gb: 64, available_ram_gb: 48, gpu_vram_gb: 24, gpu_count: 1, backend: "CUDA", cpu_cores: 16 });
  });

  it("overrides and node name reach the output", async () => {
    const r = await runCli(["system", "--json", ...M, "--vram", "48", "--ram", "128", "--cpu-cores", "8", "--node-name", "renamed"]);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.node.name).toBe("renamed");
    expect(body.system).toMatchObject({ gpu_vram_gb: 48, total_ram_gb: 128, cpu_cores: 8 });
    const env = await runCli(["system", "--json", ...M], { env: { NODEFIT_NODE_NAME: "from-env" } });
    expect(JSON.parse(env.stdout).node.name).toBe("from-env");
  });

  it("models --json: the envelope, filters echoed", async () => {
    const r = await runCli(["models", "--json", "-n", "3", "--min-fit", "good", "--sort", "tps", "--no-include-too-tight", ...M]);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(Object.keys(body)).toEqual(["node", "system", "total_models", "returned_models", "filters", "resolved_from", "models"]);
    expect(body.filters).toMatchObject({ limit: 3, min_fit: "good", sort: "tps", include_too_tight: false, top_only: false });
    expect(body.returned_models).toBe(body.models.length);
    expect(body.models.length).toBeLessThanOrEqual(3);
  });

  it("models --top", async () => {
    const body = JSON.parse((await runCli(["models", "--top", "--json", ...M])).stdout);
    expect(body.filters).toMatchObject({ limit: 5, min_fit: "marginal", include_too_tight: false, top_only: true });
  });

  it("a table for people", async () => {
    const r = await runCli(["models", "-n", "3", "--wide", ...M]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MODEL\s+PARAMS\s+QUANT/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    // Piped without --wide: 80 columns (COLUMNS unset), every line within them.
    const piped = await runCli(["models", "-n", "3", ...M], { env: { COLUMNS: "" } });
    expect(piped.stdout.split("\n").filter((l) => [...l].length > 80)).toEqual([]);
  });

  it("the table marks rows whose figures the catalog qualifies, with a legend", async () => {
    const r = await runCli(["models", "--search", "Nemotron-Super", "--wide", ...M]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/nvidia\/Llama-3_3-Nemotron-Super-49B-v1 \*/);
    expect(r.stdout).toMatch(/^\* the catalog qualifies these figures/m);
    const plain = await runCli(["models", "--search", "Llama-3.1-8B-Instruct", ...M]);
    expect(plain.stdout).not.toMatch(/\*/);
  });

  it("info <model> --json is the name route's envelope; loose references resolve", async () => {
    const r = await runCli(["info", "Qwen/Qwen3-8B", "--json", ...M]);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.filters.search).toBe("Qwen/Qwen3-8B");
    expect(body.models.map((m: { name: string }) => m.name)).toContain("Qwen/Qwen3-8B");
    const tag = JSON.parse((await runCli(["info", "qwen3:8b", "--json", ...M])).stdout);
    expect(tag.models.map((m: { name: string }) => m.name)).toContain("Qwen/Qwen3-8B");
  });

  it("info <model> says how a name it read as a derivative was read; an exact name says nothing of it", async () => {
    const derivative = await runCli(["info", "allura-org_Qwen3.5-27B-Anko-Q4_K_M.gguf", ...M], { env: { COLUMNS: "400" } });
    expect(derivative.code, derivative.stderr).toBe(0);
    expect(derivative.stdout).toContain('"allura-org_Qwen3.5-27B-Anko-Q4_K_M.gguf" is not in the catalog; read as a derivative');
    const exact = await runCli(["info", "Qwen/Qwen3.5-27B", ...M]);
    expect(exact.stdout).not.toContain("not in the catalog");
  });

  it("estimate --json", async () => {
    const r = await runCli(["estimate", "--model", "Qwen/Qwen3-8B", "--quant", "Q4_K_M", "--context", "4096", "--json", ...M]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ model: { name: "Qwen/Qwen3-8B" }, quant: "Q4_K_M", context: 4096 });
  });

  it("estimate --batch: one line out per line in, in order, bad lines answered and the run goes on", async () => {
    const file = join(dir, "batch.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({ model: "Qwen/Qwen3-8B" }),
        "not json",
        JSON.stringify({ model: "meta-llama/Llama-3.1-8B-Instruct", machine: { ram_gb: 16, cpu_cores: 4 } }),
        JSON.stringify({ model: "Qwen/Qwen3-8B", quant: "Q9_Z" }),
      ].join("\n") + "\n",
    );
    const r = await runCli(["estimate", "--batch", file, ...M]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0].model.name).toBe("Qwen/Qwen3-8B");
    expect(lines[1]).toEqual({ error: expect.stringMatching(/^line 2: /) });
    expect(lines[2].model.name).toBe("meta-llama/Llama-3.1-8B-Instruct");
    expect(lines[2].run_mode).toBe("cpu_only");
    expect(Object.keys(lines[3])).toEqual(["error"]);
  });

  it("estimate --batch - reads stdin; 1000 lines in a few seconds at most", async () => {
    const input = `${Array.from({ length: 1000 }, (_, i) => JSON.stringify({ model: i % 2 ? "Qwen/Qwen3-8B" : "qwen3:8b", context: 1024 + i })).join("\n")}\n`;
    const started = performance.now();
    const r = await runCli(["estimate", "--batch", "-", ...M], { input });
    const ms = performance.now() - started;
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1000);
    expect(JSON.parse(lines[999]!).context).toBe(2023);
    expect(ms).toBeLessThan(8000);
  });
});
