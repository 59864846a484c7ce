// The GGUF header reader's worker thread (started by header-reader.ts): parses each part of a model with
// @huggingface/gguf, asking the main thread for every byte range (a local file's handle, the Hub's range requests are
// there), and posts back only what the importers need: the metadata without the tokenizer's arrays and the sized
// tensors (gguf-parts.ts). Parsing a header is seconds of synchronous work on megabytes of vocabulary; here it is under
// this thread's heap cap and the main thread's wall clock, never on the event loop that answers /health.
import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { gguf } from "@huggingface/gguf";
import { messageOf, NodefitError } from "../../domain/errors.js";
import { headerOfParts, invalidGguf, truncatedHeader, type ParsedGgufPart } from "./gguf-parts.js";
import type { ReaderReply, ReaderRequest, WorkerJob, WorkerPart } from "./header-reader.js";

/** The worker thread's nice value on Linux: the event loop gets ~10x its share of a core the two contend for. */
const WORKER_NICE = 10;
/** A later part of a split model is first read this far (its header is its split keys and ~128 tensor infos, ~10 KB);
 *  a longer one is read again whole. */
const PROBE_BYTES = 32 * 1024;

/** The main thread's range source failed (a read error, a cap, the Hub): it holds the error and rethrows it. */
class SourceFailure extends Error {}
/** A probe read cannot answer this header: read the part again whole. */
class ProbeTooShort extends Error {}

const port = parentPort;
if (port === null) throw new Error("header-worker.ts runs as a worker thread");

// Below the event loop's priority: on a small machine a parse would otherwise take the core /health is answered on.
// Linux keeps a nice value per thread (setpriority on the calling thread); elsewhere it would renice the whole agent.
if (process.platform === "linux") {
  try {
    setPriority(WORKER_NICE);
  } catch {
    // Not allowed here (a sandbox): the parse runs at the agent's priority.
  }
}

let nextRequest = 0;
const waiting = new Map<number, (reply: ReaderReply) => void>();

function ask(job: number, part: number, start: number, end: number): Promise<{ bytes: Uint8Array; size: number | null }> {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    waiting.set(id, (reply) => {
      if ("error" in reply) reject(new SourceFailure(reply.error));
      else resolve({ bytes: new Uint8Array(reply.bytes), size: reply.size });
    });
    port!.postMessage({ type: "read", job, id, part, start, end } satisfies ReaderRequest);
  });
}

function rangeOf(init: { headers?: unknown } | undefined): [number, number] {
  const range = /bytes=(\d+)-(\d+)/.exec(new Headers(init?.headers as Record<string, string> | undefined).get("range") ?? "");
  if (!range) throw new Error("a read without a byte range");
  return [Number(range[1]), Number(range[2])];
}

async function parsePart(job: number, index: number, part: WorkerPart): Promise<ParsedGgufPart> {
  let size = part.size;
  let probing = part.probe;
  for (;;) {
    const probe = probing;
    /** Bytes of the file the parser's view holds as they are (past them, a probe's view holds zeros). */
    let real = Infinity;
    const rangeFetch = async (_url: unknown, init?: { headers?: unknown }): Promise<Response> => {
      const [start, end] = rangeOf(init);
      // Past the end the parser sees zeros, as it would at the end of a file; a read wholly past the end beyond its one
      // chunk of read-ahead means the header runs past the end of the file.
      if (size !== null && start >= size) {
        if (start - (end - start + 1) >= size) throw truncatedHeader(part.shown, size);
        return new Response(new Uint8Array(0), { status: 206, headers: { "content-range": `bytes */${size}` } });
      }
      if (probe && start !== 0) throw new ProbeTooShort();
      const got = await ask(job, index, start, probe ? Math.min(end, start + PROBE_BYTES - 1) : end);
      if (got.size !== null) size = got.size;
      if (probe) real = got.bytes.byteLength;
      return new Response(got.bytes, { status: 206, headers: { "content-range": `bytes ${start}-${start + got.bytes.byteLength - 1}/${size ?? "*"}` } });
    };
    try {
      const parsed = await gguf(`http://nodefit.invalid/${index}.gguf`, { fetch: rangeFetch as typeof fetch });
      // The header ended within the bytes read: nothing of it came from a probe's padding.
      if (probe && parsed.tensorInfoByteRange[1] > real) {
        probing = false;
        continue;
      }
      if (size === null) throw invalidGguf(part.shown, "its length is not stated (no size in the listing, no Content-Range)");
      return { file: part.file, shown: part.shown, parsed, size };
    } catch (e) {
      if (e instanceof SourceFailure) throw e;
      if (probe) {
        probing = false;
        continue;
      }
      if (e instanceof NodefitError) throw e;
      throw invalidGguf(part.shown, `not a readable GGUF file (${messageOf(e)})`, e);
    }
  }
}

async function run(job: WorkerJob): Promise<void> {
  try {
    const parsed: ParsedGgufPart[] = [];
    for (const [i, part] of job.parts.entries()) {
      const p = await parsePart(job.job, i, part);
      parsed.push(p);
      // Only the bytes its header took count against the model's cap from now on (1,024 parts read within it).
      port!.postMessage({ type: "part", job: job.job, part: i, used: p.parsed.tensorInfoByteRange[1] } satisfies ReaderRequest);
    }
    const header = headerOfParts(parsed, job.label);
    port!.postMessage({ type: "done", job: job.job, header } satisfies ReaderRequest);
  } catch (e) {
    const own = e instanceof NodefitError ? e : null;
    const path = typeof own?.details?.["path"] === "string" ? own.details["path"] : null;
    port!.postMessage({ type: "failed", job: job.job, message: messageOf(e), code: own?.code ?? null, path, fromSource: e instanceof SourceFailure } satisfies ReaderRequest);
  }
}

port.on("message", (m: WorkerJob | ReaderReply) => {
  if (m.type === "parse") void run(m);
  else waiting.get(m.id)?.(m);
  if (m.type === "bytes") waiting.delete(m.id);
});
