// The inventory a scan answers with, assembled from what it has done so far (it may go on a while, unseen, after a
// deadline it missed): each store's status, the models identified, those a bound left unidentified, the warnings.
import type { ModelSpec } from "../catalog/schema.js";
import type { HeaderCache } from "./header-cache.js";
import type { Candidate, Found } from "./scan-identify.js";
import { seconds, stallAfterMs } from "./stalled.js";
import { STORE_KINDS, type InstalledModel, type Inventory, type StoreReport } from "./types.js";
import type { ScanBudget } from "./walk.js";

/** Warnings kept per scan; the rest are counted. */
const MAX_WARNINGS = 20;

/** Models named in the warning of a scan that stopped before it identified them; the rest are counted. */
const MAX_NAMED_LEFT = 3;

/** A scan's warnings: the first MAX_WARNINGS, and a count of the rest. */
export class Warnings {
  readonly kept: string[] = [];
  left = 0;

  add(w: string): void {
    if (this.kept.length < MAX_WARNINGS) this.kept.push(w);
    else this.left += 1;
  }
}

/** Where a scan is, and what it has found and made so far. */
export interface ScanProgress {
  /** performance.now() when it began. */
  started: number;
  reports: StoreReport[];
  found: Found[];
  /** Entries built for models the catalog lacks, by lowercase id. */
  own: Map<string, ModelSpec>;
  warnings: Warnings;
  headersRead: number;
  phase: "walk" | "identify" | "done";
  /** The root walked, or whose model is identified (-1 before the first). */
  at: number;
  /** The entries counted when the walk of that root began. */
  entriesAtRoot: number;
}

/** The inventory from what the scan has done so far; `timedOut` when its deadline came first. */
export function assembleInventory(p: ScanProgress, budget: ScanBudget, cache: HeaderCache, scannedAt: Date, timedOut: boolean): Inventory {
  const now = performance.now();
  const stores = p.reports.map((r) => ({ ...r }));
  const doing = budget.doing;
  const stalled =
    timedOut && doing !== null && doing.mayHang && now - doing.since >= stallAfterMs(budget.limits.maxMs) ? `stalled: ${doing.what} has not returned after ${seconds(now - doing.since)}` : null;
  if (timedOut && p.at >= 0) {
    const current = stores[p.at]!;
    current.status = "partial";
    current.error = stalled ?? budget.cut;
    if (p.phase === "walk") current.entriesVisited = budget.entries - p.entriesAtRoot;
  }
  // Stores the walk never reached.
  if (timedOut && p.phase === "walk") for (const s of stores.slice(p.at + 1)) if (s.status === "read") Object.assign(s, { status: "partial", error: budget.cut });
  const models: InstalledModel[] = [];
  const left: Candidate[] = [];
  for (const c of p.found) {
    const store = stores[c.rootIndex]!;
    store.models += 1;
    const outcome = c.outcome;
    if (outcome !== undefined && "model" in outcome) {
      models.push(outcome.model);
      continue;
    }
    store.unidentified += 1;
    if (outcome !== undefined && !outcome.stopped) continue;
    // Found, but a bound (the time, the headers read) kept it from being identified.
    store.status = "partial";
    store.error ??= budget.cut;
    left.push(c.found);
  }
  const out = [...p.warnings.kept];
  if (p.warnings.left > 0) out.push(`... and ${p.warnings.left} more warnings`);
  if (budget.cut !== null) {
    const where = timedOut && doing !== null ? ` (${stalled ?? doing.what})` : "";
    const names = left.slice(0, MAX_NAMED_LEFT).map((f) => f.tag ?? f.path);
    const notIdentified =
      left.length > 0 ? `: ${left.length} models found were not identified (${names.join(", ")}${left.length > names.length ? ` and ${left.length - names.length} more` : ""}), and models past that are not known` : ": models past that are not known";
    out.push(`installed-model scan ${budget.cut}${where}${notIdentified}`);
    // What was read so far is kept for the next process, not only at the scan's end.
    void cache.checkpoint(true);
  }
  models.sort((a, b) => STORE_KINDS.indexOf(a.store) - STORE_KINDS.indexOf(b.store) || (a.tag ?? a.path).localeCompare(b.tag ?? b.path));
  return {
    scannedAt,
    durationMs: Math.round(now - p.started),
    complete: stores.every((r) => r.status === "read" || r.status === "missing"),
    models,
    extraModels: [...p.own.values()],
    stores,
    headersRead: p.headersRead,
    warnings: out,
  };
}
