// RAM bandwidth probe: worker threads scan large buffers with memchr (Buffer#indexOf) for a fixed, short time; bounded
// by a guard timer, and its workers let go of at the end whatever they do.
import { Worker } from "node:worker_threads";
import type { RamBandwidthMeasurement } from "./io.js";

export interface MeasureOptions {
  /** Time for the whole probe, buffer fill included (about 200 ms). */
  budgetMs: number;
  /** Threads wanted (`os.availableParallelism()`); capped at MAX_THREADS. */
  threads: number;
  /** The most memory the probe may take, all threads together. */
  maxTotalBytes?: number | undefined;
}

const MAX_THREADS = 32;
const MIB = 1024 * 1024;
/** Each thread's buffer: large enough to defeat caches (several times any L3 slice a thread sees). */
const MIN_BYTES_PER_THREAD = 32 * MIB;
const MAX_BYTES_PER_THREAD = 64 * MIB;
const DEFAULT_MAX_TOTAL_BYTES = 1024 * MIB;
/** How long the probe waits for its workers to end before answering anyway (they are unref'd by then). */
const TERMINATE_WAIT_MS = 1000;

// Plain CommonJS run with `eval: true`, so the probe needs no separate file in the build.
// The buffer is filled with 1 and searched for 2: indexOf reads every byte (native memchr, SIMD) and finds nothing.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const buf = Buffer.alloc(workerData.bytes, 1);
const go = new Int32Array(workerData.signal);
buf.indexOf(2);
parentPort.postMessage({ ready: true });
Atomics.wait(go, 0, 0);
let bytes = 0;
let found = 0;
const passes = [];
const t0 = performance.now();
let t = t0;
while (t - t0 < workerData.durationMs) {
  found += buf.indexOf(2);
  bytes += buf.length;
  const now = performance.now();
  passes.push(now - t);
  t = now;
}
passes.sort((a, b) => a - b);
parentPort.postMessage({ bytes, ms: t - t0, typicalMs: passes[Math.floor(passes.length / 2)], found });
`;

interface WorkerReport {
  bytes: number;
  ms: number;
  /** The median pass over the buffer: steadier than the mean (a neighbour's burst) or the best (a lucky pass). */
  typicalMs: number;
}

/**
 * Measures read bandwidth of system RAM. Returns null when the probe could not run (workers failed, no
 * memory to spare) rather than a number it does not trust. memchr reads are what CPU decode does (stream
 * the weights), so the figure is the one CPU-side estimates need; it is usually below the DIMMs' nominal peak.
 */
export async function measureRamBandwidth(options: MeasureOptions): Promise<RamBandwidthMeasurement | null> {
  const threads = Math.max(1, Math.min(MAX_THREADS, Math.floor(options.threads)));
  const maxTotal = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  const bytesPerThread = Math.min(MAX_BYTES_PER_THREAD, Math.floor(maxTotal / threads));
  if (bytesPerThread < MIN_BYTES_PER_THREAD) return null;
  // Roughly half the budget goes to starting workers and touching the pages, the rest to scanning.
  const durationMs = Math.max(50, Math.round(options.budgetMs * 0.5));
  const signal = new SharedArrayBuffer(4);
  const go = new Int32Array(signal);
  const workers: Worker[] = [];
  const guard = options.budgetMs * 10 + 2000;
  try {
    const ready: Promise<void>[] = [];
    const done: Promise<WorkerReport>[] = [];
    for (let i = 0; i < threads; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes: bytesPerThread, signal, durationMs } });
      workers.push(w);
      let onReady: () => void = () => undefined;
      let onFail: (e: unknown) => void = () => undefined;
      const isReady = new Promise<void>((resolve, reject) => {
        onReady = resolve;
        onFail = reject;
      });
      const report = new Promise<WorkerReport>((resolve, reject) => {
        w.on("message", (m: { ready?: boolean; bytes?: number; ms?: number; typicalMs?: number }) => {
          if (m.ready) onReady();
          else resolve({ bytes: m.bytes ?? 0, ms: m.ms ?? 0, typicalMs: m.typicalMs ?? 0 });
        });
        const fail = (e: unknown): void => {
          onFail(e);
          reject(e instanceof Error ? e : new Error(String(e)));
        };
        w.on("error", fail);
        w.on("exit", (code) => fail(new Error(`worker exited with ${code}`)));
      });
      // Handled here so a worker that dies early is no unhandled rejection; Promise.all below still sees it.
      isReady.catch(() => undefined);
      report.catch(() => undefined);
      ready.push(isReady);
      done.push(report);
    }
    const all = (async () => {
      await Promise.all(ready);
      Atomics.store(go, 0, 1);
      Atomics.notify(go, 0);
      return Promise.all(done);
    })().catch(() => null);
    let guardTimer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (guardTimer = setTimeout(() => resolve(null), guard)));
    const reports = await Promise.race([all, timeout]).finally(() => clearTimeout(guardTimer));
    if (reports === null) return null;
    let bytesPerMs = 0;
    let longestMs = 0;
    // Each thread's median pass, summed: on a shared host the mean is dragged by other tenants' bursts and the best
    // pass is a lucky one; the median repeats best from run to run.
    for (const r of reports) {
      if (r.ms <= 0 || !(r.typicalMs > 0) || !Number.isFinite(r.typicalMs)) return null;
      bytesPerMs += bytesPerThread / r.typicalMs;
      longestMs = Math.max(longestMs, r.ms);
    }
    return {
      bandwidthGBps: Math.round((bytesPerMs * 1000) / 1e8) / 10,
      threads,
      bytesPerThread,
      durationMs: Math.round(longestMs),
    };
  } catch {
    return null;
  } finally {
    // A worker that does not stop (stuck in a page fault under memory pressure) must hold neither this answer nor the
    // process: let go of every worker, and wait for their ends a bounded time only.
    for (const w of workers) w.unref();
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(workers.map((w) => w.terminate().catch(() => undefined))),
      new Promise<void>((resolve) => (waited = setTimeout(resolve, TERMINATE_WAIT_MS))),
    ]);
    clearTimeout(waited);
  }
}
