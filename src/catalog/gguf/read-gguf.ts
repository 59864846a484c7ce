// GGUF header reading: metadata and tensor infos of a local GGUF file (all parts of a split one), opened here and
// parsed off the event loop by the header reader (header-reader.ts: a worker thread, byte caps, a heap cap, a clock).
import type { FileHandle } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parseGgufShardFilename } from "@huggingface/gguf";
import { NodefitError } from "../../domain/errors.js";
import { MAX_GGUF_PARTS } from "../../domain/limits.js";
import { InputFileError, openInputFile } from "../../domain/read-input-file.js";
import { invalidGguf } from "./gguf-parts.js";
import { ggufHeaderReader, type GgufSource } from "./header-reader.js";

export type GgufValue = string | number | boolean | GgufValue[];

export interface GgufTensor {
  name: string;
  /** Dimensions, ne0 first (a weight matrix is [in, out]). */
  shape: number[];
  /** ggml type id. */
  type: number;
  elements: number;
  bytes: number;
}

export interface GgufHeader {
  /** The files read (one, or every part of a split model in order). */
  files: string[];
  /**
   * Metadata of the first file (`general.*`, `<arch>.*`, `tokenizer.*`), 64-bit integers as numbers; without the
   * tokenizer's arrays (tokens, scores, types, merges) and any other array or string over 65,536 entries.
   */
  metadata: Readonly<Record<string, GgufValue>>;
  /** The values left out of `metadata`, by key: their length (`tokenizer.ggml.tokens`: the vocabulary's size). */
  omitted?: Readonly<Record<string, number>>;
  tensors: GgufTensor[];
  /** Bytes of tensor data, summed over all tensors (what the runtime loads). */
  tensorBytes: number;
  /** Bytes of the files on disk. */
  fileBytes: number;
  warnings: string[];
}

/**
 * Reads the header of a local GGUF file: metadata and tensor infos, not the weights. A split model
 * (`name-00001-of-00003.gguf`, any part given) is read part by part. Throws NodefitError `invalid_input_file` for
 * a missing, unreadable, non-GGUF or truncated file, and for parts of a split model that do not belong together.
 */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  const absolute = resolve(path);
  const shard = parseGgufShardFilename(basename(absolute));
  const total = shard ? Number(shard.total) : 1;
  // The given file first, so that a missing or unreadable file is reported under the name the user gave.
  const given = await openPart(absolute, path);
  /** The later part being read: opened on its first read, closed when the reader moves on (one handle at a time). */
  let current: { file: string; part: Promise<OpenPart> } | null = null;
  const later = async (file: string): Promise<OpenPart> => {
    if (current?.file !== file) {
      const before = current;
      current = {
        file,
        part: openPart(file, file).catch((e: unknown) => {
          const missing = e instanceof NodefitError && e.cause instanceof InputFileError && e.cause.errno === "ENOENT";
          throw missing ? invalidGguf(path, `a part of the split model is missing (${file}: no such file)`, e) : e;
        }),
      };
      // Its failure is the read's, awaited below; handled here too, as it may come while the last part closes.
      current.part.catch(() => undefined);
      await before?.part.then((p) => p.handle.close()).catch(() => undefined);
    }
    return current.part;
  };
  try {
    if (total > MAX_GGUF_PARTS) throw invalidGguf(path, `split into ${total} parts: at most ${MAX_GGUF_PARTS}`);
    const sources: GgufSource[] = [];
    for (let i = 1; i <= total; i++) {
      const file = shard ? join(dirname(absolute), `${shard.prefix}-${String(i).padStart(5, "0")}-of-${shard.total}.gguf`) : absolute;
      if (file === absolute) sources.push({ file, shown: path, size: given.size, read: (start, end) => given.read(start, end) });
      else sources.push({ file, shown: file, size: null, probe: true, read: async (start, end) => (await later(file)).read(start, end) });
    }
    return await ggufHeaderReader().read(sources, path);
  } finally {
    await given.handle.close().catch(() => undefined);
    await (current as { part: Promise<OpenPart> } | null)?.part.then((p) => p.handle.close()).catch(() => undefined);
  }
}

interface OpenPart {
  handle: FileHandle;
  size: number;
  read(start: number, end: number): Promise<{ bytes: Uint8Array; size: number }>;
}

/**
 * One file opened as every input file is (a regular file, opened without blocking: a FIFO, a device or a directory is
 * refused before a byte is read); the reader reads its ranges from that handle, never by path again.
 */
async function openPart(file: string, shown: string): Promise<OpenPart> {
  let opened: Awaited<ReturnType<typeof openInputFile>>;
  try {
    opened = await openInputFile(file, "gguf");
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw invalidGguf(shown, e.errno === "ENOENT" && file !== resolve(shown) ? `no such file (${file})` : e.why, e);
  }
  const { handle, stats } = opened;
  const size = stats.size;
  return {
    handle,
    size,
    async read(start, end) {
      const length = Math.max(0, Math.min(end + 1, size) - start);
      const bytes = new Uint8Array(length);
      if (length > 0) await handle.read(bytes, 0, length, start);
      return { bytes, size };
    },
  };
}
