// The probe's rounds: what the threads read while they were reading; the CPU share of other work; the probe itself, small.
import { describe, expect, it } from "vitest";
import { measureRamBandwidth, otherCpuShare, passFigures } from "./measure-ram-bandwidth.js";

const MIB = 1024 * 1024;
/** A thread's round: `count` slices of `ms` each from `start` (the clock after each), then more runs appended. */
function round(...runs: [start: number, count: number, ms: number][]): Float64Array {
  const times: number[] = [];
  for (const [start, count, ms] of runs) {
    if (times.length === 0 || times[times.length - 1] !== start) times.push(start);
    for (let k = 1; k <= count; k++) times.push(start + k * ms);
  }
  return Float64Array.from(times);
}
/** 1 MiB in 0.05 ms: 20.97 GB/s. */
const FAST = 0.05;

describe("passFigures", () => {
  it("threads that read together: the sum of their rates, which is also their rate together and over the window", () => {
    const [f] = passFigures([[round([0, 1000, FAST])], [round([0, 1000, FAST])]], MIB);
    expect(f).toEqual({ gbps: 41.9, windowGBps: 41.9, togetherMs: 50 });
  });

  it("threads that took turns (one CPU for two): each at the rate it read while it ran; the window figure halves it", () => {
    const [f] = passFigures([[round([0, 200, FAST])], [round([10, 200, FAST])]], MIB);
    // B started when A was done: together 0 ms, so the sum stands; the window counts each thread idle half the time.
    expect(f).toEqual({ gbps: 41.9, windowGBps: 21, togetherMs: 0 });
  });

  it("a slice stretched by a preemption is left out of its thread's rate", () => {
    // A is descheduled 20 ms in the middle of a slice: over the wall clock it read half as fast.
    const a = round([0, 200, FAST], [10, 1, 20], [30, 200, FAST]);
    const [f] = passFigures([[a], [round([0, 800, FAST])]], MIB);
    expect(f?.gbps).toBe(41.9);
    expect(f?.windowGBps).toBeLessThan(32);
  });

  it("a memory the threads saturate is not counted once per thread: no more than their rate together", () => {
    // A reads alone at 21 GB/s for 10 ms, then with B, each at 14 GB/s (the memory gives 28 to both, not 2 x 21).
    const a = round([0, 200, FAST], [10, 100, 1.5 * FAST]);
    const b = round([10, 100, 1.5 * FAST]);
    const [f] = passFigures([[a], [b]], MIB);
    expect(f?.togetherMs).toBe(7.5);
    // Summed, A's 18 GB/s (alone and together) and B's 14 would say 31.9.
    expect(f?.gbps).toBe(28);
  });

  it("one figure per round, every thread's rounds together", () => {
    const figures = passFigures([[round([0, 100, FAST]), round([10, 100, FAST])], [round([0, 100, FAST]), round([10, 100, FAST])]], MIB);
    expect(figures.map((f) => f.gbps)).toEqual([41.9, 41.9]);
    expect(passFigures([], MIB)).toEqual([]);
  });
});

describe("otherCpuShare", () => {
  const before = { busy: 1000, total: 10_000, cpus: 2 };
  it("the CPUs' busy time less this process's own, over the CPUs' time", () => {
    // 1 s of wall time on 2 CPUs = 2000 ms; 1500 ms busy, 500 ms of it ours: others took 1000 ms = 50%.
    expect(otherCpuShare(before, { busy: 2500, total: 12_000, cpus: 2 }, { user: 400_000, system: 100_000 }, 1000)).toBe(50);
    expect(otherCpuShare(before, { busy: 1400, total: 12_000, cpus: 2 }, { user: 500_000, system: 0 }, 1000)).toBe(0);
  });
  it("null when the counters do not say", () => {
    expect(otherCpuShare(null, before, { user: 0, system: 0 }, 1000)).toBeNull();
    expect(otherCpuShare(before, { ...before, cpus: 3 }, { user: 0, system: 0 }, 1000)).toBeNull();
    expect(otherCpuShare(before, before, { user: 0, system: 0 }, 0)).toBeNull();
  });
});

describe("measureRamBandwidth (small, on this host)", () => {
  it("a warm-up and the passes asked for, each a figure; no run without 32 MiB a thread", async () => {
    const m = await measureRamBandwidth({ threads: 1, maxTotalBytes: 32 * 1024 ** 2, passes: 3, passMs: 10 });
    expect(m).not.toBeNull();
    expect(m?.passesGBps).toHaveLength(3);
    for (const p of m?.passesGBps ?? []) expect(p).toBeGreaterThan(0);
    expect(m).toMatchObject({ threads: 1, bytesPerThread: 32 * 1024 ** 2, passMs: 10 });
    expect(await measureRamBandwidth({ threads: 2, maxTotalBytes: 48 * 1024 ** 2 })).toBeNull();
  });
});
