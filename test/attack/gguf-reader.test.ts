// Attack pass (issue 17; review findings 1 and 4): every GGUF header is parsed in a worker thread, one model at a time,
// under a heap cap, a byte cap per file and per model and a wall clock. A hostile header (45 MB of metadata arrays,
// strings past the cap, a source that never answers) is a refusal naming the bound, never an agent out of memory or a
// stalled event loop; a real header at the size of the largest vocabularies still reads, without its tokenizer arrays.
import { mkdirSync, mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelFromGguf } from "../../src/catalog/gguf/model-from-gguf.js";
import { GgufHeaderReader, refusesContent, type GgufSource } from "../../src/catalog/gguf/header-reader.js";
import { readGgufHeader } from "../../src/catalog/gguf/read-gguf.js";
import { NodefitError } from "../../src/domain/errors.js";
import { MAX_GGUF_HEADER_BYTES, MAX_GGUF_PARTS } from "../../src/domain/limits.js";
import { llamaShape, writeGguf, writeSplitGguf } from "../support/gguf-writer.js";
import { writeArraysGguf, writeLargeVocabGguf, writeLongStringsGguf } from "../support/hostile-gguf.js";

/** RSS growth a refused or bounded read may cause: the reader's 128 MiB heap and its buffers, with room for a loaded machine. */
const RSS_BOUND = 300 * 2 ** 20;
/** The longest the event loop may stall meanwhile: generous for a shared 2-core machine (the parse itself is off the loop). */
const LAG_BOUND_MS = 1000;

let dir = "";
const files = { arrays: "", strings: "", vocab: "", tiny: "" };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-reader-"));
  files.arrays = join(dir, "arrays.gguf");
  writeArraysGguf(files.arrays);
  files.strings = join(dir, "strings.gguf");
  writeLongStringsGguf(files.strings);
  files.vocab = join(dir, "vocab-Q4_0.gguf");
  writeLargeVocabGguf(files.vocab);
  files.tiny = join(dir, "tiny-Q8_0.gguf");
  const t = llamaShape({ nEmbd: 256, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 512, ctx: 4096, type: "Q8_0" });
  writeGguf(files.tiny, t.metadata, t.tensors);
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A file as a range source, counting what it served. */
function source(path: string, served = { bytes: 0 }): GgufSource {
  const size = statSync(path).size;
  return {
    file: path,
    shown: path,
    size,
    async read(start, end) {
      const length = Math.max(0, Math.min(end + 1, size) - start);
      const bytes = new Uint8Array(length);
      const fd = openSync(path, "r");
      try {
        readSync(fd, bytes, 0, length, start);
      } finally {
        closeSync(fd);
      }
      served.bytes += length;
      return { bytes, size };
    },
  };
}

/** Runs `work`, noting the RSS peak and the event loop's longest stall meanwhile. */
async function watched<T>(work: () => Promise<T>): Promise<{ value: T | null; error: unknown; rssGrowth: number; lagMs: number }> {
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let lag = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last - 10);
    last = now;
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    return { value: await work(), error: null, rssGrowth: peak - rss0, lagMs: lag };
  } catch (error) {
    return { value: null, error, rssGrowth: peak - rss0, lagMs: lag };
  } finally {
    clearInterval(timer);
  }
}

describe("hostile headers", () => {
  it("a 45 MB header of metadata arrays (the review's OOM) is refused within the reader's heap: the process keeps its memory and its event loop", { timeout: 60_000 }, async () => {
    const r = await watched(() => readGgufHeader(files.arrays));
    expect(r.error).toBeInstanceOf(NodefitError);
    expect((r.error as NodefitError).code).toBe("invalid_input_file");
    expect((r.error as Error).message).toMatch(new RegExp(`^GGUF file ${files.arrays}: (reading its header takes more than the 128 MiB of memory the GGUF reader may use|its header runs past 24 MiB)`));
    expect(r.rssGrowth).toBeLessThan(RSS_BOUND);
    expect(r.lagMs).toBeLessThan(LAG_BOUND_MS);
    // The reader goes on: the next header reads.
    expect((await readGgufHeader(files.tiny)).tensors.length).toBeGreaterThan(0);
  });

  it("a header past 24 MiB (70 strings of 400 KB) is refused at the byte cap, having read no more than the cap", { timeout: 60_000 }, async () => {
    const reader = new GgufHeaderReader();
    const served = { bytes: 0 };
    try {
      const r = await watched(() => reader.read([source(files.strings, served)], files.strings));
      expect((r.error as Error).message).toBe(`GGUF file ${files.strings}: its header runs past 24 MiB (the largest real header, a vocabulary of ~260,000 tokens, is ~14 MB): not read further`);
      expect(served.bytes).toBeLessThanOrEqual(MAX_GGUF_HEADER_BYTES);
      expect(r.rssGrowth).toBeLessThan(RSS_BOUND);
    } finally {
      await reader.close();
    }
  });

  it("a worker out of memory is a refusal naming the bound, and the reader's next header reads", { timeout: 60_000 }, async () => {
    const reader = new GgufHeaderReader({ heapMb: 16 });
    try {
      await expect(reader.read([source(files.arrays)], "arrays.gguf")).rejects.toThrow(/^GGUF file arrays\.gguf: reading its header takes more than the 16 MiB of memory the GGUF reader may use/);
      expect((await reader.read([source(files.tiny)], "tiny.gguf")).tensors.length).toBeGreaterThan(0);
    } finally {
      await reader.close();
    }
  });

  it("a source that never answers is refused at the reader's clock; the worker is replaced and the next header reads", { timeout: 30_000 }, async () => {
    // The clock covers the worker's start too (from the sources, through tsx: about half a second).
    const reader = new GgufHeaderReader({ timeoutMs: 3000 });
    try {
      const hung: GgufSource = { file: "hung.gguf", shown: "hung.gguf", size: null, read: () => new Promise(() => undefined) };
      const start = performance.now();
      await expect(reader.read([hung], "hung.gguf")).rejects.toThrow("GGUF file hung.gguf: its header was not read within 3 s: refused");
      expect(performance.now() - start).toBeLessThan(10_000);
      expect((await reader.read([source(files.tiny)], "tiny.gguf")).tensors.length).toBeGreaterThan(0);
    } finally {
      await reader.close();
    }
  });

  it("one header at a time: reads wait their turn, past the queue's bound they are refused as overloaded, an aborted one leaves", { timeout: 30_000 }, async () => {
    const reader = new GgufHeaderReader({ queue: 1, timeoutMs: 2000 });
    try {
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => (release = r));
      const tiny = source(files.tiny);
      const slow: GgufSource = { ...tiny, read: async (s, e) => (await held, tiny.read(s, e)) };
      const first = reader.read([slow], "first");
      const gone = new AbortController();
      const second = reader.read([source(files.tiny)], "second", gone.signal);
      const third = reader.read([source(files.tiny)], "third");
      await expect(third).rejects.toMatchObject({ code: "overloaded", message: "the GGUF header reader is busy: 1 headers are waiting to be read; retry shortly" });
      gone.abort(new Error("client gone"));
      await expect(second).rejects.toThrow("client gone");
      release();
      expect((await first).tensors.length).toBeGreaterThan(0);
    } finally {
      await reader.close();
    }
  });
});

describe("which failures refuse the file's content (what a cache may keep per file version)", () => {
  it("not a GGUF file is; the reader's clock, overload and a read error are passing", { timeout: 30_000 }, async () => {
    const errorOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => new Error("read"), (e: unknown) => e);
    const reader = new GgufHeaderReader({ queue: 0, timeoutMs: 3000 });
    try {
      const junk: GgufSource = { file: "junk.gguf", shown: "junk.gguf", size: 4096, read: async (s, e) => ({ bytes: new Uint8Array(Math.max(0, Math.min(e + 1, 4096) - s)).fill(7), size: 4096 }) };
      const notGguf = await errorOf(reader.read([junk], "junk.gguf"));
      expect(notGguf).toMatchObject({ code: "invalid_input_file" });
      expect(refusesContent(notGguf)).toBe(true);
      const hung: GgufSource = { file: "hung.gguf", shown: "hung.gguf", size: null, read: () => new Promise(() => undefined) };
      const clock = errorOf(reader.read([hung], "hung.gguf"));
      const busy = await errorOf(reader.read([source(files.tiny)], "tiny.gguf"));
      expect(busy).toMatchObject({ code: "overloaded" });
      expect(refusesContent(busy)).toBe(false);
      const late = await clock;
      expect(late).toMatchObject({ code: "invalid_input_file", message: "GGUF file hung.gguf: its header was not read within 3 s: refused" });
      expect(refusesContent(late)).toBe(false);
      const failing: GgufSource = { ...source(files.tiny), read: () => Promise.reject(Object.assign(new Error("EIO: i/o error"), { code: "EIO" })) };
      const io = await errorOf(reader.read([failing], "eio.gguf"));
      expect(io).toMatchObject({ code: "EIO" });
      expect(refusesContent(io)).toBe(false);
    } finally {
      await reader.close();
    }
  });
});

describe("split models", () => {
  it(`a model in ${MAX_GGUF_PARTS} parts (the most read) reads: a later part counts only its header's bytes against the per-model cap`, { timeout: 120_000 }, async () => {
    const sub = join(dir, "many-parts");
    mkdirSync(sub);
    const { metadata, tensors } = llamaShape({ nEmbd: 32, nLayer: 114, nHead: 4, nHeadKv: 2, nFf: 64, nVocab: 300, ctx: 512, type: "F16", name: "Many Parts" });
    const parts = writeSplitGguf(sub, "many", MAX_GGUF_PARTS, metadata, tensors);
    // As read-gguf.ts gives them (a later part's size unknown before its first read), to a reader whose clock leaves a
    // loaded machine the time: this is about the byte cap.
    const reader = new GgufHeaderReader({ timeoutMs: 100_000 });
    try {
      const sources = parts.map((p, i): GgufSource => (i === 0 ? source(p.path) : { ...source(p.path), size: null, probe: true }));
      const h = await reader.read(sources, "many-00001-of-01024.gguf");
      expect(h.files).toHaveLength(MAX_GGUF_PARTS);
      expect(h.tensors).toHaveLength(tensors.length);
    } finally {
      await reader.close();
    }
  });
});

describe("a real header at the size of the largest vocabularies", () => {
  it("reads, without the tokenizer's arrays (their lengths kept), and imports; four at once take one parse's memory", { timeout: 120_000 }, async () => {
    expect(statSync(files.vocab).size).toBeGreaterThan(0);
    const r = await watched(() => Promise.all(Array.from({ length: 4 }, () => readGgufHeader(files.vocab))));
    expect(r.error).toBeNull();
    for (const h of r.value!) {
      expect(h.omitted).toEqual({ "tokenizer.ggml.tokens": 262_144, "tokenizer.ggml.scores": 262_144, "tokenizer.ggml.token_type": 262_144, "tokenizer.ggml.merges": 250_000 });
      expect(Object.keys(h.metadata).filter((k) => k.startsWith("tokenizer.ggml.") && Array.isArray(h.metadata[k]))).toEqual([]);
    }
    // One parse at a time: four headers of ~13 MB cost what one does.
    expect(r.rssGrowth).toBeLessThan(RSS_BOUND);
    expect(r.lagMs).toBeLessThan(LAG_BOUND_MS);
    const imported = await modelFromGguf(files.vocab);
    expect(imported.model.architecture).toMatchObject({ type: "llama", layers: 2, hidden_size: 256 });
    expect(imported.quant).toBe("Q4_0");
  });
});
