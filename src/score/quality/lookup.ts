// Quality lookup: a model's 0-100 quality index for a task, from its figures, its family's curve, or the prior.
import type { Category, ModelSpec } from "../../catalog/schema.js";
import { BENCHMARKS } from "./benchmarks.js";
import { ageYears, allAnchors, denseEquivalentB, familyCurves, type Anchor, type CurvePoint, type FamilyCurve } from "./anchors.js";
import { PRIOR, priorIndex, taskFactor } from "./prior.js";

export interface QualityIndex {
  /** 0-100, before the quant's factor. */
  value: number;
  /** Where it came from: the model's own figures, its family's curve, the prior, or not applicable. */
  basis: "table" | "curve" | "prior" | "none";
  /** How it was reached, for the row's notes. */
  why: string;
}

const fmtB = (b: number): string => (b >= 99.5 ? `${Math.round(b)}B` : b >= 0.995 ? `${b.toFixed(1)}B` : `${Math.round(b * 1000)}M`);
const shortUrl = (u: string): string => u.replace(/^https?:\/\//, "").replace(/\/$/, "");
const shortName = (id: string): string => id.split("/")[1] ?? id;
const r1 = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);

function cite(anchors: readonly Anchor[], task: Category): string {
  const labels = [...new Set(anchors.flatMap((a) => a.tasks[task]?.benchmarks ?? []))].map((b) => BENCHMARKS[b].label);
  const sources = [...new Set(anchors.map((a) => shortUrl(a.row.source)))];
  return `(${labels.join(", ")}; ${sources.join(", ")})`;
}

/** The ages the generative prior was fitted over (min, max, mean of its dated rows). */
let ageSpan: { min: number; max: number; mean: number } | null = null;
function priorAges(): { min: number; max: number; mean: number } {
  if (!ageSpan) {
    const ages = allAnchors()
      .filter((a) => a.model.category !== "embedding" && a.tasks.general)
      .map((a) => a.ageYears)
      .filter((x): x is number => x !== null);
    ageSpan = { min: Math.min(...ages), max: Math.max(...ages), mean: ages.reduce((s, x) => s + x, 0) / ages.length };
  }
  return ageSpan;
}

/**
 * The prior's general (or embedding) index for a model, with its reason. Ages outside the span the prior was fitted
 * over are held at its ends (its age term is steep); an unknown release date reads as the fit's mean age.
 */
export function priorFor(m: ModelSpec, reason: string): QualityIndex {
  const kind = m.category === "embedding" ? "embedding" : "generative";
  const sizeB = denseEquivalentB(m);
  const size = `${fmtB(sizeB)} dense-equivalent`;
  if (kind === "embedding") return { value: priorIndex(kind, sizeB, 0), basis: "prior", why: `size prior (${reason}): ${size}` };
  const span = priorAges();
  const age = ageYears(m);
  const used = age === null ? span.mean : Math.min(span.max, Math.max(span.min, age));
  const ageText =
    age === null
      ? `release date unknown (read as ${used.toFixed(1)} years, the table's mean)`
      : `${age.toFixed(1)} years old${used.toFixed(1) !== age.toFixed(1) ? ` (read as ${used.toFixed(1)}, the table's span)` : ""}`;
  return { value: priorIndex(kind, sizeB, used), basis: "prior", why: `size-and-age prior (${reason}): ${size}, ${ageText}` };
}

/**
 * A family curve's value at a size: linear in log(size) between the two nearest anchors; at an anchor's size, that
 * anchor; below the smallest anchor, its value less the prior's slope per decade (never above it); above the largest,
 * held at the largest (never extrapolated upwards).
 */
export function curveValue(points: readonly CurvePoint[], sizeB: number, slopePerDecade: number): { value: number; how: string; anchors: Anchor[] } {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const near = (p: CurvePoint): boolean => Math.abs(Math.log(sizeB / p.sizeB)) < 0.01;
  const named = (p: CurvePoint): string => p.anchors.map((a) => shortName(a.model.id)).join(" / ");
  const hit = points.find(near);
  if (hit) return { value: hit.value, how: `at the ${fmtB(hit.sizeB)} anchor (${named(hit)})`, anchors: hit.anchors };
  if (sizeB < first.sizeB) {
    const drop = slopePerDecade * Math.log10(first.sizeB / sizeB);
    return { value: Math.max(0, first.value - drop), how: `below its smallest anchor (${named(first)}, ${fmtB(first.sizeB)}) by the prior's ${r1(slopePerDecade)} per decade of size`, anchors: first.anchors };
  }
  if (sizeB > last.sizeB) return { value: last.value, how: `held at its largest anchor (${named(last)}, ${fmtB(last.sizeB)})`, anchors: last.anchors };
  let i = 0;
  while (points[i + 1]!.sizeB < sizeB) i++;
  const a = points[i]!;
  const b = points[i + 1]!;
  const t = Math.log(sizeB / a.sizeB) / Math.log(b.sizeB / a.sizeB);
  return { value: a.value + t * (b.value - a.value), how: `interpolated between ${fmtB(a.sizeB)} and ${fmtB(b.sizeB)}`, anchors: [...a.anchors, ...b.anchors] };
}

/** The model's index for a task from the table alone (its own row, else its family's curve); null when neither has it. */
function fromTable(m: ModelSpec, curve: FamilyCurve | undefined, task: Category): QualityIndex | null {
  if (!curve) return null;
  const own = curve.byModel.get(m.id);
  const t = own?.tasks[task];
  if (own && t) return { value: t.value, basis: "table", why: `${curve.family} table, published figures for ${shortName(m.id)} ${cite([own], task)}` };
  const points = curve.points[task];
  if (!points) return null;
  const slope = PRIOR[m.category === "embedding" ? "embedding" : "generative"].b;
  const c = curveValue(points, denseEquivalentB(m), slope);
  return { value: c.value, basis: "curve", why: `${curve.family} table, ${c.how} ${cite(c.anchors, task)}` };
}

/**
 * The quality index of a model for a task (use case), 0-100, deterministic:
 * 1. the table: the model's own published figures for the task, else its family's curve at the model's
 *    dense-equivalent size;
 * 2. a task the table has no figures for: the model's general index (from the table, else the prior) times the
 *    task's factor (`TASK_FACTORS`, the specialist one for a model of that category). A specialist's figures (a coder's HumanEval) never stand in for its general
 *    index: they would overstate it;
 * 3. no figures at all: the size-and-age prior.
 * Embedding models are scored on embedding figures only, and generative models never on them: the other pairings
 * are not applicable (index 0).
 */
export function qualityIndex(m: ModelSpec, task: Category): QualityIndex {
  const embedder = m.category === "embedding";
  if (embedder !== (task === "embedding"))
    return { value: 0, basis: "none", why: embedder ? `an embedding model does not serve ${task}` : "a generative model is not an embedding model" };
  const curve = familyCurves().get(m.family);
  const direct = fromTable(m, curve, task);
  if (direct) return direct;
  if (task === "embedding") return priorFor(m, curve ? "no embedding figures for this model's family" : "no benchmark figures for this family");
  const general = fromTable(m, curve, "general") ?? priorFor(m, curve ? "no general figures for this family" : "no benchmark figures for this family");
  if (task === "general") return general;
  const factor = taskFactor(task, m.category);
  const missing = curve ? `no ${task} figures for this family` : "";
  return {
    value: general.value * factor,
    basis: general.basis,
    why: `${general.why}; ${missing ? `${missing}, ` : ""}general index x${factor} for ${task}`,
  };
}
