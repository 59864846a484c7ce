// Benchmarks store: this node's measured results in one SQLite file (better-sqlite3), written so a result survives the
// bench being killed (`kill -9`) the moment after it was stored, and read by the agent without blocking it or writing.
//
// Durability: WAL journal with synchronous=FULL, so a committed transaction is in the WAL file and fsync'ed before
// `add` returns; a process killed at any point leaves the database at its last commit (SQLite replays or ignores the
// WAL's frames on the next open). Each result is one INSERT in its own transaction.
import { mkdirSync, statSync, type Stats } from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import type { BenchmarkJson } from "../contract/benchmarks.js";
import { BenchmarkSchema } from "../contract/schemas-benchmarks.js";
import { NodefitError, messageOf } from "../domain/errors.js";
import { InputFileError, readInputFileBytes } from "../domain/read-input-file.js";

/** A result as a bench makes it, before the store gives it an id and a time. */
export type NewBenchmark = Omit<BenchmarkJson, "id" | "recorded_at">;

/** Results read at most (newest first): the API and the analysis need the recent ones. */
export const MAX_RESULTS_READ = 1000;

/** Milliseconds the writer (`nodefit bench`) waits for another connection's lock before failing. */
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
  if (schemaVersion(db) === 0) db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/** The store's schema version (0: a new store); refuses a store a newer nodefit wrote. */
function schemaVersion(db: Db): number {
  const version = Number(db.pragma("user_version", { simple: true }));
  if (version > SCHEMA_VERSION) throw new Error(`written by a newer nodefit (schema ${version}; this one reads ${SCHEMA_VERSION})`);
  return version;
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
    const rows = this.#list.all(limit) as Row[];
    return rows.map(parseRow).filter((r): r is BenchmarkJson => r !== null);
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
 * Milliseconds the agent's reader waits for a lock: SQLite's busy handler sleeps on the calling thread, the agent's
 * event loop, so a store locked for longer (a bench creating it that moment, a tool holding it) is read at the next
 * refresh instead.
 */
export const READER_BUSY_TIMEOUT_MS = 20;

/** Rows the reader parses in one go before it yields to the event loop (a row's JSON and schema check: ~0.1-0.2 ms). */
export const READ_PAGE_ROWS = 100;


/** Errors of a read-only connection that cannot create the WAL's shared-memory file beside a store it may not write. */
const NO_SHARED_MEMORY = new Set(["SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN", "SQLITE_READONLY_CANTINIT", "SQLITE_READONLY_RECOVERY"]);

const codeOf = (e: unknown): string => (e !== null && typeof e === "object" && typeof (e as { code?: unknown }).code === "string" ? (e as { code: string }).code : "");
const isBusy = (e: unknown): boolean => /^SQLITE_(?:BUSY|LOCKED)/.test(codeOf(e));
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * What stat says of a file, as a key that changes when it is replaced or written ("" when it does not exist). Throws
 * for something other than a regular file (a FIFO there would block SQLite's open, and the agent with it).
 */
function fileKey(file: string): string {
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    return "";
  }
  if (!st.isFile()) throw new NodefitError("invalid_input_file", `cannot open the benchmarks store ${file}: not a regular file`, { path: file });
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
}

/** A row as read, before it is parsed. */
type Row = { id: number; recorded_at: string; result: string };

/** A stored row as a result (rows a newer schema wrote that this one does not read: null). */
function parseRow(row: Row): BenchmarkJson | null {
  let body: unknown;
  try {
    body = JSON.parse(row.result);
  } catch {
    return null;
  }
  const parsed = BenchmarkSchema.safeParse({ ...(body as object), id: row.id, recorded_at: row.recorded_at });
  return parsed.success ? (parsed.data as BenchmarkJson) : null;
}

/**
 * The agent's view of a store it did not create, and may not write: opened read-only once the file exists (a missing
 * file is no benchmarks yet), never creating, converting or versioning it. Bounded on the event loop: a lock is waited
 * for READER_BUSY_TIMEOUT_MS at most (then the read fails and is tried again at the next check), results already read
 * are kept and only newer rows are read, READ_PAGE_ROWS at a time with the event loop free between pages, and at most
 * MAX_RESULTS_READ are kept. `changed()` says whether there is anything new to read, cheaply (SQLite's data_version, or
 * the files' size and time).
 *
 * A read-only connection to a WAL store needs its shared-memory file (`-shm`): present while a bench runs, and created
 * beside the store where the agent may write. Where it is neither (another user's data directory, no bench running),
 * the reader reads a copy of the file, which is then whole (the last bench checkpointed its WAL when it closed).
 */
export class BenchmarkStoreReader {
  readonly path: string;
  #db: Db | null = null;
  /** The file the connection has open (dev, inode): another file at the path (a store removed and made again) is reopened. */
  #opened: string | null = null;
  #dataVersion: number | null = null;
  /** A copy read: the files' keys when it was made (the store, its WAL). */
  #copyKey: string | null = null;
  /** Results read, newest first, and the newest id among them. */
  #results: BenchmarkJson[] = [];
  #lastId = 0;
  #pending = true;
  #reading: Promise<BenchmarkJson[]> | null = null;

  constructor(file: string) {
    this.path = file;
  }

  /** Whether results were added since the last `read()` (or the store was never read). Never reads the rows. */
  async changed(): Promise<boolean> {
    if (this.#pending) return true;
    let key: string;
    try {
      key = fileKey(this.path);
    } catch {
      this.#pending = true;
      return true;
    }
    if (key === "") {
      // No store (any more): nothing to read, unless results were shown.
      if (this.#results.length > 0 || this.#db !== null) this.#pending = true;
      return this.#pending;
    }
    if (this.#copyKey !== null) {
      if (this.#copyKey !== `${key}|${fileKey(`${this.path}-wal`)}`) this.#pending = true;
      return this.#pending;
    }
    if (this.#db === null || this.#opened !== key.split(":").slice(0, 2).join(":")) {
      this.#pending = true;
      return true;
    }
    try {
      if (Number(this.#db.pragma("data_version", { simple: true })) !== this.#dataVersion) this.#pending = true;
    } catch {
      // Read again: the read says what is wrong.
      this.#pending = true;
    }
    return this.#pending;
  }

  /** The latest results, newest first; none while the file does not exist. */
  read(): Promise<BenchmarkJson[]> {
    this.#reading ??= this.#read().finally(() => {
      this.#reading = null;
    });
    return this.#reading;
  }

  close(): void {
    this.#closeDb();
    this.#results = [];
    this.#lastId = 0;
    this.#pending = true;
  }

  async #read(): Promise<BenchmarkJson[]> {
    const key = fileKey(this.path);
    if (key === "") {
      this.close();
      this.#pending = false;
      return [];
    }
    const Driver = await loadDriver();
    const identity = key.split(":").slice(0, 2).join(":");
    if (this.#db !== null && this.#opened !== identity) this.close();
    try {
      if (this.#db === null) {
        try {
          this.#db = new Driver(this.path, { readonly: true, fileMustExist: true, timeout: READER_BUSY_TIMEOUT_MS });
          this.#opened = identity;
          this.#copyKey = null;
          schemaVersion(this.#db);
        } catch (e) {
          this.#closeDb();
          if (!NO_SHARED_MEMORY.has(codeOf(e))) throw e;
          return await this.#readCopy(Driver);
        }
      }
      const db = this.#db;
      // Taken before the rows: a commit made while they are read is seen by the next check.
      this.#dataVersion = Number(db.pragma("data_version", { simple: true }));
      await this.#readNewRows(db);
      this.#pending = false;
      return this.#results;
    } catch (e) {
      if (isBusy(e)) throw new NodefitError("probe_failed", `the benchmarks store ${this.path} is locked by another process: read again at the next refresh`, { path: this.path }, { cause: e });
      this.#closeDb();
      throw new NodefitError("invalid_input_file", `cannot open the benchmarks store ${this.path}: ${messageOf(e)}`, { path: this.path }, { cause: e });
    }
  }

  /** The store read from a copy in memory (see the class). */
  async #readCopy(Driver: DbConstructor): Promise<BenchmarkJson[]> {
    const before = `${fileKey(this.path)}|${fileKey(`${this.path}-wal`)}`;
    // Read as every input file is (a regular file, opened without blocking, within the cap); its reason alone, as the
    // caller words the message.
    const bytes = await readInputFileBytes(this.path, "bench_store").then(
      (r) => r.bytes,
      (e: unknown) => Promise.reject(e instanceof InputFileError ? new Error(e.why) : e),
    );
    // The header's WAL mode (bytes 18-19 = 2) is the file's journal, not its data: an in-memory copy reads as rollback.
    if (bytes.byteLength >= 20 && bytes[18] === 2 && bytes[19] === 2) {
      bytes[18] = 1;
      bytes[19] = 1;
    }
    const db = new Driver(bytes, { readonly: true });
    try {
      schemaVersion(db);
      // Every row again: the copy is another database each time (only new rows are parsed, as ever).
      await this.#readNewRows(db);
    } finally {
      db.close();
    }
    this.#copyKey = before;
    this.#pending = false;
    return this.#results;
  }

  /**
   * Reads the rows newer than those already read, newest first, READ_PAGE_ROWS at a time with the event loop free in
   * between, and keeps the newest MAX_RESULTS_READ. A store whose newest id went down (rows removed, another file) is
   * read whole again.
   */
  async #readNewRows(db: Db): Promise<void> {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'benchmarks'").get() !== undefined;
    if (!hasTable) {
      // A bench creating the store this moment: nothing yet.
      this.#results = [];
      this.#lastId = 0;
      return;
    }
    const newest = Number((db.prepare("SELECT max(id) AS id FROM benchmarks").get() as { id: number | null }).id ?? 0);
    if (newest < this.#lastId) {
      this.#results = [];
      this.#lastId = 0;
    }
    const page = db.prepare("SELECT id, recorded_at, result FROM benchmarks WHERE id > ? AND id <= ? ORDER BY id DESC LIMIT ?");
    const fresh: BenchmarkJson[] = [];
    let below = newest;
    let scanned = 0;
    while (scanned < MAX_RESULTS_READ && below > this.#lastId) {
      const rows = page.all(this.#lastId, below, Math.min(READ_PAGE_ROWS, MAX_RESULTS_READ - scanned)) as Row[];
      if (rows.length === 0) break;
      for (const row of rows) {
        const r = parseRow(row);
        if (r !== null) fresh.push(r);
      }
      scanned += rows.length;
      below = rows[rows.length - 1]!.id - 1;
      if (below > this.#lastId && scanned < MAX_RESULTS_READ) await yieldToLoop();
    }
    this.#results = [...fresh, ...this.#results].slice(0, MAX_RESULTS_READ);
    this.#lastId = newest;
  }

  #closeDb(): void {
    if (this.#db?.open) this.#db.close();
    this.#db = null;
    this.#opened = null;
    this.#dataVersion = null;
    this.#copyKey = null;
  }
}
