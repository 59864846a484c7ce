import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llamaShape, writeGguf, writeSplitGguf, writeTruncated, type GgufLayout } from "../support/gguf-writer.js";
import { FIXTURE_MACHINE, runCli } from "./run-cli.js";

let dir = "";
let gguf = "";
let layout: GgufLayout | null = null;
const shape = llamaShape({ nEmbd: 256, nLayer: 4, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 1024, ctx: 4096, type: "Q8_0" });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-cli-gguf-"));
  gguf = join(dir, "Tiny-Test-Q8_0.gguf");
  layout = writeGguf(gguf, shape.metadata, shape.tensors);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

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

  it("estimate --gguf reads a split model from any of its parts, the same as the whole file", async () => {
    const sub = join(dir, "split");
    mkdirSync(sub);
    const parts = writeSplitGguf(sub, "Tiny-Test-Q8_0", 2, shape.metadata, shape.tensors);
    const whole = await runCli(["estimate", "--gguf", gguf, "--machine", FIXTURE_MACHINE, "--json"]);
    const split = await runCli(["estimate", "--gguf", parts[1]?.path ?? "", "--machine", FIXTURE_MACHINE, "--json"]);
    expect(split.code, split.stderr).toBe(0);
    // The same estimate, to the figure: only the file named differs.
    const named = (out: string, file: string) => out.replaceAll(file, "FILE");
    expect(named(split.stdout, "Tiny-Test-Q8_0-00001-of-00002.gguf")).toBe(named(whole.stdout, "Tiny-Test-Q8_0.gguf"));
    expect(JSON.parse(split.stdout).weights_repo).toBe("Tiny-Test-Q8_0-00001-of-00002.gguf");
    // catalog import counts the tensor bytes of both parts exactly.
    const imported = await runCli(["catalog", "import", parts[0]?.path ?? ""]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).models[0].gguf_files).toEqual([{ quant: "Q8_0", bytes: layout?.dataBytes, repo: "Tiny-Test-Q8_0-00001-of-00002.gguf" }]);
  });

  it("estimate --gguf on a truncated file exits 1 naming the file", async () => {
    const cut = join(dir, "Cut-Q8_0.gguf");
    writeTruncated(layout as GgufLayout, cut, "data");
    const r = await runCli(["estimate", "--gguf", cut, "--machine", FIXTURE_MACHINE, "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatch(/Cut-Q8_0\.gguf: truncated: tensor \S+ ends at byte \d+/);
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
