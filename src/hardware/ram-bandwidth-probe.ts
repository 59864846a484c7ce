// The RAM bandwidth probe's judgement, pure: which of its passes is the figure, the bound the CPU's memory platform
// puts on it, and the per-boot cache file that keeps one measurement for every later start on the same boot.
import { z } from "zod";
import { appleChipOf, resolveAppleChip } from "./knowledge/apple-chip.js";
import { cpuMemoryPlatform } from "./knowledge/cpu-memory.js";
import type { RamBandwidthMeasurement } from "./io.js";
import { round1 } from "../domain/units.js";

/** A RAM bandwidth figure and where it comes from (the Machine's `memory.bandwidthGBps` / `bandwidthSource`). */
export interface RamBandwidth {
  bandwidthGBps: number;
  source: string;
  /** How uncertain the figure is, in % (absent or 0: measured, derived from the modules, given, or a spec figure). */
  assumedPct?: number;
}

/** Text of an assumed figure: "assumed: <why>", the one prefix every assumed source starts with. */
export const ASSUMED_PREFIX = "assumed: ";
export const assumedText = (why: string): string => (why.startsWith(ASSUMED_PREFIX) ? why : `${ASSUMED_PREFIX}${why}`);
/** The source of a figure quoted inside another's: without its "assumed: " prefix and its "; give ... to override" hint. */
export const withoutAssumed = (text: string): string =>
  (text.startsWith(ASSUMED_PREFIX) ? text.slice(ASSUMED_PREFIX.length) : text).replace(/; give \w+ to override$/, "");

// ---- Which pass is the figure -------------------------------------------------------------------------------------

/** Timed rounds after the warm-up: enough for an upper quartile that repeats from run to run. */
export const RAM_PROBE_PASSES = 7;
/** Each round: tens of scans of each thread's buffer on any machine; the whole probe stays well under a second. */
export const RAM_PROBE_PASS_MS = 50;

/**
 * The quantile of the passes taken as the figure: the upper quartile. A pass is pushed down by other work (another
 * tenant's reads take bandwidth; a thread's interrupted slices are left out, but a busy memory slows every slice),
 * and is not pushed up (the buffers are several times any cache; where the threads read together the figure is their
 * rate then), so the upper passes are the memory's and the lower ones a busy moment. Not the best pass: one pass is
 * one 50 ms moment. On this project's shared 2-core VM, 10 fresh probes each: with others holding 60-75% of the CPUs,
 * median of the passes 47.8-67.5 GB/s, upper quartile 48.3-68.0, best 48.5-73.7 (spreads 1.41, 1.41, 1.52x); with
 * 70-77%, 35.6-51.5, 36.3-52.4, 38.6-56.2 (1.45, 1.44, 1.46x): the quartile a little above the median, and not
 * moved by a single pass as the best is.
 */
export const RAM_PASS_QUANTILE = 0.75;

/** The q-quantile of `values` (linear between the two nearest ranks); NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const at = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (at - lo);
}


/** The figure of a probe's passes and the rule that chose it, in words. */
export function selectRamBandwidth(passesGBps: readonly number[]): { gbps: number; rule: string } {
  const valid = passesGBps.filter((p) => Number.isFinite(p) && p > 0);
  const gbps = round1(quantile(valid, RAM_PASS_QUANTILE));
  const rule =
    valid.length === 1
      ? "the one pass"
      : `the upper quartile of ${valid.length} passes (other work only lowers a pass: the upper ones are the memory's, the lower ones a busy moment)`;
  return { gbps, rule };
}

// ---- The bound of the CPU's memory platform -----------------------------------------------------------------------

/**
 * Headroom over the fastest memory a platform is rated for, for modules that are not soldered: XMP / EXPO kits run up
 * to 1.5x the rated speed (DDR5-8400 on a DDR5-5600 platform, DDR4-4800 on DDR4-3200). Soldered memory runs at its
 * rated speed.
 */
export const OVERCLOCK_HEADROOM = 1.5;
/** Under this share of the platform's nominal figure, a measurement says so (a busy machine, or few of its cores). */
export const LOW_SHARE_OF_NOMINAL = 0.2;
/** A server platform's figure is per socket: when the socket count is not known, this many are allowed for. */
export const SOCKETS_WHEN_UNKNOWN = 2;

export interface NominalBound {
  /** The platform's nominal (rated) figure, all sockets: what a low measurement is compared with. */
  nominalGBps: number;
  /** The most a correct probe can read here: the fastest rated memory, overclocking headroom, all sockets. */
  ceilingGBps: number;
  /** The platform in words, with the figures and the spec source. */
  text: string;
  /** How the ceiling is made, in words. */
  ceilingText: string;
  /** How uncertain the nominal figure is as an estimate, in % (used when it replaces a wrong measurement). */
  assumedPct: number;
}

/**
 * The bound a CPU's memory platform puts on a measurement: only for a CPU whose platform is known (its table row, or an
 * Apple chip's published figure); null for a CPU known only by generation or vendor, or not at all (no bound then).
 */
export function nominalRamBound(cpuName: string | null, ramBytes: number | null, sockets: number | null): NominalBound | null {
  if (cpuName === null) return null;
  if (appleChipOf(cpuName) !== null && /apple|^\s*m\d/i.test(cpuName)) {
    const apple = resolveAppleChip(cpuName, { memoryBytes: ramBytes });
    if (apple === null || apple.assumedPct > 0) return null;
    const gbps = apple.spec.bandwidthGBps;
    return {
      nominalGBps: gbps,
      ceilingGBps: gbps,
      text: `${apple.spec.name}'s unified memory: ${gbps} GB/s (knowledge base: ${apple.spec.source})`,
      ceilingText: "soldered memory at its rated speed",
      assumedPct: 0,
    };
  }
  const m = cpuMemoryPlatform(cpuName);
  if (m.tier !== "platform") return null;
  const p = m.platform;
  const perSocket = p.certainty === "channels";
  const known = sockets !== null && sockets >= 1 ? Math.floor(sockets) : null;
  // The nominal figure counts the sockets a probe saw (one when none did); the ceiling allows for unseen ones.
  const nominalSockets = perSocket ? (known ?? 1) : 1;
  const n = perSocket ? (known ?? SOCKETS_WHEN_UNKNOWN) : 1;
  const headroom = p.certainty === "soldered" ? 1 : OVERCLOCK_HEADROOM;
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  const parts = [p.fastestGBps > p.bandwidthGBps ? `its fastest rated memory ${p.fastestGBps} GB/s` : `${p.bandwidthGBps} GB/s`];
  if (headroom > 1) parts.push(`x ${headroom} for overclocked modules`);
  if (perSocket) parts.push(`x ${n} socket(s)${sockets === null ? " (not known: allowed for)" : ""}`);
  return {
    nominalGBps: r3(p.bandwidthGBps * nominalSockets),
    ceilingGBps: r3(p.fastestGBps * headroom * n),
    text: `${m.reason}: ${p.memoryType}-${p.speedMTs} on a ${p.busWidthBits}-bit bus = ${p.bandwidthGBps} GB/s${perSocket ? ` per socket, ${nominalSockets} socket(s)${known === null ? " (not counted: one taken)" : ""}` : ""} (${p.source})`,
    ceilingText: parts.join(" "),
    assumedPct: m.assumedPct,
  };
}

// ---- The judgement ------------------------------------------------------------------------------------------------

/** Other work above this share of the CPUs during the probe is named in the figure's source. */
export const BUSY_CPU_PCT = 25;

export type RamBandwidthStatus = "measured" | "low" | "above-nominal";

export interface RamBandwidthJudgement {
  /** What the machine carries. */
  figure: RamBandwidth;
  /** The figure the passes gave, before the bound. */
  chosenGBps: number;
  rule: string;
  status: RamBandwidthStatus;
  /** Set when the measurement was judged wrong (above the platform's ceiling). */
  warning: string | null;
}

const mib = (bytes: number): number => Math.round(bytes / 1024 ** 2);

/**
 * A measurement's figure (selectRamBandwidth), bounded by the platform: above its ceiling the probe is wrong and the
 * platform's nominal figure stands in, assumed, with a warning; under a fifth of the nominal the source says so.
 */
export function judgeRamBandwidth(m: RamBandwidthMeasurement, bound: NominalBound | null): RamBandwidthJudgement {
  const { gbps, rule } = selectRamBandwidth(m.passesGBps);
  const valid = m.passesGBps.filter((p) => Number.isFinite(p) && p > 0);
  const range = valid.length > 1 ? ` (${round1(Math.min(...valid))}-${round1(Math.max(...valid))} GB/s)` : "";
  const what = valid.length === 1 ? "one pass" : `the upper quartile of ${valid.length} passes`;
  let source = `measured: memchr read, ${m.threads} thread(s) x ${mib(m.bytesPerThread)} MiB, ${what} of ${m.passMs} ms${range}`;
  if (bound !== null && gbps > bound.ceilingGBps) {
    const why = `the RAM bandwidth probe read ${gbps} GB/s, above the ${bound.ceilingGBps} GB/s this platform can give (${bound.ceilingText}): a probe error (a buffer held in a cache?)`;
    return {
      figure: {
        bandwidthGBps: bound.nominalGBps,
        source: assumedText(`${why}; the platform's nominal figure: ${withoutAssumed(bound.text)}`),
        ...(bound.assumedPct > 0 ? { assumedPct: bound.assumedPct } : {}),
      },
      chosenGBps: gbps,
      rule,
      status: "above-nominal",
      warning: `${why}: the platform's nominal ${bound.nominalGBps} GB/s is used`,
    };
  }
  let status: RamBandwidthStatus = "measured";
  if (bound !== null && gbps < bound.nominalGBps * LOW_SHARE_OF_NOMINAL) {
    status = "low";
    const pct = Math.round((gbps / bound.nominalGBps) * 100);
    source += `; ${pct}% of the platform's nominal ${bound.nominalGBps} GB/s: a busy machine, or few of its cores`;
  }
  if (m.otherCpuPct != null && m.otherCpuPct >= BUSY_CPU_PCT) source += `; other work kept the CPUs ${Math.round(m.otherCpuPct)}% busy meanwhile: may be low`;
  return { figure: { bandwidthGBps: gbps, source }, chosenGBps: gbps, rule, status, warning: null };
}

// ---- The per-boot cache -------------------------------------------------------------------------------------------

/** Changes whenever the probe's method does: a figure measured another way is measured again. */
export const RAM_PROBE_METHOD = "memchr-slices-1";
/** The cache file's largest size: one measurement is well under 2 KiB. */
export const MAX_CACHE_FILE_BYTES = 64 * 1024;

/** What a cached measurement is valid for: this boot, this CPU, this much memory, this many usable threads. */
export interface RamBandwidthCacheKey {
  bootId: string;
  cpuName: string;
  memoryTotalBytes: number;
  /** Logical CPUs the process may use (a container started with fewer measures less); null when not known. */
  threads: number | null;
}

const finite = z.number().finite();
const measurementSchema = z.strictObject({
  passesGBps: z.array(finite.positive()).min(1).max(64),
  windowGBps: z.array(finite.nonnegative()).max(64).optional(),
  togetherMs: z.array(finite.nonnegative()).max(64).optional(),
  warmupGBps: finite.nullable(),
  passMs: finite.positive(),
  threads: z.number().int().min(1).max(4096),
  bytesPerThread: z.number().int().positive(),
  durationMs: finite.nonnegative(),
  otherCpuPct: finite.min(0).max(100).nullable().optional(),
});
const cacheFileSchema = z.strictObject({
  kind: z.literal("nodefit-ram-bandwidth"),
  method: z.string().max(64),
  key: z.strictObject({
    bootId: z.string().max(128),
    cpuName: z.string().max(256),
    memoryTotalBytes: z.number().int().nonnegative(),
    threads: z.number().int().positive().nullable(),
  }),
  measuredAt: z.string().max(64),
  measurement: measurementSchema,
});

export type CacheFile = z.infer<typeof cacheFileSchema>;

export function cacheFileText(key: RamBandwidthCacheKey, m: RamBandwidthMeasurement, measuredAt: Date): string {
  const measurement: CacheFile["measurement"] = {
    passesGBps: [...m.passesGBps],
    ...(m.windowGBps === undefined ? {} : { windowGBps: [...m.windowGBps] }),
    ...(m.togetherMs === undefined ? {} : { togetherMs: [...m.togetherMs] }),
    warmupGBps: m.warmupGBps,
    passMs: m.passMs,
    threads: m.threads,
    bytesPerThread: m.bytesPerThread,
    durationMs: m.durationMs,
    otherCpuPct: m.otherCpuPct ?? null,
  };
  const file: CacheFile = { kind: "nodefit-ram-bandwidth", method: RAM_PROBE_METHOD, key: { ...key }, measuredAt: measuredAt.toISOString(), measurement };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export type CacheLookup =
  | { state: "hit"; measurement: RamBandwidthMeasurement; measuredAt: string }
  /** No usable entry: none, another boot / CPU / memory / method (`why` says which), or a file not understood (`problem`). */
  | { state: "miss"; why: string; problem: string | null };

/** Whether the cache file's text holds a measurement for `key`. Never throws: a text not understood is a miss with a problem. */
export function lookupCache(text: string | null, key: RamBandwidthCacheKey): CacheLookup {
  if (text === null) return { state: "miss", why: "no cache file yet", problem: null };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { state: "miss", why: "cache file not understood", problem: `not JSON (${(e as Error).message.slice(0, 80)})` };
  }
  const parsed = cacheFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue === undefined ? "" : `${issue.path.join(".") || "the file"}: ${issue.message}`;
    return { state: "miss", why: "cache file not understood", problem: `not a RAM bandwidth cache file (${at.slice(0, 120)})` };
  }
  const f = parsed.data;
  const differs: string[] = [];
  if (f.method !== RAM_PROBE_METHOD) differs.push(`measured by another method (${f.method})`);
  if (f.key.bootId !== key.bootId) differs.push("measured on another boot");
  if (f.key.cpuName !== key.cpuName) differs.push(`measured on another CPU (${f.key.cpuName})`);
  if (f.key.memoryTotalBytes !== key.memoryTotalBytes) differs.push("measured with another memory total");
  if (f.key.threads !== key.threads) differs.push(`measured with ${f.key.threads ?? "an unknown number of"} thread(s) usable, now ${key.threads ?? "unknown"}`);
  if (differs.length > 0) return { state: "miss", why: differs.join(", "), problem: null };
  const m = f.measurement;
  const measurement: RamBandwidthMeasurement = {
    passesGBps: m.passesGBps,
    ...(m.windowGBps === undefined ? {} : { windowGBps: m.windowGBps }),
    ...(m.togetherMs === undefined ? {} : { togetherMs: m.togetherMs }),
    warmupGBps: m.warmupGBps,
    passMs: m.passMs,
    threads: m.threads,
    bytesPerThread: m.bytesPerThread,
    durationMs: m.durationMs,
    otherCpuPct: m.otherCpuPct ?? null,
  };
  return { state: "hit", measurement, measuredAt: f.measuredAt };
}

// ---- What doctor shows ---------------------------------------------------------------------------------------------

export type RamBandwidthCacheState = "hit" | "miss" | "disabled" | "none";

/** Everything the probe did and decided, for `nodefit doctor`. */
export interface RamBandwidthReport {
  /** The measurement (fresh, or the cached one); null when the probe gave none. */
  measurement: RamBandwidthMeasurement | null;
  measuredAt: string | null;
  chosenGBps: number | null;
  rule: string | null;
  status: RamBandwidthStatus | "failed";
  /** The platform's bound; null when the CPU's platform is not known (then `boundNote` says why). */
  bound: NominalBound | null;
  boundNote: string | null;
  /** What the machine carries from the probe (null when it failed: the fallback is named in the machine's source). */
  figure: RamBandwidth | null;
  cache: {
    state: RamBandwidthCacheState;
    path: string | null;
    /** Why: "no cache file yet", "measured on another boot", "NODEFIT_PROBE_CACHE=off", "the I/O has no cache". */
    detail: string;
    /** After a miss: whether the new measurement was written (null: not attempted). */
    written: boolean | null;
  };
}
