// Schemas of installed copies and model stores: the zod form of installed.ts, for tests, the OpenAPI document and MCP.
import { z } from "zod";
import { IDENTIFIED_BY, MODEL_FORMATS, SERVING_RUNTIMES, STORE_KINDS } from "../installed/types.js";

export const InstalledAsSchema = z
  .strictObject({
    runtime: z.enum(SERVING_RUNTIMES).describe("The runtime that serves the copy from where it is."),
    store: z.enum(STORE_KINDS),
    tag: z.string().nullable().describe("The store's name for it: an Ollama tag (qwen3:8b), a Hugging Face repo, LM Studio's publisher/repo; null in a plain folder."),
    revision: z.string().nullable().describe("The Hugging Face cache's revision (commit); null elsewhere."),
    path: z.string().describe("The GGUF file (first part of a split model; an Ollama blob) or the model's folder."),
    format: z.enum(MODEL_FORMATS),
    quant: z.string().nullable().describe("From the GGUF header (general.file_type) or the config.json (MLX bits, quantization_config, dtype)."),
    bytes: z.number().int().nonnegative().describe("Bytes on disk, exact."),
    size_gb: z.number().nonnegative(),
    identified_by: z
      .enum(IDENTIFIED_BY)
      .describe("name_and_header: a name the catalog resolves, confirmed by the GGUF header's layers and width; header: the header's shape alone (one catalog entry has it); name_and_config / name: a folder's name, confirmed by its config.json when it states the shape; own_entry: a model the catalog lacks, its row built from the header."),
  })
  .describe("A copy of the model on this node's disks.");

export const StoreSchema = z
  .strictObject({
    store: z.enum(STORE_KINDS),
    path: z.string(),
    source: z.string().describe("default, the environment variable the path came from (OLLAMA_MODELS, HF_HUB_CACHE, HF_HOME, LLAMA_CACHE, NODEFIT_MODELS_DIRS), --models-dir, or config (models_dirs in the configuration file)."),
    status: z.enum(["read", "missing", "partial", "unreadable"]),
    models: z.number().int().nonnegative(),
    unidentified: z.number().int().nonnegative().describe("Models found that no catalog entry matches and no row could be built for."),
    entries_visited: z.number().int().nonnegative(),
    error: z.string().nullable(),
  })
  .describe("A model store and what reading it gave.");
