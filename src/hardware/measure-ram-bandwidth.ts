// RAM bandwidth probe: worker threads scan large buffers with memchr (Buffer#indexOf), all of them together, in a
// warm-up round and then several timed rounds; each round's figure is what the threads read while they were reading
// (passFigures). Bounded by a guard timer; its workers let go of at the end whatever they do.
import os from "node:os";
import { Worker } from "node:worker_threads";
import type { RamBandwidthMeasurement } from "./io.js";
import { quantile, RAM_PROBE_PASSES, RAM_PROBE_PASS_MS } from "./ram-bandwidth-probe.js";
import { round1 } from "../domain/units.js";

export interface MeasureOptions {
  /** Threads wanted (`os.availableParallelism()`); capped at MAX_THREADS. */
  threads: number;
  /** The most memory the probe may take, all threads together. */
  maxTotalBytes?: number | undefined;
  /** Timed rounds after the warm-up (default RAM_PROBE_PASSES). */
  passes?: number | undefined;
  /** Length of each round, warm-up included (default RAM_PROBE_PASS_MS). */
  passMs?: number | undefined;
}

const MAX_THREADS = 32;
const MAX_PASSES = 32;
const MIB = 1024 * 1024;
/**
 * Each thread's buffer: large enough to defeat caches (several times any L3 slice a thread sees), small enough to fill
 * fast (touching fresh pages is most of the probe's start: about 200 ms for 64 MiB on a small VM); never under 32 MiB
 * (then the probe does not run).
 */
const MIN_BYTES_PER_THREAD = 32 * MIB;
const MAX_BYTES_PER_THREAD = 64 * MIB;
/** The buffer is read in slices of this size, the clock noted after each (tens of microseconds a slice). */
const SLICE_BYTES = MIB;
const DEFAULT_MAX_TOTAL_BYTES = 1024 * MIB;
/** How long the probe waits for its workers to end before answering anyway (they are unref'd by then). */
const TERMINATE_WAIT_MS = 1000;

// Plain CommonJS run with `eval: true`, so the probe needs no separate file in the build.
// The buffer is filled with 1 and searched for 2: indexOf reads every byte (native memchr, SIMD) and finds nothing.
// Every round starts at a barrier (all threads arrived), so the threads read at the same time, as decode does. A round
// is read in 1 MiB slices and the clock noted after each: times are absolute (timeOrigin + now), comparable across
// threads, so the caller sees when each thread was reading and when it was not (descheduled by other work).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { bytes, sliceBytes, signal, threads, rounds, roundMs } = workerData;
const buf = Buffer.alloc(bytes, 1);
const slices = [];
for (let off = 0; off + sliceBytes <= bytes; off += sliceBytes) slices.push(buf.subarray(off, off + sliceBytes));
const sync = new Int32Array(signal);
const clock = () => performance.timeOrigin + performance.now();
function barrier() {
  const generation = Atomics.load(sync, 1);
  if (Atomics.add(sync, 0, 1) === threads - 1) {
    Atomics.store(sync, 0, 0);
    Atomics.add(sync, 1, 1);
    Atomics.notify(sync, 1);
  } else {
    while (Atomics.load(sync, 1) === generation) Atomics.wait(sync, 1, generation, 1000);
  }
}
let found = 0;
let i = 0;
const out = [];
for (let r = 0; r < rounds; r++) {
  barrier();
  const start = clock();
  const times = [start];
  let now = start;
  while (now - start < roundMs) {
    found += slices[i].indexOf(2);
    i = i + 1 === slices.length ? 0 : i + 1;
    now = clock();
    times.push(now);
  }
  out.push(Float64Array.from(times));
}
parentPort.postMessage({ rounds: out, found });
`;

/** One thread's round: the clock (absolute ms) at its start and after each slice it read. */
type ThreadRound = Float64Array;

/** What one round gave. */
export interface PassFigure {
  /** The round's figure, GB/s: each thread's rate while it was reading, summed; no more than the threads read together. */
  gbps: number;
  /** All bytes over the window from the first thread's start to the last one's end: a descheduled thread counts as idle. */
  windowGBps: number;
  /** How long every thread was reading at once (ms). */
  togetherMs: number;
}

/** A slice longer than this many times its thread's median slice was interrupted (descheduled, a fault): left out. */
const STRETCHED = 2;
/** Reading together at least this long (ms) in a round gives that round's together-figure. */
const MIN_TOGETHER_MS = 2;
/** A thread with fewer clean slices in a round takes its rate from all its rounds. */
const MIN_CLEAN_SLICES = 3;

const gbpsOf = (bytes: number, ms: number): number => (ms > 0 ? bytes / ms / 1e6 : Number.NaN);

/** Durations of a round's slices: [start, end) pairs from its clock readings. */
function* slicesOf(t: ThreadRound): Generator<[start: number, end: number]> {
  for (let j = 1; j < t.length; j++) yield [t[j - 1] as number, t[j] as number];
}

/** A span of time, [start, end) in ms. */
type Interval = [start: number, end: number];

/** Sorted slices as disjoint intervals: slices that follow each other without a gap are one. */
function merged(slices: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [a, b] of slices) {
    const last = out[out.length - 1];
    if (last !== undefined && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The intersection of two sorted lists of disjoint intervals. */
function intersect(x: readonly Interval[], y: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const [a1, b1] = x[i] as Interval;
    const [a2, b2] = y[j] as Interval;
    const a = Math.max(a1, a2);
    const b = Math.min(b1, b2);
    if (a < b) out.push([a, b]);
    if (b1 < b2) i += 1;
    else j += 1;
  }
  return out;
}

/**
 * The rounds of all threads (threads x rounds, each the clock after every slice of `sliceBytes`) as figures.
 *
 * On a machine whose CPUs are shared, a thread is descheduled for milliseconds at a time; counted over the wall clock
 * (`windowGBps`) the memory then looks as slow as the CPUs are busy (a tenth of its speed on a 2-core VM with ten jobs
 * running). A round's figure is instead each thread's rate over the slices it read without interruption (a slice
 * stretched past twice its thread's median is left out), summed over the threads: what they read together when each
 * has its core. Summing is right while the threads do not share a bottleneck; where they did read together for a while
 * in the round (`togetherMs`), the figure is no more than their rate then, so a memory they saturate is not counted
 * once per thread.
 */
export function passFigures(threads: readonly (readonly ThreadRound[])[], sliceBytes: number): PassFigure[] {
  const n = Math.min(...threads.map((t) => t.length));
  if (!Number.isFinite(n) || n === 0) return [];
  // Each thread's slices over all its rounds: their median is the uninterrupted slice.
  const limits = threads.map((rounds) => {
    const d: number[] = [];
    for (const t of rounds) for (const [a, b] of slicesOf(t)) d.push(b - a);
    return STRETCHED * quantile(d, 0.5);
  });
  const clean = (i: number, a: number, b: number): boolean => b - a > 0 && b - a <= (limits[i] as number);
  const overall = threads.map((rounds, i) => {
    let count = 0;
    let ms = 0;
    for (const t of rounds)
      for (const [a, b] of slicesOf(t))
        if (clean(i, a, b)) {
          count += 1;
          ms += b - a;
        }
    return gbpsOf(count * sliceBytes, ms);
  });
  const figures: PassFigure[] = [];
  for (let r = 0; r < n; r++) {
    let start = Infinity;
    let end = -Infinity;
    let bytes = 0;
    let sum = 0;
    // Where every thread was inside a clean slice: the intersection of their reading intervals.
    let together: Interval[] | null = null;
    const cleanSlices: Interval[][] = [];
    for (const [i, rounds] of threads.entries()) {
      const t = rounds[r] as ThreadRound;
      const mine: Interval[] = [];
      cleanSlices.push(mine);
      if (t.length < 2) {
        together = [];
        continue;
      }
      start = Math.min(start, t[0] as number);
      end = Math.max(end, t[t.length - 1] as number);
      bytes += (t.length - 1) * sliceBytes;
      let ms = 0;
      for (const [a, b] of slicesOf(t)) {
        if (!clean(i, a, b)) continue;
        mine.push([a, b]);
        ms += b - a;
      }
      sum += mine.length >= MIN_CLEAN_SLICES ? gbpsOf(mine.length * sliceBytes, ms) : (overall[i] as number);
      const reading = merged(mine);
      together = together === null ? reading : intersect(together, reading);
    }
    const both: Interval[] = together ?? [];
    let togetherMs = 0;
    for (const [a, b] of both) togetherMs += b - a;
    // What all of them read in that time: each clean slice's bytes, pro rata of its overlap with it.
    let togetherBytes = 0;
    for (const mine of cleanSlices) {
      let k = 0;
      for (const [a, b] of mine) {
        while (k < both.length && (both[k] as Interval)[1] <= a) k += 1;
        for (let m = k; m < both.length && (both[m] as Interval)[0] < b; m++) {
          const [x, y] = both[m] as Interval;
          togetherBytes += (sliceBytes * (Math.min(b, y) - Math.max(a, x))) / (b - a);
        }
      }
    }
    const gbpsTogether = togetherMs >= MIN_TOGETHER_MS ? gbpsOf(togetherBytes, togetherMs) : Number.NaN;
    const gbps = Number.isFinite(gbpsTogether) ? Math.min(sum, gbpsTogether) : sum;
    figures.push({ gbps: round1(gbps), windowGBps: round1(gbpsOf(bytes, end - start)), togetherMs: round1(togetherMs) });
  }
  return figures;
}

/** Busy and total CPU time of the host so far, ms, all CPUs (os.cpus(): what /proc/stat, sysctl or Windows count). */
function cpuTimes(): { busy: number; total: number; cpus: number } | null {
  try {
    const cpus = os.cpus();
    let busy = 0;
    let total = 0;
    for (const c of cpus) {
      const t = c.times;
      busy += t.user + t.nice + t.sys + t.irq;
      total += t.user + t.nice + t.sys + t.irq + t.idle;
    }
    return cpus.length > 0 ? { busy, total, cpus: cpus.length } : null;
  } catch {
    return null;
  }
}

/**
 * The share of the host's CPU time that other work took while the probe ran, in %: the CPUs' busy time less this
 * process's own (its workers included), over the CPUs' time. Null when the counters do not say.
 */
export function otherCpuShare(
  before: { busy: number; total: number; cpus: number } | null,
  after: { busy: number; total: number; cpus: number } | null,
  own: NodeJS.CpuUsage,
  wallMs: number,
): number | null {
  if (before === null || after === null || before.cpus !== after.cpus || !(wallMs > 0)) return null;
  const total = Math.max(after.total - before.total, wallMs * after.cpus);
  const others = after.busy - before.busy - (own.user + own.system) / 1000;
  if (!(total > 0) || !Number.isFinite(others)) return null;
  return Math.round(Math.min(100, Math.max(0, (others / total) * 100)));
}

const validRound = (r: unknown): r is ThreadRound => r instanceof Float64Array && r.length >= 2 && r.every((x) => Number.isFinite(x));

/**
 * Measures read bandwidth of system RAM: a warm-up round, then `passes` rounds, every figure kept (the caller picks
 * one: selectRamBandwidth). Returns null when the probe could not run (workers failed, no memory to spare, a round
 * without a figure) rather than numbers it does not trust. memchr reads are what CPU decode does (stream the
 * weights), so the figure is the one CPU-side estimates need; it is usually below the DIMMs' nominal peak.
 */
export async function measureRamBandwidth(options: MeasureOptions): Promise<RamBandwidthMeasurement | null> {
  const threads = Math.max(1, Math.min(MAX_THREADS, Math.floor(options.threads)));
  const maxTotal = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  const bytesPerThread = Math.min(MAX_BYTES_PER_THREAD, Math.floor(maxTotal / threads / MIB) * MIB);
  if (bytesPerThread < MIN_BYTES_PER_THREAD) return null;
  const passes = Math.max(1, Math.min(MAX_PASSES, Math.floor(options.passes ?? RAM_PROBE_PASSES)));
  const passMs = Math.max(10, Math.min(500, options.passMs ?? RAM_PROBE_PASS_MS));
  const rounds = passes + 1;
  const signal = new SharedArrayBuffer(8);
  const workers: Worker[] = [];
  // Worker start and buffer fill take tens of ms a thread on a slow host; a probe past this has gone wrong.
  const guard = rounds * passMs * 10 + 3000;
  const started = performance.now();
  const cpusBefore = cpuTimes();
  const ownBefore = process.cpuUsage();
  try {
    const done: Promise<ThreadRound[]>[] = [];
    for (let i = 0; i < threads; i++) {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { bytes: bytesPerThread, sliceBytes: SLICE_BYTES, signal, threads, rounds, roundMs: passMs },
      });
      workers.push(w);
      const report = new Promise<ThreadRound[]>((resolve, reject) => {
        w.on("message", (m: { rounds?: unknown }) => {
          const list = Array.isArray(m.rounds) ? m.rounds : [];
          if (list.length === rounds && list.every(validRound)) resolve(list);
          else reject(new Error("worker report not understood"));
        });
        w.on("error", (e) => reject(e instanceof Error ? e : new Error(String(e))));
        w.on("exit", (code) => reject(new Error(`worker exited with ${code}`)));
      });
      // Handled here so a worker that dies early is no unhandled rejection; Promise.all below still sees it.
      report.catch(() => undefined);
      done.push(report);
    }
    const all = Promise.all(done).catch(() => null);
    let guardTimer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (guardTimer = setTimeout(() => resolve(null), guard)));
    const reports = await Promise.race([all, timeout]).finally(() => clearTimeout(guardTimer));
    if (reports === null) return null;
    const [warmup, ...timed] = passFigures(reports, SLICE_BYTES);
    const passesGBps = timed.map((f) => f.gbps);
    if (warmup === undefined || passesGBps.length !== passes || !passesGBps.every((f) => f > 0)) return null;
    const durationMs = performance.now() - started;
    return {
      passesGBps,
      windowGBps: timed.map((f) => f.windowGBps),
      togetherMs: timed.map((f) => f.togetherMs),
      warmupGBps: Number.isFinite(warmup.gbps) ? warmup.gbps : null,
      passMs,
      threads,
      bytesPerThread,
      durationMs: Math.round(durationMs),
      otherCpuPct: otherCpuShare(cpusBefore, cpuTimes(), process.cpuUsage(ownBefore), durationMs),
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
