// Ollama's store: manifests/<registry>/<namespace>/<model>/<tag> (Docker-style JSON manifests) naming their layers by
// digest, and blobs/sha256-<hex> holding them; the layer of media type application/vnd.ollama.image.model is the GGUF.
import path from "node:path";
import { listDir, type Listing, type ScanBudget, type Visited } from "./walk.js";

const OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model";
const DEFAULT_REGISTRY = "registry.ollama.ai";
const DEFAULT_NAMESPACE = "library";

/** The model layer of a manifest: its digest and size. Null when the text is not a manifest with one. */
export function parseOllamaManifest(text: string): { digest: string; size: number | null } | null {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return null;
  }
  const layers = m !== null && typeof m === "object" ? (m as { layers?: unknown }).layers : undefined;
  if (!Array.isArray(layers)) return null;
  for (const l of layers) {
    if (l === null || typeof l !== "object") continue;
    const { mediaType, digest, size } = l as Record<string, unknown>;
    if (mediaType === OLLAMA_MODEL_LAYER && typeof digest === "string" && /^sha256[:-][0-9a-f]{64}$/.test(digest))
      return { digest, size: typeof size === "number" && Number.isInteger(size) && size >= 0 ? size : null };
  }
  return null;
}

/** Where a digest's blob is: `sha256:<hex>` is the file blobs/sha256-<hex>. */
export const blobPath = (root: string, digest: string): string => path.join(root, "blobs", digest.replace(":", "-"));

/**
 * The tag Ollama shows for a manifest path (registry, namespace, model, tag): `qwen3:8b` in the default registry's
 * library, `user/model:tag` for another namespace there, `hf.co/bartowski/Repo-GGUF:Q4_K_M` elsewhere.
 */
export function ollamaTag(registry: string, namespace: string, model: string, tag: string): string {
  if (registry === DEFAULT_REGISTRY) return namespace === DEFAULT_NAMESPACE ? `${model}:${tag}` : `${namespace}/${model}:${tag}`;
  return `${registry}/${namespace}/${model}:${tag}`;
}

export interface OllamaManifestFile {
  tag: string;
  manifest: string;
}

/** Every manifest file of the store (manifests/<registry>/<namespace>/<model>/<tag>), within the budget; the store's
 *  root is not listed again when its listing is given. */
export async function ollamaManifests(
  root: string,
  budget: ScanBudget,
  visited: Visited,
  onError: (dir: string, e: NodeJS.ErrnoException) => void,
  rootListing?: Listing,
): Promise<OllamaManifestFile[] | NodeJS.ErrnoException> {
  const out: OllamaManifestFile[] = [];
  const top = path.join(root, "manifests");
  const levels = async (dir: string, names: string[]): Promise<void> => {
    if (budget.cut !== null || !(await visited.first(dir))) return;
    const { entries, error } = await listDir(dir, budget);
    if (error !== null) {
      if (error.code !== "ENOENT") onError(dir, error);
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith(".")) continue;
      if (names.length === 3) {
        if (e.kind === "file") out.push({ tag: ollamaTag(names[0]!, names[1]!, names[2]!, e.name), manifest: e.path });
      } else if (e.kind === "dir") await levels(e.path, [...names, e.name]);
    }
  };
  const first = rootListing ?? (await listDir(root, budget));
  if (first.error !== null) return first.error;
  await levels(top, []);
  return out;
}
