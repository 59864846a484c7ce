// config.json's quantization read as a quant name: every quantizer's config shape nodefit knows, and what it does not.
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../domain/json.js";
import { configQuant } from "./config-quant.js";

const ct = (format: string, type: string, numBits: number, groupSize: number | null): JsonObject => ({
  quant_method: "compressed-tensors",
  format,
  config_groups: { group_0: { targets: ["Linear"], weights: { type, num_bits: numBits, group_size: groupSize, strategy: groupSize ? "group" : "channel" } } },
  ignore: ["lm_head"],
});

const CASES: [string, JsonObject, string | null, string | null, boolean][] = [
  // [what, config.json, name, label, mlx]
  ["GPTQ 4-bit", { quantization_config: { quant_method: "gptq", bits: 4, group_size: 128 } }, "GPTQ", "GPTQ", false],
  ["GPTQ 8-bit", { quantization_config: { quant_method: "gptq", bits: 8 } }, "INT8", "INT8", false],
  ["GPTQ 3-bit: no format sized so", { quantization_config: { quant_method: "gptq", bits: 3 } }, null, "gptq-3bit", false],
  ["AutoRound 4-bit", { quantization_config: { quant_method: "auto-round", bits: 4 } }, "GPTQ", "GPTQ", false],
  ["AWQ (bits)", { quantization_config: { quant_method: "awq", bits: 4, version: "gemm" } }, "AWQ", "AWQ", false],
  ["AWQ (AutoAWQ's w_bit)", { quantization_config: { quant_method: "AWQ", w_bit: 4 } }, "AWQ", "AWQ", false],
  ["AWQ 8-bit", { quantization_config: { quant_method: "awq", bits: 8 } }, "INT8", "INT8", false],
  ["bitsandbytes 4-bit", { quantization_config: { quant_method: "bitsandbytes", load_in_4bit: true, bnb_4bit_quant_type: "nf4" } }, null, "bnb-4bit", false],
  ["bitsandbytes 8-bit", { quantization_config: { quant_method: "bitsandbytes", load_in_8bit: true } }, null, "bnb-8bit", false],
  ["FP8", { quantization_config: { quant_method: "fp8", fmt: "e4m3", weight_block_size: [128, 128] } }, "FP8", "FP8", false],
  ["gpt-oss MXFP4", { quantization_config: { quant_method: "mxfp4" } }, "MXFP4-SAFETENSORS", "MXFP4-SAFETENSORS", false],
  ["compressed-tensors W4A16", { quantization_config: ct("pack-quantized", "int", 4, 128) }, "GPTQ", "GPTQ", false],
  ["compressed-tensors W8A16 (packed int8)", { quantization_config: ct("pack-quantized", "int", 8, null) }, "INT8", "INT8", false],
  ["compressed-tensors W8A8 int8", { quantization_config: ct("int-quantized", "int", 8, null) }, "INT8", "INT8", false],
  ["compressed-tensors FP8", { quantization_config: ct("float-quantized", "float", 8, null) }, "FP8", "FP8", false],
  ["compressed-tensors FP8 (naive-quantized)", { quantization_config: ct("naive-quantized", "float", 8, null) }, "FP8", "FP8", false],
  ["compressed-tensors NVFP4", { quantization_config: ct("nvfp4-pack-quantized", "float", 4, 16) }, "NVFP4", "NVFP4", false],
  ["compressed-tensors, format alone", { quantization_config: { quant_method: "compressed-tensors", format: "float-quantized" } }, "FP8", "FP8", false],
  ["compressed-tensors 2:4 sparse", { quantization_config: ct("marlin-24", "int", 2, 128) }, null, "compressed-tensors", false],
  ["ModelOpt NVFP4", { quantization_config: { quant_method: "modelopt", quant_algo: "NVFP4", kv_cache_quant_algo: "FP8" } }, "NVFP4", "NVFP4", false],
  ["ModelOpt FP8", { quantization_config: { quant_method: "modelopt", quant_algo: "FP8" } }, "FP8", "FP8", false],
  ["ModelOpt, another algorithm", { quantization_config: { quant_method: "modelopt", quant_algo: "W4A8_AWQ" } }, null, "W4A8_AWQ", false],
  ["MLX 4-bit", { quantization: { group_size: 64, bits: 4 } }, "MLX-4BIT", "MLX-4BIT", true],
  ["MLX 8-bit, with mlx-lm's quantization_config copy", { quantization: { group_size: 64, bits: 8 }, quantization_config: { group_size: 64, bits: 8 } }, "MLX-8BIT", "MLX-8BIT", true],
  ["MLX affine mode stated", { quantization: { group_size: 64, bits: 6, mode: "affine" } }, "MLX-6BIT", "MLX-6BIT", true],
  ["MLX mxfp4", { quantization: { group_size: 32, bits: 4, mode: "mxfp4" } }, "MLX-MXFP4", "MLX-MXFP4", true],
  ["MLX, a width nodefit has no format for", { quantization: { group_size: 64, bits: 7 } }, null, "MLX-7bit", true],
  ["MLX, another mode", { quantization: { group_size: 16, bits: 4, mode: "nvfp4" } }, null, "MLX-NVFP4", true],
  ["a multimodal config's text_config", { model_type: "llava", text_config: { quantization_config: { quant_method: "awq", bits: 4 } } }, "AWQ", "AWQ", false],
  ["an unknown method", { quantization_config: { quant_method: "HQQ", nbits: 4 } }, null, "hqq", false],
  ["a quantization_config without quant_method", { quantization_config: { bits: 4 } }, null, null, false],
];

describe("configQuant", () => {
  it.each(CASES)("%s", (_what, config, name, label, mlx) => {
    expect(configQuant(config)).toEqual({ name, label, mlx });
  });

  it("is null where the config states no quantization (the weights are in the dtype)", () => {
    for (const config of [{}, { torch_dtype: "bfloat16" }, { quantization: null, quantization_config: "fp8" }, { quantization: { group_size: 64 } }, { quantization_config: [] }]) {
      expect(configQuant(config), JSON.stringify(config)).toBeNull();
    }
  });
});
