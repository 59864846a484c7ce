import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { resolveModel } from "../../src/catalog/resolve.js";
import { defaultCatalogPath, loadCatalog } from "../../src/catalog/user-catalog.js";
import { NodefitError } from "../../src/domain/errors.js";

const dir = mkdtempSync(join(tmpdir(), "nodefit-user-catalog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An entry as written in data/*.json (input form), taken from the bundled files. */
function rawEntry(id: string): Record<string, unknown> {
  const text = readFileSync(new URL("../../src/catalog/data/qwen.json", import.meta.url), "utf8");
  const models = (JSON.parse(text) as { models: Array<Record<string, unknown>> }).models;
  const m = models.find((x) => x.id === id);
  if (!m) throw new Error(`no ${id} in qwen.json`);
  return structuredClone(m);
}

function write(path: string, body: unknown): string {
  writeFileSync(path, typeof body === "string" ? body : JSON.stringify(body));
  return path;
}

const home = join(dir, "home");
const noEnv: NodeJS.ProcessEnv = {};

describe("defaultCatalogPath", () => {
  it("follows XDG on Linux and macOS, APPDATA on Windows", () => {
    expect(defaultCatalogPath({}, "linux", "/home/ada")).toBe("/home/ada/.config/nodefit/catalog.json");
    expect(defaultCatalogPath({ XDG_CONFIG_HOME: "/cfg" }, "linux", "/home/ada")).toBe("/cfg/nodefit/catalog.json");
    expect(defaultCatalogPath({ XDG_CONFIG_HOME: "relative" }, "darwin", "/Users/ada")).toBe("/Users/ada/.config/nodefit/catalog.json");
    expect(defaultCatalogPath({ APPDATA: "C:\\Users\\ada\\AppData\\Roaming" }, "win32", "C:\\Users\\ada")).toBe(
      "C:\\Users\\ada\\AppData\\Roaming\\nodefit\\catalog.json",
    );
    expect(defaultCatalogPath({}, "win32", "C:\\Users\\ada")).toBe("C:\\Users\\ada\\AppData\\Roaming\\nodefit\\catalog.json");
  });
});

describe("loadCatalog", () => {
  it("is the bundled catalog when no user file exists", () => {
    const c = loadCatalog({ env: noEnv, platform: "linux", homedir: join(dir, "nobody") });
    expect(c.models.length).toBe(bundledModels().length);
    expect(c.sources).toEqual(["bundled"]);
    expect(c.warnings).toEqual([]);
  });

  it("merges the default-location file over the bundled entries (same id replaced, new ids added)", () => {
    const cfg = join(home, ".config", "nodefit");
    mkdirSync(cfg, { recursive: true });
    const replaced = { ...rawEntry("Qwen/Qwen3-8B"), context_length: 65536 };
    const added = { ...rawEntry("Qwen/Qwen3-8B"), id: "example/MyQwen-8B-Finetune", aliases: ["MyQwen 8B"], ollama: [], gguf_sources: [], variants: [] };
    const path = write(join(cfg, "catalog.json"), { description: "mine", models: [replaced, added] });
    const c = loadCatalog({ env: noEnv, platform: "linux", homedir: home });
    expect(c.sources).toEqual(["bundled", path]);
    expect(c.warnings).toEqual([]);
    expect(c.models.length).toBe(bundledModels().length + 1);
    expect(c.models.find((m) => m.id === "Qwen/Qwen3-8B")?.context_length).toBe(65536);
    expect(resolveModel(c.models, "MyQwen 8B").model?.id).toBe("example/MyQwen-8B-Finetune");
    rmSync(path);
  });

  it("warns about an invalid default-location file and still loads the bundled catalog", () => {
    const xdg = join(dir, "xdg");
    mkdirSync(join(xdg, "nodefit"), { recursive: true });
    const bad = { ...rawEntry("Qwen/Qwen3-8B"), layers_typo: 3 };
    write(join(xdg, "nodefit", "catalog.json"), { description: "bad", models: [bad] });
    const c = loadCatalog({ env: { XDG_CONFIG_HOME: xdg }, platform: "linux", homedir: home });
    expect(c.models.length).toBe(bundledModels().length);
    expect(c.sources).toEqual(["bundled"]);
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]).toContain(join(xdg, "nodefit", "catalog.json"));
    expect(c.warnings[0]).toContain("Qwen/Qwen3-8B");
    write(join(xdg, "nodefit", "catalog.json"), "{ not json");
    expect(loadCatalog({ env: { XDG_CONFIG_HOME: xdg }, platform: "linux", homedir: home }).warnings[0]).toContain("not valid JSON");
  });

  it("reads the Windows location from APPDATA", () => {
    const files = new Map([["C:\\Users\\ada\\AppData\\Roaming\\nodefit\\catalog.json", JSON.stringify({ description: "w", models: [rawEntry("Qwen/Qwen3-4B")] })]]);
    const readFile = (p: string): string => {
      const text = files.get(p);
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
      return text;
    };
    const c = loadCatalog({ env: { APPDATA: "C:\\Users\\ada\\AppData\\Roaming" }, platform: "win32", homedir: "C:\\Users\\ada", readFile });
    expect(c.sources).toEqual(["bundled", "C:\\Users\\ada\\AppData\\Roaming\\nodefit\\catalog.json"]);
  });

  it("fails on a missing or invalid --catalog file, naming the file and the entry", () => {
    const missing = join(dir, "missing.json");
    const e1 = (() => {
      try {
        loadCatalog({ catalogFile: missing, env: noEnv, platform: "linux", homedir: home });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(e1).toBeInstanceOf(NodefitError);
    expect((e1 as NodefitError).code).toBe("invalid_input_file");
    expect((e1 as NodefitError).message).toContain(missing);

    const entry = { ...rawEntry("Qwen/Qwen3-14B"), architecture: { ...(rawEntry("Qwen/Qwen3-14B").architecture as object), layers: 0 } };
    const invalid = write(join(dir, "invalid.json"), { description: "x", models: [entry] });
    expect(() => loadCatalog({ catalogFile: invalid, env: noEnv, platform: "linux", homedir: home })).toThrow(
      expect.objectContaining({ code: "invalid_catalog", message: expect.stringMatching(/invalid\.json.*Qwen\/Qwen3-14B.*layers/) }),
    );
  });

  it("uses a valid --catalog file instead of the default location", () => {
    const file = write(join(dir, "explicit.json"), { description: "x", models: [{ ...rawEntry("Qwen/Qwen3-4B"), id: "example/Only-Here" }] });
    const c = loadCatalog({ catalogFile: file, env: noEnv, platform: "linux", homedir: home });
    expect(c.sources).toEqual(["bundled", file]);
    expect(c.models.some((m) => m.id === "example/Only-Here")).toBe(true);
  });
});
