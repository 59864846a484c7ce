// config.json's quantization (MLX's block; transformers', llm-compressor's, ModelOpt's quantization_config) as a quant name.
import { asNonEmptyString, asObject, asPositiveInt, type JsonObject } from "../domain/json.js";
import { quantName, type QuantName } from "../domain/quants.js";

/** What a config.json says about its quantization. */
export interface ConfigQuant {
  /** The quant as the estimator names it; null where nodefit has no format for it (bitsandbytes, HQQ, 3-bit GPTQ, ...). */
  name: QuantName | null;
  /**
   * `name`, else what the config calls the format (bnb-4bit, ModelOpt's quant_algo, the quant_method as written), for
   * people; null when the config says the weights are quantized but not how (a quantization_config without quant_method).
   */
  label: string | null;
  /** MLX's `quantization` block said it: the weights are mlx-lm's. */
  mlx: boolean;
}

const known = (name: QuantName): ConfigQuant => ({ name, label: name, mlx: false });
const unnamed = (label: string | null): ConfigQuant => ({ name: null, label, mlx: false });

/** 4-bit integer weights at group 128 (AWQ, GPTQ, AutoRound) or 8-bit (INT8); other widths nodefit does not size. */
function intWeights(format: "AWQ" | "GPTQ", method: string, bits: number | null): ConfigQuant {
  if (bits === null || bits === 4) return known(format);
  return bits === 8 ? known("INT8") : unnamed(`${method}-${bits}bit`);
}

/** mlx-lm's block: `{group_size, bits}` (affine), or with `mode` (mxfp4, ...) in newer mlx-lm. Null without bits or mode. */
function mlxQuant(block: JsonObject): ConfigQuant | null {
  const mode = asNonEmptyString(block["mode"])?.toLowerCase() ?? "affine";
  const bits = asPositiveInt(block["bits"]);
  if (mode === "mxfp4") return { name: "MLX-MXFP4", label: "MLX-MXFP4", mlx: true };
  if (mode !== "affine") return { name: null, label: `MLX-${mode.toUpperCase()}`, mlx: true };
  if (bits === null) return null;
  const name = quantName(`MLX-${bits}BIT`);
  return { name, label: name ?? `MLX-${bits}bit`, mlx: true };
}

/**
 * llm-compressor's compressed-tensors: the first config group's weights (`type` int / float, `num_bits`), else the
 * storage `format` (nvfp4-pack-quantized, float-quantized, int-quantized, pack-quantized).
 */
function compressedTensors(q: JsonObject): ConfigQuant {
  const format = asNonEmptyString(q["format"])?.toLowerCase() ?? "";
  const group = Object.values(asObject(q["config_groups"]) ?? {})[0];
  const weights = asObject(asObject(group)?.["weights"]);
  const bits = asPositiveInt(weights?.["num_bits"]);
  const type = asNonEmptyString(weights?.["type"])?.toLowerCase() ?? null;
  if (format.includes("nvfp4") || (type === "float" && bits === 4 && asPositiveInt(weights?.["group_size"]) === 16)) return known("NVFP4");
  if ((type === "float" && bits === 8) || (bits === null && format === "float-quantized")) return known("FP8");
  if ((type === "int" && bits === 8) || (bits === null && format === "int-quantized")) return known("INT8");
  if ((type === "int" && bits === 4) || (bits === null && format === "pack-quantized")) return known("GPTQ");
  return unnamed("compressed-tensors");
}

/** A quantization_config by its quant_method. */
function quantizationConfig(q: JsonObject): ConfigQuant {
  const method = asNonEmptyString(q["quant_method"])?.toLowerCase() ?? null;
  const bits = asPositiveInt(q["bits"]) ?? asPositiveInt(q["w_bit"]);
  switch (method) {
    case null:
      return unnamed(null);
    case "awq":
      return intWeights("AWQ", method, bits);
    case "gptq":
    case "auto-round":
    case "autoround":
      return intWeights("GPTQ", method, bits);
    case "fp8":
      return known("FP8");
    case "mxfp4":
      return known("MXFP4-SAFETENSORS");
    case "modelopt": {
      const algo = asNonEmptyString(q["quant_algo"])?.toUpperCase() ?? "";
      return algo.includes("NVFP4") ? known("NVFP4") : algo.includes("FP8") ? known("FP8") : unnamed(algo || method);
    }
    case "compressed-tensors":
      return compressedTensors(q);
    case "bitsandbytes":
      return unnamed(q["load_in_4bit"] === true ? "bnb-4bit" : q["load_in_8bit"] === true ? "bnb-8bit" : method);
    default:
      return unnamed(method);
  }
}

/** A multimodal config's language-model block (text_config, language_config, llm_config); null for a text-only config. */
export const languageConfig = (config: JsonObject): JsonObject | null =>
  asObject(config["text_config"]) ?? asObject(config["language_config"]) ?? asObject(config["llm_config"]);

/**
 * The quantization a parsed config.json states: MLX's `quantization` block first (mlx-lm writes a copy of it as
 * quantization_config too), else the quantization_config at the top or in the language model's part of a multimodal
 * config (text_config, language_config, llm_config). Null when it states none: the weights are in the dtype.
 */
export function configQuant(config: JsonObject): ConfigQuant | null {
  const block = asObject(config["quantization"]);
  const mlx = block === null ? null : mlxQuant(block);
  if (mlx !== null) return mlx;
  const text = languageConfig(config);
  const q = asObject(config["quantization_config"]) ?? asObject(text?.["quantization_config"]);
  return q === null ? null : quantizationConfig(q);
}
