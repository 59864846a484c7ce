// GGUF header reading: metadata and tensor infos of a local GGUF file (all parts of a split one) via @huggingface/gguf.
import { statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { gguf, ggufAllShards, parseGgufShardFilename, type GGUFParseOutput, type MetadataValue } from "@huggingface/gguf";
import { NodefitError, messageOf } from "../../domain/errors.js";
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

function fileSize(path: string, shown: string): number {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw invalid(shown, "not a regular file");
    return st.size;
  } catch (e) {
    if (e instanceof NodefitError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw invalid(shown, code === "ENOENT" ? `no such file${path !== resolve(shown) ? ` (${path})` : ""}` : messageOf(e), e);
  }
}

/** Tensors of one file, sized from their types, checked against the file's length. */
function tensorsOf(parsed: GGUFParseOutput, path: string, size: number, warnings: string[]): GgufTensor[] {
  const dataStart = Number(parsed.tensorDataOffset);
  // The parser reads past the end of a short file as zeros, so dataStart is no true header length: say where the file ends.
  if (dataStart > size) throw invalid(path, `truncated: the file ends at byte ${size}, inside its header (metadata and tensor infos)`);
  const infos = parsed.tensorInfos.map((t) => ({ name: t.name, shape: t.shape.map(Number), type: Number(t.dtype), offset: Number(t.offset) }));
  const byOffset = [...infos].sort((a, b) => a.offset - b.offset);
  const out: GgufTensor[] = [];
  for (const t of infos) {
    const elements = t.shape.reduce((a, b) => a * b, 1);
    let bytes = tensorBytes(t.shape, t.type);
    if (bytes === null) {
      // A type this table does not know: its extent up to the next tensor (alignment padding included).
      const next = byOffset.find((u) => u.offset > t.offset);
      bytes = (next ? next.offset : size - dataStart) - t.offset;
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
  // Stat the given file first, so a missing file is reported under the name the user gave.
  const givenSize = fileSize(absolute, path);
  const warnings: string[] = [];
  let parts: Array<{ file: string; parsed: GGUFParseOutput }>;
  try {
    if (parseGgufShardFilename(basename(absolute))) {
      const all = await ggufAllShards(absolute, { allowLocalFile: true, parallelDownloads: 1 });
      parts = all.urls.map((file, i) => ({ file, parsed: all.shards[i] as GGUFParseOutput }));
    } else {
      parts = [{ file: absolute, parsed: await gguf(absolute, { allowLocalFile: true }) }];
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw invalid(path, `a part of the split model is missing (${messageOf(e)})`, e);
    throw invalid(path, `not a readable GGUF file (${messageOf(e)})`, e);
  }

  const tensors: GgufTensor[] = [];
  let fileBytes = 0;
  for (const { file, parsed } of parts) {
    const size = file === absolute ? givenSize : fileSize(file, file);
    fileBytes += size;
    tensors.push(...tensorsOf(parsed, file === absolute ? path : file, size, warnings));
  }
  const first = parts[0];
  if (!first) throw invalid(path, "no GGUF data");
  checkSplit(parts, tensors.length, path);
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
