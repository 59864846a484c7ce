// The benchmarks store: WAL with synchronous=FULL, results kept as the API serves them, a reader that opens the file
// once it exists and notices another connection's commits without reading rows, and the data directory's rules.
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { benchmarksDbPath, dataDir } from "../../src/bench/data-dir.js";
import { BenchmarkStore, BenchmarkStoreReader } from "../../src/bench/store.js";
import { BenchmarkSchema } from "../../src/contract/schemas-benchmarks.js";
import { sampleBenchmark, tempDataDir } from "../support/benchmarks.js";

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
const track = <T extends { close(): void }>(s: T): T => (open.push(s), s);

describe("BenchmarkStore", () => {
  it("creates its folder and file; WAL journal, synchronous FULL; results come back as stored, newest first", async () => {
    const file = path.join(tempDataDir(), "nested", "dir", "benchmarks.db");
    const store = track(await BenchmarkStore.open(file));
    const raw = track(new Database(file));
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    const a = store.add(sampleBenchmark({ model: "a" }), new Date("2026-01-01T00:00:00Z"));
    const b = store.add(sampleBenchmark({ model: "b" }), new Date("2026-01-02T00:00:00Z"));
    expect([a.id, b.id]).toEqual([1, 2]);
    expect(a.recorded_at).toBe("2026-01-01T00:00:00.000Z");
    const list = store.list();
    expect(list.map((r) => r.model)).toEqual(["b", "a"]);
    expect(list[1]).toEqual(a);
    for (const r of list) BenchmarkSchema.parse(r);
    expect(store.integrity()).toBe("ok");
  });

  it("writes through a connection in WAL mode with synchronous=FULL (each commit fsync'ed before add returns)", async () => {
    const store = track(await BenchmarkStore.open(path.join(tempDataDir(), "benchmarks.db")));
    expect(store.durability()).toEqual({ journalMode: "wal", synchronous: 2 });
  });

  it("a row this version cannot read (another schema's) is left out, not an error", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    const store = track(await BenchmarkStore.open(file));
    store.add(sampleBenchmark());
    const raw = track(new Database(file));
    raw.prepare("INSERT INTO benchmarks (recorded_at, model, quant, runtime, result) VALUES (?, ?, ?, ?, ?)").run("2026-01-01T00:00:00Z", "x", null, "llamacpp", '{"not":"a result"}');
    raw.prepare("INSERT INTO benchmarks (recorded_at, model, quant, runtime, result) VALUES (?, ?, ?, ?, ?)").run("2026-01-01T00:00:00Z", "y", null, "llamacpp", "not json");
    expect(store.list().map((r) => r.model)).toEqual(["Qwen/Qwen3-8B"]);
  });

  it("a file that is not a database: a clear error naming it", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    writeFileSync(file, "this is not sqlite, it is a text file long enough to have a header of sorts........");
    await expect(BenchmarkStore.open(file)).rejects.toThrow(new RegExp(`^cannot open the benchmarks store ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: `));
  });
});

describe("BenchmarkStoreReader (the agent's view)", () => {
  it("no file yet: no results, nothing created; the file appearing later is read", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    const reader = track(new BenchmarkStoreReader(file));
    expect(await reader.read()).toEqual([]);
    expect(await reader.changed()).toBe(false);
    expect(existsSync(file)).toBe(false);
    const writer = track(await BenchmarkStore.open(file));
    writer.add(sampleBenchmark());
    expect(await reader.changed()).toBe(true);
    expect((await reader.read()).length).toBe(1);
    expect(await reader.changed()).toBe(false);
  });

  it("notices another connection's commit (data_version), and only then", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    const writer = track(await BenchmarkStore.open(file));
    writer.add(sampleBenchmark({ model: "first" }));
    const reader = track(new BenchmarkStoreReader(file));
    expect((await reader.read()).map((r) => r.model)).toEqual(["first"]);
    expect(await reader.changed()).toBe(false);
    expect(await reader.changed()).toBe(false);
    writer.add(sampleBenchmark({ model: "second" }));
    expect(await reader.changed()).toBe(true);
    // Still pending until read.
    expect(await reader.changed()).toBe(true);
    expect((await reader.read()).map((r) => r.model)).toEqual(["second", "first"]);
    expect(await reader.changed()).toBe(false);
  });
});

describe("data directory", () => {
  it("--data-dir, then NODEFIT_DATA_DIR, then $XDG_DATA_HOME/nodefit, then ~/.local/share/nodefit", () => {
    expect(dataDir("/flag", { NODEFIT_DATA_DIR: "/env", XDG_DATA_HOME: "/xdg", HOME: "/home/u" })).toBe("/flag");
    expect(dataDir(null, { NODEFIT_DATA_DIR: "/env", XDG_DATA_HOME: "/xdg", HOME: "/home/u" })).toBe("/env");
    expect(dataDir(null, { NODEFIT_DATA_DIR: "", XDG_DATA_HOME: "/xdg", HOME: "/home/u" })).toBe("/xdg/nodefit");
    // A relative XDG_DATA_HOME is ignored, as the XDG spec says.
    expect(dataDir(null, { XDG_DATA_HOME: "rel", HOME: "/home/u" })).toBe("/home/u/.local/share/nodefit");
    expect(dataDir("rel/dir", {})).toBe(path.resolve("rel/dir"));
    expect(benchmarksDbPath("/d")).toBe("/d/benchmarks.db");
  });
});
