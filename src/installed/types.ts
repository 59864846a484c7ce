// Installed models: what the model stores on this node's disks hold (Ollama, the Hugging Face cache, LM Studio,
// llama.cpp's download cache, folders a person names), as values.
import type { ModelSpec } from "../catalog/schema.js";

/** The stores nodefit reads, in the order it reports them. */
export const STORE_KINDS = ["ollama", "huggingface", "lmstudio", "llamacpp", "models_dir"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The runtime that serves a model from where it is: Ollama's store by Ollama, a GGUF file by llama.cpp (or LM Studio
 *  from its own folder), an MLX folder by MLX, other safetensors by vLLM. */
export const SERVING_RUNTIMES = ["ollama", "llamacpp", "lmstudio", "mlx", "vllm"] as const;
export type ServingRuntime = (typeof SERVING_RUNTIMES)[number];

export const MODEL_FORMATS = ["gguf", "mlx", "safetensors"] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

export interface StoreRoot {
  kind: StoreKind;
  path: string;
  /** Where the path came from: `default`, an environment variable (`OLLAMA_MODELS`, `HF_HUB_CACHE`, `HF_HOME`,
   *  `LLAMA_CACHE`, `NODEFIT_MODELS_DIRS`), `--models-dir` or `config` (the configuration file's `models_dirs`). */
  source: string;
}

/** A model found in a store, before it is identified. */
export interface FoundModel {
  store: StoreKind;
  /** The store's root. */
  root: string;
  runtime: ServingRuntime;
  format: ModelFormat;
  /** How the store names it: an Ollama tag (`qwen3:8b`), a Hugging Face repo (`Qwen/Qwen3-8B-GGUF`), LM Studio's
   *  `publisher/repo`; null for a plain folder's file. */
  tag: string | null;
  /** The Hugging Face cache's revision (a commit hash); null elsewhere. */
  revision: string | null;
  /** The GGUF file (its first part) or the model's folder. */
  path: string;
  /** Bytes on disk: every part of a GGUF model, every weight file of a folder. */
  bytes: number;
  /** Names to identify it by, best first: the tag, the repo, the file or folder name. */
  names: string[];
}

/** How an installed model was tied to a catalog entry (or made its own). */
export const IDENTIFIED_BY = ["name_and_header", "header", "name_and_config", "name", "own_entry"] as const;
export type IdentifiedBy = (typeof IDENTIFIED_BY)[number];

export interface InstalledModel extends FoundModel {
  /** The catalog entry it is (or the entry built from its GGUF header, for a model the catalog lacks). */
  modelId: string;
  identifiedBy: IdentifiedBy;
  /** The file's quant as the estimator names it (Q4_K_M, MLX-4BIT, BF16-SAFETENSORS), else as written; null when
   *  unknown. */
  quant: string | null;
  /** The architecture its header or config names (llama, qwen3, ...); null when unknown. */
  architecture: string | null;
}

export type StoreStatus = "read" | "missing" | "partial" | "unreadable";

export interface StoreReport extends StoreRoot {
  /** `read`: every entry looked at; `missing`: no such folder; `partial`: a bound cut the walk short (files,
   *  time) or some entries could not be read; `unreadable`: the folder exists but could not be listed. */
  status: StoreStatus;
  /** Models found in it (identified or not). */
  models: number;
  /** Of those, models nodefit could not tie to a catalog entry nor build one for (a safetensors folder of an
   *  architecture the catalog lacks, a GGUF file whose header does not describe a model). */
  unidentified: number;
  entriesVisited: number;
  error: string | null;
}

export interface Inventory {
  scannedAt: Date;
  durationMs: number;
  /** Every store was read in full: a model not in `models` is not installed. */
  complete: boolean;
  models: InstalledModel[];
  /** Entries built from the GGUF headers of installed models the catalog lacks: they get rows of their own. */
  extraModels: ModelSpec[];
  stores: StoreReport[];
  /** GGUF headers read in this scan (the others came from the previous scans' cache). */
  headersRead: number;
  warnings: string[];
}
