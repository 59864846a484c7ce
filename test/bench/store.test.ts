// The benchmarks store: WAL with synchronous=FULL, results kept as the API serves them, a reader that opens the file
// once it exists and notices another connection's commits without reading rows, and the data directory's rules.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { benchmarksDbPath, dataDir } from "../../src/bench/data-dir.js";
import { BenchmarkStore, BenchmarkStoreReader, MAX_RESULTS_READ, READ_PAGE_ROWS } from "../../src/bench/store.js";
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

describe("a store a newer nodefit wrote", () => {
  it("is refused by the writer and the reader alike, with one text", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    track(await BenchmarkStore.open(file)).close();
    const raw = new Database(file);
    raw.pragma("user_version = 99");
    raw.close();
    await expect(BenchmarkStore.open(file)).rejects.toThrow(/: written by a newer nodefit \(schema 99; this one reads \d+\)$/);
    await expect(track(new BenchmarkStoreReader(file)).read()).rejects.toThrow(/: written by a newer nodefit \(schema 99; this one reads \d+\)$/);
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

/** The store read by the agent's reader in a child process, as uid `uid` (this test runs as root) or as this user. */
function readAs(file: string, uid: number | null): Promise<{ models?: string[]; error?: string; changed?: boolean }> {
  const script = fileURLToPath(new URL("./support/read-store.ts", import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--import", "tsx", script, file], { cwd: fileURLToPath(new URL("../..", import.meta.url)), timeout: 20_000, ...(uid === null ? {} : { uid, gid: uid }) }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as { models?: string[]; error?: string }),
    );
  });
}

const isRoot = process.getuid?.() === 0;

describe("BenchmarkStoreReader: read-only, bounded", () => {
  it("a store in a folder the agent may not write (another user's, no bench running): read, nothing written", async () => {
    const dir = tempDataDir();
    const file = path.join(dir, "benchmarks.db");
    const writer = await BenchmarkStore.open(file);
    writer.add(sampleBenchmark({ model: "a" }));
    writer.add(sampleBenchmark({ model: "b" }));
    writer.close();
    const before = readFileSync(file);
    // Root may write anywhere: the reader runs as nobody (65534) in a folder root owns; otherwise the folder is made read-only.
    chmodSync(dir, isRoot ? 0o755 : 0o555);
    try {
      expect(await readAs(file, isRoot ? 65534 : null)).toEqual({ models: ["b", "a"], changed: false });
      expect(readdirSync(dir)).toEqual(["benchmarks.db"]);
      expect(readFileSync(file).equals(before)).toBe(true);
      // A bench running (as the store's owner): its WAL and shared memory are there, and the reader sees its results.
      chmodSync(dir, 0o755);
      const bench = track(await BenchmarkStore.open(file));
      bench.add(sampleBenchmark({ model: "c" }));
      if (!isRoot) chmodSync(dir, 0o555);
      expect(await readAs(file, isRoot ? 65534 : null)).toEqual({ models: ["c", "b", "a"], changed: false });
    } finally {
      chmodSync(dir, 0o755);
    }
  }, 60_000);

  it("writes nothing: a store a bench is creating (an empty file) is no results, and stays empty", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    writeFileSync(file, "");
    const reader = track(new BenchmarkStoreReader(file));
    expect(await reader.read()).toEqual([]);
    reader.close();
    expect(statSync(file).size).toBe(0);
    // The bench goes on: its results are read.
    const writer = track(await BenchmarkStore.open(file));
    writer.add(sampleBenchmark({ model: "first" }));
    expect((await reader.read()).map((r) => r.model)).toEqual(["first"]);
  });

  it("a locked store: the read fails at once (no 5 s wait on the event loop) and succeeds once the lock is gone", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    const writer = await BenchmarkStore.open(file);
    writer.add(sampleBenchmark({ model: "kept" }));
    writer.close();
    // Another tool holding the file in rollback-journal mode with an exclusive lock.
    const tool = track(new Database(file));
    tool.pragma("journal_mode = DELETE");
    tool.exec("BEGIN EXCLUSIVE");
    tool.prepare("INSERT INTO benchmarks (recorded_at, model, quant, runtime, result) VALUES ('2026-01-01T00:00:00Z', 'x', NULL, 'llamacpp', '{}')").run();
    const reader = track(new BenchmarkStoreReader(file));
    const t0 = performance.now();
    await expect(reader.read()).rejects.toThrow(`the benchmarks store ${file} is locked by another process: read again at the next refresh`);
    expect(performance.now() - t0).toBeLessThan(1000);
    tool.exec("COMMIT");
    expect(await reader.changed()).toBe(true);
    expect((await reader.read()).map((r) => r.model)).toEqual(["kept"]);
  });

  it("reads in pages with the event loop free between them; later reads parse only the new rows; at most MAX_RESULTS_READ", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    const writer = track(await BenchmarkStore.open(file));
    const raw = track(new Database(file));
    const insert = raw.prepare("INSERT INTO benchmarks (recorded_at, model, quant, runtime, result) VALUES ('2026-01-01T00:00:00.000Z', ?, 'Q4_K_M', 'llamacpp', ?)");
    raw.transaction(() => {
      for (let i = 0; i < MAX_RESULTS_READ + 50; i++) insert.run(`m${i}`, JSON.stringify(sampleBenchmark({ model: `m${i}` })));
    })();
    const reader = track(new BenchmarkStoreReader(file));
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const all = await reader.read();
    ticking = false;
    expect(all).toHaveLength(MAX_RESULTS_READ);
    expect(all[0]!.model).toBe(`m${MAX_RESULTS_READ + 49}`);
    expect(turns).toBeGreaterThanOrEqual(MAX_RESULTS_READ / READ_PAGE_ROWS - 1);
    // A row read before and changed behind the reader's back is not read again: only rows newer than those read are.
    raw.prepare("UPDATE benchmarks SET result = ? WHERE id = 100").run(JSON.stringify(sampleBenchmark({ model: "changed" })));
    writer.add(sampleBenchmark({ model: "new" }));
    expect(await reader.changed()).toBe(true);
    const again = await reader.read();
    expect(again).toHaveLength(MAX_RESULTS_READ);
    expect(again[0]!.model).toBe("new");
    expect(again.some((r) => r.model === "changed")).toBe(false);
  });

  it("a store removed: no results; a new one at the path is read from its start", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    const writer = await BenchmarkStore.open(file);
    writer.add(sampleBenchmark({ model: "old" }));
    writer.close();
    const reader = track(new BenchmarkStoreReader(file));
    expect((await reader.read()).map((r) => r.model)).toEqual(["old"]);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    expect(await reader.changed()).toBe(true);
    expect(await reader.read()).toEqual([]);
    const next = track(await BenchmarkStore.open(file));
    next.add(sampleBenchmark({ model: "new" }));
    expect(await reader.changed()).toBe(true);
    expect((await reader.read()).map((r) => r.model)).toEqual(["new"]);
  });

  it("something other than a file at the path (a FIFO): refused, never opened", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    const { execFileSync } = await import("node:child_process");
    execFileSync("mkfifo", [file]);
    const reader = track(new BenchmarkStoreReader(file));
    await expect(reader.read()).rejects.toThrow(`cannot open the benchmarks store ${file}: not a regular file`);
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
