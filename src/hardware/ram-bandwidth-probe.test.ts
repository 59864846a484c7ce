// The RAM bandwidth probe's judgement: passes in, figure and source out; the platform's bound; the cache file's text.
import { describe, expect, it } from "vitest";
import type { RamBandwidthMeasurement } from "./io.js";
import {
  ASSUMED_PREFIX,
  cacheFileText,
  judgeRamBandwidth,
  lookupCache,
  nominalRamBound,
  quantile,
  RAM_PROBE_METHOD,
  selectRamBandwidth,
  type RamBandwidthCacheKey,
} from "./ram-bandwidth-probe.js";

const measurement = (passesGBps: number[], extra: Partial<RamBandwidthMeasurement> = {}): RamBandwidthMeasurement => ({
  passesGBps,
  warmupGBps: 20,
  passMs: 50,
  threads: 2,
  bytesPerThread: 64 * 1024 ** 2,
  durationMs: 700,
  otherCpuPct: 3,
  ...extra,
});

const RYZEN = "AMD Ryzen 9 7950X 16-Core Processor";

describe("selectRamBandwidth: the upper quartile of the passes", () => {
  it("quantile interpolates between ranks and ignores what is not a number", () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([4, 1, 3, 2, 5], 0.75)).toBe(4);
    expect(quantile([10, 20], 0.75)).toBe(17.5);
    expect(quantile([NaN, 7], 0.75)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it("passes pushed down by other work do not move the figure; one pass above the rest does not either", () => {
    const quiet = [70.1, 69.5, 71.0, 70.4, 69.9, 70.8, 70.2];
    expect(selectRamBandwidth(quiet).gbps).toBe(70.6);
    // Four passes of seven disturbed (a neighbour's burst): the upper quartile stays; the median falls with the load.
    const disturbed = [70.1, 21.3, 71.0, 35.2, 40.0, 70.8, 12.4];
    expect(selectRamBandwidth(disturbed).gbps).toBe(70.4);
    expect(quantile(disturbed, 0.5)).toBe(40);
    expect(selectRamBandwidth([70, 70, 70, 70, 70, 70, 140]).gbps).toBe(70);
    expect(selectRamBandwidth([70, 70, 70, 70, 70, 70, 140]).rule).toMatch(/^the upper quartile of 7 passes/);
    expect(selectRamBandwidth([33.3])).toEqual({ gbps: 33.3, rule: "the one pass" });
  });
});

describe("nominalRamBound: the CPU's memory platform bounds a measurement", () => {
  it("socketed memory: the rated figure, its ceiling 1.5x for overclocked modules", () => {
    const b = nominalRamBound(RYZEN, null, null);
    expect(b).toMatchObject({ nominalGBps: 83.2, ceilingGBps: 124.8, assumedPct: 15, ceilingText: "83.2 GB/s x 1.5 for overclocked modules" });
    expect(b?.text).toMatch(/AMD Ryzen 7000 \/ 8000 desktop \(AM5\).*DDR5-5200 on a 128-bit bus = 83.2 GB\/s \(AMD product pages/);
  });

  it("a platform rated for two memory types: nominal the slower, ceiling from the faster", () => {
    const b = nominalRamBound("13th Gen Intel(R) Core(TM) i9-13900K", null, null);
    expect(b).toMatchObject({ nominalGBps: 51.2, ceilingGBps: 134.4, ceilingText: "its fastest rated memory 89.6 GB/s x 1.5 for overclocked modules" });
  });

  it("soldered memory: the rated figure is the ceiling; Apple chips by their published figure", () => {
    expect(nominalRamBound("AMD RYZEN AI MAX+ 395 w/ Radeon 8060S", null, null)).toMatchObject({ nominalGBps: 256, ceilingGBps: 256 });
    expect(nominalRamBound("Apple M4 Pro", 48 * 1024 ** 3, null)).toMatchObject({ nominalGBps: 273, ceilingGBps: 273, assumedPct: 0 });
  });

  it("a server platform is per socket: the sockets counted, else the ceiling allows for two", () => {
    const epyc = "AMD EPYC 9654 96-Core Processor";
    expect(nominalRamBound(epyc, null, 2)).toMatchObject({ nominalGBps: 921.6, ceilingGBps: 1382.4 });
    expect(nominalRamBound(epyc, null, 1)).toMatchObject({ nominalGBps: 460.8, ceilingGBps: 691.2 });
    const unknown = nominalRamBound(epyc, null, null);
    expect(unknown).toMatchObject({ nominalGBps: 460.8, ceilingGBps: 1382.4 });
    expect(unknown?.ceilingText).toMatch(/x 2 socket\(s\) \(not known: allowed for\)$/);
  });

  it("no bound for a CPU known only by vendor or generation, or not at all", () => {
    expect(nominalRamBound("AMD EPYC", null, 1)).toBeNull();
    expect(nominalRamBound("Intel(R) Core(TM) Ultra 9 Processor 999X", null, null)).toBeNull();
    expect(nominalRamBound("unknown CPU", null, null)).toBeNull();
    expect(nominalRamBound(null, null, null)).toBeNull();
  });
});

describe("judgeRamBandwidth: passes in, figure and source out", () => {
  it("within the bound: the measured figure, its passes' range in the source", () => {
    const j = judgeRamBandwidth(measurement([61.2, 63.0, 62.5, 58.1, 62.9, 63.3, 40.2]), nominalRamBound(RYZEN, null, null));
    expect(j).toMatchObject({ chosenGBps: 63, status: "measured", warning: null });
    expect(j.figure).toEqual({
      bandwidthGBps: 63,
      source: "measured: memchr read, 2 thread(s) x 64 MiB, the upper quartile of 7 passes of 50 ms (40.2-63.3 GB/s)",
    });
  });

  it("no bound (the platform is not known): the measured figure as it is", () => {
    const j = judgeRamBandwidth(measurement([500, 500, 500]), null);
    expect(j).toMatchObject({ chosenGBps: 500, status: "measured", warning: null, figure: { bandwidthGBps: 500 } });
  });

  it("above the platform's ceiling: a probe error; the nominal figure, assumed, and a warning", () => {
    const j = judgeRamBandwidth(measurement([150, 151, 149, 152, 150, 148, 151]), nominalRamBound(RYZEN, null, null));
    expect(j.status).toBe("above-nominal");
    expect(j.chosenGBps).toBe(151);
    expect(j.figure.bandwidthGBps).toBe(83.2);
    expect(j.figure.assumedPct).toBe(15);
    expect(j.figure.source.startsWith(ASSUMED_PREFIX)).toBe(true);
    expect(j.figure.source).toMatch(/probe read 151 GB\/s, above the 124.8 GB\/s this platform can give .*: a probe error.*the platform's nominal figure: .*DDR5-5200/);
    expect(j.warning).toMatch(/read 151 GB\/s, above the 124.8 GB\/s .*: the platform's nominal 83.2 GB\/s is used$/);
  });

  it("under a fifth of the nominal figure: said in the source (a busy machine, or few cores)", () => {
    const j = judgeRamBandwidth(measurement([14, 15, 15.5, 14.8, 15.1, 15.2, 13]), nominalRamBound(RYZEN, null, null));
    expect(j.status).toBe("low");
    expect(j.figure.bandwidthGBps).toBe(15.2);
    expect(j.figure.source).toMatch(/; 18% of the platform's nominal 83.2 GB\/s: a busy machine, or few of its cores$/);
  });

  it("other work that kept the CPUs busy during the probe is named", () => {
    const j = judgeRamBandwidth(measurement([20, 22, 21], { otherCpuPct: 62 }), null);
    expect(j.figure.source).toMatch(/; other work kept the CPUs 62% busy meanwhile: may be low$/);
    expect(judgeRamBandwidth(measurement([20, 22, 21], { otherCpuPct: 10 }), null).figure.source).not.toMatch(/busy/);
  });
});

describe("the cache file", () => {
  const key: RamBandwidthCacheKey = { bootId: "3f1c-boot-a", cpuName: RYZEN, memoryTotalBytes: 64 * 1024 ** 3, threads: 32 };
  const m = measurement([60, 61, 62, 63, 62, 61, 60]);
  const text = cacheFileText(key, m, new Date("2026-01-02T03:04:05Z"));

  it("round-trips: the same boot, CPU, memory and threads is a hit with the same passes", () => {
    expect(lookupCache(text, key)).toEqual({ state: "hit", measurement: m, measuredAt: "2026-01-02T03:04:05.000Z" });
    expect(JSON.parse(text)).toMatchObject({ kind: "nodefit-ram-bandwidth", method: RAM_PROBE_METHOD, key });
  });

  it("another boot, CPU, memory total, thread count or method is a miss that says why (no warning)", () => {
    expect(lookupCache(text, { ...key, bootId: "other" })).toEqual({ state: "miss", why: "measured on another boot", problem: null });
    expect(lookupCache(text, { ...key, cpuName: "AMD EPYC" })).toMatchObject({ state: "miss", why: `measured on another CPU (${RYZEN})`, problem: null });
    expect(lookupCache(text, { ...key, memoryTotalBytes: 1 })).toMatchObject({ why: "measured with another memory total" });
    expect(lookupCache(text, { ...key, threads: 4 })).toMatchObject({ why: "measured with 32 thread(s) usable, now 4" });
    const old = text.replace(RAM_PROBE_METHOD, "memchr-median-0");
    expect(lookupCache(old, key)).toMatchObject({ state: "miss", why: "measured by another method (memchr-median-0)", problem: null });
    expect(lookupCache(null, key)).toEqual({ state: "miss", why: "no cache file yet", problem: null });
  });

  it("a corrupt file is a miss with a problem (the caller warns), never a throw", () => {
    expect(lookupCache("{not json", key)).toMatchObject({ state: "miss", why: "cache file not understood", problem: expect.stringMatching(/^not JSON/) });
    const negative = text.replace('"passesGBps": [\n      60,', '"passesGBps": [\n      -60,');
    expect(lookupCache(negative, key)).toMatchObject({ state: "miss", problem: expect.stringMatching(/^not a RAM bandwidth cache file \(measurement.passesGBps.0: /) });
    expect(lookupCache("[]", key)).toMatchObject({ state: "miss", problem: expect.stringMatching(/^not a RAM bandwidth cache file/) });
    expect(lookupCache(JSON.stringify({ ...JSON.parse(text), extra: 1 }), key)).toMatchObject({ state: "miss", problem: expect.any(String) });
  });
});
