// A safetensors or MLX model folder's config.json: the shape to check a name against, and the format its weights are
// in (MLX's quantization, a quantization_config's method, else the dtype).
import { configQuant, languageConfig } from "../catalog/config-quant.js";
import { asNonEmptyString, asObject, asPositiveInt } from "../domain/json.js";
import type { ModelFormat } from "./types.js";

export interface ModelConfigFacts {
  /** `model_type` (llama, qwen3, ...). */
  modelType: string | null;
  layers: number | null;
  hiddenSize: number | null;
  /** The quant as the estimator names it where it knows it (MLX-4BIT, AWQ, FP8, BF16-SAFETENSORS), else as written. */
  quant: string | null;
  /** MLX's own format (mlx-lm's `quantization` block), else safetensors. */
  format: Exclude<ModelFormat, "gguf">;
}

/** What a config.json says; null when it is not a JSON object. */
export function parseModelConfig(text: string): ModelConfigFacts | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const c = asObject(parsed);
  if (c === null) return null;
  // Multimodal models keep the language model's shape in text_config (Gemma 3, Llama 4, Qwen2.5-VL's newer configs).
  const text_ = languageConfig(c);
  const layers = asPositiveInt(c["num_hidden_layers"]) ?? asPositiveInt(c["n_layer"]) ?? asPositiveInt(c["num_layers"]) ?? asPositiveInt(text_?.["num_hidden_layers"]);
  const hiddenSize = asPositiveInt(c["hidden_size"]) ?? asPositiveInt(c["n_embd"]) ?? asPositiveInt(c["d_model"]) ?? asPositiveInt(text_?.["hidden_size"]);
  const stated = configQuant(c);
  let quant: string | null;
  if (stated !== null) quant = stated.label;
  else {
    const dtype = (asNonEmptyString(c["torch_dtype"]) ?? asNonEmptyString(c["dtype"]) ?? asNonEmptyString(text_?.["torch_dtype"]) ?? "").toLowerCase();
    quant = dtype === "bfloat16" || dtype === "float16" ? "BF16-SAFETENSORS" : dtype === "float32" ? "F32" : null;
  }
  const format: ModelConfigFacts["format"] = stated?.mlx === true ? "mlx" : "safetensors";
  return { modelType: asNonEmptyString(c["model_type"]) ?? asNonEmptyString(text_?.["model_type"]), layers, hiddenSize, quant, format };
}
