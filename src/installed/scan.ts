// The scan: every store read within one budget, each model found identified against the catalog (scan-identify.ts,
// headers through scan-headers.ts), and the inventory the service answers from (inventory.ts). The scan answers by its
// deadline whatever the file system does: the time is checked between entries, parts and headers, and the whole scan
// is raced against it, so a store on a filesystem that stops answering ends the scan as partial (and is left out of
// the next ones while its call has not returned: stalled.ts) instead of holding it forever.
import path from "node:path";
import { mergeCatalogs } from "../catalog/load.js";
import type { ModelSpec } from "../catalog/schema.js";
import { messageOf } from "../domain/errors.js";
import { HeaderCache } from "./header-cache.js";
import { assembleInventory, Warnings, type ScanProgress } from "./inventory.js";
import { blobPath, ollamaManifests, parseOllamaManifest } from "./ollama.js";
import { readInstalledHeader } from "./scan-headers.js";
import { identify, RUNTIME_OF_FORMAT, type Candidate, type IdentifyContext } from "./scan-identify.js";
import { earlierCallsReturned, registerStall, seconds, stalledCall, stalledGraceMs } from "./stalled.js";
import { DEFAULT_SCAN_LIMITS, listDir, realScanFs, ScanBudget, Visited, walkModels, type ModelHit, type ScanIO, type ScanLimits } from "./walk.js";
import type { Inventory, StoreRoot } from "./types.js";

export { HeaderCache, readInstalledHeader };

export interface ScanOptions {
  roots: readonly StoreRoot[];
  catalog: readonly ModelSpec[];
  cache: HeaderCache;
  limits?: Partial<ScanLimits>;
  now: () => Date;
  /** Tests: another file system or header reader (slow, hung); the rest stays the real one. */
  io?: Partial<ScanIO>;
}

/** The Hugging Face cache's folder name for a repo: models--org--name. */
const hfRepoOf = (folder: string): string | null => {
  const m = /^models--([^-].*?)--(.+)$/.exec(folder);
  return m ? `${m[1]}/${m[2]}` : null;
};

/** Reads every store and identifies what they hold, by the time limit. Never throws: what fails is a store status or
 *  a warning. */
export async function scanInstalled(o: ScanOptions): Promise<Inventory> {
  const limits: ScanLimits = { ...DEFAULT_SCAN_LIMITS, ...o.limits };
  const io: ScanIO = { ...realScanFs, readHeader: readInstalledHeader, ...o.io };
  const budget = new ScanBudget(limits, io);
  const visited = new Visited(budget);
  const p: ScanProgress = {
    started: performance.now(),
    reports: o.roots.map((root) => ({ ...root, status: "read", models: 0, unidentified: 0, entriesVisited: 0, error: null })),
    found: [],
    own: new Map(),
    warnings: new Warnings(),
    headersRead: 0,
    phase: "walk",
    at: -1,
    entriesAtRoot: 0,
  };
  const warn = (w: string): void => p.warnings.add(w);
  const candidates = p.found;
  const x: IdentifyContext = {
    budget,
    catalog: o.catalog,
    catalogIds: new Set(o.catalog.map((m) => m.id.toLowerCase())),
    cache: o.cache,
    own: p.own,
    warn,
    onHeaderRead: () => {
      p.headersRead += 1;
    },
  };

  const walkRoot = async (i: number, root: StoreRoot): Promise<void> => {
    const report = p.reports[i]!;
    const stalled = stalledCall(root.path);
    if (stalled !== undefined) {
      report.status = "partial";
      report.error = `stalled: ${stalled.what} has not returned after ${seconds(performance.now() - stalled.since)}`;
      warn(`${root.kind} store ${root.path} left out: ${report.error}`);
      return;
    }
    if (budget.cut !== null) {
      report.status = "partial";
      report.error = budget.cut;
      return;
    }
    p.at = i;
    p.entriesAtRoot = budget.entries;
    let partial = false;
    const onError = (dir: string, e: NodeJS.ErrnoException): void => {
      partial = true;
      warn(`${root.kind} store: cannot list ${dir}: ${e.code ?? e.message}`);
    };
    const add = (f: Omit<Candidate, "store" | "root" | "runtime">): void => {
      candidates.push({ rootIndex: i, found: { ...f, store: root.kind, root: root.path, runtime: RUNTIME_OF_FORMAT[root.kind](f.format) } });
    };
    const hitToCandidate = (hit: ModelHit, tag: string | null, revision: string | null, extraNames: string[]): Omit<Candidate, "store" | "root" | "runtime"> => {
      const base = path.basename(hit.path);
      if (hit.kind === "gguf") return { format: "gguf", tag, revision, path: hit.path, bytes: 0, names: [...(tag ? [tag] : []), ...extraNames, base], configPath: null };
      return { format: "safetensors", tag, revision, path: hit.path, bytes: hit.bytes, names: [...(tag ? [tag] : []), ...extraNames, base], configPath: hit.configPath };
    };

    const top = await listDir(root.path, budget);
    if (top.error !== null) {
      report.status = top.error.code === "ENOENT" || top.error.code === "ENOTDIR" ? "missing" : "unreadable";
      report.error = report.status === "missing" ? null : `${top.error.code ?? top.error.message}`;
      if (report.status === "unreadable") warn(`${root.kind} store ${root.path} cannot be read: ${report.error}`);
      report.entriesVisited = budget.entries - p.entriesAtRoot;
      return;
    }

    if (root.kind === "ollama") {
      const manifests = await ollamaManifests(root.path, budget, visited, onError, top);
      if (!(manifests instanceof Error)) {
        for (const m of manifests) {
          if (!budget.entry()) break;
          const text = await budget.track(`reading ${m.manifest}`, () => io.readText(m.manifest)).catch((e: unknown) => e as Error);
          if (text instanceof Error) {
            partial = true;
            warn(`Ollama manifest of ${m.tag} cannot be read: ${text.message}`);
            continue;
          }
          const layer = parseOllamaManifest(text);
          if (layer === null) continue; // not a model (an embedding of a projector alone, a manifest of another kind)
          add({ format: "gguf", tag: m.tag, revision: null, path: blobPath(root.path, layer.digest), bytes: layer.size ?? 0, names: [m.tag], configPath: null });
        }
      }
    } else if (root.kind === "huggingface") {
      for (const e of top.entries) {
        if (budget.cut !== null) break;
        const repo = e.kind === "dir" ? hfRepoOf(e.name) : null;
        if (repo === null) continue;
        const refFile = path.join(e.path, "refs", "main");
        const refMain = await budget.track(`reading ${refFile}`, () => io.readText(refFile)).then((t) => t.trim(), () => null);
        const snapshots = await listDir(path.join(e.path, "snapshots"), budget);
        if (snapshots.error !== null) continue; // a repo whose download never finished a file
        const revs = snapshots.entries.filter((s) => s.kind === "dir").map((s) => s.name);
        const chosen = refMain !== null && revs.includes(refMain) ? [refMain] : revs;
        for (const rev of chosen) {
          const hits = await walkModels(path.join(e.path, "snapshots", rev), budget, visited, limits.maxDepth, onError);
          for (const hit of hits) add(hitToCandidate(hit, repo, rev, []));
        }
      }
    } else {
      const hits = await walkModels(root.path, budget, visited, limits.maxDepth, onError, top);
      for (const hit of hits) {
        // LM Studio: <publisher>/<repo>/<file>; llama.cpp's cache: flat files named <owner>_<repo>_<file>.
        const parts = hit.rel.split(/[\\/]/);
        const tag = root.kind === "lmstudio" && parts.length >= 3 ? `${parts[0]}/${parts[1]}` : null;
        add(hitToCandidate(hit, tag, null, root.kind === "lmstudio" && parts.length >= 3 ? [parts[1]!] : []));
      }
    }
    report.entriesVisited = budget.entries - p.entriesAtRoot;
    if (partial || budget.cut !== null) {
      report.status = "partial";
      report.error = budget.cut ?? report.error;
    }
  };

  let identified = 0;
  const work = async (): Promise<void> => {
    const earlier = earlierCallsReturned(o.roots.map((r) => r.path));
    if (earlier !== null) {
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([earlier, new Promise((r) => (grace = setTimeout(r, stalledGraceMs(limits.maxMs))))]);
      clearTimeout(grace);
    }
    for (const [i, root] of o.roots.entries()) await walkRoot(i, root);
    // Identification: headers and configs read, each model tied to an entry or given its own, while there is time.
    p.phase = "identify";
    for (; identified < candidates.length; identified++) {
      if (budget.expired()) break;
      const c = candidates[identified]!;
      p.at = c.rootIndex;
      await identify(x, c).catch((e: unknown) => {
        c.outcome = { unidentified: true, stopped: false };
        warn(`${c.found.tag ?? c.found.path}: ${messageOf(e)}`);
      });
    }
    p.phase = "done";
  };

  // The scan raced against its deadline: a call that never returns (a hung mount) cannot hold it.
  const running = work();
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    running.then(() => {
      settled = true;
      return true;
    }),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), budget.msLeft + 1);
    }),
  ]);
  clearTimeout(timer);
  if (!finished) {
    budget.halt();
    if (p.at >= 0 && !settled) registerStall(o.roots[p.at]!.path, budget.doing, running);
  }
  return assembleInventory(p, budget, o.cache, o.now(), !finished);
}

/** The catalog with the installed models' own entries: what rows are made of. */
export function catalogWithInstalled(catalog: readonly ModelSpec[], inventory: Inventory | null): readonly ModelSpec[] {
  return inventory === null || inventory.extraModels.length === 0 ? catalog : mergeCatalogs(catalog, inventory.extraModels);
}
