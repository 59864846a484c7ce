// Input files read safely: every file a person points nodefit at (a configuration file, a catalog, a machine description, a
// token, a batch of requests, a GGUF header, a model store's manifest or config.json) is a regular file of a bounded size, opened so that nothing can block. The one module of
// domain that does I/O (node:fs only): every layer that reads a file uses it, and domain is the layer all may import.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { NodefitError } from "./errors.js";
import { MAX_BATCH_FILE_BYTES, MAX_BENCH_STORE_COPY_BYTES, MAX_CATALOG_FILE_BYTES, MAX_CONFIG_FILE_BYTES, MAX_MACHINE_FILE_BYTES, MAX_STORE_FILE_BYTES, MAX_TOKEN_FILE_BYTES } from "./limits.js";

/** The kinds of file nodefit reads, each with its name in messages and its size cap (null: read by ranges, any size). */
export const INPUT_FILES = {
  config: { label: "config file", maxBytes: MAX_CONFIG_FILE_BYTES },
  catalog: { label: "catalog file", maxBytes: MAX_CATALOG_FILE_BYTES },
  machine: { label: "machine file", maxBytes: MAX_MACHINE_FILE_BYTES },
  token: { label: "token file", maxBytes: MAX_TOKEN_FILE_BYTES },
  batch: { label: "batch file", maxBytes: MAX_BATCH_FILE_BYTES },
  gguf: { label: "GGUF file", maxBytes: null },
  store: { label: "model store file", maxBytes: MAX_STORE_FILE_BYTES },
  bench_store: { label: "read-only copy of the benchmarks store", maxBytes: MAX_BENCH_STORE_COPY_BYTES },
} as const satisfies Record<string, { label: string; maxBytes: number | null }>;

export type InputFileKind = keyof typeof INPUT_FILES;

/**
 * A file that cannot be read as input: `invalid_input_file`, worded "cannot read the <kind> <path>: <why>". `why`
 * alone ("no such file", "a FIFO (named pipe), not a regular file") and the errno code are kept for callers that word
 * their own message.
 */
export class InputFileError extends NodefitError {
  readonly why: string;
  readonly errno: string | null;

  constructor(kind: InputFileKind, path: string, why: string, errno: string | null = null, cause?: unknown) {
    super("invalid_input_file", `cannot read the ${INPUT_FILES[kind].label} ${path}: ${why}`, { path }, cause === undefined ? undefined : { cause });
    this.why = why;
    this.errno = errno;
  }
}

/**
 * Opened read-only, never blocking (a FIFO swapped in between the stat and the open opens at once and is refused by
 * the fstat), and never the process's controlling terminal.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Read size per call: 1 MiB, or just past the kind's cap when that is smaller. */
const chunkBytes = (kind: InputFileKind): number => Math.min(1024 * 1024, (INPUT_FILES[kind].maxBytes ?? Infinity) + 1);

function whatItIs(s: Stats): string | null {
  if (s.isFile()) return null;
  if (s.isDirectory()) return "a directory";
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}

/** 64 MiB, 1.5 GiB, 700 KiB: sizes as people read them. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} bytes` : `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

const tooLarge = (kind: InputFileKind, path: string, bytes: string, max: number): InputFileError =>
  new InputFileError(kind, path, `${bytes}, more than a ${INPUT_FILES[kind].label} may hold (${formatBytes(max)})`);

/** Throws unless `s` is a regular file within the kind's cap. */
function check(kind: InputFileKind, path: string, s: Stats): void {
  const what = whatItIs(s);
  if (what !== null) throw new InputFileError(kind, path, what === "not a regular file" ? what : `${what}, not a regular file`);
  const max = INPUT_FILES[kind].maxBytes;
  if (max !== null && s.size > max) throw tooLarge(kind, path, formatBytes(s.size), max);
}

function fsError(kind: InputFileKind, path: string, e: unknown): InputFileError {
  if (e instanceof InputFileError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code ?? null;
  const why =
    code === "ENOENT" ? "no such file" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "a directory, not a regular file" : (e as Error).message;
  return new InputFileError(kind, path, why, code, e);
}

/** The bytes read so far, refused once past the cap (a file that grew, or one whose size the system does not report). */
function capped(kind: InputFileKind, path: string, total: number): void {
  const max = INPUT_FILES[kind].maxBytes;
  if (max !== null && total > max) throw tooLarge(kind, path, `over ${formatBytes(max)}`, max);
}

export interface InputFileText {
  text: string;
  /** The opened file's fstat (its mode, for a token file's permission check). */
  stats: Stats;
}

/** Reads a whole input file as UTF-8: stat (regular, within the cap), open without blocking, fstat again, read to the cap. */
export function readInputFileSync(path: string, kind: InputFileKind): InputFileText {
  let fd: number | null = null;
  try {
    check(kind, path, statSync(path));
    fd = openSync(path, OPEN_FLAGS);
    const stats = fstatSync(fd);
    check(kind, path, stats);
    const chunks: Buffer[] = [];
    const size = chunkBytes(kind);
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(size);
      const n = readSync(fd, chunk, 0, size, null);
      if (n === 0) break;
      chunks.push(n === size ? chunk : chunk.subarray(0, n));
      total += n;
      capped(kind, path, total);
    }
    return { text: Buffer.concat(chunks, total).toString("utf8"), stats };
  } catch (e) {
    throw fsError(kind, path, e);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The same, without blocking the event loop. */
export async function readInputFile(path: string, kind: InputFileKind): Promise<InputFileText> {
  const { bytes, stats } = await readInputFileBytes(path, kind);
  return { text: bytes.toString("utf8"), stats };
}

/** The same as bytes (a SQLite file copied into memory). */
export async function readInputFileBytes(path: string, kind: InputFileKind): Promise<{ bytes: Buffer; stats: Stats }> {
  let handle: FileHandle | null = null;
  try {
    check(kind, path, await stat(path));
    handle = await open(path, OPEN_FLAGS);
    const stats = await handle.stat();
    check(kind, path, stats);
    const chunks: Buffer[] = [];
    const size = chunkBytes(kind);
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(chunk, 0, size, null);
      if (bytesRead === 0) break;
      chunks.push(bytesRead === size ? chunk : chunk.subarray(0, bytesRead));
      total += bytesRead;
      capped(kind, path, total);
    }
    return { bytes: Buffer.concat(chunks, total), stats };
  } catch (e) {
    throw fsError(kind, path, e);
  } finally {
    await handle?.close();
  }
}

/**
 * Opens an input file to read by ranges (a GGUF header): checked as above; the caller closes the handle. Throws
 * InputFileError.
 */
export async function openInputFile(path: string, kind: InputFileKind): Promise<{ handle: FileHandle; stats: Stats }> {
  let handle: FileHandle | null = null;
  try {
    check(kind, path, await stat(path));
    handle = await open(path, OPEN_FLAGS);
    const stats = await handle.stat();
    check(kind, path, stats);
    return { handle, stats };
  } catch (e) {
    await handle?.close();
    throw fsError(kind, path, e);
  }
}
