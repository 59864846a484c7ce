// A safetensors or MLX model folder's config.json: the shape to check a name against, and the format its weights are
// in (MLX's quantization, a quantization_config's method, else the dtype).
import { asNonEmptyString, asObject, asPositiveInt, type JsonObject } from "../domain/json.js";
import { quantName } from "../domain/quants.js";
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

/** The quant of a quantization_config (transformers, llm-compressor, ModelOpt, ...). */
function configQuant(q: JsonObject): string | null {
  const method = asNonEmptyString(q["quant_method"])?.toLowerCase() ?? null;
  const bits = asPositiveInt(q["bits"]) ?? asPositiveInt(q["w_bit"]);
  switch (method) {
    case "awq":
      return bits === 8 ? "INT8" : "AWQ";
    case "gptq":
    case "auto-round":
    case "autoround":
      return bits === 8 ? "INT8" : "GPTQ";
    case "fp8":
      return "FP8";
    case "mxfp4":
      return "MXFP4-SAFETENSORS";
    case "modelopt": {
      const algo = asNonEmptyString(q["quant_algo"])?.toUpperCase() ?? "";
      return algo.includes("NVFP4") ? "NVFP4" : algo.includes("FP8") ? "FP8" : algo || "modelopt";
    }
    case "compressed-tensors": {
      const text = JSON.stringify(q).toLowerCase();
      if (text.includes("nvfp4")) return "NVFP4";
      if (text.includes("float-quantized")) return "FP8";
      if (text.includes("pack-quantized")) return "GPTQ";
      if (text.includes("int-quantized")) return "INT8";
      return "compressed-tensors";
    }
    case "bitsandbytes":
      return q["load_in_4bit"] === true ? "bnb-4bit" : q["load_in_8bit"] === true ? "bnb-8bit" : "bitsandbytes";
    default:
      return method;
  }
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
  const text_ = asObject(c["text_config"]) ?? asObject(c["language_config"]) ?? asObject(c["llm_config"]);
  const layers = asPositiveInt(c["num_hidden_layers"]) ?? asPositiveInt(c["n_layer"]) ?? asPositiveInt(c["num_layers"]) ?? asPositiveInt(text_?.["num_hidden_layers"]);
  const hiddenSize = asPositiveInt(c["hidden_size"]) ?? asPositiveInt(c["n_embd"]) ?? asPositiveInt(c["d_model"]) ?? asPositiveInt(text_?.["hidden_size"]);
  const mlx = asObject(c["quantization"]);
  let quant: string | null;
  let format: ModelConfigFacts["format"] = "safetensors";
  if (mlx !== null && asPositiveInt(mlx["bits"]) !== null) {
    format = "mlx";
    quant = quantName(`MLX-${asPositiveInt(mlx["bits"])}bit`) ?? `MLX-${asPositiveInt(mlx["bits"])}bit`;
  } else {
    const qc = asObject(c["quantization_config"]) ?? asObject(text_?.["quantization_config"]);
    if (qc !== null) quant = configQuant(qc);
    else {
      const dtype = (asNonEmptyString(c["torch_dtype"]) ?? asNonEmptyString(c["dtype"]) ?? asNonEmptyString(text_?.["torch_dtype"]) ?? "").toLowerCase();
      quant = dtype === "bfloat16" || dtype === "float16" ? "BF16-SAFETENSORS" : dtype === "float32" ? "F32" : null;
    }
  }
  return { modelType: asNonEmptyString(c["model_type"]) ?? asNonEmptyString(text_?.["model_type"]), layers, hiddenSize, quant, format };
}
