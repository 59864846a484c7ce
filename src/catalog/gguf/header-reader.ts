// The GGUF header reader: every GGUF header nodefit reads (a local file for --gguf and catalog import, the installed
// models' scan, a file on the Hugging Face Hub) is parsed in a worker thread (header-worker.ts), one model at a time,
// under a heap cap and a wall clock, reading through byte caps per file and per model. The caller gives each file as a
// range source (a local file's handle, the Hub's range requests): the bytes stay on this thread's I/O, the parse off
// its event loop. A header past a cap, a worker out of memory or out of time, is a NodefitError refusal; the agent
// never parses a header on the thread that answers /health, and never holds more than one parse in memory.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { messageOf, NodefitError, type ErrorCode } from "../../domain/errors.js";
import { MAX_GGUF_HEADER_BYTES, MAX_GGUF_HEADERS_TOTAL_BYTES } from "../../domain/limits.js";
import { formatBytes, InputFileError } from "../../domain/read-input-file.js";
import type { GgufHeader } from "./read-gguf.js";

/** One file of a model, as the reader reads it: byte ranges on request. */
export interface GgufSource {
  /** What the header lists as the file (a path, a URL). */
  file: string;
  /** Its name in messages. */
  shown: string;
  /** Its length when known before a read (a stat, a listing); else the first read says it. */
  size: number | null;
  /** A later part of a split model: first read a slice, not the parser's whole first chunk (its header is KBs). */
  probe?: boolean;
  /** Bytes `start` to `end` (inclusive) of the file, fewer at its end, and its length when this read tells it. */
  read(start: number, end: number): Promise<{ bytes: Uint8Array; size: number | null }>;
}

export interface GgufReaderLimits {
  /** The worker's heap (V8's old generation), MiB. */
  heapMb: number;
  /** One model's header, its reads included, ms. */
  timeoutMs: number;
  /** Bytes of one file's header. */
  headerBytes: number;
  /** Bytes of all of a model's headers: of each part read, what its header took (the bytes read past it, a probe's or
   *  the parser's read-ahead, count only while that part is read). */
  totalBytes: number;
  /** Models waiting for the reader at most; more are refused as overloaded. */
  queue: number;
  /** How long an idle worker is kept for the next header (a scan reads them back to back), ms. */
  idleMs: number;
}

/**
 * The reader's bounds. Heap: a 13 MB header of a 262,144-token vocabulary with 250,000 merges (the size of Gemma 3's
 * and gpt-oss's) parses within 40 MiB of heap (measured: refused at 32, read at 40), one at the 24 MiB byte cap of
 * such strings about twice that; 128 MiB reads every real header and stops a hostile one (45 arrays of a million
 * bytes each would take ~400 MiB as JavaScript arrays) after ~12 MB. Time: that header parses in about 2 s on a
 * 2-core VM; 30 s covers a slow disk or the Hub's range reads (a Hub lookup stops at its own 20 s deadline first).
 */
export const GGUF_READER_LIMITS: Readonly<GgufReaderLimits> = Object.freeze({
  heapMb: 128,
  timeoutMs: 30_000,
  headerBytes: MAX_GGUF_HEADER_BYTES,
  totalBytes: MAX_GGUF_HEADERS_TOTAL_BYTES,
  queue: 16,
  idleMs: 5_000,
});

// The messages between the reader and its worker.
export interface WorkerPart {
  file: string;
  shown: string;
  size: number | null;
  probe: boolean;
}
export interface WorkerJob {
  type: "parse";
  job: number;
  parts: WorkerPart[];
  label: string;
}
/** From the worker: a range it needs, or the job's end. */
export type ReaderRequest =
  | { type: "read"; job: number; id: number; part: number; start: number; end: number }
  /** A part parsed: its header took `used` bytes. */
  | { type: "part"; job: number; part: number; used: number }
  | { type: "done"; job: number; header: GgufHeader }
  | { type: "failed"; job: number; message: string; code: ErrorCode | null; path: string | null; fromSource: boolean };
/** To the worker: the bytes of a range, or why there are none. */
export type ReaderReply = { type: "bytes"; id: number; bytes: ArrayBuffer; size: number | null } | { type: "bytes"; id: number; error: string };

const refusal = (label: string, why: string, passing = false): NodefitError =>
  new NodefitError("invalid_input_file", `GGUF file ${label}: ${why}`, passing ? { path: label, passing: true } : { path: label });

/**
 * Whether a failure of `read` refuses the file's content (not a GGUF file, malformed, truncated, past a byte cap or the
 * heap): the same answer for the same bytes, so one worth keeping per file version. A passing one is not: the reader
 * busy (`overloaded`) or out of time (its clock, on a loaded machine), its worker crashed (`internal`), a read that
 * failed (EIO, EACCES), an abort.
 */
export function refusesContent(e: unknown): boolean {
  if (!(e instanceof NodefitError) || e.code !== "invalid_input_file" || e.details?.["passing"] === true) return false;
  const io = e instanceof InputFileError ? e : e.cause instanceof InputFileError ? e.cause : null;
  return io === null || io.errno === null;
}

/** The worker, from the built package (dist/…/header-worker.js) or from the sources (vitest, tsx: TypeScript, loaded through tsx). */
function startWorker(heapMb: number): Worker {
  const options = { resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 } };
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./header-worker.js", import.meta.url), options);
  // tsx's ESM entry (package resolution from here gives its CommonJS one, index.cjs, beside index.mjs).
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = new URL("./header-worker.ts", import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(entry)}))`, { ...options, eval: true });
}

/** An ArrayBuffer holding exactly these bytes, to hand over to the worker without a copy when it can. */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const b = bytes.buffer;
  if (b instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === b.byteLength) return b;
  return bytes.slice().buffer as ArrayBuffer;
}

export class GgufHeaderReader {
  readonly limits: GgufReaderLimits;
  #worker: Worker | null = null;
  #idle: NodeJS.Timeout | null = null;
  #busy = false;
  readonly #waiting: Array<() => void> = [];
  #jobs = 0;

  constructor(limits: Partial<GgufReaderLimits> = {}) {
    this.limits = { ...GGUF_READER_LIMITS, ...limits };
  }

  /**
   * The header of a model from its files (every part of a split one, in order). `label` names the model in messages.
   * Throws NodefitError: `invalid_input_file` for a header the parser refuses or one past a cap, `overloaded` when too
   * many wait; a source's own error (a read error, the Hub's) as it was thrown; the signal's reason when it aborts.
   */
  async read(sources: readonly GgufSource[], label: string, signal?: AbortSignal): Promise<GgufHeader> {
    await this.#turn(signal);
    try {
      return await this.#run(sources, label, signal);
    } finally {
      this.#release();
    }
  }

  /** Ends the worker (tests; an embedder shutting down). */
  async close(): Promise<void> {
    if (this.#idle) clearTimeout(this.#idle);
    const w = this.#worker;
    this.#worker = null;
    await w?.terminate();
  }

  #turn(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.limits.queue) {
      return Promise.reject(new NodefitError("overloaded", `the GGUF header reader is busy: ${this.#waiting.length} headers are waiting to be read; retry shortly`, { retryAfterS: 2 }));
    }
    return new Promise<void>((resolve, reject) => {
      const go = (): void => {
        signal?.removeEventListener("abort", leave);
        resolve();
      };
      const leave = (): void => {
        const i = this.#waiting.indexOf(go);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", leave, { once: true });
      this.#waiting.push(go);
    });
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) return next();
    this.#busy = false;
    const w = this.#worker;
    if (w === null) return;
    w.unref();
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      if (this.#worker === w && !this.#busy) {
        this.#worker = null;
        void w.terminate();
      }
    }, this.limits.idleMs);
    this.#idle.unref();
  }

  /** A new worker; one that fails or ends while idle is dropped (a job's own listeners handle its failures). */
  #start(): Worker {
    const w = startWorker(this.limits.heapMb);
    w.on("error", () => undefined);
    w.on("exit", () => {
      if (this.#worker === w) this.#worker = null;
    });
    return w;
  }

  #discard(w: Worker): void {
    if (this.#worker === w) this.#worker = null;
    void w.terminate();
  }

  #run(sources: readonly GgufSource[], label: string, signal: AbortSignal | undefined): Promise<GgufHeader> {
    if (this.#idle) clearTimeout(this.#idle);
    const worker = (this.#worker ??= this.#start());
    worker.ref();
    const job = ++this.#jobs;
    const { headerBytes, totalBytes, timeoutMs, heapMb } = this.limits;
    return new Promise<GgufHeader>((resolve, reject) => {
      let settled = false;
      /** Bytes counted against the model's cap: of each part parsed, its header's; of the part being read, all served. */
      let served = 0;
      const servedOf: number[] = [];
      /** The first error a source threw: the job's failure when the worker reports one from a source. */
      let sourceError: unknown = null;
      const finish = (fail: unknown, header?: GgufHeader): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        // A worker that failed may hold a large heap, or be mid-parse: a fresh one reads the next header.
        if (fail !== null) this.#discard(worker);
        if (fail !== null) reject(fail);
        else resolve(header!);
      };
      const timer = setTimeout(() => finish(refusal(label, `its header was not read within ${timeoutMs / 1000} s: refused`, true)), timeoutMs);
      const onAbort = (): void => finish(signal?.reason ?? new Error("aborted"));
      const onError = (e: Error): void => {
        const code = (e as { code?: unknown }).code;
        finish(
          code === "ERR_WORKER_OUT_OF_MEMORY"
            ? refusal(label, `reading its header takes more than the ${heapMb} MiB of memory the GGUF reader may use (the largest real header needs about 40): refused`)
            : new NodefitError("internal", `the GGUF header reader failed: ${messageOf(e)}`),
        );
      };
      const onExit = (code: number): void => finish(new NodefitError("internal", `the GGUF header reader stopped (exit code ${code})`));
      const serve = async (m: Extract<ReaderRequest, { type: "read" }>): Promise<void> => {
        const source = sources[m.part];
        try {
          if (source === undefined) throw new Error(`no part ${m.part}`);
          if (m.end >= headerBytes) throw refusal(source.shown, `its header runs past ${formatBytes(headerBytes)} (the largest real header, a vocabulary of ~260,000 tokens, is ~14 MB): not read further`);
          const wanted = Math.min(m.end, (source.size ?? Infinity) - 1) - m.start + 1;
          if (served + Math.max(0, wanted) > totalBytes)
            throw refusal(label, `the headers of its ${sources.length} parts run past ${formatBytes(totalBytes)}: not read further`);
          const got = await source.read(m.start, m.end);
          if (settled) return;
          served += got.bytes.byteLength;
          servedOf[m.part] = (servedOf[m.part] ?? 0) + got.bytes.byteLength;
          const buffer = ownBuffer(got.bytes);
          worker.postMessage({ type: "bytes", id: m.id, bytes: buffer, size: got.size } satisfies ReaderReply, [buffer]);
        } catch (e) {
          if (settled) return;
          sourceError ??= e;
          worker.postMessage({ type: "bytes", id: m.id, error: messageOf(e) } satisfies ReaderReply);
        }
      };
      const onMessage = (m: ReaderRequest): void => {
        if (m.job !== job) return;
        if (m.type === "read") void serve(m);
        else if (m.type === "part") served -= Math.max(0, (servedOf[m.part] ?? 0) - m.used);
        else if (m.type === "done") finish(null, m.header);
        else finish(m.fromSource && sourceError !== null ? sourceError : new NodefitError(m.code ?? "invalid_input_file", m.message, { path: m.path ?? label }));
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (signal?.aborted) return onAbort();
      const parts = sources.map((s) => ({ file: s.file, shown: s.shown, size: s.size, probe: s.probe === true }));
      worker.postMessage({ type: "parse", job, parts, label } satisfies WorkerJob);
    });
  }
}

let shared: GgufHeaderReader | null = null;

/** The process's one reader: every caller shares its one worker and its queue, so N reads at once never mean N parses in memory. */
export function ggufHeaderReader(): GgufHeaderReader {
  return (shared ??= new GgufHeaderReader());
}
