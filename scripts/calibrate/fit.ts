// Calibration fit: the decode constants of every device class and generation (bandwidth efficiency, per-layer and
// per-MoE-layer cost) fitted on the dev set, reported in sample and leave-one-device-out cross-validated.
import { bundledModels } from "../../src/catalog/bundled.js";
import { resolveModel } from "../../src/catalog/resolve.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { DECODE_PRIORS, type DecodeCalibration } from "../../src/estimate/calibration.js";
import { estimate } from "../../src/estimate/estimate.js";
import { decodeSeconds, type DecodeTerms } from "../../src/estimate/speed.js";
import { communityRows, publicRows, type DevRow } from "./dev-set.js";

type Params = Omit<DecodeCalibration, "key">;
export type Table = Record<string, Params>;

/** One dev row with what the estimator makes of it (before any calibration constant). */
export interface Sample {
  row: DevRow;
  terms: DecodeTerms;
  /** The decode key chain of its (only) GPU or CPU tier, most specific first. */
  keys: readonly string[];
  measuredSeconds: number;
  /** Seconds per token if the device streamed at its full nominal bandwidth with no other cost: a hard floor. */
  floorSeconds: number;
  /** llmfit's naive formula on the same row: 0.55 x bandwidth / bytes read per token. */
  naiveTps: number;
}

export interface Prepared {
  samples: Sample[];
  /** Rows left out, with the rule (or the resolution failure) that left them out. */
  skipped: Array<{ row: DevRow; why: string }>;
}

const models = bundledModels();

/** Tokens in the cache while a row decoded: its prompt and half its output, else a benchmark's short default. */
function fillOf(row: DevRow): number {
  return row.fillTokens ?? 256;
}

export function prepare(rows: readonly DevRow[] = [...publicRows(), ...communityRows()]): Prepared {
  const samples: Sample[] = [];
  const skipped: Prepared["skipped"] = [];
  for (const row of rows) {
    if (row.excluded) {
      skipped.push({ row, why: row.excluded });
      continue;
    }
    let req;
    try {
      req = parseEstimateRequest(row.request);
    } catch (e) {
      skipped.push({ row, why: `request: ${(e as Error).message.slice(0, 60)}` });
      continue;
    }
    if (!("reference" in req.model) || req.machine === null) continue;
    const r = resolveModel(models, req.model.reference);
    if (!r.model) {
      skipped.push({ row, why: `model ${r.status}` });
      continue;
    }
    const e = estimate({
      model: r.model,
      machine: req.machine,
      quant: req.quant ?? r.quant ?? undefined,
      contextTokens: req.contextTokens ?? undefined,
      runtime: req.runtime ?? undefined,
      kvCacheType: req.kvCacheType ?? undefined,
      decodeFillTokens: fillOf(row),
    });
    if (e.decodeTerms === null) {
      const why = e.fitLevel === "too_tight" ? "does not fit as described" : e.basis.decode_bound === "compute" ? "CPU compute-bound (the bandwidth terms do not apply)" : "no speed (bandwidth unknown)";
      skipped.push({ row, why });
      continue;
    }
    // Within 5% of the memory, runtimes differ in what they reserve and may offload layers (Ollama does): where the
    // model ran is not known, so the row cannot calibrate a GPU's speed.
    if (e.fitLevel === "marginal" && e.runMode === "gpu") {
      skipped.push({ row, why: "within 5% of the GPU memory: the runtime may have offloaded" });
      continue;
    }
    const terms = e.decodeTerms;
    const first = terms.tiers[0]!;
    if (terms.tiers.some((t) => t.keys.join() !== first.keys.join())) {
      skipped.push({ row, why: `split over devices of different kinds (${e.runMode})` });
      continue;
    }
    const floorSeconds = terms.tiers.reduce((s, t) => (terms.parallel ? Math.max(s, t.streamSeconds) : s + t.streamSeconds), 0);
    const measuredSeconds = 1 / row.measuredTps;
    // Faster than the memory can deliver the bytes: another model, quant or speculative decoding ran.
    if (measuredSeconds < floorSeconds) {
      skipped.push({ row, why: "faster than the nominal bandwidth allows" });
      continue;
    }
    samples.push({ row, terms, keys: terms.tiers[0]!.keys, measuredSeconds, floorSeconds, naiveTps: 0.55 / floorSeconds });
  }
  return { samples, skipped };
}

// ---- Fitting: weighted least squares on relative error, Huber-reweighted, non-negative, with a weak prior.

/** Solves the normal equations of `cols` (indices into the design) by Gaussian elimination. */
function solve(ata: number[][], atb: number[], cols: number[]): number[] | null {
  const n = cols.length;
  const m = cols.map((i) => [...cols.map((j) => ata[i]![j]!), atb[i]!]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let r = k + 1; r < n; r++) if (Math.abs(m[r]![k]!) > Math.abs(m[p]![k]!)) p = r;
    if (Math.abs(m[p]![k]!) < 1e-18) return null;
    [m[k], m[p]] = [m[p]!, m[k]!];
    for (let r = 0; r < n; r++) {
      if (r === k) continue;
      const f = m[r]![k]! / m[k]![k]!;
      for (let c = k; c <= n; c++) m[r]![c]! -= f * m[k]![c]!;
    }
  }
  return cols.map((_, k) => m[k]![n]! / m[k]![k]!);
}

/** The coefficients: 1/efficiency, then microseconds per layer, per MoE layer, per linear-attention layer. */
const N = 4;
const ALL = [0, 1, 2, 3];

interface Design {
  /** Per sample: [stream seconds, layers, MoE layers, linear layers (x 1e-6)]; the target: measured seconds less fixed. */
  x: number[][];
  y: number[];
}

function designOf(samples: readonly Sample[]): Design {
  const x: number[][] = [];
  const y: number[] = [];
  for (const s of samples) {
    const ts = s.terms.tiers;
    // Tiers of one kind: a layer split adds them up; tensor-parallel tiers are identical, so one stands for all.
    const sum = (f: (t: (typeof ts)[number]) => number): number => (s.terms.parallel ? f(ts[0]!) : ts.reduce((acc, t) => acc + f(t), 0));
    x.push([sum((t) => t.streamSeconds), sum((t) => t.layers) * 1e-6, sum((t) => t.moeExpertLayers) * 1e-6, sum((t) => t.linearLayers) * 1e-6]);
    y.push(s.measuredSeconds - s.terms.fixedSeconds);
  }
  return { x, y };
}

/**
 * Fits [1/efficiency, per-layer, per-MoE-layer, per-linear-layer us] to the samples: minimizes the sum of squared relative errors,
 * reweighted (Huber, 15%) so a few odd rows do not pull the fit, with every coefficient >= 0, and a weak pull toward
 * `prior` (worth `priorWeight` rows) so a small group keeps the physics where its rows say nothing. `fixed` keeps
 * coefficients at the prior's value (a generation refits only its efficiency).
 */
function fitParams(samples: readonly Sample[], prior: Params, priorWeight: number, fixed: ReadonlySet<number> = new Set()): number[] {
  const { x, y } = designOf(samples);
  const priorTheta = [1 / prior.bandwidthEfficiency, prior.perLayerMicros, prior.perMoeLayerMicros, prior.perLinearLayerMicros];
  // The prior counts as `priorWeight` typical rows: its pull on each coefficient is scaled by how much a row moves it
  // (a coefficient no row sees, such as the MoE cost of a dense-only group, is held by the prior alone).
  const scale = ALL.map((a) => Math.sqrt(Math.max(1e-12, x.reduce((s, xi, i) => s + (xi[a]! / y[i]!) ** 2, 0) / Math.max(1, y.length))));
  let w = y.map(() => 1);
  let theta = [...priorTheta];
  for (let iter = 0; iter < 20; iter++) {
    const ata = ALL.map(() => ALL.map(() => 0));
    const atb = ALL.map(() => 0);
    for (let i = 0; i < y.length; i++) {
      const yi = y[i]!;
      // Relative error: divide the row by its measurement; fixed coefficients move to the target.
      let target = 1;
      const row = x[i]!.map((v) => v / yi);
      for (const f of fixed) target -= row[f]! * priorTheta[f]!;
      for (let a = 0; a < N; a++) {
        atb[a]! += w[i]! * row[a]! * target;
        for (let b = 0; b < N; b++) ata[a]![b]! += w[i]! * row[a]! * row[b]!;
      }
    }
    for (let a = 0; a < N; a++) {
      ata[a]![a]! += priorWeight * scale[a]! ** 2;
      atb[a]! += priorWeight * scale[a]! ** 2 * priorTheta[a]!;
    }
    // Feasible: every cost >= 0 and an efficiency of at most 1 (1/efficiency >= 1). Try every subset of free
    // coefficients, with 1/efficiency free or held at its bound 1, and keep the best feasible solution.
    const free = ALL.filter((i) => !fixed.has(i));
    let best: number[] | null = null;
    let bestLoss = Infinity;
    for (const atBound of fixed.has(0) ? [false] : [false, true]) {
     for (let mask = 1; mask < 1 << free.length; mask++) {
      const cols = free.filter((_, k) => mask & (1 << k)).filter((c) => !(atBound && c === 0));
      if (cols.length === 0) continue;
      // Holding 1/efficiency at 1 moves its share of each row to the target.
      const b2 = atBound ? atb.map((v, i) => v - ata[i]![0]! * 1) : atb;
      const sol = solve(ata, b2, cols);
      if (!sol || sol.some((v) => v < 0)) continue;
      const th = ALL.map((i) => (fixed.has(i) ? priorTheta[i]! : 0));
      if (atBound) th[0] = 1;
      cols.forEach((c, k) => (th[c] = sol[k]!));
      if (th[0]! < 1) continue;
      let loss = 0;
      for (let i = 0; i < y.length; i++) loss += w[i]! * (dot(x[i]!, th) / y[i]! - 1) ** 2;
      for (let a = 0; a < N; a++) loss += priorWeight * (scale[a]! * (th[a]! - priorTheta[a]!)) ** 2;
      if (loss < bestLoss) {
        bestLoss = loss;
        best = th;
      }
     }
    }
    if (!best) break;
    theta = best;
    w = y.map((yi, i) => {
      const r = Math.abs(dot(x[i]!, theta) / yi - 1);
      return r <= 0.15 ? 1 : 0.15 / r;
    });
  }
  return theta;
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** At least this many rows from at least this many devices make a class entry; a generation needs fewer devices. */
const MIN_ROWS = 6;
const MIN_CLASS_DEVICES = 2;
const MIN_GENERATION_ROWS = 4;
/** The prior counts as this many rows: enough to hold a coefficient the rows cannot see, not to fight them. */
const PRIOR_WEIGHT = 2;

/** A speed range is never narrower than the rows' own noise (~10%), nor so wide it says nothing. */
const MIN_RANGE_PCT = 10;
const MAX_RANGE_PCT = 60;

const classKeyOf = (key: string): string => key.split("/").slice(0, 2).join("/");
const priorFor = (key: string): Params => DECODE_PRIORS[classKeyOf(key)] ?? DECODE_PRIORS[`llamacpp/${key.split("/")[1]}`] ?? DECODE_PRIORS["llamacpp/vulkan"]!;

/**
 * Fits the table on `samples`: a class entry (runtime/class) on every row of the class, then a generation entry
 * (runtime/class/generation) that refits only the efficiency on its own rows, with the class's per-layer costs.
 */
export function fitTable(samples: readonly Sample[]): Table {
  const table: Table = {};
  const byKey = new Map<string, Sample[]>();
  for (const s of samples) for (const k of s.keys.slice(0, 2)) byKey.set(k, [...(byKey.get(k) ?? []), s]);
  const devicesOf = (ss: readonly Sample[]): number => new Set(ss.map((s) => s.row.device)).size;
  const entry = (theta: readonly number[], ss: readonly Sample[], rangePct: number): Params => ({
    bandwidthEfficiency: round3(1 / theta[0]!),
    perLayerMicros: round1(theta[1]!),
    perMoeLayerMicros: round1(theta[2]!),
    perLinearLayerMicros: round1(theta[3]!),
    rows: ss.length,
    devices: devicesOf(ss),
    inSampleMedianErrorPct: null,
    cvMedianErrorPct: null,
    rangePct,
  });
  // Classes first (keys with two parts), then generations on top of their class.
  for (const [key, ss] of byKey) {
    if (key.split("/").length !== 2 || ss.length < MIN_ROWS || devicesOf(ss) < MIN_CLASS_DEVICES) continue;
    table[key] = entry(fitParams(ss, priorFor(key), PRIOR_WEIGHT), ss, 0);
  }
  for (const [key, ss] of byKey) {
    if (key.split("/").length !== 3 || ss.length < MIN_GENERATION_ROWS) continue;
    const parent = table[classKeyOf(key)] ?? priorFor(key);
    table[key] = entry(fitParams(ss, parent, PRIOR_WEIGHT, new Set([1, 2, 3])), ss, 0);
  }
  return table;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export interface Evaluation {
  sample: Sample;
  inSample: number;
  crossValidated: number;
  naive: number;
  /** The entry that answered the row in its cross-validation fold. */
  cvKey: string;
}

/** Relative error of a predicted speed against the measured one. */
const relErr = (predictedTps: number, measuredTps: number): number => predictedTps / measuredTps - 1;

/** In-sample and leave-one-device-out errors of every sample, and the full table with its error figures filled in. */
export function evaluate(samples: readonly Sample[]): { table: Table; evaluations: Evaluation[] } {
  const table = fitTable(samples);
  const devices = [...new Set(samples.map((s) => s.row.device))];
  const cv = new Map<Sample, { err: number; key: string }>();
  for (const d of devices) {
    const train = samples.filter((s) => s.row.device !== d);
    const fold = fitTable(train);
    for (const s of samples) {
      if (s.row.device !== d) continue;
      const key = s.keys.find((k) => fold[k]) ?? `prior ${classKeyOf(s.keys[0]!)}`;
      cv.set(s, { err: relErr(1 / decodeSeconds(s.terms, fold), s.row.measuredTps), key });
    }
  }
  const evaluations = samples.map((s) => ({
    sample: s,
    inSample: relErr(1 / decodeSeconds(s.terms, table), s.row.measuredTps),
    crossValidated: cv.get(s)!.err,
    naive: relErr(s.naiveTps, s.row.measuredTps),
    cvKey: cv.get(s)!.key,
  }));
  // Each entry's error figures: over the rows it was fitted on, in sample and cross-validated (each row predicted by a
  // fit that never saw its device); its speed range is the 80th percentile of the cross-validated |error|.
  for (const [key, params] of Object.entries(table)) {
    const fitted = evaluations.filter((e) => e.sample.keys.includes(key));
    params.inSampleMedianErrorPct = round1(median(fitted.map((e) => Math.abs(e.inSample))) * 100);
    params.cvMedianErrorPct = round1(median(fitted.map((e) => Math.abs(e.crossValidated))) * 100);
    params.rangePct = Math.min(MAX_RANGE_PCT, Math.max(MIN_RANGE_PCT, Math.round(quantile(fitted.map((e) => Math.abs(e.crossValidated)), 0.8) * 100)));
  }
  return { table, evaluations };
}

export { median, quantile, classKeyOf };
