// The scan: every store read within one budget, each model found identified against the catalog, and the inventory
// the service answers from. GGUF headers are read through the catalog's GGUF reader (the safe input-file reader: a
// regular file, the header's ranges only, never the weights), and kept between scans while the file is unchanged.
// The scan answers by its deadline whatever the file system does: the time is checked between entries, parts and
// headers, and the whole scan is raced against it, so a store on a filesystem that stops answering ends the scan as
// partial (and is left out of the next ones while its call has not returned) instead of holding it forever.
import path from "node:path";
import { readGgufHeader } from "../catalog/gguf/read-gguf.js";
import { modelFromGgufHeader, type ImportedGguf } from "../catalog/gguf/model-from-gguf.js";
export { HeaderCache };
import { mergeCatalogs } from "../catalog/load.js";
import { ModelSchema, type ModelSpec } from "../catalog/schema.js";
import { messageOf } from "../domain/errors.js";
import { MAX_GGUF_PARTS } from "../domain/limits.js";
import { HeaderCache, type HeaderEntry } from "./header-cache.js";
import { headerAgrees, identifyFolder, identifyGguf } from "./identify.js";
import { parseModelConfig } from "./model-config.js";
import { blobPath, ollamaManifests, parseOllamaManifest } from "./ollama.js";
import {
  DEFAULT_SCAN_LIMITS,
  listDir,
  realScanFs,
  ScanBudget,
  Visited,
  walkModels,
  type ModelHit,
  type ScanActivity,
  type ScanIO,
  type ScanLimits,
} from "./walk.js";
import {
  STORE_KINDS,
  type FoundModel,
  type InstalledModel,
  type Inventory,
  type ServingRuntime,
  type StoreKind,
  type StoreReport,
  type StoreRoot,
} from "./types.js";

/** Warnings kept per scan; the rest are counted. */
const MAX_WARNINGS = 20;

/** Models named in the warning of a scan that stopped before it identified them; the rest are counted. */
const MAX_NAMED_LEFT = 3;

/** Parts of a split model stat'ed at once: on a filesystem that hangs, a scan holds at most this many of libuv's
 *  threads (4 by default, shared with every other file and DNS call of the process). */
const PART_STAT_CONCURRENCY = 2;

export interface ScanOptions {
  roots: readonly StoreRoot[];
  catalog: readonly ModelSpec[];
  cache: HeaderCache;
  limits?: Partial<ScanLimits>;
  now: () => Date;
  /** Tests: another file system or header reader (slow, hung); the rest stays the real one. */
  io?: Partial<ScanIO>;
}

interface Candidate extends FoundModel {
  configPath: string | null;
}

/** What identification made of a candidate: a model, or nothing (`stopped`: a bound, not the file, kept it unread). */
type Outcome = { model: InstalledModel } | { unidentified: true; stopped: boolean };

const slug = (s: string): string => s.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 96) || "model";

const RUNTIME_OF_FORMAT: Readonly<Record<StoreKind, (format: "gguf" | "mlx" | "safetensors") => ServingRuntime>> = {
  ollama: () => "ollama",
  lmstudio: () => "lmstudio",
  huggingface: (f) => (f === "gguf" ? "llamacpp" : f === "mlx" ? "mlx" : "vllm"),
  llamacpp: (f) => (f === "gguf" ? "llamacpp" : f === "mlx" ? "mlx" : "vllm"),
  models_dir: (f) => (f === "gguf" ? "llamacpp" : f === "mlx" ? "mlx" : "vllm"),
};

/** The Hugging Face cache's folder name for a repo: models--org--name. */
const hfRepoOf = (folder: string): string | null => {
  const m = /^models--([^-].*?)--(.+)$/.exec(folder);
  return m ? `${m[1]}/${m[2]}` : null;
};

/**
 * Calls of earlier scans that had not returned when their scan answered, by store root: a filesystem that does not
 * answer (a hung network mount). While one is there, scans leave that store out (`partial`, "stalled: ..."), so hung
 * calls never pile up one per scan; it goes once the call returns. Process-wide, as the threads such calls hold are.
 */
const stalledRoots = new Map<string, { activity: ScanActivity; returned: Promise<void> }>();

/** A scan gives the calls earlier scans left on its stores this long to return (a header read finishing) before it
 *  leaves those stores out. */
const stalledGraceMs = (maxMs: number): number => Math.min(1000, maxMs / 4);

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** A call running this long when the time runs out is a stall, not a slow scan. */
const stallAfterMs = (maxMs: number): number => Math.max(100, Math.min(5000, maxMs / 2));

/** The header reader: the catalog's GGUF import of the file. */
export async function readInstalledHeader(file: string): Promise<ImportedGguf> {
  return modelFromGgufHeader(await readGgufHeader(file), file);
}

/** Reads every store and identifies what they hold, by the time limit. Never throws: what fails is a store status or
 *  a warning. */
export async function scanInstalled(o: ScanOptions): Promise<Inventory> {
  const started = performance.now();
  const limits: ScanLimits = { ...DEFAULT_SCAN_LIMITS, ...o.limits };
  const io: ScanIO = { ...realScanFs, readHeader: readInstalledHeader, ...o.io };
  const budget = new ScanBudget(limits, io);
  const visited = new Visited(budget);
  const warnings: string[] = [];
  let warningsLeft = 0;
  const warn = (w: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w);
    else warningsLeft += 1;
  };
  const reports: StoreReport[] = o.roots.map((root) => ({ ...root, status: "read", models: 0, unidentified: 0, entriesVisited: 0, error: null }));
  const candidates: Array<{ rootIndex: number; found: Candidate; outcome?: Outcome }> = [];
  const own = new Map<string, ModelSpec>();
  const catalogIds = new Set(o.catalog.map((m) => m.id.toLowerCase()));
  let headersRead = 0;
  /** Where the scan is: the root walked (or whose model is identified) and the entries counted when its walk began. */
  let phase: "walk" | "identify" | "done" = "walk";
  let at = -1;
  let entriesAtRoot = 0;

  /** The versions of a model's files (every part of a split one, in order, up to the first missing), stat'ed a few at
   *  a time, and their bytes (null when a part is missing); a refusal for a name that claims more parts than a model
   *  has, before any stat. */
  const partVersions = async (file: string): Promise<{ key: string; bytes: number | null } | { error: string } | { stopped: true }> => {
    const parts = ggufParts(file);
    if (typeof parts === "string") return { error: parts };
    const versions: string[] = [];
    let bytes: number | null = 0;
    for (let i = 0; i < parts.length && bytes !== null; i += PART_STAT_CONCURRENCY) {
      if (i > 0 && budget.expired()) return { stopped: true };
      const window = parts.slice(i, i + PART_STAT_CONCURRENCY);
      const stats = await Promise.all(window.map((p) => budget.track(`reading the size of ${p}`, () => io.stat(p)).catch((e: unknown) => e as NodeJS.ErrnoException)));
      for (const s of stats) {
        if (s instanceof Error) {
          if (versions.length === 0) return { error: `${file}: ${s.code === "ENOENT" ? "no such file" : (s.code ?? messageOf(s))}` };
          versions.push("none"); // a part not there (yet): the model is read again once it arrives
          bytes = null;
          break;
        }
        versions.push(versions.length === 0 ? `${file}|${s.size}|${s.mtimeMs}|${s.ino}` : `${s.size}|${s.mtimeMs}|${s.ino}`);
        if (bytes !== null) bytes += s.size;
      }
    }
    return { key: versions.join("|"), bytes };
  };

  /** The header of a GGUF file, from the cache when the file is unchanged (every part of a split one: a part that
   *  arrives or grows after the first, as a download goes on, is a new version of the model), and its bytes on disk. */
  const header = async (file: string): Promise<{ entry: HeaderEntry; bytes: number | null } | { stopped: true }> => {
    const v = await partVersions(file);
    if ("stopped" in v) return v;
    if ("error" in v) return { entry: v, bytes: null };
    const hit = o.cache.get(v.key);
    if (hit !== undefined) return { entry: hit, bytes: v.bytes };
    if (!budget.header()) return { stopped: true };
    headersRead += 1;
    const entry = await budget.track(`reading the GGUF header of ${file}`, () => io.readHeader(file), false).catch((e: unknown) => ({ error: messageOf(e) }));
    // Kept even when the scan's time ran out meanwhile: the next scan finds it.
    o.cache.set(v.key, entry);
    void o.cache.checkpoint();
    return { entry, bytes: v.bytes };
  };

  const identify = async (c: (typeof candidates)[number]): Promise<void> => {
    const { configPath, ...base } = c.found;
    if (c.found.format === "gguf") {
      const h = await header(c.found.path);
      if ("stopped" in h) {
        c.outcome = { unidentified: true, stopped: true };
        return;
      }
      if ("error" in h.entry) {
        c.outcome = { unidentified: true, stopped: false };
        warn(`${c.found.tag ?? c.found.path}: ${h.entry.error}`);
        return;
      }
      const file = h.entry.model;
      const headerNames = [file.id.startsWith("local/") ? null : file.id, ...file.aliases].filter((n): n is string => n !== null);
      const who = identifyGguf(o.catalog, [...c.found.names, ...headerNames], file);
      const installed = { ...base, bytes: h.bytes ?? c.found.bytes, quant: h.entry.quant, architecture: file.architecture.type };
      if (who.model !== null) {
        c.outcome = { model: { ...installed, modelId: who.model.id, identifiedBy: who.by } };
        return;
      }
      const entry = ownEntry(file, c.found, catalogIds, own);
      c.outcome = { model: { ...installed, modelId: entry.id, identifiedBy: "own_entry" } };
      return;
    }
    const text = configPath === null ? null : await budget.track(`reading ${configPath}`, () => io.readText(configPath)).catch(() => null);
    const config = text === null ? null : parseModelConfig(text);
    const format = config?.format ?? "safetensors";
    const runtime = RUNTIME_OF_FORMAT[c.found.store](format);
    const who = config === null ? null : identifyFolder(o.catalog, c.found.names, config);
    c.outcome =
      who === null
        ? { unidentified: true, stopped: false }
        : { model: { ...base, format, runtime, modelId: who.model.id, identifiedBy: who.by, quant: config?.quant ?? null, architecture: config?.modelType ?? null } };
  };

  const walkRoot = async (i: number, root: StoreRoot): Promise<void> => {
    const report = reports[i]!;
    const stalled = stalledRoots.get(root.path)?.activity;
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
    at = i;
    entriesAtRoot = budget.entries;
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
      report.entriesVisited = budget.entries - entriesAtRoot;
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
    report.entriesVisited = budget.entries - entriesAtRoot;
    if (partial || budget.cut !== null) {
      report.status = "partial";
      report.error = budget.cut ?? report.error;
    }
  };

  let identified = 0;
  const work = async (): Promise<void> => {
    const earlier = o.roots.map((r) => stalledRoots.get(r.path)?.returned).filter((p) => p !== undefined);
    if (earlier.length > 0) {
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(earlier), new Promise((r) => (grace = setTimeout(r, stalledGraceMs(limits.maxMs))))]);
      clearTimeout(grace);
    }
    for (const [i, root] of o.roots.entries()) await walkRoot(i, root);
    // Identification: headers and configs read, each model tied to an entry or given its own, while there is time.
    phase = "identify";
    for (; identified < candidates.length; identified++) {
      if (budget.expired()) break;
      const c = candidates[identified]!;
      at = c.rootIndex;
      await identify(c).catch((e: unknown) => {
        c.outcome = { unidentified: true, stopped: false };
        warn(`${c.found.tag ?? c.found.path}: ${messageOf(e)}`);
      });
    }
    phase = "done";
  };

  /** The inventory from what the scan has done so far (it may go on a while, unseen, after a deadline it missed). */
  const finish = (timedOut: boolean): Inventory => {
    const now = performance.now();
    const stores = reports.map((r) => ({ ...r }));
    const doing = budget.doing;
    const stalled = timedOut && doing !== null && doing.mayHang && now - doing.since >= stallAfterMs(limits.maxMs) ? `stalled: ${doing.what} has not returned after ${seconds(now - doing.since)}` : null;
    if (timedOut && at >= 0) {
      const current = stores[at]!;
      current.status = "partial";
      current.error = stalled ?? budget.cut;
      if (phase === "walk") current.entriesVisited = budget.entries - entriesAtRoot;
    }
    // Stores the walk never reached.
    if (timedOut && phase === "walk") for (const s of stores.slice(at + 1)) if (s.status === "read") Object.assign(s, { status: "partial", error: budget.cut });
    const models: InstalledModel[] = [];
    const left: Candidate[] = [];
    for (const c of candidates) {
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
    const out = [...warnings];
    if (warningsLeft > 0) out.push(`... and ${warningsLeft} more warnings`);
    if (budget.cut !== null) {
      const where = timedOut && doing !== null ? ` (${stalled ?? doing.what})` : "";
      const names = left.slice(0, MAX_NAMED_LEFT).map((f) => f.tag ?? f.path);
      const notIdentified =
        left.length > 0 ? `: ${left.length} models found were not identified (${names.join(", ")}${left.length > names.length ? ` and ${left.length - names.length} more` : ""}), and models past that are not known` : ": models past that are not known";
      out.push(`installed-model scan ${budget.cut}${where}${notIdentified}`);
      // What was read so far is kept for the next process, not only at the scan's end.
      void o.cache.checkpoint(true);
    }
    models.sort((a, b) => STORE_KINDS.indexOf(a.store) - STORE_KINDS.indexOf(b.store) || (a.tag ?? a.path).localeCompare(b.tag ?? b.path));
    return {
      scannedAt: o.now(),
      durationMs: Math.round(now - started),
      complete: stores.every((r) => r.status === "read" || r.status === "missing"),
      models,
      extraModels: [...own.values()],
      stores,
      headersRead,
      warnings: out,
    };
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
    if (at >= 0 && !settled) {
      const root = o.roots[at]!.path;
      const activity: ScanActivity = budget.doing ?? { what: `reading ${root}`, since: performance.now(), mayHang: true };
      const release = (): void => {
        if (stalledRoots.get(root)?.activity === activity) stalledRoots.delete(root);
      };
      stalledRoots.set(root, { activity, returned: running.then(release, release) });
    }
  }
  return finish(!finished);
}

/** The files of a GGUF model: every part of a split one (`-00001-of-00003.gguf` and its siblings), else the file; a
 *  refusal, in words, for a name claiming more parts than any model has (before any of them is looked at). */
function ggufParts(file: string): string[] | string {
  const split = /^(.*)-00001-of-(\d{5})\.gguf$/i.exec(file);
  if (!split) return [file];
  const total = Number(split[2]);
  if (total > MAX_GGUF_PARTS) return `split into ${total} parts by its name: at most ${MAX_GGUF_PARTS} are read`;
  return total < 1 ? [file] : Array.from({ length: total }, (_, i) => `${split[1]}-${String(i + 1).padStart(5, "0")}-of-${split[2]}.gguf`);
}

/**
 * The entry of an installed GGUF model the catalog lacks, built from its header: its id is the repository the header
 * cites, else `local/<its name>` (never a catalog entry's id: a file that disagrees with the entry of its name is another
 * model); an Ollama tag is kept, so the tag resolves to it. Two files of one model (two quants) share an entry.
 */
function ownEntry(file: ModelSpec, found: FoundModel, catalogIds: ReadonlySet<string>, own: Map<string, ModelSpec>): ModelSpec {
  // The header's own name, else the store's (an Ollama blob's file name is its digest, which names nothing).
  const named = file.aliases.find((a) => !/^sha256-[0-9a-f]{64}$/i.test(a));
  const fallback = `local/${slug(named ?? (found.tag !== null ? found.tag : path.basename(found.path, path.extname(found.path))))}`;
  const id = !file.id.startsWith("local/") && !catalogIds.has(file.id.toLowerCase()) ? file.id : catalogIds.has(fallback.toLowerCase()) ? `${fallback}-local` : fallback;
  const key = id.toLowerCase();
  const existing = own.get(key);
  if (existing !== undefined && headerAgrees(existing.architecture, file.architecture)) {
    const files = [...existing.gguf_files, ...file.gguf_files.filter((g) => !existing.gguf_files.some((e) => e.quant === g.quant))];
    const merged = { ...existing, gguf_files: files, ollama: [...new Set([...existing.ollama, ...(found.store === "ollama" && found.tag ? [found.tag] : [])])] };
    own.set(key, merged);
    return merged;
  }
  const finalId = existing !== undefined ? `${id}-${own.size + 1}` : id;
  const entry = ModelSchema.parse({
    ...file,
    id: finalId,
    ollama: found.store === "ollama" && found.tag ? [found.tag] : [],
    aliases: [...new Set([...file.aliases, ...(found.tag && found.store !== "ollama" ? [found.tag] : [])])],
  });
  own.set(finalId.toLowerCase(), entry);
  return entry;
}

/** The catalog with the installed models' own entries: what rows are made of. */
export function catalogWithInstalled(catalog: readonly ModelSpec[], inventory: Inventory | null): readonly ModelSpec[] {
  return inventory === null || inventory.extraModels.length === 0 ? catalog : mergeCatalogs(catalog, inventory.extraModels);
}
