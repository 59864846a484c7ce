import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_MACHINE, runCli } from "./run-cli.js";

const MAKE_GGUF = fileURLToPath(new URL("../../../shared/tools/make-gguf.mjs", import.meta.url));
let dir = "";
let gguf = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-cli-gguf-"));
  gguf = join(dir, "Tiny-Test-Q8_0.gguf");
  execFileSync(process.execPath, [MAKE_GGUF, gguf, JSON.stringify({ nEmbd: 256, nLayer: 4, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 1024, ctx: 4096, type: "Q8_0" })]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("GGUF files and user catalogs from the CLI", () => {
  it("estimate --gguf sizes the weights from the file's exact tensor bytes", async () => {
    const r = await runCli(["estimate", "--gguf", gguf, "--machine", FIXTURE_MACHINE, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.quant).toBe("Q8_0");
    expect(out.model.context_length).toBe(4096);
    expect(out.estimate_basis.weights_source).toMatch(/published file size/);
    expect(out.run_mode).toBe("gpu");
  });

  it("estimate --gguf on a file that is not GGUF exits 1 with a clear error", async () => {
    const bad = join(dir, "bad.gguf");
    writeFileSync(bad, "not a gguf file at all");
    const r = await runCli(["estimate", "--gguf", bad, "--machine", FIXTURE_MACHINE, "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatch(/bad\.gguf/);
  });

  it("catalog import prints an entry that --catalog then accepts and resolves", async () => {
    const imported = await runCli(["catalog", "import", gguf]);
    expect(imported.code, imported.stderr).toBe(0);
    const file = join(dir, "catalog.json");
    writeFileSync(file, imported.stdout);
    const id = JSON.parse(imported.stdout).models[0].id as string;
    const r = await runCli(["estimate", "--model", id, "--catalog", file, "--machine", FIXTURE_MACHINE, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).model.name).toBe(id);
  });

  it("an invalid --catalog file is an error naming the file", async () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, JSON.stringify({ description: "x", models: [{ id: "a/b" }] }));
    const r = await runCli(["models", "--catalog", file, "--machine", FIXTURE_MACHINE, "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatch(/broken\.json/);
  });
});
