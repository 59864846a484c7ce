// A safetensors or MLX model folder's config.json: the shape to check a name against, and the format its weights are
// in (MLX's quantization, a quantization_config's method, else the dtype).
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

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | null => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);
const posInt = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/** The quant of a quantization_config (transformers, llm-compressor, ModelOpt, ...). */
function configQuant(q: Json): string | null {
  const method = str(q["quant_method"])?.toLowerCase() ?? null;
  const bits = posInt(q["bits"]) ?? posInt(q["w_bit"]);
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
      const algo = str(q["quant_algo"])?.toUpperCase() ?? "";
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
  const c = obj(parsed);
  if (c === null) return null;
  // Multimodal models keep the language model's shape in text_config (Gemma 3, Llama 4, Qwen2.5-VL's newer configs).
  const text_ = obj(c["text_config"]) ?? obj(c["language_config"]) ?? obj(c["llm_config"]);
  const layers = posInt(c["num_hidden_layers"]) ?? posInt(c["n_layer"]) ?? posInt(c["num_layers"]) ?? posInt(text_?.["num_hidden_layers"]);
  const hiddenSize = posInt(c["hidden_size"]) ?? posInt(c["n_embd"]) ?? posInt(c["d_model"]) ?? posInt(text_?.["hidden_size"]);
  const mlx = obj(c["quantization"]);
  let quant: string | null;
  let format: ModelConfigFacts["format"] = "safetensors";
  if (mlx !== null && posInt(mlx["bits"]) !== null) {
    format = "mlx";
    quant = quantName(`MLX-${posInt(mlx["bits"])}bit`) ?? `MLX-${posInt(mlx["bits"])}bit`;
  } else {
    const qc = obj(c["quantization_config"]) ?? obj(text_?.["quantization_config"]);
    if (qc !== null) quant = configQuant(qc);
    else {
      const dtype = (str(c["torch_dtype"]) ?? str(c["dtype"]) ?? str(text_?.["torch_dtype"]) ?? "").toLowerCase();
      quant = dtype === "bfloat16" || dtype === "float16" ? "BF16-SAFETENSORS" : dtype === "float32" ? "F32" : null;
    }
  }
  return { modelType: str(c["model_type"]) ?? str(text_?.["model_type"]), layers, hiddenSize, quant, format };
}
