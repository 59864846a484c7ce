// `nodefit bench --all-installed`: the installed models a bench can run, from the node's inventory of its model stores
// (issue 14, item 2). The bench needs only this much of an installed model; the inventory's own type has more.

/** An installed model as the bench reads it (a subset of the inventory's InstalledModel). */
export interface InstalledForBench {
  /** The catalog entry it is, or the entry built from its GGUF header. */
  modelId: string;
  /** As the estimator names it (Q4_K_M, MLX-4BIT), else as written; null when unknown. */
  quant: string | null;
  /** Who serves it from where it is. */
  runtime: "ollama" | "llamacpp" | "lmstudio" | "mlx" | "vllm";
  format: "gguf" | "mlx" | "safetensors";
  /** An Ollama tag, a Hugging Face repo, LM Studio's publisher/repo; null for a plain folder's file. */
  tag: string | null;
  /** The GGUF file (its first part) or the model's folder. */
  path: string;
}

/** Lists this node's installed models (the inventory's scan). */
export type InstalledLister = () => Promise<readonly InstalledForBench[]>;

/** How one installed model is benched, or why it is not. */
export type InstalledPlan =
  | { kind: "ollama"; model: InstalledForBench; tag: string }
  | { kind: "gguf"; model: InstalledForBench; file: string }
  | { kind: "skip"; model: InstalledForBench; why: string };

/**
 * What `--all-installed` does with each model: an Ollama tag through Ollama's API; a GGUF file in process with
 * node-llama-cpp; an MLX or safetensors folder is served by a runtime nodefit does not start, so it is left out with
 * the reason (bench it through its server with --endpoint).
 */
export function planInstalled(models: readonly InstalledForBench[]): InstalledPlan[] {
  return models.map((m): InstalledPlan => {
    if (m.runtime === "ollama" && m.tag !== null) return { kind: "ollama", model: m, tag: m.tag };
    if (m.format === "gguf") return { kind: "gguf", model: m, file: m.path };
    return { kind: "skip", model: m, why: `${m.format} model served by ${m.runtime}: bench its server with --endpoint URL --model ${m.modelId}` };
  });
}
