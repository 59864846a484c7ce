// Quality anchors: the table's rows joined to their catalog models (size, age), their task indexes, family curves.
import { bundledModels } from "../../catalog/bundled.js";
import type { Category, ModelSpec } from "../../catalog/schema.js";
import { BENCHMARKS, BENCHMARK_IDS, normalize, type BenchmarkId, type QualityRow } from "./benchmarks.js";
import { QUALITY_TABLE } from "./table.js";

/** The evaluation date ages are measured from (the catalog's "as of"). */
export const QUALITY_REFERENCE_DATE = Date.parse("2026-11-01");

/** Dense-equivalent size in billions: MoE models count at the geometric mean of total and active parameters. */
export function denseEquivalentB(m: Pick<ModelSpec, "params_total" | "params_active">): number {
  const totalB = m.params_total / 1e9;
  return m.params_active ? Math.sqrt(totalB * (m.params_active / 1e9)) : totalB;
}

/** Years from the model's release to the reference date (0 for later releases); null when the date is unknown. */
export function ageYears(m: Pick<ModelSpec, "release_date">): number | null {
  if (!m.release_date) return null;
  return Math.max(0, (QUALITY_REFERENCE_DATE - Date.parse(m.release_date)) / (365.25 * 86400e3));
}

/** A task's index for one row: the mean of its benchmarks' indexes, and which benchmarks were used. */
export interface TaskIndex {
  value: number;
  benchmarks: BenchmarkId[];
}

export interface Anchor {
  row: QualityRow;
  model: ModelSpec;
  sizeB: number;
  ageYears: number | null;
  /** The row's index per task it has figures for (on the family's common benchmarks for curve rows). */
  tasks: Partial<Record<Category, TaskIndex>>;
}

export interface FamilyCurve {
  family: string;
  /** Every row of the family (curve and variants), by model id. */
  byModel: Map<string, Anchor>;
  /** Curve anchors per task, sorted by size; anchors of equal size averaged. */
  points: Partial<Record<Category, CurvePoint[]>>;
}

export interface CurvePoint {
  sizeB: number;
  value: number;
  anchors: Anchor[];
}

function rowTaskIndex(row: QualityRow, task: Category, only?: readonly BenchmarkId[]): TaskIndex | null {
  const ids = BENCHMARK_IDS.filter((b) => BENCHMARKS[b].task === task && row.scores[b] !== undefined && (!only || only.includes(b)));
  if (ids.length === 0) return null;
  const value = ids.reduce((s, b) => s + normalize(b, row.scores[b]!), 0) / ids.length;
  return { value, benchmarks: ids };
}

const TASKS: readonly Category[] = ["general", "coding", "reasoning", "chat", "multimodal", "embedding"];

/**
 * Builds each family's anchors. For a family's curve, a task's index uses only the benchmarks every curve anchor
 * with that task reports, so the curve compares like with like (when they share none, each uses its own); variant
 * rows use all of their own figures.
 */
function buildCurves(table: readonly QualityRow[], models: readonly ModelSpec[]): Map<string, FamilyCurve> {
  const byId = new Map(models.map((m) => [m.id, m]));
  const families = new Map<string, QualityRow[]>();
  for (const row of table) families.set(row.family, [...(families.get(row.family) ?? []), row]);
  const curves = new Map<string, FamilyCurve>();
  for (const [family, rows] of families) {
    const common = new Map<Category, BenchmarkId[]>();
    for (const task of TASKS) {
      const sets = rows.filter((r) => r.curve).map((r) => rowTaskIndex(r, task)?.benchmarks).filter((s): s is BenchmarkId[] => s !== undefined);
      if (sets.length === 0) continue;
      const shared = sets.reduce((a, s) => a.filter((b) => s.includes(b)));
      if (shared.length > 0) common.set(task, shared);
    }
    const byModel = new Map<string, Anchor>();
    for (const row of rows) {
      const model = byId.get(row.model);
      if (!model) continue; // the table test requires every row's model in the bundled catalog
      const tasks: Anchor["tasks"] = {};
      for (const task of TASKS) {
        const t = rowTaskIndex(row, task, row.curve ? common.get(task) : undefined);
        if (t) tasks[task] = t;
      }
      byModel.set(row.model, { row, model, sizeB: denseEquivalentB(model), ageYears: ageYears(model), tasks });
    }
    const points: FamilyCurve["points"] = {};
    for (const task of TASKS) {
      const on = [...byModel.values()].filter((a) => a.row.curve && a.tasks[task]).sort((a, b) => a.sizeB - b.sizeB);
      const pts: CurvePoint[] = [];
      for (const a of on) {
        const last = pts[pts.length - 1];
        if (last && Math.abs(Math.log(a.sizeB / last.sizeB)) < 0.01) last.anchors.push(a);
        else pts.push({ sizeB: a.sizeB, value: 0, anchors: [a] });
      }
      for (const p of pts) p.value = p.anchors.reduce((s, a) => s + a.tasks[task]!.value, 0) / p.anchors.length;
      if (pts.length > 0) points[task] = pts;
    }
    curves.set(family, { family, byModel, points });
  }
  return curves;
}

let cached: Map<string, FamilyCurve> | null = null;

/** The bundled table's family curves, built once per process (on first use, after the catalog loads). */
export function familyCurves(): Map<string, FamilyCurve> {
  cached ??= buildCurves(QUALITY_TABLE, bundledModels());
  return cached;
}

/** Every anchor of the table, in table order. */
export function allAnchors(): Anchor[] {
  const byModel = new Map<string, Anchor>();
  for (const c of familyCurves().values()) for (const [id, a] of c.byModel) byModel.set(id, a);
  return QUALITY_TABLE.map((r) => byModel.get(r.model)).filter((a): a is Anchor => a !== undefined);
}
