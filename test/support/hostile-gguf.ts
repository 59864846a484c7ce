// GGUF headers an attacker would upload (and one a real large vocabulary makes) for the reader's bounds tests: a valid
// llama preamble followed by a mass of metadata, written sparse where the bytes are zeros.
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { llamaShape, writeGguf, type GgufLayout } from "./gguf-writer.js";

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const str = (s: string): Buffer => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);

/** The keys a llama header needs before anything else (no tensors: the file is never a model). */
function preamble(extraKvs: number): Buffer[] {
  const kvs = [
    Buffer.concat([str("general.architecture"), u32(8), str("llama")]),
    Buffer.concat([str("llama.block_count"), u32(4), u32(2)]),
    Buffer.concat([str("llama.embedding_length"), u32(4), u32(64)]),
  ];
  return [Buffer.from("GGUF"), u32(3), u64(0), u64(kvs.length + extraKvs), ...kvs];
}

/**
 * The review's 45 MB header (finding 1): `count` metadata arrays of `length` uint8 each (zeros, written sparse). The
 * parser turns each into a JavaScript array of numbers: ~8 bytes of heap per byte of file.
 */
export function writeArraysGguf(path: string, count = 45, length = 1_000_000): number {
  const fd = openSync(path, "w");
  try {
    const head = Buffer.concat(preamble(count));
    writeSync(fd, head);
    let at = head.length;
    for (let i = 0; i < count; i++) {
      const h = Buffer.concat([str(`junk.${i}`), u32(9), u32(0), u64(length)]);
      writeSync(fd, h, 0, h.length, at);
      at += h.length + length;
    }
    ftruncateSync(fd, at + 64);
    return at + 64;
  } finally {
    closeSync(fd);
  }
}

/**
 * A header of `count` strings of `length` bytes each (cheap to parse, long to read: 28 MB by default), past the byte
 * cap long before the heap's. (Each under the parser's 0.5 MB read-ahead: a longer one it reads short and fails on.)
 */
export function writeLongStringsGguf(path: string, count = 70, length = 400_000): number {
  const fd = openSync(path, "w");
  try {
    const head = Buffer.concat(preamble(count));
    writeSync(fd, head);
    let at = head.length;
    for (let i = 0; i < count; i++) {
      const h = Buffer.concat([str(`general.note.${i}`), u32(8), u64(length)]);
      writeSync(fd, h, 0, h.length, at);
      at += h.length;
      writeSync(fd, Buffer.alloc(length, 0x61), 0, length, at);
      at += length;
    }
    ftruncateSync(fd, at + 64);
    return at + 64;
  } finally {
    closeSync(fd);
  }
}

/**
 * A real model's header at the size of the largest vocabularies (Gemma 3's 262,144 tokens with scores and types, and
 * 250,000 BPE merges as gpt-oss's tokenizer has): ~13 MB before the tensor infos, tensor data sparse.
 */
export function writeLargeVocabGguf(path: string, name = "Large Vocab Llama"): GgufLayout {
  const { metadata, tensors } = llamaShape({ nEmbd: 256, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 262_144, ctx: 8192, type: "Q4_0", name });
  const merges = Array.from({ length: 250_000 }, (_, i) => `m${i.toString(36)} ${(i * 7).toString(36)}`);
  return writeGguf(path, { ...metadata, "tokenizer.ggml.merges": { strs: merges } }, tensors);
}
