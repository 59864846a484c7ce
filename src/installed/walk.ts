// Bounded walks: a scan of the stores looks at a limited number of directory entries within a limited time, lists
// directories lazily (a folder of a million files is read as far as the budget goes, never at once), follows symlinks
// (the Hugging Face cache is made of them) but never into a directory it has already been in (a symlink loop ends
// there), and never opens a file that is not a regular one. Every file-system call goes through the scan's I/O
// (`ScanIO`: the real one, or a test's slow or hung stand-in) and names what it is doing, so a scan that runs out of
// time says where.
import type { Dirent } from "node:fs";
import { opendir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { ImportedGguf } from "../catalog/gguf/model-from-gguf.js";
import { readInputFile } from "../domain/read-input-file.js";

export interface ScanLimits {
  /** Directory entries looked at, all stores together. */
  maxEntries: number;
  /** Milliseconds for a whole scan: the walk, the stats and the header reads; the scan answers by then even when a
   *  file-system call has not returned. */
  maxMs: number;
  /** GGUF headers read in one scan (those read by earlier scans come from the cache and are free). */
  maxHeaders: number;
  /** Folder depth below a store's root (plain folders; each store's own layout is walked at its own depth). */
  maxDepth: number;
}

/**
 * The bounds of one scan. A home folder holds a few stores of tens of models each, a few thousand entries; the bounds
 * are far past that and stop a scan of the wrong folder (`--models-dir /`) within seconds.
 */
export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxEntries: 50_000, maxMs: 15_000, maxHeaders: 500, maxDepth: 6 };

/** What a scan needs of a file's status. */
export interface ScanStat {
  size: number;
  mtimeMs: number;
  ino: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

/** An open folder: its entries as they are read, then closed. */
export type ScanDir = AsyncIterable<Dirent> & { close(): Promise<void> };

/** The scan's I/O: the file system, the stores' small text files and GGUF headers. Tests give a slow or hung one. */
export interface ScanIO {
  opendir(dir: string): Promise<ScanDir>;
  stat(file: string): Promise<ScanStat>;
  realpath(p: string): Promise<string>;
  /** A store's small text file (an Ollama manifest, refs/main, a config.json), through the safe input-file reader. */
  readText(file: string): Promise<string>;
  /** A GGUF model's header (every part of a split one), as a catalog entry. */
  readHeader(file: string): Promise<ImportedGguf>;
}

/** The file-system part of the real I/O (the header reader is the scan's: it needs the catalog's GGUF import). */
export const realScanFs: Omit<ScanIO, "readHeader"> = {
  opendir: (dir) => opendir(dir, { bufferSize: 64 }),
  stat: (file) => stat(file),
  realpath: (p) => realpath(p),
  readText: async (file) => (await readInputFile(file, "store")).text,
};

/** What a scan is doing now, and since when (performance.now()): named when its time runs out there. */
export interface ScanActivity {
  what: string;
  since: number;
  /** A plain file-system call, which a hung mount can keep from ever returning (a header read has its own limit). */
  mayHang: boolean;
}

export class ScanBudget {
  entries = 0;
  headers = 0;
  /** Why the scan stopped early; null while it has not. */
  cut: string | null = null;
  /** The file-system call in progress (the last one started, when several are). */
  doing: ScanActivity | null = null;
  readonly #deadline: number;
  #halted = false;

  constructor(
    readonly limits: ScanLimits,
    readonly io: ScanIO,
  ) {
    this.#deadline = performance.now() + limits.maxMs;
  }

  /** Milliseconds left before the deadline (0 once past). */
  get msLeft(): number {
    return Math.max(0, this.#deadline - performance.now());
  }

  /** True once the time is up (the deadline passed, or the scan was halted): nothing more is read. */
  expired(): boolean {
    if (!this.#halted && performance.now() > this.#deadline) {
      this.#halted = true;
      this.cut ??= `stopped after ${this.limits.maxMs} ms`;
    }
    return this.#halted;
  }

  /** Stops the scan now: its time ran out while a call had not returned. */
  halt(): void {
    this.#halted = true;
    this.cut ??= `stopped after ${this.limits.maxMs} ms`;
  }

  /** Counts one entry; false (and the reason kept) once a bound is reached. */
  entry(): boolean {
    if (this.cut !== null) return false;
    if (++this.entries > this.limits.maxEntries) this.cut = `stopped after ${this.limits.maxEntries} directory entries`;
    else this.expired();
    return this.cut === null;
  }

  /** Counts one GGUF header to read; false once a bound is reached (the time included). */
  header(): boolean {
    if (this.cut !== null || this.expired()) return false;
    if (++this.headers > this.limits.maxHeaders) this.cut = `stopped after reading ${this.limits.maxHeaders} GGUF headers`;
    return this.cut === null;
  }

  /** Says what the scan is doing from now on (a call about to start). */
  begin(what: string, mayHang = true): ScanActivity {
    const activity = { what, since: performance.now(), mayHang };
    this.doing = activity;
    return activity;
  }

  /** That call returned. */
  end(activity: ScanActivity): void {
    if (this.doing === activity) this.doing = null;
  }

  /** Runs one file-system call, named as what the scan is doing while it runs. */
  async track<T>(what: string, call: () => Promise<T>, mayHang = true): Promise<T> {
    const activity = this.begin(what, mayHang);
    try {
      return await call();
    } finally {
      this.end(activity);
    }
  }
}

export interface Entry {
  name: string;
  path: string;
  /** What it is, a symlink followed: a file, a folder, or anything else (a FIFO, a device, a dangling link). */
  kind: "file" | "dir" | "other";
  /** Bytes of a file (its target's, for a symlink). */
  size: number;
}

export interface Listing {
  entries: Entry[];
  /** Why the folder could not be listed (ENOENT: missing); null when it was. */
  error: NodeJS.ErrnoException | null;
}

/** A folder's entries, counted against the budget; symlinks followed to say what they point at. */
export async function listDir(dir: string, budget: ScanBudget): Promise<Listing> {
  const entries: Entry[] = [];
  // Past the deadline no call is made (the scan has answered, or is about to, as partial).
  if (budget.expired()) return { entries, error: null };
  const io = budget.io;
  // Each call is named while it runs (opening the folder, each batch of its entries, each stat), so a scan whose
  // time runs out says which call had not returned, and since when.
  let activity = budget.begin(`listing ${dir}`);
  let handle;
  try {
    handle = await io.opendir(dir);
  } catch (e) {
    return { entries, error: e as NodeJS.ErrnoException };
  } finally {
    budget.end(activity);
  }
  try {
    activity = budget.begin(`listing ${dir}`);
    for await (const d of handle) {
      budget.end(activity);
      if (!budget.entry()) break;
      const p = path.join(dir, d.name);
      if (d.isFile() || d.isDirectory()) {
        const size = d.isFile() ? await budget.track(`reading the size of ${p}`, () => io.stat(p)).then((s) => s.size, () => 0) : 0;
        entries.push({ name: d.name, path: p, kind: d.isFile() ? "file" : "dir", size });
      } else if (d.isSymbolicLink()) {
        const s = await budget.track(`following the link ${p}`, () => io.stat(p)).catch(() => null);
        entries.push({ name: d.name, path: p, kind: s?.isFile() ? "file" : s?.isDirectory() ? "dir" : "other", size: s?.isFile() ? s.size : 0 });
      } else entries.push({ name: d.name, path: p, kind: "other", size: 0 });
      activity = budget.begin(`listing ${dir}`);
    }
  } catch (e) {
    return { entries, error: e as NodeJS.ErrnoException };
  } finally {
    budget.end(activity);
    // for-await closes the handle when it ends or breaks; a second close throws, which is fine to ignore.
    await handle.close().catch(() => undefined);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, error: null };
}

/** Folders already walked in this scan, by their real path, so a symlink loop (or two links to one folder) is walked once. */
export class Visited {
  readonly #seen = new Set<string>();

  constructor(readonly budget: ScanBudget) {}

  /** True the first time a folder (by its real path) is seen. */
  async first(dir: string): Promise<boolean> {
    const real = await this.budget.track(`resolving ${dir}`, () => this.budget.io.realpath(dir)).catch(() => null);
    if (real === null || this.#seen.has(real)) return false;
    this.#seen.add(real);
    return true;
  }
}

/** A GGUF file's name: `.gguf`, any case. */
export const isGgufName = (name: string): boolean => /\.gguf$/i.test(name);

/** The parts of a split model after the first (`-00002-of-00003.gguf`): the first part stands for the model. */
export const isLaterSplitPart = (name: string): boolean => {
  const m = /-(\d{5})-of-(\d{5})\.gguf$/i.exec(name);
  return m !== null && Number(m[1]) !== 1;
};

/** Files beside a model that are not a model: vision projectors, LoRA adapters, importance matrices, draft heads' vocab. */
export const isAuxiliaryGguf = (name: string): boolean => /(^|[-_.])(mmproj|projector|lora|imatrix|vocab)([-_.]|$)/i.test(name);

/** Weight files of a safetensors / MLX model folder. */
export const isWeightFile = (name: string): boolean => /\.safetensors$/i.test(name);

/** A hit of a model walk: a GGUF file, or a folder with a config.json and safetensors weights. */
export type ModelHit =
  | { kind: "gguf"; path: string; rel: string }
  | { kind: "folder"; path: string; rel: string; configPath: string; bytes: number };

/**
 * Walks a folder for models: GGUF files (first parts; projectors and adapters left out) and model folders (config.json
 * beside .safetensors files, not walked further). Dot-folders are skipped. `rel` is the hit's path from `root`;
 * `rootListing` is the root's listing when the caller has made it.
 */
export async function walkModels(
  root: string,
  budget: ScanBudget,
  visited: Visited,
  maxDepth: number,
  onError: (dir: string, e: NodeJS.ErrnoException) => void,
  rootListing?: Listing,
): Promise<ModelHit[]> {
  const hits: ModelHit[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (budget.cut !== null || !(await visited.first(dir))) return;
    // The root's listing, when the caller has it already, is not read (nor counted) twice.
    const { entries, error } = depth === 0 && rootListing !== undefined ? rootListing : await listDir(dir, budget);
    if (error !== null) {
      onError(dir, error);
      return;
    }
    const rel = (p: string): string => path.relative(root, p) || path.basename(p);
    const config = entries.find((e) => e.kind === "file" && e.name === "config.json");
    const weights = entries.filter((e) => e.kind === "file" && isWeightFile(e.name));
    if (config && weights.length > 0) {
      hits.push({ kind: "folder", path: dir, rel: rel(dir), configPath: config.path, bytes: weights.reduce((s, w) => s + w.size, 0) });
      return;
    }
    for (const e of entries) if (e.kind === "file" && isGgufName(e.name) && !isLaterSplitPart(e.name) && !isAuxiliaryGguf(e.name)) hits.push({ kind: "gguf", path: e.path, rel: rel(e.path) });
    if (depth >= maxDepth) return;
    for (const e of entries) if (e.kind === "dir" && !e.name.startsWith(".")) await walk(e.path, depth + 1);
  };
  await walk(root, 0);
  return hits;
}
