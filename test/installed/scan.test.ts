// The stores in their real layouts, read by the scan: each model found, identified by name and header (or config),
// sized exactly; a model the catalog lacks becomes an entry; bounds hold on a huge folder and a symlink loop.
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { ollamaTag, parseOllamaManifest } from "../../src/installed/ollama.js";
import { HeaderCache, scanInstalled } from "../../src/installed/scan.js";
import { parseModelsDirs, splitPathList, storeRoots } from "../../src/installed/stores.js";
import type { Inventory } from "../../src/installed/types.js";
import { llamaShape, splitName, writeGguf, writeSplitGguf } from "../support/gguf-writer.js";
import { buildHome, ollamaModel, TINY, type FixtureHome } from "./stores.js";

let dir = "";
let fx: FixtureHome;
let inv: Inventory;
let firstScanMs = 0;
const cache = new HeaderCache();
const catalog = bundledModels();

const roots = () => storeRoots({ env: {}, home: fx.home, platform: "linux" }, parseModelsDirs([fx.modelsDir], "--models-dir", "/"));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-stores-"));
  fx = buildHome(dir);
  const t0 = performance.now();
  inv = await scanInstalled({ roots: roots(), catalog, cache, now: () => new Date() });
  firstScanMs = performance.now() - t0;
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const byPath = (p: string) => inv.models.find((m) => m.path === p);

describe("store roots", () => {
  it("each store's own variables, then its default under the home folder", () => {
    const env = { OLLAMA_MODELS: "/data/ollama", HF_HOME: "/data/hf", LLAMA_CACHE: "/data/llama", XDG_CACHE_HOME: "/x" };
    expect(storeRoots({ env, home: "/home/me", platform: "linux" }, { dirs: ["/srv/models"], source: "--models-dir" }).map((r) => `${r.kind} ${r.path} ${r.source}`)).toEqual([
      "ollama /data/ollama OLLAMA_MODELS",
      "huggingface /data/hf/hub HF_HOME",
      "lmstudio /home/me/.lmstudio/models default",
      "lmstudio /home/me/.cache/lm-studio/models default",
      "llamacpp /data/llama LLAMA_CACHE",
      "models_dir /srv/models --models-dir",
    ]);
    expect(storeRoots({ env: { HF_HUB_CACHE: "/c/hub", XDG_CACHE_HOME: "/x" }, home: "/home/me", platform: "linux" }, { dirs: [], source: null }).map((r) => r.path)).toEqual([
      "/home/me/.ollama/models",
      "/usr/share/ollama/.ollama/models",
      "/c/hub",
      "/home/me/.lmstudio/models",
      "/home/me/.cache/lm-studio/models",
      "/x/llama.cpp",
    ]);
    expect(storeRoots({ env: {}, home: "/Users/me", platform: "darwin" }, { dirs: [], source: null }).map((r) => r.path)).toContain("/Users/me/Library/Caches/llama.cpp");
  });

  it("model folders: NODEFIT_MODELS_DIRS split as PATH is, relative ones from the working folder (which door wins: test/cli/settings.test.ts)", () => {
    expect(parseModelsDirs(splitPathList("/a:/b::rel", "linux"), "NODEFIT_MODELS_DIRS", "/cwd", "linux")).toEqual({ dirs: ["/a", "/b", "/cwd/rel"], source: "NODEFIT_MODELS_DIRS" });
    expect(splitPathList("C:\\m;D:\\n", "win32")).toEqual(["C:\\m", "D:\\n"]);
    expect(parseModelsDirs(["x", "x"], "--models-dir", "/cwd")).toEqual({ dirs: ["/cwd/x"], source: "--models-dir" });
    expect(parseModelsDirs([], "--models-dir", "/cwd")).toEqual({ dirs: [], source: null });
    expect(() => parseModelsDirs([" "], "--models-dir", "/")).toThrow("invalid models-dir value: use a folder path");
  });
});

describe("Ollama's names", () => {
  it("a manifest's path is the tag Ollama shows; its model layer the GGUF blob", () => {
    expect(ollamaTag("registry.ollama.ai", "library", "qwen3", "8b")).toBe("qwen3:8b");
    expect(ollamaTag("registry.ollama.ai", "someone", "tiny", "latest")).toBe("someone/tiny:latest");
    expect(ollamaTag("hf.co", "bartowski", "Llama-3.2-1B-Instruct-GGUF", "Q4_K_M")).toBe("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M");
    const digest = `sha256:${"a".repeat(64)}`;
    expect(parseOllamaManifest(JSON.stringify({ layers: [{ mediaType: "application/vnd.ollama.image.projector", digest, size: 1 }, { mediaType: "application/vnd.ollama.image.model", digest, size: 42 }] }))).toEqual({ digest, size: 42 });
    expect(parseOllamaManifest(JSON.stringify({ layers: [{ mediaType: "application/vnd.ollama.image.model", digest: "sha256:../../etc/passwd", size: 1 }] }))).toBeNull();
    expect(parseOllamaManifest("not json")).toBeNull();
  });
});

describe("a scan of every store", () => {
  it("Ollama: a tag's manifest leads to its GGUF blob, identified by name and header, sized exactly", () => {
    expect(byPath(fx.ollama.llama.blob)).toMatchObject({
      store: "ollama",
      runtime: "ollama",
      tag: "llama3.2:1b",
      format: "gguf",
      modelId: "meta-llama/Llama-3.2-1B-Instruct",
      identifiedBy: "name_and_header",
      quant: "Q4_K_M",
      bytes: fx.ollama.llama.bytes,
      architecture: "llama",
    });
  });

  it("a model the catalog lacks becomes an entry of its own, from its header, its Ollama tag kept", () => {
    const tiny = byPath(fx.ollama.tiny.blob)!;
    expect(tiny).toMatchObject({ tag: "tiny-custom:latest", identifiedBy: "own_entry", quant: "Q8_0" });
    const entry = inv.extraModels.find((m) => m.id === tiny.modelId)!;
    expect(entry.id).toMatch(/^local\//);
    expect(entry.ollama).toEqual(["tiny-custom:latest"]);
    expect(entry.architecture).toMatchObject({ type: "llama", layers: 2, hidden_size: 256 });
  });

  it("the Hugging Face cache: refs/main's snapshot, its links followed to the blobs; GGUF, MLX and safetensors repos", () => {
    const smol = inv.models.find((m) => m.tag === "bartowski/SmolLM2-135M-Instruct-GGUF")!;
    expect(smol).toMatchObject({ store: "huggingface", runtime: "llamacpp", revision: fx.hf.smol.rev, modelId: "HuggingFaceTB/SmolLM2-135M-Instruct", quant: "Q8_0", bytes: fx.hf.smol.bytes });
    expect(inv.models.find((m) => m.tag === "mlx-community/Qwen3-0.6B-4bit")).toMatchObject({
      format: "mlx",
      runtime: "mlx",
      modelId: "Qwen/Qwen3-0.6B",
      identifiedBy: "name_and_config",
      quant: "MLX-4BIT",
      bytes: 4096,
      revision: fx.hf.mlxRev,
    });
    expect(inv.models.find((m) => m.tag === "Qwen/Qwen3-0.6B")).toMatchObject({ format: "safetensors", runtime: "vllm", quant: "BF16-SAFETENSORS", bytes: 8192 });
    // The unfinished download (a link to a blob not there yet) and the dataset are no models.
    expect(inv.models.some((m) => m.tag === "unsloth/Qwen3-8B-GGUF" || m.tag?.startsWith("org/"))).toBe(false);
  });

  it("LM Studio's publisher/repo folders and llama.cpp's flat cache", () => {
    expect(byPath(fx.lmstudioFile)).toMatchObject({ store: "lmstudio", runtime: "lmstudio", tag: "lmstudio-community/Llama-3.2-1B-Instruct-GGUF", modelId: "meta-llama/Llama-3.2-1B-Instruct" });
    expect(byPath(fx.llamaCacheFile)).toMatchObject({ store: "llamacpp", runtime: "llamacpp", tag: null, modelId: "HuggingFaceTB/SmolLM2-135M-Instruct", quant: "Q8_0" });
  });

  it("--models-dir: a split model once, its parts summed; projectors left out; a file named as another model is not that model", () => {
    const dirModels = inv.models.filter((m) => m.store === "models_dir");
    expect(dirModels.map((m) => m.path.slice(fx.modelsDir.length + 1)).sort()).toEqual(["impostor/Llama-3.2-1B-Instruct-Q8_0.gguf", "tiny-split-00001-of-00002.gguf"]);
    expect(dirModels.find((m) => m.path.endsWith("00002.gguf"))).toMatchObject({ bytes: fx.splitBytes, identifiedBy: "own_entry" });
    const impostor = dirModels.find((m) => m.path.includes("impostor"))!;
    expect(impostor.identifiedBy).toBe("own_entry");
    expect(impostor.modelId).not.toBe("meta-llama/Llama-3.2-1B-Instruct");
  });

  it("reports each store, the symlink loop walked once, the missing blob a warning; every store read in full", () => {
    expect(inv.stores.map((s) => [s.kind, s.status, s.models])).toEqual([
      ["ollama", "read", 3],
      ["ollama", "missing", 0],
      ["huggingface", "read", 3],
      ["lmstudio", "read", 1],
      ["lmstudio", "missing", 0],
      ["llamacpp", "read", 1],
      ["models_dir", "read", 2],
    ]);
    expect(inv.stores[0]!.unidentified).toBe(1);
    expect(inv.warnings).toEqual([expect.stringMatching(/^gone:latest: \/.*\/blobs\/sha256-[0-9a-f]{64}: no such file$/)]);
    expect(inv.complete).toBe(true);
    expect(inv.models).toHaveLength(9);
  });

  it("reads each header once: a second scan takes them from the cache", async () => {
    expect(inv.headersRead).toBe(7);
    const t0 = performance.now();
    const again = await scanInstalled({ roots: roots(), catalog, cache, now: () => new Date() });
    const ms = performance.now() - t0;
    expect(again.headersRead).toBe(0);
    expect(again.models).toEqual(inv.models);
    console.log(`fixture stores: first scan ${firstScanMs.toFixed(0)} ms (7 GGUF headers), second ${ms.toFixed(0)} ms (cached)`);
    expect(ms).toBeLessThan(firstScanMs);
  });
});

describe("own entries' names", () => {
  it("an Ollama model whose header has no name is named by its tag, not its blob's digest", async () => {
    const root = join(dir, "nameless-ollama");
    const { blob } = ollamaModel(root, "nameless", "q8", TINY);
    // Rewrite the blob without general.name.
    const { metadata, tensors } = llamaShape(TINY);
    delete metadata["general.name"];
    writeGguf(blob, metadata, tensors);
    const r = await scanInstalled({ roots: [{ kind: "ollama", path: root, source: "OLLAMA_MODELS" }], catalog, cache: new HeaderCache(), now: () => new Date() });
    expect(r.models.map((m) => [m.tag, m.modelId, m.identifiedBy])).toEqual([["nameless:q8", "local/nameless-q8", "own_entry"]]);
  });
});

describe("a split model downloaded part by part", () => {
  it("is read again once its missing part arrives: the cache keys every part's version, not the first's alone", async () => {
    const folder = join(dir, "split-late");
    const aside = join(dir, "split-late-aside");
    mkdirSync(folder);
    mkdirSync(aside);
    const { metadata, tensors } = llamaShape({ ...TINY, name: "Late Split Model" });
    writeSplitGguf(folder, "late-split", 2, metadata, tensors);
    renameSync(join(folder, splitName("late-split", 1, 2)), join(aside, "part2"));
    const splitCache = new HeaderCache();
    const scan = () => scanInstalled({ roots: [{ kind: "models_dir", path: folder, source: "--models-dir" }], catalog, cache: splitCache, now: () => new Date() });
    const before = await scan();
    expect(before.models).toEqual([]);
    expect(before.stores[0]).toMatchObject({ models: 1, unidentified: 1 });
    expect(before.warnings.join("\n")).toContain("a part of the split model is missing");
    // The second part arrives; the first is untouched.
    renameSync(join(aside, "part2"), join(folder, splitName("late-split", 1, 2)));
    const after = await scan();
    expect(after.headersRead).toBe(1);
    expect(after.models.map((m) => [m.path.slice(folder.length + 1), m.identifiedBy])).toEqual([[splitName("late-split", 0, 2), "own_entry"]]);
  });
});

describe("the header cache between processes", () => {
  it("is saved and loaded: a new process reads no header again; a foreign or broken file is no cache", async () => {
    const file = join(dir, "cache", "installed-headers.json");
    await cache.save(file);
    const next = new HeaderCache();
    await next.load(file);
    const t0 = performance.now();
    const again = await scanInstalled({ roots: roots(), catalog, cache: next, now: () => new Date() });
    console.log(`fixture stores, a new process with the saved header cache: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(again.headersRead).toBe(0);
    expect(again.models).toEqual(inv.models);
    expect(again.extraModels).toEqual(inv.extraModels);
    writeFileSync(file, '{"format":1,"entries":[["x|1|2|3",{"model":{"id":"not valid"},"weightsBytes":1,"quant":"Q4_K_M"}]]}');
    const broken = new HeaderCache();
    await broken.load(file);
    expect(broken.get("x|1|2|3")).toBeUndefined();
    writeFileSync(file, "not json");
    await new HeaderCache().load(file);
  }, 60_000);
});

describe("bounds", () => {
  it("a huge folder stops at the entry budget: partial, a warning, models past it unknown", async () => {
    const huge = join(dir, "huge");
    mkdirSync(huge);
    for (let i = 0; i < 3000; i++) writeFileSync(join(huge, `f${String(i).padStart(5, "0")}.txt`), "");
    const t0 = performance.now();
    const r = await scanInstalled({ roots: [{ kind: "models_dir", path: huge, source: "--models-dir" }], catalog, cache, limits: { maxEntries: 500 }, now: () => new Date() });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.stores[0]).toMatchObject({ status: "partial", error: "stopped after 500 directory entries" });
    expect(r.complete).toBe(false);
    expect(r.warnings.at(-1)).toBe("installed-model scan stopped after 500 directory entries: models past that are not known");
  });

  it("the time budget and the header budget", async () => {
    const timed = await scanInstalled({ roots: roots(), catalog, cache: new HeaderCache(), limits: { maxMs: 0 }, now: () => new Date() });
    expect(timed.complete).toBe(false);
    const headers = await scanInstalled({ roots: roots(), catalog, cache: new HeaderCache(), limits: { maxHeaders: 2 }, now: () => new Date() });
    expect(headers.headersRead).toBe(2);
    expect(headers.complete).toBe(false);
  });

  it("an unreadable store is reported, and the scan is not complete", async () => {
    const locked = join(dir, "locked");
    mkdirSync(locked, { mode: 0o000 });
    const r = await scanInstalled({ roots: [{ kind: "models_dir", path: locked, source: "--models-dir" }], catalog, cache, now: () => new Date() });
    if (process.getuid?.() === 0) return; // root reads any folder
    expect(r.stores[0]).toMatchObject({ status: "unreadable", error: "EACCES" });
    expect(r.complete).toBe(false);
  });
});
