// GGUF import: a catalog entry (ModelSpec) from a local GGUF file, with the file's exact weight bytes for the estimator.
import { basename, resolve } from "node:path";
import { localModelId } from "../local-id.js";
import { pathToFileURL } from "node:url";
import { NodefitError } from "../../domain/errors.js";
import { MAX_NAME_LENGTH } from "../../domain/limits.js";
import { paramBreakdown } from "../params.js";
import { parseReference } from "../resolve/reference.js";
import { ModelSchema, type ModelSpec } from "../schema.js";
import { architectureFromGguf } from "./architecture.js";
import { fileQuant } from "./file-quant.js";
import { readGgufHeader, type GgufHeader, type GgufValue } from "./read-gguf.js";

export interface ImportedGguf {
  /** The catalog entry; its gguf_files holds this file's exact bytes under `quant`, so the estimator uses them. */
  model: ModelSpec;
  /** Bytes of the file's tensors (all parts of a split model): what the runtime loads. */
  weightsBytes: number;
  /** Quant label of the file (the estimator's name when it knows it: "Q4_K_M", "F16", "MXFP4"). */
  quant: string;
  /** llama.cpp's file type (general.file_type), null when the file has none. */
  fileType: string | null;
  warnings: string[];
}

const str = (v: GgufValue | undefined): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);
const HF_REPO = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/([\w.-]+\/[\w.-]+)\/?$/i;

/** The model's own Hugging Face repo when the file names it (general.repo_url, general.source.*). */
function repoOf(meta: Readonly<Record<string, GgufValue>>): string | null {
  for (const k of ["general.repo_url", "general.source.url", "general.source.repo_url"]) {
    const m = HF_REPO.exec(str(meta[k]) ?? "");
    if (m && m[1]) return m[1];
  }
  const hf = str(meta["general.source.huggingface.repository"]);
  return hf && /^[\w.-]+\/[\w.-]+$/.test(hf) ? hf : null;
}


/**
 * Reads a GGUF file's header and turns it into a catalog entry: the architecture from the `<arch>.*` metadata and
 * tensor shapes, the exact parameter count and weight bytes from the tensor infos, the quant from general.file_type.
 * Throws NodefitError `invalid_input_file` for a missing, truncated or non-GGUF file, or one whose metadata
 * cannot describe a model.
 */
export async function modelFromGguf(path: string): Promise<ImportedGguf> {
  return modelFromGgufHeader(await readGgufHeader(path), path);
}

/** Where a header was read from when it is not a local file: the entry's id and sources, and the words its notes use. */
export interface GgufOrigin {
  id: string;
  sources: string[];
  /** "the Hugging Face Hub repository org/name at revision abc123". */
  where: string;
}

/**
 * The catalog entry of a header already read (`readGgufHeader`, or a remote read): as `modelFromGguf`, with the id and
 * sources of `origin` when given (else the file's own repository, or `local/<name>`, and its file URL).
 */
export function modelFromGgufHeader(header: GgufHeader, path: string, origin?: GgufOrigin): ImportedGguf {
  const arch = architectureFromGguf(header, path);
  const q = fileQuant(header);
  const meta = header.metadata;
  const fileName = basename(header.files[0] ?? path);
  const stem = parseReference(fileName).name;
  const name = str(meta["general.name"]);
  const repo = repoOf(meta);
  // Some files carry the licence's whole text in general.license, where a name belongs: past a name's length it is
  // read as no name ("unknown"), with a warning, instead of refusing the model.
  const licenseText = str(meta["general.license"]);
  const licenseWarnings =
    licenseText !== null && licenseText.length > MAX_NAME_LENGTH ? [`general.license holds ${licenseText.length} characters (a license's text, not its name): read as unknown`] : [];
  const id = origin?.id ?? repo ?? localModelId(stem);
  const aliases = [...new Set([name, stem].filter((a): a is string => a !== null && a.toLowerCase() !== id.slice(id.indexOf("/") + 1).toLowerCase()))];
  const isEmbedding = typeof meta[`${arch.architecture.type}.pooling_type`] === "number";
  const sources = origin?.sources ?? [pathToFileURL(resolve(header.files[0] ?? path)).href, ...(repo ? [`https://huggingface.co/${repo}`] : [])];
  const candidate = {
    id,
    provider: str(meta["general.organization"]) ?? (repo ? repo.slice(0, repo.indexOf("/")) : origin ? origin.id.slice(0, origin.id.indexOf("/")) : "unknown"),
    family: str(meta["general.basename"]) ?? name ?? arch.architecture.type,
    params_total: arch.paramsTotal,
    params_active: arch.architecture.moe ? Math.round(paramBreakdown(arch.architecture).activePerToken) : null,
    context_length: arch.contextLength,
    architecture: arch.architecture,
    license: licenseText === null || licenseText.length > MAX_NAME_LENGTH ? "unknown" : licenseText,
    release_date: null,
    category: isEmbedding ? "embedding" : "general",
    capabilities: isEmbedding ? ["embedding"] : [],
    ollama: [],
    gguf_sources: [],
    gguf_files: [{ quant: q.quant, bytes: header.tensorBytes, repo: fileName }],
    variants: [],
    aliases,
    sources,
    notes:
      `${origin ? `Read from the GGUF file ${fileName} of ${origin.where}` : `Imported from the GGUF file ${fileName}`}${header.files.length > 1 ? ` (${header.files.length} parts)` : ""}: ` +
      `${header.tensors.length} tensors, ${header.tensorBytes} bytes of weights, file type ${q.fileType ?? "not stated"}. ` +
      `Architecture read from the ${arch.architecture.type}.* metadata and tensor shapes; params_total counts every tensor element.`,
    // What the header left unclear about the architecture qualifies every estimate of it, not only this import's log.
    caveats: arch.warnings,
  };
  const parsed = ModelSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NodefitError(
      "invalid_input_file",
      `GGUF file ${path}: its metadata does not describe a model nodefit can estimate (${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"})`,
      { path },
    );
  }
  return {
    model: parsed.data,
    weightsBytes: header.tensorBytes,
    quant: q.quant,
    fileType: q.fileType,
    warnings: [...header.warnings, ...arch.warnings, ...q.warnings, ...licenseWarnings],
  };
}

/**
 * The catalog entry of a GGUF file as a plain JSON object, ready to paste into the `models` array of a user catalog
 * file (`nodefit catalog import FILE.gguf` prints it).
 */
export function catalogEntryOf(imported: ImportedGguf): Record<string, unknown> {
  return JSON.parse(JSON.stringify(imported.model)) as Record<string, unknown>;
}
