// Benchmarks store: this node's measured results in one SQLite file (better-sqlite3), written so a result survives the
// bench being killed (`kill -9`) the moment after it was stored, and read by the agent without blocking it.
//
// Durability: WAL journal with synchronous=FULL, so a committed transaction is in the WAL file and fsync'ed before
// `add` returns; a process killed at any point leaves the database at its last commit (SQLite replays or ignores the
// WAL's frames on the next open). Each result is one INSERT in its own transaction.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import type { BenchmarkJson } from "../contract/benchmarks.js";
import { BenchmarkSchema } from "../contract/schemas-benchmarks.js";
import { NodefitError, messageOf } from "../domain/errors.js";

/** A result as a bench makes it, before the store gives it an id and a time. */
export type NewBenchmark = Omit<BenchmarkJson, "id" | "recorded_at">;

/** Results read at most (newest first): the API and the analysis need the recent ones. */
export const MAX_RESULTS_READ = 1000;

/** Milliseconds a connection waits for another's write lock before failing (a bench writing while the agent reads). */
const BUSY_TIMEOUT_MS = 5000;

const SCHEMA_VERSION = 1;

type Db = Database.Database;
type DbConstructor = typeof Database;

let driver: DbConstructor | null = null;

/** better-sqlite3, loaded on first use (a native module: the agent's start never waits for it). */
async function loadDriver(): Promise<DbConstructor> {
  if (driver) return driver;
  try {
    driver = (await import("better-sqlite3")).default;
    return driver;
  } catch (e) {
    throw new NodefitError("probe_failed", `the benchmarks store needs better-sqlite3, which did not load: ${messageOf(e)} (reinstall with npm ci)`, {}, { cause: e });
  }
}

function prepare(db: Db): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const mode = String(db.pragma("journal_mode = WAL", { simple: true }));
  if (mode.toLowerCase() !== "wal") throw new Error(`journal_mode is ${mode}, not wal`);
  db.pragma("synchronous = FULL");
  db.exec(`
    CREATE TABLE IF NOT EXISTS benchmarks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      recorded_at TEXT NOT NULL,
      model TEXT NOT NULL,
      quant TEXT,
      runtime TEXT NOT NULL,
      result TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS benchmarks_model ON benchmarks (model, quant, id);
  `);
  const version = Number(db.pragma("user_version", { simple: true }));
  if (version === 0) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  else if (version > SCHEMA_VERSION) throw new Error(`written by a newer nodefit (schema ${version}; this one reads ${SCHEMA_VERSION})`);
}

export class BenchmarkStore {
  readonly path: string;
  readonly #db: Db;
  #dataVersion: number;
  readonly #insert: Database.Statement;
  readonly #list: Database.Statement;

  private constructor(file: string, db: Db) {
    this.path = file;
    this.#db = db;
    this.#insert = db.prepare("INSERT INTO benchmarks (recorded_at, model, quant, runtime, result) VALUES (?, ?, ?, ?, ?)");
    this.#list = db.prepare("SELECT id, recorded_at, result FROM benchmarks ORDER BY id DESC LIMIT ?");
    this.#dataVersion = this.#readDataVersion();
  }

  /** Opens (creating the folder and the file when missing) the store at `file`. */
  static async open(file: string): Promise<BenchmarkStore> {
    const Driver = await loadDriver();
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const db = new Driver(file);
      try {
        prepare(db);
      } catch (e) {
        db.close();
        throw e;
      }
      return new BenchmarkStore(file, db);
    } catch (e) {
      throw new NodefitError("invalid_input_file", `cannot open the benchmarks store ${file}: ${messageOf(e)}`, { path: file }, { cause: e });
    }
  }

  /** Stores a result, durably, and returns it with its id and time. */
  add(result: NewBenchmark, at: Date = new Date()): BenchmarkJson {
    const recordedAt = at.toISOString();
    const body = JSON.stringify(result);
    const info = this.#insert.run(recordedAt, result.model, result.quant, result.runtime, body);
    const stored: BenchmarkJson = { id: Number(info.lastInsertRowid), recorded_at: recordedAt, ...result };
    this.#dataVersion = this.#readDataVersion();
    return stored;
  }

  /** The latest results, newest first (rows a newer schema wrote that this one does not read are left out). */
  list(limit: number = MAX_RESULTS_READ): BenchmarkJson[] {
    const rows = this.#list.all(limit) as Array<{ id: number; recorded_at: string; result: string }>;
    const out: BenchmarkJson[] = [];
    for (const row of rows) {
      let body: unknown;
      try {
        body = JSON.parse(row.result);
      } catch {
        continue;
      }
      const parsed = BenchmarkSchema.safeParse({ ...(body as object), id: row.id, recorded_at: row.recorded_at });
      if (parsed.success) out.push(parsed.data as BenchmarkJson);
    }
    return out;
  }

  /** True when another connection (a bench in another process) committed since this one last looked. Cheap. */
  changed(): boolean {
    const v = this.#readDataVersion();
    if (v === this.#dataVersion) return false;
    this.#dataVersion = v;
    return true;
  }

  /** The durability settings of this connection: journal mode and synchronous level (2 = FULL). */
  durability(): { journalMode: string; synchronous: number } {
    return { journalMode: String(this.#db.pragma("journal_mode", { simple: true })), synchronous: Number(this.#db.pragma("synchronous", { simple: true })) };
  }

  /** SQLite's integrity check: "ok" for a sound file. */
  integrity(): string {
    return String(this.#db.pragma("integrity_check", { simple: true }));
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #readDataVersion(): number {
    return Number(this.#db.pragma("data_version", { simple: true }));
  }
}

/**
 * The agent's view of a store it did not create: the file may appear later (the first `nodefit bench`), so it is
 * opened once it exists. `changed()` says whether there is anything new to read.
 */
export class BenchmarkStoreReader {
  readonly path: string;
  #store: BenchmarkStore | null = null;
  #opening: Promise<void> | null = null;
  #pending = true;

  constructor(file: string) {
    this.path = file;
  }

  /** Whether results were added since the last `read()` (or the store was never read). Never reads the rows. */
  async changed(): Promise<boolean> {
    await this.#openIfThere();
    if (this.#store !== null && this.#store.changed()) this.#pending = true;
    return this.#pending;
  }

  /** The latest results, newest first; none while the file does not exist. */
  async read(): Promise<BenchmarkJson[]> {
    await this.#openIfThere();
    this.#pending = false;
    if (this.#store === null) return [];
    this.#store.changed();
    return this.#store.list();
  }

  close(): void {
    this.#store?.close();
    this.#store = null;
  }

  async #openIfThere(): Promise<void> {
    if (this.#store !== null || !existsSync(this.path)) return;
    this.#opening ??= BenchmarkStore.open(this.path).then(
      (s) => {
        this.#store = s;
        this.#pending = true;
      },
      (e: unknown) => {
        this.#opening = null;
        throw e;
      },
    );
    await this.#opening;
  }
}
