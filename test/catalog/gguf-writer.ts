// Test GGUF writer: headers of any architecture (metadata + tensor infos) over zero-filled sparse data, for the importer's tests.
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";

export type Kv =
  | { u32: number }
  | { f32: number }
  | { str: string }
  | { bool: boolean }
  | { strs: string[] }
  | { u32s: number[] }
  | { bools: boolean[] };

export interface TensorSpec {
  name: string;
  /** ne0 first. */
  shape: number[];
  /** ggml type id (0 = F32, 1 = F16, 8 = Q8_0, 12 = Q4_K). */
  type?: number;
}

const BLOCK: Record<number, [number, number]> = { 0: [1, 4], 1: [1, 2], 2: [32, 18], 8: [32, 34], 12: [256, 144], 14: [256, 210] };
const ALIGN = 32;
const pad = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};
const u64 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
};
const str = (s: string): Buffer => {
  const bytes = Buffer.from(s, "utf8");
  return Buffer.concat([u64(bytes.length), bytes]);
};

function value(v: Kv): Buffer {
  if ("u32" in v) return Buffer.concat([u32(4), u32(v.u32)]);
  if ("f32" in v) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v.f32);
    return Buffer.concat([u32(6), b]);
  }
  if ("str" in v) return Buffer.concat([u32(8), str(v.str)]);
  if ("bool" in v) return Buffer.concat([u32(7), Buffer.from([v.bool ? 1 : 0])]);
  if ("strs" in v) return Buffer.concat([u32(9), u32(8), u64(v.strs.length), ...v.strs.map(str)]);
  if ("u32s" in v) return Buffer.concat([u32(9), u32(4), u64(v.u32s.length), ...v.u32s.map(u32)]);
  return Buffer.concat([u32(9), u32(7), u64(v.bools.length), Buffer.from(v.bools.map((b) => (b ? 1 : 0)))]);
}

export function tensorSize(t: TensorSpec): number {
  const [bs, ts] = BLOCK[t.type ?? 0] as [number, number];
  return (t.shape.reduce((a, b) => a * b, 1) / bs) * ts;
}

/** Writes a GGUF v3 file: the header, then tensor data as zeros (a sparse file). Returns the data bytes written. */
export function writeGguf(path: string, metadata: Record<string, Kv>, tensors: TensorSpec[]): { dataBytes: number; fileBytes: number } {
  const kvs = Object.entries(metadata).map(([k, v]) => Buffer.concat([str(k), value(v)]));
  let offset = 0;
  const infos: Buffer[] = [];
  let dataBytes = 0;
  for (const t of tensors) {
    offset = pad(offset);
    infos.push(Buffer.concat([str(t.name), u32(t.shape.length), ...t.shape.map(u64), u32(t.type ?? 0), u64(offset)]));
    const size = tensorSize(t);
    offset += size;
    dataBytes += size;
  }
  const header = Buffer.concat([Buffer.from("GGUF"), u32(3), u64(tensors.length), u64(kvs.length), ...kvs, ...infos]);
  const dataStart = pad(header.length);
  const fd = openSync(path, "w");
  writeSync(fd, header);
  const fileBytes = dataStart + offset;
  ftruncateSync(fd, fileBytes);
  closeSync(fd);
  return { dataBytes, fileBytes };
}
