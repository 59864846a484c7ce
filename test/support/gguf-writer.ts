// GGUF v3 writer for tests and benchmarks: typed metadata, tensor infos, sparse or seeded-random data, llama-shaped models, split and truncated files.
import { closeSync, copyFileSync, ftruncateSync, openSync, truncateSync, writeSync } from "node:fs";
import { join } from "node:path";

/** A metadata value, tagged by its GGUF type. */
export type Kv =
  | { u16: number }
  | { u32: number }
  | { i32: number }
  | { u64: number }
  | { f32: number }
  | { bool: boolean }
  | { str: string }
  | { u32s: number[] }
  | { i32s: number[] }
  | { u64s: number[] }
  | { f32s: number[] }
  | { bools: boolean[] }
  | { strs: string[] };

export type GgmlTypeName = "F32" | "F16" | "Q4_0" | "Q8_0" | "Q4_K" | "Q6_K";

/**
 * ggml type id, elements per block and bytes per block (ggml/src/ggml-common.h): block_q4_0 = fp16 d + 16 B of nibbles
 * (QK4_0 32); block_q8_0 = fp16 d + 32 int8 (QK8_0 32); block_q4_K = fp16 d, fp16 dmin, 12 B scales, 128 B nibbles
 * (QK_K 256); block_q6_K = 128 B ql, 64 B qh, 16 int8 scales, then fp16 d (QK_K 256).
 */
export const GGML: Readonly<Record<GgmlTypeName, { id: number; block: number; bytes: number }>> = {
  F32: { id: 0, block: 1, bytes: 4 },
  F16: { id: 1, block: 1, bytes: 2 },
  Q4_0: { id: 2, block: 32, bytes: 18 },
  Q8_0: { id: 8, block: 32, bytes: 34 },
  Q4_K: { id: 12, block: 256, bytes: 144 },
  Q6_K: { id: 14, block: 256, bytes: 210 },
};

export interface TensorSpec {
  name: string;
  /** ne0 first. */
  shape: number[];
  /** ggml type, by name or id (0 F32, 1 F16, 2 Q4_0, 8 Q8_0, 12 Q4_K, 14 Q6_K); F32 when left out. */
  type?: GgmlTypeName | number;
  /** Random data only: "ones" writes 1.0 everywhere (an F32 norm weight) instead of random values. */
  init?: "ones";
}

export interface WriteOptions {
  /** "sparse" (default): zero-filled data via ftruncate, fast, for header tests. "random": seeded pseudo-random weights a runtime can run. */
  data?: "sparse" | "random";
  seed?: number;
}

/** Where the sections of a written file are (byte offsets), for cutting it and for checking the reader. */
export interface GgufLayout {
  path: string;
  /** First byte of the metadata key-values (after magic, version and the two counts). */
  metadataStart: number;
  tensorInfoStart: number;
  tensorInfoEnd: number;
  /** First byte of tensor data (tensorInfoEnd padded to the alignment). */
  dataStart: number;
  /** Bytes of tensor data, summed over tensors (padding between tensors left out). */
  dataBytes: number;
  fileBytes: number;
  alignment: number;
}

const typeOf = (t: TensorSpec["type"]): { name: GgmlTypeName; id: number; block: number; bytes: number } => {
  const want = t ?? "F32";
  for (const [name, v] of Object.entries(GGML) as Array<[GgmlTypeName, (typeof GGML)[GgmlTypeName]]>) if (name === want || v.id === want) return { name, ...v };
  throw new Error(`gguf-writer: unsupported ggml type ${String(want)}`);
};

export function tensorSize(t: TensorSpec): number {
  const { block, bytes, name } = typeOf(t.type);
  const [ne0 = 1] = t.shape;
  if (ne0 % block !== 0) throw new Error(`gguf-writer: ${t.name}: ne0 ${ne0} is not a multiple of ${name}'s block of ${block}`);
  return (t.shape.reduce((a, b) => a * b, 1) / block) * bytes;
}

// ---- encoding (little-endian, GGUF value type ids from gguf.h)
const num = (bytes: number, write: (b: Buffer) => void): Buffer => {
  const b = Buffer.alloc(bytes);
  write(b);
  return b;
};
const u16 = (v: number) => num(2, (b) => b.writeUInt16LE(v));
const u32 = (v: number) => num(4, (b) => b.writeUInt32LE(v));
const i32 = (v: number) => num(4, (b) => b.writeInt32LE(v));
const u64 = (v: number) => num(8, (b) => b.writeBigUInt64LE(BigInt(v)));
const f32 = (v: number) => num(4, (b) => b.writeFloatLE(v));
const bool = (v: boolean) => Buffer.from([v ? 1 : 0]);
const str = (s: string): Buffer => {
  const bytes = Buffer.from(s, "utf8");
  return Buffer.concat([u64(bytes.length), bytes]);
};
const T = { U16: 2, U32: 4, I32: 5, F32: 6, BOOL: 7, STR: 8, ARR: 9, U64: 10 } as const;
const arr = <V>(type: number, items: V[], enc: (v: V) => Buffer): Buffer => Buffer.concat([u32(T.ARR), u32(type), u64(items.length), ...items.map(enc)]);

function value(v: Kv): Buffer {
  if ("u16" in v) return Buffer.concat([u32(T.U16), u16(v.u16)]);
  if ("u32" in v) return Buffer.concat([u32(T.U32), u32(v.u32)]);
  if ("i32" in v) return Buffer.concat([u32(T.I32), i32(v.i32)]);
  if ("u64" in v) return Buffer.concat([u32(T.U64), u64(v.u64)]);
  if ("f32" in v) return Buffer.concat([u32(T.F32), f32(v.f32)]);
  if ("bool" in v) return Buffer.concat([u32(T.BOOL), bool(v.bool)]);
  if ("str" in v) return Buffer.concat([u32(T.STR), str(v.str)]);
  if ("u32s" in v) return arr(T.U32, v.u32s, u32);
  if ("i32s" in v) return arr(T.I32, v.i32s, i32);
  if ("u64s" in v) return arr(T.U64, v.u64s, u64);
  if ("f32s" in v) return arr(T.F32, v.f32s, f32);
  if ("bools" in v) return arr(T.BOOL, v.bools, bool);
  return arr(T.STR, v.strs, str);
}

// ---- seeded data
/** xorshift32 seeded from the file's seed and the tensor's name, so a tensor's bytes are the same in a whole and a split file. */
function prng(seed: number, name: string): () => number {
  let s = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < name.length; i++) s = Math.imul(s ^ name.charCodeAt(i), 16777619) >>> 0; // FNV-1a step
  if (s === 0) s = 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** float -> IEEE half, truncating (inputs here are small and finite; tiny values flush to zero). */
export function toF16(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0] ?? 0;
  const sign = (u >>> 16) & 0x8000;
  const e = ((u >>> 23) & 0xff) - 127 + 15;
  if (e <= 0) return sign;
  if (e >= 31) return sign | 0x7bff;
  return sign | (e << 10) | ((u >>> 13) & 0x3ff);
}

/** Weights of F32/F16 tensors are uniform in +-AMPLITUDE (a real model's initialisation scale). */
const AMPLITUDE = 0.04;
/**
 * fp16 scales of quantized blocks, chosen so every value stays finite and small: Q8_0 |d*q| <= 0.04 (q int8), Q4_0
 * |d*(q-8)| <= 0.04, Q4_K d = dmin = 2^-14 (d*sc*q <= 0.058 for 6-bit sc, 4-bit q), Q6_K d = 2^-14 (|d*sc*(q-32)| <= 0.25).
 */
const SCALES: Record<"Q4_0" | "Q8_0" | "Q4_K" | "Q6_K", Array<[offset: number, half: number]>> = {
  Q4_0: [[0, toF16(AMPLITUDE / 8)]],
  Q8_0: [[0, toF16(AMPLITUDE / 127)]],
  Q4_K: [[0, 0x0400], [2, 0x0400]],
  Q6_K: [[208, 0x0400]],
};

/** `count` elements (whole blocks) of random data of tensor `t`, drawing from `next`. */
function randomChunk(t: TensorSpec, count: number, next: () => number): Buffer {
  const { name, block, bytes } = typeOf(t.type);
  const size = (count / block) * bytes;
  if (name === "F32") {
    const f = new Float32Array(count);
    for (let i = 0; i < count; i++) f[i] = t.init === "ones" ? 1 : (next() / 2 ** 32 - 0.5) * 2 * AMPLITUDE;
    return Buffer.from(f.buffer);
  }
  if (name === "F16") {
    const h = new Uint16Array(count);
    for (let i = 0; i < count; i++) h[i] = toF16(t.init === "ones" ? 1 : (next() / 2 ** 32 - 0.5) * 2 * AMPLITUDE);
    return Buffer.from(h.buffer);
  }
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let i = 0; i < words.length; i++) words[i] = next();
  const b = Buffer.from(words.buffer, 0, size);
  for (let o = 0; o < size; o += bytes) for (const [at, half] of SCALES[name]) b.writeUInt16LE(half, o + at);
  return b;
}

// ---- files
const padTo = (n: number, a: number): number => Math.ceil(n / a) * a;

/**
 * Writes a GGUF v3 file: header (metadata, tensor infos), then the tensor data, each tensor at an offset aligned to
 * general.alignment (32 without it). Data are zeros (a sparse file) or, with `data: "random"`, seeded random weights.
 */
export function writeGguf(path: string, metadata: Record<string, Kv>, tensors: TensorSpec[], options: WriteOptions = {}): GgufLayout {
  const a = metadata["general.alignment"];
  const alignment = a && "u32" in a ? a.u32 : a && "u64" in a ? a.u64 : 32;
  const kvs = Object.entries(metadata).map(([k, v]) => Buffer.concat([str(k), value(v)]));
  const offsets: number[] = [];
  let offset = 0;
  let dataBytes = 0;
  const infos = tensors.map((t) => {
    offset = padTo(offset, alignment);
    offsets.push(offset);
    const size = tensorSize(t);
    offset += size;
    dataBytes += size;
    return Buffer.concat([str(t.name), u32(t.shape.length), ...t.shape.map(u64), u32(typeOf(t.type).id), u64(offsets[offsets.length - 1] ?? 0)]);
  });
  const preamble = Buffer.concat([Buffer.from("GGUF"), u32(3), u64(tensors.length), u64(kvs.length)]);
  const kvBytes = kvs.reduce((s, b) => s + b.length, 0);
  const tensorInfoStart = preamble.length + kvBytes;
  const tensorInfoEnd = tensorInfoStart + infos.reduce((s, b) => s + b.length, 0);
  const dataStart = padTo(tensorInfoEnd, alignment);
  const fileBytes = dataStart + offset;

  const fd = openSync(path, "w");
  try {
    writeSync(fd, Buffer.concat([preamble, ...kvs, ...infos]));
    if (options.data === "random") {
      tensors.forEach((t, i) => {
        const next = prng(options.seed ?? 1, t.name);
        const { block } = typeOf(t.type);
        const elements = t.shape.reduce((x, y) => x * y, 1);
        // Slices of whole blocks, about 8 MB each, to bound memory on large files.
        const slice = Math.max(block, Math.floor(2 ** 23 / 4 / block) * block);
        let at = dataStart + (offsets[i] ?? 0);
        for (let done = 0; done < elements; done += slice) {
          const chunk = randomChunk(t, Math.min(slice, elements - done), next);
          writeSync(fd, chunk, 0, chunk.length, at);
          at += chunk.length;
        }
      });
    }
    ftruncateSync(fd, fileBytes);
  } finally {
    closeSync(fd);
  }
  return { path, metadataStart: preamble.length, tensorInfoStart, tensorInfoEnd, dataStart, dataBytes, fileBytes, alignment };
}

// ---- llama-architecture models
export interface LlamaConfig {
  nEmbd: number;
  nLayer: number;
  nHead: number;
  nHeadKv: number;
  nFf: number;
  nVocab: number;
  ctx: number;
  type: GgmlTypeName;
  /** No output.weight: llama.cpp reuses token_embd. */
  tiedOutput?: boolean;
  /** Type of output.weight when it differs from the body's (a mixed file). */
  outputType?: GgmlTypeName;
  name?: string;
}

/** llama.cpp's general.file_type (enum llama_ftype) of a file whose body is `type` (Q4_K is labelled MOSTLY_Q4_K_M). */
const FILE_TYPE: Record<GgmlTypeName, number> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 7, Q4_K: 15, Q6_K: 18 };

/**
 * A SentencePiece-style "llama" vocabulary: <unk>, <s>, </s>, the 256 byte-fallback tokens <0x00>..<0xFF>, single
 * characters, then filler pieces ("aa", "▁aa", "ab", ...) up to `n`; scores fall with the index so merges are ordered.
 */
function llamaVocab(n: number): { tokens: string[]; scores: number[]; types: number[] } {
  if (n < 3 + 256) throw new Error(`gguf-writer: a byte-fallback vocabulary needs at least 259 tokens, not ${n}`);
  // token types (llama_token_type): 1 normal, 2 unknown, 3 control, 6 byte
  const tokens = ["<unk>", "<s>", "</s>"];
  const types = [2, 3, 3];
  for (let i = 0; i < 256; i++) tokens.push(`<0x${i.toString(16).toUpperCase().padStart(2, "0")}>`), types.push(6);
  const letters = "abcdefghijklmnopqrstuvwxyz";
  for (const ch of `▁${letters}${letters.toUpperCase()}0123456789.,!?'`) tokens.push(ch), types.push(1);
  // Filler: bijective base 26 from 27 ("aa"), each piece with and without the word-start mark.
  for (let i = 0; tokens.length < n; i++) {
    let piece = "";
    for (let k = 27 + (i >> 1); k > 0; k = Math.floor((k - 1) / 26)) piece = letters.charAt((k - 1) % 26) + piece;
    tokens.push((i & 1 ? "▁" : "") + piece), types.push(1);
  }
  tokens.length = n;
  types.length = n;
  return { tokens, types, scores: tokens.map((_, i) => (types[i] === 1 ? -i : 0)) };
}

/** Metadata, tensor list and parameter count of a llama-architecture model (the tensors llama.cpp's LLM_ARCH_LLAMA loads). */
export function llamaShape(cfg: LlamaConfig): { metadata: Record<string, Kv>; tensors: TensorSpec[]; params: number } {
  const { nEmbd: E, nFf: F, nVocab: V, type: W } = cfg;
  const headDim = E / cfg.nHead;
  const kvDim = headDim * cfg.nHeadKv;
  const vocab = llamaVocab(V);
  const metadata: Record<string, Kv> = {
    "general.architecture": { str: "llama" },
    "general.name": { str: cfg.name ?? "synthetic-tiny-llama" },
    "general.alignment": { u32: 32 },
    "general.file_type": { u32: FILE_TYPE[W] },
    "llama.context_length": { u32: cfg.ctx },
    "llama.embedding_length": { u32: E },
    "llama.block_count": { u32: cfg.nLayer },
    "llama.feed_forward_length": { u32: F },
    "llama.attention.head_count": { u32: cfg.nHead },
    "llama.attention.head_count_kv": { u32: cfg.nHeadKv },
    "llama.rope.dimension_count": { u32: headDim },
    "llama.rope.freq_base": { f32: 10000 },
    "llama.attention.layer_norm_rms_epsilon": { f32: 1e-5 },
    "llama.vocab_size": { u32: V },
    "tokenizer.ggml.model": { str: "llama" },
    "tokenizer.ggml.tokens": { strs: vocab.tokens },
    "tokenizer.ggml.scores": { f32s: vocab.scores },
    "tokenizer.ggml.token_type": { i32s: vocab.types },
    "tokenizer.ggml.bos_token_id": { u32: 1 },
    "tokenizer.ggml.eos_token_id": { u32: 2 },
    "tokenizer.ggml.unknown_token_id": { u32: 0 },
    "tokenizer.ggml.add_bos_token": { bool: true },
  };
  const norm = (name: string): TensorSpec => ({ name, shape: [E], type: "F32", init: "ones" });
  const mat = (name: string, ne0: number, ne1: number, type: GgmlTypeName = W): TensorSpec => ({ name, shape: [ne0, ne1], type });
  const tensors: TensorSpec[] = [mat("token_embd.weight", E, V)];
  for (let l = 0; l < cfg.nLayer; l++) {
    tensors.push(norm(`blk.${l}.attn_norm.weight`), mat(`blk.${l}.attn_q.weight`, E, E), mat(`blk.${l}.attn_k.weight`, E, kvDim));
    tensors.push(mat(`blk.${l}.attn_v.weight`, E, kvDim), mat(`blk.${l}.attn_output.weight`, E, E), norm(`blk.${l}.ffn_norm.weight`));
    tensors.push(mat(`blk.${l}.ffn_gate.weight`, E, F), mat(`blk.${l}.ffn_up.weight`, E, F), mat(`blk.${l}.ffn_down.weight`, F, E));
  }
  tensors.push(norm("output_norm.weight"));
  if (!cfg.tiedOutput) tensors.push(mat("output.weight", E, V, cfg.outputType ?? W));
  return { metadata, tensors, params: tensors.reduce((s, t) => s + t.shape.reduce((x, y) => x * y, 1), 0) };
}

// ---- split files (llama.cpp's gguf-split)

/** llama.cpp's split file name: `<stem>-00001-of-00003.gguf` (llama_split_path, 1-based). */
export const splitName = (stem: string, i: number, count: number): string =>
  `${stem}-${String(i + 1).padStart(5, "0")}-of-${String(count).padStart(5, "0")}.gguf`;

/**
 * Writes a model as `count` shards the way gguf-split does: tensors in order, in contiguous runs; the first shard holds
 * all the metadata, every shard `split.no` (u16, 0-based), `split.count` (u16) and `split.tensors.count` (i32, all shards).
 */
export function writeSplitGguf(
  dir: string,
  stem: string,
  count: number,
  metadata: Record<string, Kv>,
  tensors: TensorSpec[],
  options: WriteOptions = {},
): GgufLayout[] {
  if (count < 1 || count > tensors.length) throw new Error(`gguf-writer: cannot split ${tensors.length} tensors into ${count} files`);
  const n = tensors.length;
  return Array.from({ length: count }, (_, i) => {
    const split: Record<string, Kv> = { "split.no": { u16: i }, "split.count": { u16: count }, "split.tensors.count": { i32: n } };
    const part = tensors.slice(Math.floor((i * n) / count), Math.floor(((i + 1) * n) / count));
    return writeGguf(join(dir, splitName(stem, i, count)), i === 0 ? { ...metadata, ...split } : split, part, options);
  });
}

// ---- truncated files

export type Cut = "metadata" | "tensor-info" | "data";

/**
 * Copies a written file to `out` cut short: in the middle of its metadata, its tensor infos or its tensor data (or at
 * byte `at`). Returns the length of the copy.
 */
export function writeTruncated(layout: GgufLayout, out: string, cut: Cut | number): number {
  const mid = (a: number, b: number) => Math.floor((a + b) / 2);
  const at =
    cut === "metadata"
      ? mid(layout.metadataStart, layout.tensorInfoStart)
      : cut === "tensor-info"
        ? mid(layout.tensorInfoStart, layout.tensorInfoEnd)
        : cut === "data"
          ? mid(layout.dataStart, layout.fileBytes)
          : cut;
  if (at < 0 || at >= layout.fileBytes) throw new Error(`gguf-writer: cut at ${at} is outside ${layout.path} (${layout.fileBytes} bytes)`);
  copyFileSync(layout.path, out);
  truncateSync(out, at);
  return at;
}

/** A tiny llama-shaped Q4_0 GGUF (4 layers of 256, a 512-token vocabulary; a few hundred KB) at `path`, named `name`. */
export function writeTinyGguf(path: string, name = "Tiny"): string {
  const shape = llamaShape({ nEmbd: 256, nLayer: 4, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 512, ctx: 4096, type: "Q4_0", name });
  writeGguf(path, shape.metadata, shape.tensors);
  return path;
}
