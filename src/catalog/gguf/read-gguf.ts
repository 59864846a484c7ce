// GGUF header reading: metadata and tensor infos of a local GGUF file (all parts of a split one) via @huggingface/gguf.
import { basename, dirname, join, resolve } from "node:path";
import { gguf, parseGgufShardFilename, type GGUFParseOutput, type MetadataValue } from "@huggingface/gguf";
import { NodefitError, messageOf } from "../../domain/errors.js";
import { MAX_GGUF_PARTS } from "../../domain/limits.js";
import { InputFileError, openInputFile } from "../../domain/read-input-file.js";
import { ggmlTypeName, tensorBytes } from "./ggml-types.js";

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
  /** Metadata of the first file (`general.*`, `<arch>.*`, `tokenizer.*`), 64-bit integers as numbers. */
  metadata: Readonly<Record<string, GgufValue>>;
  tensors: GgufTensor[];
  /** Bytes of tensor data, summed over all tensors (what the runtime loads). */
  tensorBytes: number;
  /** Bytes of the files on disk. */
  fileBytes: number;
  warnings: string[];
}

const invalid = (path: string, why: string, cause?: unknown): NodefitError =>
  new NodefitError("invalid_input_file", `GGUF file ${path}: ${why}`, { path }, cause === undefined ? undefined : { cause });

function plain(v: MetadataValue): GgufValue {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return (v as MetadataValue[]).map(plain);
  return v;
}

const truncatedHeader = (path: string, size: number): NodefitError =>
  invalid(path, `truncated: the file ends at byte ${size}, inside its header (metadata and tensor infos)`);

/**
 * Parses the header of one file. The file is opened once, as every input file is (a regular file, opened without
 * blocking: a FIFO, a device or a directory is refused before a byte is read), and the parser reads its ranges from
 * that handle, never by path again. It reads 2 MB chunks up to 50 MB (its own cap on a header); past the end of the
 * file it sees zeros, so a chunk wholly past the end (the parser's read-ahead is one chunk) means the header runs past
 * the end of the file: it stops there rather than parse zeros.
 */
async function parseFile(file: string, shown: string): Promise<{ parsed: GGUFParseOutput; size: number }> {
  let opened: Awaited<ReturnType<typeof openInputFile>>;
  try {
    opened = await openInputFile(file, "gguf");
  } catch (e) {
    if (!(e instanceof InputFileError)) throw e;
    throw invalid(shown, e.errno === "ENOENT" && file !== resolve(shown) ? `no such file (${file})` : e.why, e);
  }
  const { handle, stats } = opened;
  const size = stats.size;
  const fetchRange = async (_url: unknown, init?: { headers?: unknown }): Promise<Response> => {
    const range = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers as Record<string, string> | undefined).get("range") ?? "");
    if (!range) throw new Error("GGUF reader: a read without a byte range");
    const start = Number(range[1]);
    const end = Number(range[2]);
    if (start - (end - start + 1) >= size) throw truncatedHeader(shown, size);
    const length = Math.max(0, Math.min(end + 1, size) - start);
    const buffer = new Uint8Array(length);
    if (length > 0) await handle.read(buffer, 0, length, start);
    return new Response(buffer, { status: 206, headers: { "content-range": `bytes ${start}-${end}/${size}` } });
  };
  try {
    const parsed = await gguf(`http://nodefit.invalid/${encodeURIComponent(basename(file))}`, { fetch: fetchRange as typeof fetch });
    return { parsed, size };
  } catch (e) {
    if (e instanceof NodefitError) throw e;
    throw invalid(shown, `not a readable GGUF file (${messageOf(e)})`, e);
  } finally {
    await handle.close();
  }
}

/** Tensors of one file, sized from their types, checked against the file's length. */
function tensorsOf(parsed: GGUFParseOutput, path: string, size: number, warnings: string[]): GgufTensor[] {
  const dataStart = Number(parsed.tensorDataOffset);
  // The parser reads past the end of a short file as zeros, so dataStart is no true header length: say where the file ends.
  if (dataStart > size) throw truncatedHeader(path, size);
  const infos = parsed.tensorInfos.map((t) => ({ name: t.name, shape: t.shape.map(Number), type: Number(t.dtype), offset: Number(t.offset) }));
  const offsets = infos.map((t) => t.offset).sort((a, b) => a - b);
  /** The first tensor offset past `offset` (binary search: a header may hold millions of tensors), or null. */
  const nextOffset = (offset: number): number | null => {
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((offsets[mid] as number) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo < offsets.length ? (offsets[lo] as number) : null;
  };
  const out: GgufTensor[] = [];
  for (const t of infos) {
    const elements = t.shape.reduce((a, b) => a * b, 1);
    let bytes = tensorBytes(t.shape, t.type);
    if (bytes === null) {
      // A type this table does not know: its extent up to the next tensor (alignment padding included).
      const next = nextOffset(t.offset);
      bytes = (next ?? size - dataStart) - t.offset;
      warnings.push(`tensor ${t.name} has ${ggmlTypeName(t.type)}, whose block size nodefit does not know: sized from the file layout`);
    }
    const end = dataStart + t.offset + bytes;
    if (end > size) throw invalid(path, `truncated: tensor ${t.name} ends at byte ${end} but the file has ${size} bytes`);
    out.push({ name: t.name, shape: t.shape, type: t.type, elements, bytes });
  }
  return out;
}

/**
 * The parts of a split model belong together, as llama.cpp's loader checks them (llama-model-loader.cpp): part i says
 * `split.no` i, the first part's `split.count` is the number of parts and its `split.tensors.count` the tensors of all.
 * Keys a file does not carry are not checked (files split by other tools).
 */
function checkSplit(parts: Array<{ file: string; parsed: GGUFParseOutput }>, tensorCount: number, path: string): void {
  const key = (i: number, k: string): number | null => {
    const v = (parts[i]?.parsed.metadata as Record<string, MetadataValue> | undefined)?.[k];
    return typeof v === "number" || typeof v === "bigint" ? Number(v) : null;
  };
  parts.forEach((p, i) => {
    const no = key(i, "split.no");
    if (no !== null && no !== i) throw invalid(p.file, `split.no says part ${no + 1}, but its name makes it part ${i + 1} of ${parts.length}`);
  });
  const count = key(0, "split.count");
  if (count !== null && count > 0 && count !== parts.length) {
    throw invalid(path, parts.length === 1 ? `part of a split model of ${count} files (split.count), but not named <name>-00001-of-${String(count).padStart(5, "0")}.gguf, so its other parts cannot be found` : `split.count says ${count} parts, the file names ${parts.length}`);
  }
  const expected = key(0, "split.tensors.count");
  if (count !== null && expected !== null && expected !== tensorCount) throw invalid(path, `the parts hold ${tensorCount} tensors, split.tensors.count says ${expected}`);
}

/**
 * Reads the header of a local GGUF file: metadata and tensor infos, not the weights. A split model
 * (`name-00001-of-00003.gguf`, any part given) is read part by part. Throws NodefitError `invalid_input_file` for
 * a missing, unreadable, non-GGUF or truncated file, and for parts of a split model that do not belong together.
 */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  const absolute = resolve(path);
  const warnings: string[] = [];
  // The given file first, so that a missing or unreadable file is reported under the name the user gave.
  const given = await parseFile(absolute, path);
  const shard = parseGgufShardFilename(basename(absolute));
  const total = shard ? Number(shard.total) : 1;
  if (total > MAX_GGUF_PARTS) throw invalid(path, `split into ${total} parts: at most ${MAX_GGUF_PARTS}`);
  const parts: ParsedGgufPart[] = [];
  for (let i = 1; i <= total; i++) {
    const file = shard ? join(dirname(absolute), `${shard.prefix}-${String(i).padStart(5, "0")}-of-${shard.total}.gguf`) : absolute;
    if (file === absolute) {
      parts.push({ file, shown: path, ...given });
      continue;
    }
    try {
      parts.push({ file, shown: file, ...(await parseFile(file, file)) });
    } catch (e) {
      const missing = e instanceof NodefitError && e.cause instanceof InputFileError && e.cause.errno === "ENOENT";
      if (missing) throw invalid(path, `a part of the split model is missing (${file}: no such file)`, e);
      throw e;
    }
  }

  return headerOfParts(parts, path, warnings);
}

/** One parsed file of a model (one part of a split one): what `gguf()` read, and the file's length. */
export interface ParsedGgufPart {
  file: string;
  /** The name errors use. */
  shown: string;
  parsed: GGUFParseOutput;
  size: number;
}

/**
 * The header of a model from its parsed parts, in order (local files here; remote ones read with range requests by the
 * Hub lookup): tensors sized and checked against each file's length, the parts checked to belong together.
 */
export function headerOfParts(parts: readonly ParsedGgufPart[], path: string, warnings: string[] = []): GgufHeader {
  const tensors: GgufTensor[] = [];
  let fileBytes = 0;
  for (const { shown, parsed, size } of parts) {
    fileBytes += size;
    for (const t of tensorsOf(parsed, shown, size, warnings)) tensors.push(t);
  }
  const first = parts[0];
  if (!first) throw invalid(path, "no GGUF data");
  checkSplit([...parts], tensors.length, path);
  const metadata: Record<string, GgufValue> = {};
  for (const [k, v] of Object.entries(first.parsed.metadata as Record<string, MetadataValue>)) metadata[k] = plain(v);
  return {
    files: parts.map((p) => p.file),
    metadata,
    tensors,
    tensorBytes: tensors.reduce((s, t) => s + t.bytes, 0),
    fileBytes,
    warnings,
  };
}
