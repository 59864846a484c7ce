// The header of a GGUF model from what @huggingface/gguf parsed of each of its files: tensors sized from their types and
// checked against each file's length, the parts of a split model checked to belong together, and the metadata as plain
// values without the tokenizer's arrays. Pure; run inside the header reader's worker (header-worker.ts).
import type { GGUFParseOutput, MetadataValue } from "@huggingface/gguf";
import { NodefitError } from "../../domain/errors.js";
import { MAX_GGUF_TENSORS } from "../../domain/limits.js";
import { ggmlTypeName, tensorBytes } from "./ggml-types.js";
import type { GgufHeader, GgufTensor, GgufValue } from "./read-gguf.js";

/** One parsed file of a model (one part of a split one): what `gguf()` read, and the file's length. */
export interface ParsedGgufPart {
  file: string;
  /** The name errors use. */
  shown: string;
  parsed: GGUFParseOutput;
  size: number;
}

export const invalidGguf = (path: string, why: string, cause?: unknown): NodefitError =>
  new NodefitError("invalid_input_file", `GGUF file ${path}: ${why}`, { path }, cause === undefined ? undefined : { cause });

export const truncatedHeader = (path: string, size: number): NodefitError =>
  invalidGguf(path, `truncated: the file ends at byte ${size}, inside its header (metadata and tensor infos)`);

/**
 * Metadata values no importer reads and that would only weigh on the answer: the tokenizer's arrays (tokens, scores,
 * types, merges: hundreds of thousands of entries), and any other array or string this long. Their lengths are kept
 * (`GgufHeader.omitted`): the vocabulary's size is the token list's length when a file has no token_embd tensor.
 */
const MAX_KEPT_LENGTH = 65_536;

function plain(v: MetadataValue): GgufValue {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return (v as MetadataValue[]).map(plain);
  return v;
}

/** Tensors of one file, sized from their types, checked against the file's length. */
function tensorsOf(parsed: GGUFParseOutput, path: string, size: number, warnings: string[]): GgufTensor[] {
  const dataStart = Number(parsed.tensorDataOffset);
  // The parser reads past the end of a short file as zeros, so dataStart is no true header length: say where the file ends.
  if (dataStart > size) throw truncatedHeader(path, size);
  const infos = parsed.tensorInfos.map((t) => ({ name: t.name, shape: t.shape.map(Number), type: Number(t.dtype), offset: Number(t.offset) }));
  const offsets = infos.map((t) => t.offset).sort((a, b) => a - b);
  /** The first tensor offset past `offset` (binary search: a header may hold many tensors), or null. */
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
  let unknownTypes = 0;
  for (const t of infos) {
    const elements = t.shape.reduce((a, b) => a * b, 1);
    let bytes = tensorBytes(t.shape, t.type);
    if (bytes === null) {
      // A type this table does not know: its extent up to the next tensor (alignment padding included).
      const next = nextOffset(t.offset);
      bytes = (next ?? size - dataStart) - t.offset;
      if (++unknownTypes <= 20) warnings.push(`tensor ${t.name} has ${ggmlTypeName(t.type)}, whose block size nodefit does not know: sized from the file layout`);
    }
    const end = dataStart + t.offset + bytes;
    if (end > size) throw invalidGguf(path, `truncated: tensor ${t.name} ends at byte ${end} but the file has ${size} bytes`);
    out.push({ name: t.name, shape: t.shape, type: t.type, elements, bytes });
  }
  if (unknownTypes > 20) warnings.push(`${unknownTypes - 20} more tensors of types whose block size nodefit does not know`);
  return out;
}

/**
 * The parts of a split model belong together, as llama.cpp's loader checks them (llama-model-loader.cpp): part i says
 * `split.no` i, the first part's `split.count` is the number of parts and its `split.tensors.count` the tensors of all.
 * Keys a file does not carry are not checked (files split by other tools).
 */
function checkSplit(parts: readonly ParsedGgufPart[], tensorCount: number, path: string): void {
  const key = (i: number, k: string): number | null => {
    const v = (parts[i]?.parsed.metadata as Record<string, MetadataValue> | undefined)?.[k];
    return typeof v === "number" || typeof v === "bigint" ? Number(v) : null;
  };
  parts.forEach((p, i) => {
    const no = key(i, "split.no");
    if (no !== null && no !== i) throw invalidGguf(p.shown, `split.no says part ${no + 1}, but its name makes it part ${i + 1} of ${parts.length}`);
  });
  const count = key(0, "split.count");
  if (count !== null && count > 0 && count !== parts.length) {
    throw invalidGguf(path, parts.length === 1 ? `part of a split model of ${count} files (split.count), but not named <name>-00001-of-${String(count).padStart(5, "0")}.gguf, so its other parts cannot be found` : `split.count says ${count} parts, the file names ${parts.length}`);
  }
  const expected = key(0, "split.tensors.count");
  if (count !== null && expected !== null && expected !== tensorCount) throw invalidGguf(path, `the parts hold ${tensorCount} tensors, split.tensors.count says ${expected}`);
}

/**
 * The header of a model from its parsed parts, in order: tensors sized and checked against each file's length, the
 * parts checked to belong together, the first part's metadata as plain values (the tokenizer's arrays left out).
 */
export function headerOfParts(parts: readonly ParsedGgufPart[], path: string, warnings: string[] = []): GgufHeader {
  const count = parts.reduce((s, p) => s + p.parsed.tensorInfos.length, 0);
  if (count > MAX_GGUF_TENSORS) throw invalidGguf(path, `${count} tensors: at most ${MAX_GGUF_TENSORS} (the largest models have about 1,200)`);
  const tensors: GgufTensor[] = [];
  let fileBytes = 0;
  for (const { shown, parsed, size } of parts) {
    fileBytes += size;
    for (const t of tensorsOf(parsed, shown, size, warnings)) tensors.push(t);
  }
  const first = parts[0];
  if (!first) throw invalidGguf(path, "no GGUF data");
  checkSplit(parts, tensors.length, path);
  const metadata: Record<string, GgufValue> = {};
  const omitted: Record<string, number> = {};
  for (const [k, v] of Object.entries(first.parsed.metadata as Record<string, MetadataValue>)) {
    if ((Array.isArray(v) && (k.startsWith("tokenizer.") || v.length > MAX_KEPT_LENGTH)) || (typeof v === "string" && v.length > MAX_KEPT_LENGTH)) omitted[k] = v.length;
    else metadata[k] = plain(v);
  }
  return {
    files: parts.map((p) => p.file),
    metadata,
    omitted,
    tensors,
    tensorBytes: tensors.reduce((s, t) => s + t.bytes, 0),
    fileBytes,
    warnings,
  };
}
