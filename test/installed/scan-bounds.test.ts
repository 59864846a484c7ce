// The scan's bounds hold whatever the file system does (issue 17; review findings 4, 5 and 13): the time limit is kept
// while headers are read and between models, not only between directory entries; a split name claiming 99,999 parts
// is refused before any stat, and a real split model's parts are stat'ed once per scan, a few at a time; a filesystem
// that never answers ends the scan at its deadline, and the next scans leave that store out instead of piling up calls
// on it; the header cache is written as the scan goes. A slow or hung file system is the scan's injectable I/O.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NodefitError } from "../../src/domain/errors.js";
import { readInstalledHeader, HeaderCache, scanInstalled, type ScanOptions } from "../../src/installed/scan.js";
import type { StoreRoot } from "../../src/installed/types.js";
import type { ScanIO } from "../../src/installed/walk.js";
import { llamaShape, writeGguf, writeSplitGguf } from "../support/gguf-writer.js";
import { TINY } from "./stores.js";

let dir = "";
const catalog: ScanOptions["catalog"] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-scan-bounds-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const folderRoot = (path: string): StoreRoot => ({ kind: "models_dir", path, source: "--models-dir" });

/** A folder of `n` small real GGUF models, each of its own name. */
function modelsFolder(name: string, n: number): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < n; i++) {
    const { metadata, tensors } = llamaShape({ ...TINY, name: `Bounded Model ${i}` });
    writeGguf(join(folder, `m${String(i).padStart(2, "0")}.gguf`), metadata, tensors);
  }
  return folder;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A header reader that takes `ms` per header whatever the real reader's speed: the headers are read beforehand. */
async function slowReader(folder: string, ms: number): Promise<ScanIO["readHeader"]> {
  const headers = new Map<string, Awaited<ReturnType<ScanIO["readHeader"]>>>();
  for (const name of readdirSync(folder)) headers.set(join(folder, name), await readInstalledHeader(join(folder, name)));
  return async (f) => {
    await sleep(ms);
    const h = headers.get(f);
    if (h === undefined) throw new Error(`no header read beforehand for ${f}`);
    return h;
  };
}

/** A promise that never settles until `release` is called: a call into a hung network mount. */
function hang<T>(): { promise: Promise<T>; release: (e: Error) => void } {
  let release: (e: Error) => void = () => {};
  const promise = new Promise<T>((_, reject) => {
    release = reject;
  });
  return { promise, release };
}

describe("the time limit", () => {
  it("is kept while headers are read: a scan of slow headers stops at its deadline, partial, naming the models left; later scans go on from the cache", async () => {
    const folder = modelsFolder("slow-headers", 12);
    const cache = new HeaderCache();
    // Each header takes 250 ms (a 5 MB vocabulary): 12 take 3 s, the limit is 1 s.
    const io: Partial<ScanIO> = { readHeader: await slowReader(folder, 250) };
    const scan = () => scanInstalled({ roots: [folderRoot(folder)], catalog, cache, limits: { maxMs: 1000 }, now: () => new Date(), io });
    const t0 = performance.now();
    const first = await scan();
    const took = performance.now() - t0;
    expect(took).toBeLessThan(1400);
    expect(first.complete).toBe(false);
    expect(first.stores[0]).toMatchObject({ status: "partial", error: "stopped after 1000 ms", models: 12 });
    expect(first.models.length).toBeGreaterThan(0);
    expect(first.models.length).toBeLessThan(12);
    expect(first.stores[0]!.unidentified).toBe(12 - first.models.length);
    expect(first.warnings.at(-1)).toMatch(
      new RegExp(`^installed-model scan stopped after 1000 ms \\(reading the GGUF header of .*m\\d\\d\\.gguf\\): ${12 - first.models.length} models found were not identified \\(.*m\\d\\d\\.gguf, .*\\.gguf, .*\\.gguf and \\d+ more\\), and models past that are not known$`),
    );
    // Each later scan takes what the earlier ones read (the header in progress at the deadline too) and reads on.
    // (A scan right after gives the header read the last one left running a moment to return.)
    let last = first;
    for (let round = 0; round < 4 && !last.complete; round++) last = await scan();
    expect(last.complete).toBe(true);
    expect(last.models).toHaveLength(12);
  });

  it("is kept on a slow file system: every stat 100 ms, the walk stops at the deadline", async () => {
    const folder = modelsFolder("slow-stat", 20);
    const io: Partial<ScanIO> = { stat: async (p) => (await sleep(100), stat(p)) };
    const t0 = performance.now();
    const r = await scanInstalled({ roots: [folderRoot(folder)], catalog, cache: new HeaderCache(), limits: { maxMs: 500 }, now: () => new Date(), io });
    expect(performance.now() - t0).toBeLessThan(900);
    expect(r.complete).toBe(false);
    expect(r.stores[0]).toMatchObject({ status: "partial", error: "stopped after 500 ms" });
  });
});

describe("split names", () => {
  it("a name claiming 99,999 parts is refused before any stat of a part, with a warning; every scan, cached or not", async () => {
    const folder = join(dir, "split-storm");
    mkdirSync(folder);
    const { metadata, tensors } = llamaShape(TINY);
    for (const stem of ["a", "b", "c"]) writeGguf(join(folder, `${stem}-00001-of-99999.gguf`), metadata, tensors);
    const stats: string[] = [];
    const io: Partial<ScanIO> = { stat: (p) => (stats.push(p), stat(p)) };
    const cache = new HeaderCache();
    for (let pass = 0; pass < 2; pass++) {
      stats.length = 0;
      const t0 = performance.now();
      const r = await scanInstalled({ roots: [folderRoot(folder)], catalog, cache, now: () => new Date(), io });
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(stats.filter((p) => /-\d{5}-of-99999\.gguf$/.test(p) && !/-00001-of-/.test(p))).toEqual([]);
      expect(r.headersRead).toBe(0);
      expect(r.stores[0]).toMatchObject({ status: "read", models: 3, unidentified: 3 });
      expect(r.warnings).toEqual([`${join(folder, "a-00001-of-99999.gguf")}: split into 99999 parts by its name: at most 1024 are read`, expect.stringContaining("b-00001"), expect.stringContaining("c-00001")]);
    }
  });

  it("a split model whose second part is missing: parts stat'ed up to it, not the 1,000 its name claims", async () => {
    const folder = join(dir, "split-missing");
    mkdirSync(folder);
    const { metadata, tensors } = llamaShape(TINY);
    writeGguf(join(folder, "big-00001-of-01000.gguf"), metadata, tensors);
    const stats: string[] = [];
    const io: Partial<ScanIO> = { stat: (p) => (stats.push(p), stat(p)) };
    const cache = new HeaderCache();
    for (let pass = 0; pass < 2; pass++) {
      stats.length = 0;
      const r = await scanInstalled({ roots: [folderRoot(folder)], catalog, cache, now: () => new Date(), io });
      expect(r.stores[0]).toMatchObject({ models: 1, unidentified: 1 });
      // The listing's stat of the file, then the parts' pass: the first part and the second, found missing.
      expect(stats.filter((p) => p.includes("-of-01000"))).toHaveLength(3);
    }
  });

  it("a real split model: each part stat'ed once per scan, its bytes every part's", async () => {
    const folder = join(dir, "split-real");
    mkdirSync(folder);
    const { metadata, tensors } = llamaShape({ ...TINY, name: "Three Part Model" });
    const layouts = writeSplitGguf(folder, "three", 3, metadata, tensors);
    const stats: string[] = [];
    const io: Partial<ScanIO> = { stat: (p) => (stats.push(p), stat(p)) };
    const r = await scanInstalled({ roots: [folderRoot(folder)], catalog, cache: new HeaderCache(), now: () => new Date(), io });
    expect(r.models).toHaveLength(1);
    expect(r.models[0]!.bytes).toBe(layouts.reduce((s, l) => s + l.fileBytes, 0));
    // Three from the listing (each file's size), three from the parts' pass: none twice in one pass.
    expect(stats.filter((p) => p.includes("three-"))).toHaveLength(6);
  });
});

describe("a file system that never answers", () => {
  it("ends the scan at its deadline (stalled); the next scans leave that store out and read the others; once the call returns, it is read again", async () => {
    const good = modelsFolder("beside-hung", 2);
    const hungDir = join(dir, "hung-mount");
    mkdirSync(hungDir);
    const calls: string[] = [];
    const pending = hang<never>();
    const io: Partial<ScanIO> = {
      opendir: (d) => {
        calls.push(d);
        if (d === hungDir) return pending.promise;
        return import("node:fs/promises").then((fs) => fs.opendir(d, { bufferSize: 64 }));
      },
    };
    const cache = new HeaderCache();
    const roots = [folderRoot(hungDir), folderRoot(good)];
    const scan = () => scanInstalled({ roots, catalog, cache, limits: { maxMs: 400 }, now: () => new Date(), io });

    let t0 = performance.now();
    const first = await scan();
    expect(performance.now() - t0).toBeLessThan(800);
    expect(first.complete).toBe(false);
    expect(first.stores[0]).toMatchObject({ status: "partial", error: expect.stringMatching(new RegExp(`^stalled: listing ${hungDir} has not returned after 0\\.\\d s$`)) });
    expect(first.stores[1]).toMatchObject({ status: "partial", error: "stopped after 400 ms" }); // never reached
    expect(first.warnings.at(-1)).toMatch(/^installed-model scan stopped after 400 ms \(stalled: listing .*hung-mount has not returned after 0\.\d s\): models past that are not known$/);

    t0 = performance.now();
    const second = await scan();
    expect(performance.now() - t0).toBeLessThan(800);
    expect(second.stores[0]).toMatchObject({ status: "partial", error: expect.stringMatching(/^stalled: listing .*hung-mount has not returned after 0\.\d s$/) });
    expect(second.stores[1]).toMatchObject({ status: "read", models: 2 });
    expect(second.models).toHaveLength(2);
    expect(second.warnings[0]).toMatch(/^models_dir store .*hung-mount left out: stalled: listing/);
    // One call into the hung mount in all: the second scan made none.
    expect(calls.filter((d) => d === hungDir)).toHaveLength(1);

    // The mount answers at last (here: an error); the next scan reads that store again.
    pending.release(Object.assign(new Error("EIO: i/o error"), { code: "EIO" }));
    await sleep(10);
    const third = await scan();
    expect(calls.filter((d) => d === hungDir)).toHaveLength(2);
    expect(third.stores[0]).toMatchObject({ status: "unreadable", error: "EIO" });
    expect(third.stores[1]).toMatchObject({ status: "read", models: 2 });
  });

  it("a stat that never returns while a model's parts are looked at: the scan still answers by its deadline", async () => {
    const folder = modelsFolder("hung-stat", 3);
    const target = join(folder, "m01.gguf");
    let seen = 0;
    const io: Partial<ScanIO> = {
      stat: (p) => {
        // The listing's stat answers; the parts' pass on this file hangs.
        if (p === target && ++seen > 1) return hang<never>().promise;
        return stat(p);
      },
    };
    const t0 = performance.now();
    const r = await scanInstalled({ roots: [folderRoot(folder)], catalog, cache: new HeaderCache(), limits: { maxMs: 400 }, now: () => new Date(), io });
    expect(performance.now() - t0).toBeLessThan(800);
    expect(r.models.map((m) => m.path)).toEqual([join(folder, "m00.gguf")]);
    expect(r.stores[0]).toMatchObject({ status: "partial", models: 3, unidentified: 2, error: expect.stringMatching(/^stalled: reading the size of .*m01\.gguf has not returned after/) });
    expect(r.warnings.at(-1)).toMatch(/: 2 models found were not identified \(.*m01\.gguf, .*m02\.gguf\), and models past that are not known$/);
  });
});

describe("a header read still running at the deadline", () => {
  it("is not a stalled store: the next scan reads that store, joins the read (not a second one) and identifies the model", { timeout: 30_000 }, async () => {
    const folder = modelsFolder("running-read", 1);
    const file = join(folder, "m00.gguf");
    const header = await readInstalledHeader(file);
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    let reads = 0;
    const io: Partial<ScanIO> = { readHeader: async () => (reads++, await held, header) };
    const cache = new HeaderCache();
    const first = await scanInstalled({ roots: [folderRoot(folder)], catalog, cache, limits: { maxMs: 1500 }, now: () => new Date(), io });
    expect(reads).toBe(1);
    expect(first.stores[0]).toMatchObject({ status: "partial", error: "stopped after 1500 ms", models: 1, unidentified: 1 });
    // It returns after the grace a scan gives a stalled store's call (1 s): the store is not left out meanwhile.
    const next = scanInstalled({ roots: [folderRoot(folder)], catalog, cache, limits: { maxMs: 20_000 }, now: () => new Date(), io });
    setTimeout(release, 1500);
    const second = await next;
    expect(second.warnings).toEqual([]);
    expect(second.stores[0]).toMatchObject({ status: "read", models: 1, unidentified: 0, error: null });
    expect(second.models.map((m) => m.path)).toEqual([file]);
    expect(reads).toBe(1);
    expect(second.headersRead).toBe(0);
  });
});

describe("header failures", () => {
  it("a passing one (the reader busy, out of time, crashed) is not cached: the next scan reads the file again; a refusal of its content is", async () => {
    const folder = modelsFolder("passing-failures", 1);
    const file = join(folder, "m00.gguf");
    writeFileSync(join(folder, "junk.gguf"), "not a GGUF file at all, but long enough to be read as one ".repeat(4));
    const cacheFile = join(dir, "passing-cache", "installed-headers.json");
    const cache = new HeaderCache();
    await cache.load(cacheFile);
    const failures = [
      new NodefitError("overloaded", "the GGUF header reader is busy: 16 headers are waiting to be read; retry shortly", { retryAfterS: 2 }),
      new NodefitError("invalid_input_file", `GGUF file ${file}: its header was not read within 30 s: refused`, { path: file, passing: true }),
      new NodefitError("internal", "the GGUF header reader stopped (exit code 1)"),
    ];
    const reads: string[] = [];
    const io: Partial<ScanIO> = {
      readHeader: (f) => {
        reads.push(f);
        const failure = f === file ? failures.shift() : undefined;
        return failure !== undefined ? Promise.reject(failure) : readInstalledHeader(f);
      },
    };
    const scan = () => scanInstalled({ roots: [folderRoot(folder)], catalog, cache, now: () => new Date(), io });
    for (const message of ["is busy", "not read within 30 s", "stopped (exit code 1)"]) {
      const r = await scan();
      expect(r.models).toEqual([]);
      expect(r.warnings).toContainEqual(expect.stringContaining(message));
      await cache.save(cacheFile);
      expect(readFileSync(cacheFile, "utf8")).not.toContain(message);
    }
    const last = await scan();
    expect(last.models.map((m) => m.path)).toEqual([file]);
    // The file that is not a GGUF was read once: its refusal is kept, warned on each scan.
    expect(reads.filter((f) => f.endsWith("junk.gguf"))).toHaveLength(1);
    expect(reads.filter((f) => f === file)).toHaveLength(4);
    expect(last.warnings).toEqual([expect.stringMatching(/junk\.gguf: .*not a readable GGUF file/)]);
  });
});

describe("the header cache file", () => {
  const savedEntries = (file: string): number => (existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { entries: unknown[] }).entries.length : 0);
  const eventually = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 100 && !check(); i++) await sleep(20);
  };

  it("is written as the scan goes (every 8 new headers), not only at its end", async () => {
    const folder = modelsFolder("checkpoint", 12);
    const file = join(dir, "checkpoint-cache", "installed-headers.json");
    const cache = new HeaderCache();
    await cache.load(file);
    let readsAfterEighth = -1;
    let reads = 0;
    const io: Partial<ScanIO> = {
      readHeader: async (f) => {
        reads += 1;
        // By the tenth read, the file holds the first eight.
        if (reads === 10) {
          await eventually(() => savedEntries(file) >= 8);
          readsAfterEighth = savedEntries(file);
        }
        return readInstalledHeader(f);
      },
    };
    const r = await scanInstalled({ roots: [folderRoot(folder)], catalog, cache, now: () => new Date(), io });
    expect(r.complete).toBe(true);
    expect(readsAfterEighth).toBeGreaterThanOrEqual(8);
  });

  it("is written when the scan stops at its deadline: a process killed then keeps what it read", async () => {
    const folder = modelsFolder("checkpoint-deadline", 6);
    const file = join(dir, "deadline-cache", "installed-headers.json");
    const cache = new HeaderCache();
    await cache.load(file);
    const io: Partial<ScanIO> = { readHeader: await slowReader(folder, 150) };
    const r = await scanInstalled({ roots: [folderRoot(folder)], catalog, cache, limits: { maxMs: 500 }, now: () => new Date(), io });
    expect(r.complete).toBe(false);
    expect(r.models.length).toBeGreaterThan(0);
    await eventually(() => savedEntries(file) >= r.models.length);
    // A new process (a new cache from the file) reads only the rest.
    const next = new HeaderCache();
    await next.load(file);
    const again = await scanInstalled({ roots: [folderRoot(folder)], catalog, cache: next, now: () => new Date() });
    expect(again.models).toHaveLength(6);
    expect(again.headersRead).toBeLessThanOrEqual(6 - r.models.length);
  });

  it("is read without following a link: a symbolic link in its place is no cache", async () => {
    const folder = modelsFolder("linked-cache", 2);
    const real = join(dir, "linked-cache-real", "installed-headers.json");
    const cache = new HeaderCache();
    await cache.load(real);
    await scanInstalled({ roots: [folderRoot(folder)], catalog, cache, now: () => new Date() });
    await cache.save(real);
    expect(savedEntries(real)).toBe(2);
    // The same file read as such is a cache...
    const direct = new HeaderCache();
    await direct.load(real);
    expect((await scanInstalled({ roots: [folderRoot(folder)], catalog, cache: direct, now: () => new Date() })).headersRead).toBe(0);
    // ...and through a link in the cache file's place it is not.
    const linkDir = join(dir, "linked-cache-link");
    mkdirSync(linkDir);
    const link = join(linkDir, "installed-headers.json");
    symlinkSync(real, link);
    const linked = new HeaderCache();
    await linked.load(link);
    expect((await scanInstalled({ roots: [folderRoot(folder)], catalog, cache: linked, now: () => new Date() })).headersRead).toBe(2);
  });

  it("a change made while a write is in progress is written by the next save, not lost", async () => {
    const folder = modelsFolder("save-race", 2);
    const file = join(dir, "race-cache", "installed-headers.json");
    const cache = new HeaderCache();
    await cache.load(file);
    await scanInstalled({ roots: [folderRoot(folder)], catalog, cache, now: () => new Date() });
    const writing = cache.save(file);
    cache.set("late|1|2|3", { error: "a header read while the file was being written" });
    await writing;
    await cache.save(file);
    expect(savedEntries(file)).toBe(3);
  });
});

describe("general.license holding a license's text", () => {
  it("is read as no license name, and the model is still installed (not refused)", async () => {
    const folder = join(dir, "license-text");
    mkdirSync(folder);
    const { metadata, tensors } = llamaShape({ ...TINY, name: "Licensed Model" });
    writeGguf(join(folder, "licensed.gguf"), { ...metadata, "general.license": { str: "Permission is hereby granted... ".repeat(2000) } }, tensors);
    const r = await scanInstalled({ roots: [folderRoot(folder)], catalog, cache: new HeaderCache(), now: () => new Date() });
    expect(r.warnings).toEqual([]);
    expect(r.models).toHaveLength(1);
    expect(r.extraModels[0]).toMatchObject({ license: "unknown" });
  });
});
