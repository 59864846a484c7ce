// Identification of what the scan found: a GGUF model by its header (scan-headers.ts) and its names, a model folder
// by its config.json, each tied to a catalog entry, or given an entry of its own built from its header.
import path from "node:path";
import { ModelSchema, type ModelSpec } from "../catalog/schema.js";
import { headerAgrees, identifyFolder, identifyGguf } from "./identify.js";
import type { HeaderCache } from "./header-cache.js";
import { parseModelConfig } from "./model-config.js";
import { scanHeader } from "./scan-headers.js";
import type { FoundModel, InstalledModel, ServingRuntime, StoreKind } from "./types.js";
import type { ScanBudget } from "./walk.js";

export interface Candidate extends FoundModel {
  configPath: string | null;
}

/** What identification made of a candidate: a model, or nothing (`stopped`: a bound, not the file, kept it unread). */
export type Outcome = { model: InstalledModel } | { unidentified: true; stopped: boolean };

/** A model the walk found, in the store it was found in, and what identification made of it (none yet: not reached). */
export interface Found {
  rootIndex: number;
  found: Candidate;
  outcome?: Outcome;
}

export const RUNTIME_OF_FORMAT: Readonly<Record<StoreKind, (format: "gguf" | "mlx" | "safetensors") => ServingRuntime>> = {
  ollama: () => "ollama",
  lmstudio: () => "lmstudio",
  huggingface: (f) => (f === "gguf" ? "llamacpp" : f === "mlx" ? "mlx" : "vllm"),
  llamacpp: (f) => (f === "gguf" ? "llamacpp" : f === "mlx" ? "mlx" : "vllm"),
  models_dir: (f) => (f === "gguf" ? "llamacpp" : f === "mlx" ? "mlx" : "vllm"),
};

/** What identification needs of the scan: its budget, the catalog, the header cache, the entries of its own built so
 *  far (by lowercase id), and where warnings and header reads are counted. */
export interface IdentifyContext {
  budget: ScanBudget;
  catalog: readonly ModelSpec[];
  catalogIds: ReadonlySet<string>;
  cache: HeaderCache;
  own: Map<string, ModelSpec>;
  warn(w: string): void;
  onHeaderRead(): void;
}

const slug = (s: string): string => s.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 96) || "model";

/** Sets what a found model is: a catalog entry, an entry of its own, or unidentified (with a warning why, when the
 *  file is why). */
export async function identify(x: IdentifyContext, c: Found): Promise<void> {
  const { configPath, ...base } = c.found;
  const { budget } = x;
  if (c.found.format === "gguf") {
    const h = await scanHeader(c.found.path, budget, x.cache, x.onHeaderRead);
    if ("stopped" in h) {
      c.outcome = { unidentified: true, stopped: true };
      return;
    }
    if ("passing" in h || "error" in h.entry) {
      c.outcome = { unidentified: true, stopped: false };
      x.warn(`${c.found.tag ?? c.found.path}: ${"passing" in h ? h.passing : (h.entry as { error: string }).error}`);
      return;
    }
    const file = h.entry.model;
    const headerNames = [file.id.startsWith("local/") ? null : file.id, ...file.aliases].filter((n): n is string => n !== null);
    const who = identifyGguf(x.catalog, [...c.found.names, ...headerNames], file);
    const installed = { ...base, bytes: h.bytes ?? c.found.bytes, quant: h.entry.quant, architecture: file.architecture.type };
    if (who.model !== null) {
      c.outcome = { model: { ...installed, modelId: who.model.id, identifiedBy: who.by } };
      return;
    }
    const entry = ownEntry(file, c.found, x.catalogIds, x.own);
    c.outcome = { model: { ...installed, modelId: entry.id, identifiedBy: "own_entry" } };
    return;
  }
  const text = configPath === null ? null : await budget.track(`reading ${configPath}`, () => budget.io.readText(configPath)).catch(() => null);
  const config = text === null ? null : parseModelConfig(text);
  const format = config?.format ?? "safetensors";
  const runtime = RUNTIME_OF_FORMAT[c.found.store](format);
  const who = config === null ? null : identifyFolder(x.catalog, c.found.names, config);
  c.outcome =
    who === null
      ? { unidentified: true, stopped: false }
      : { model: { ...base, format, runtime, modelId: who.model.id, identifiedBy: who.by, quant: config?.quant ?? null, architecture: config?.modelType ?? null } };
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
