// The header cache: what each GGUF file's header gave (its catalog entry, bytes and quant, or why it could not be read),
// per file version (path, size, modification time, inode), kept between scans and, in a file, between processes, so a
// one-shot command does not read every header again (a large model's header is megabytes of vocabulary). The file is
// written as a scan goes (every few new headers, and when a scan stops at a bound), not only at its end, so a process
// killed in the middle of a long first scan keeps what it read.
import type { ImportedGguf } from "../catalog/gguf/model-from-gguf.js";
import { ModelSchema } from "../catalog/schema.js";
import { MAX_STORE_FILE_BYTES } from "../domain/limits.js";
import { readPrivateCacheFile, writePrivateCacheFile } from "../domain/private-cache-file.js";

/** A header, or why the file's content was refused (never a passing failure: those are read again, scan-headers.ts). */
export type HeaderEntry = ImportedGguf | { error: string };

/** The file's format: a version bump makes older files ignored, never misread (2: format 1 could hold passing
 *  failures, a reader out of time or busy, as errors of the file). */
const FORMAT = 2;

/** Entries kept in the file (a few KB each; the file stays within a store file's cap): a node with more GGUF files
 *  than this reads the rest again. */
const MAX_SAVED = 1000;

/** A checkpoint writes the file once this many headers are new since the last write, or this long after it. */
const CHECKPOINT_HEADERS = 8;
const CHECKPOINT_MS = 5000;

export class HeaderCache {
  readonly #entries = new Map<string, HeaderEntry>();
  /** Changes made, and how many of them the file holds. */
  #version = 0;
  #savedVersion = 0;
  #savedAt = performance.now();
  #loaded = false;
  /** The file it was loaded from: where checkpoints write. */
  #file: string | null = null;
  /** The write in progress: writes go one at a time. */
  #saving: Promise<void> = Promise.resolve();
  #checkpointing = false;

  constructor(readonly capacity = 4096) {}

  get(key: string): HeaderEntry | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: HeaderEntry): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    this.#version += 1;
    for (const k of this.#entries.keys()) {
      if (this.#entries.size <= this.capacity) break;
      this.#entries.delete(k);
    }
  }

  /**
   * Reads the entries a previous process saved, once, without following a link (private-cache-file.ts). A missing,
   * unreadable or foreign file, or a link in its place, is no cache: every entry is checked against the catalog's
   * schema, and one that fails is left out.
   */
  async load(file: string): Promise<void> {
    if (this.#loaded) return;
    this.#loaded = true;
    this.#file = file;
    let parsed: unknown;
    try {
      const text = await readPrivateCacheFile(file, MAX_STORE_FILE_BYTES);
      if (text === null) return;
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const o = parsed as { format?: unknown; entries?: unknown };
    if (o === null || typeof o !== "object" || o.format !== FORMAT || !Array.isArray(o.entries)) return;
    for (const item of o.entries) {
      if (!Array.isArray(item) || typeof item[0] !== "string" || this.#entries.has(item[0])) continue;
      const v = item[1] as Record<string, unknown> | null;
      if (v === null || typeof v !== "object") continue;
      if (typeof v["error"] === "string") {
        this.#entries.set(item[0], { error: v["error"] });
        continue;
      }
      const model = ModelSchema.safeParse(v["model"]);
      if (!model.success || typeof v["weightsBytes"] !== "number" || typeof v["quant"] !== "string") continue;
      const fileType = typeof v["fileType"] === "string" ? v["fileType"] : null;
      const warnings = Array.isArray(v["warnings"]) ? v["warnings"].filter((w): w is string => typeof w === "string") : [];
      this.#entries.set(item[0], { model: model.data, weightsBytes: v["weightsBytes"], quant: v["quant"], fileType, warnings });
    }
  }

  /**
   * During a scan: writes the entries to the file they were loaded from when enough is new (CHECKPOINT_HEADERS
   * headers, or any after CHECKPOINT_MS), or whenever anything is with `force` (a scan stopped at a bound). Never
   * throws: the save at the scan's end reports a file that cannot be written.
   */
  async checkpoint(force = false): Promise<void> {
    const file = this.#file;
    const pending = this.#version - this.#savedVersion;
    if (file === null || pending === 0 || (this.#checkpointing && !force)) return;
    if (!force && pending < CHECKPOINT_HEADERS && performance.now() - this.#savedAt < CHECKPOINT_MS) return;
    this.#checkpointing = true;
    this.#savedAt = performance.now();
    try {
      await this.save(file).catch(() => undefined);
    } finally {
      this.#checkpointing = false;
    }
  }

  /** Writes the entries if they changed (a private temporary file renamed over the old one), after any write in
   *  progress. Throws when it cannot. */
  save(file: string): Promise<void> {
    const run = this.#saving.then(() => this.#write(file));
    this.#saving = run.catch(() => undefined);
    return run;
  }

  async #write(file: string): Promise<void> {
    const version = this.#version;
    if (version === this.#savedVersion) return;
    let entries = [...this.#entries].slice(-MAX_SAVED);
    let text = JSON.stringify({ format: FORMAT, entries });
    while (Buffer.byteLength(text) > MAX_STORE_FILE_BYTES && entries.length > 0) {
      entries = entries.slice(Math.ceil(entries.length / 4));
      text = JSON.stringify({ format: FORMAT, entries });
    }
    await writePrivateCacheFile(file, text);
    this.#savedVersion = version;
  }
}
