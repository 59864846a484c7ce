// The scan: every store read within one budget, each model found identified against the catalog, and the inventory
// the service answers from. GGUF headers are read through the catalog's GGUF reader (the safe input-file reader: a
// regular file, the header's ranges only, never the weights), and kept between scans while the file is unchanged.
import { stat } from "node:fs/promises";
import path from "node:path";
import { modelFromGguf, type ImportedGguf } from "../catalog/gguf/model-from-gguf.js";
export { HeaderCache };
import { mergeCatalogs } from "../catalog/load.js";
import { ModelSchema, type ModelSpec } from "../catalog/schema.js";
import { messageOf } from "../domain/errors.js";
import { readInputFile } from "../domain/read-input-file.js";
import { HeaderCache } from "./header-cache.js";
import { headerAgrees, identifyFolder, identifyGguf } from "./identify.js";
import { parseModelConfig } from "./model-config.js";
import { blobPath, ollamaManifests, parseOllamaManifest } from "./ollama.js";
import { DEFAULT_SCAN_LIMITS, listDir, ScanBudget, Visited, walkModels, type ModelHit, type ScanLimits } from "./walk.js";
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

export interface ScanOptions {
  roots: readonly StoreRoot[];
  catalog: readonly ModelSpec[];
  cache: HeaderCache;
  limits?: Partial<ScanLimits>;
  now: () => Date;
}

interface Candidate extends FoundModel {
  /** The header, for a GGUF file; the config, for a folder. */
  gguf: ImportedGguf | null;
  configPath: string | null;
}

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

/** Reads every store and identifies what they hold. Never throws: what fails is a store status or a warning. */
export async function scanInstalled(o: ScanOptions): Promise<Inventory> {
  const started = performance.now();
  const limits: ScanLimits = { ...DEFAULT_SCAN_LIMITS, ...o.limits };
  const budget = new ScanBudget(limits);
  const visited = new Visited();
  const warnings: string[] = [];
  let warningsLeft = 0;
  const warn = (w: string): void => {
    if (warnings.length < MAX_WARNINGS) warnings.push(w);
    else warningsLeft += 1;
  };
  const reports: StoreReport[] = [];
  const candidates: Array<{ report: StoreReport; found: Candidate }> = [];
  let headersRead = 0;

  /** The header of a GGUF file, from the cache when the file is unchanged (every part of a split one: a part that
   *  arrives or grows after the first, as a download goes on, is a new version of the model). */
  const header = async (file: string): Promise<ImportedGguf | { error: string }> => {
    const s = await stat(file).catch((e: unknown) => e as NodeJS.ErrnoException);
    if (s instanceof Error) return { error: `${file}: ${s.code === "ENOENT" ? "no such file" : (s.code ?? messageOf(s))}` };
    const later = await Promise.all(
      ggufParts(file)
        .slice(1)
        .map((p) => stat(p).then((ps) => `${ps.size}|${ps.mtimeMs}|${ps.ino}`, () => "none")),
    );
    const key = [`${file}|${s.size}|${s.mtimeMs}|${s.ino}`, ...later].join("|");
    const hit = o.cache.get(key);
    if (hit !== undefined) return hit;
    if (!budget.header()) return { error: budget.cut ?? "scan budget spent" };
    headersRead += 1;
    const read = await modelFromGguf(file).catch((e: unknown) => ({ error: messageOf(e) }));
    o.cache.set(key, read);
    return read;
  };

  for (const root of o.roots) {
    const report: StoreReport = { ...root, status: "read", models: 0, unidentified: 0, entriesVisited: 0, error: null };
    reports.push(report);
    if (budget.cut !== null) {
      report.status = "partial";
      report.error = budget.cut;
      continue;
    }
    const before = budget.entries;
    let partial = false;
    const onError = (dir: string, e: NodeJS.ErrnoException): void => {
      partial = true;
      warn(`${root.kind} store: cannot list ${dir}: ${e.code ?? e.message}`);
    };
    const add = (f: Omit<Candidate, "store" | "root" | "runtime">): void => {
      candidates.push({ report, found: { ...f, store: root.kind, root: root.path, runtime: RUNTIME_OF_FORMAT[root.kind](f.format) } });
    };
    const hitToCandidate = (hit: ModelHit, tag: string | null, revision: string | null, extraNames: string[]): Omit<Candidate, "store" | "root" | "runtime"> => {
      const base = path.basename(hit.path);
      if (hit.kind === "gguf") return { format: "gguf", tag, revision, path: hit.path, bytes: 0, names: [...(tag ? [tag] : []), ...extraNames, base], gguf: null, configPath: null };
      return { format: "safetensors", tag, revision, path: hit.path, bytes: hit.bytes, names: [...(tag ? [tag] : []), ...extraNames, base], gguf: null, configPath: hit.configPath };
    };

    const top = await listDir(root.path, budget);
    if (top.error !== null) {
      report.status = top.error.code === "ENOENT" || top.error.code === "ENOTDIR" ? "missing" : "unreadable";
      report.error = report.status === "missing" ? null : `${top.error.code ?? top.error.message}`;
      if (report.status === "unreadable") warn(`${root.kind} store ${root.path} cannot be read: ${report.error}`);
      report.entriesVisited = budget.entries - before;
      continue;
    }

    if (root.kind === "ollama") {
      const manifests = await ollamaManifests(root.path, budget, visited, onError);
      if (!(manifests instanceof Error)) {
        for (const m of manifests) {
          if (!budget.entry()) break;
          const text = await readInputFile(m.manifest, "store").then((r) => r.text, (e: unknown) => e as Error);
          if (text instanceof Error) {
            partial = true;
            warn(`Ollama manifest of ${m.tag} cannot be read: ${text.message}`);
            continue;
          }
          const layer = parseOllamaManifest(text);
          if (layer === null) continue; // not a model (an embedding of a projector alone, a manifest of another kind)
          add({ format: "gguf", tag: m.tag, revision: null, path: blobPath(root.path, layer.digest), bytes: layer.size ?? 0, names: [m.tag], gguf: null, configPath: null });
        }
      }
    } else if (root.kind === "huggingface") {
      for (const e of top.entries) {
        if (budget.cut !== null) break;
        const repo = e.kind === "dir" ? hfRepoOf(e.name) : null;
        if (repo === null) continue;
        const refMain = await readInputFile(path.join(e.path, "refs", "main"), "store").then((r) => r.text.trim(), () => null);
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
      const hits = await walkModels(root.path, budget, visited, limits.maxDepth, onError);
      for (const hit of hits) {
        // LM Studio: <publisher>/<repo>/<file>; llama.cpp's cache: flat files named <owner>_<repo>_<file>.
        const parts = hit.rel.split(/[\\/]/);
        const tag = root.kind === "lmstudio" && parts.length >= 3 ? `${parts[0]}/${parts[1]}` : null;
        add(hitToCandidate(hit, tag, null, root.kind === "lmstudio" && parts.length >= 3 ? [parts[1]!] : []));
      }
    }
    report.entriesVisited = budget.entries - before;
    if (partial || budget.cut !== null) {
      report.status = "partial";
      report.error = budget.cut ?? report.error;
    }
  }

  // Identification: headers and configs read, each model tied to an entry or given its own.
  const models: InstalledModel[] = [];
  const own = new Map<string, ModelSpec>();
  const catalogIds = new Set(o.catalog.map((m) => m.id.toLowerCase()));
  for (const { report, found } of candidates) {
    report.models += 1;
    const { gguf: _g, configPath, ...base } = found;
    if (found.format === "gguf") {
      const h = await header(found.path);
      if ("error" in h) {
        report.unidentified += 1;
        if (h.error.startsWith("stopped after")) report.status = "partial";
        else warn(`${found.tag ?? found.path}: ${h.error}`);
        continue;
      }
      const file = h.model;
      const headerNames = [file.id.startsWith("local/") ? null : file.id, ...file.aliases].filter((n): n is string => n !== null);
      const who = identifyGguf(o.catalog, [...found.names, ...headerNames], file);
      const installed = { ...base, bytes: (await ggufFileBytes(found.path)) ?? found.bytes, quant: h.quant, architecture: file.architecture.type };
      if (who.model !== null) {
        models.push({ ...installed, modelId: who.model.id, identifiedBy: who.by });
        continue;
      }
      const entry = ownEntry(file, found, catalogIds, own);
      models.push({ ...installed, modelId: entry.id, identifiedBy: "own_entry" });
    } else {
      const text = configPath === null ? null : await readInputFile(configPath, "store").then((r) => r.text, () => null);
      const config = text === null ? null : parseModelConfig(text);
      const format = config?.format ?? "safetensors";
      const runtime = RUNTIME_OF_FORMAT[found.store](format);
      const who = config === null ? null : identifyFolder(o.catalog, found.names, config);
      if (who === null) {
        report.unidentified += 1;
        continue;
      }
      models.push({ ...base, format, runtime, modelId: who.model.id, identifiedBy: who.by, quant: config?.quant ?? null, architecture: config?.modelType ?? null });
    }
  }
  if (warningsLeft > 0) warnings.push(`... and ${warningsLeft} more warnings`);
  if (budget.cut !== null) warnings.push(`installed-model scan ${budget.cut}: models past that are not known`);
  models.sort((a, b) => STORE_KINDS.indexOf(a.store) - STORE_KINDS.indexOf(b.store) || (a.tag ?? a.path).localeCompare(b.tag ?? b.path));
  return {
    scannedAt: o.now(),
    durationMs: Math.round(performance.now() - started),
    complete: reports.every((r) => r.status === "read" || r.status === "missing"),
    models,
    extraModels: [...own.values()],
    stores: reports,
    headersRead,
    warnings,
  };
}

/** The files of a GGUF model: every part of a split one (`-00001-of-00003.gguf` and its siblings), else the file. */
function ggufParts(file: string): string[] {
  const split = /^(.*)-00001-of-(\d{5})\.gguf$/i.exec(file);
  return split ? Array.from({ length: Number(split[2]) }, (_, i) => `${split[1]}-${String(i + 1).padStart(5, "0")}-of-${split[2]}.gguf`) : [file];
}

/** Bytes of a GGUF model on disk: every part of a split one. */
async function ggufFileBytes(file: string): Promise<number | null> {
  let total = 0;
  for (const p of ggufParts(file)) {
    const s = await stat(p).catch(() => null);
    if (s === null) return null;
    total += s.size;
  }
  return total;
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
