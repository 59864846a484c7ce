import { describe, expect, it } from "vitest";
import { formatOf, quantName } from "../../domain/quants.js";
import { canonicalQuant, splitQuant } from "./quant-label.js";

describe("canonicalQuant", () => {
  it("names file types and labels by the quant the estimator sizes them as", () => {
    expect(canonicalQuant("Q4_K_M")).toBe("Q4_K_M");
    expect(canonicalQuant("ud-iq1_s")).toBe("IQ1_S");
    expect(canonicalQuant("MXFP4_MOE")).toBe("MXFP4");
    expect(canonicalQuant("Q4_0_4_4")).toBe("Q4_0");
    expect(canonicalQuant("Q4_0_8_8")).toBe("Q4_0");
    expect(canonicalQuant("Q4_1_SOME_F16")).toBe("Q4_1");
    expect(canonicalQuant("Q4_K_XL")).toBe("Q4_K_M");
    expect(canonicalQuant("Q3_K_XL")).toBe("Q3_K_XL");
    expect(canonicalQuant("UD-Q3_K_XL")).toBe("Q3_K_M");
    expect(canonicalQuant("Q2_K_XL")).toBe("Q2_K");
    expect(canonicalQuant("UD-Q2_K_XL")).toBe("Q2_K");
    expect(canonicalQuant("UD-Q6_K_XL")).toBe("Q6_K");
    expect(canonicalQuant("Q8_K_XL")).toBe("Q8_0");
    expect(canonicalQuant("UD-IQ2_XXS")).toBe("IQ2_XXS");
    expect(canonicalQuant("UD-TQ1_0")).toBeNull();
    expect(canonicalQuant("Q9_K")).toBeNull();
    expect(canonicalQuant(null)).toBeNull();
  });

  it("splits a trailing label off a name", () => {
    expect(splitQuant("Qwen3-8B-Q4_K_M")).toEqual({ base: "Qwen3-8B", label: "Q4_K_M" });
    expect(splitQuant("qwen3:8b")).toEqual({ base: "qwen3:8b", label: null });
    expect(splitQuant("qwen/qwen3-8b@q4_k_m")).toEqual({ base: "qwen/qwen3-8b", label: "Q4_K_M" });
  });
});

describe("quantName: quants as quantizers publish them", () => {
  it.each([
    ["Q4_K_XL", "Q4_K_M"],
    ["UD-Q4_K_XL", "Q4_K_M"],
    ["ud-q5_k_xl", "Q5_K_M"],
    ["UD-Q6_K_XL", "Q6_K"],
    ["Q8_K_XL", "Q8_0"],
    ["UD-IQ1_M", "IQ1_M"],
    ["Q4_K", "Q4_K_M"],
    ["Q4_0 (QAT)", "Q4_0"],
    ["q4_0-qat", "Q4_0"],
    ["INT8", "INT8"],
    ["W8A8", "INT8"],
    ["INT8_W8A16", "INT8"],
    ["int8-w8a8", "INT8"],
    ["GPTQ4", "GPTQ"],
    ["GPTQ-Int4", "GPTQ"],
    ["gptq", "GPTQ"],
    ["AWQ-4bit", "AWQ"],
    ["awq int4", "AWQ"],
    ["int4-AutoRound", "GPTQ"],
    ["AutoRound", "GPTQ"],
    ["W4A16", "GPTQ"],
    ["MLX-4bit", "MLX-4BIT"],
    ["MLX 4-bit", "MLX-4BIT"],
    ["mlx-2bit", "MLX-2BIT"],
    ["mlx-3bit", "MLX-3BIT"],
    ["MLX-6bit", "MLX-6BIT"],
    ["8bit", "MLX-8BIT"],
    ["FP8 dynamic", "FP8"],
    ["FP8-Dynamic", "FP8"],
    ["NVFP4", "NVFP4"],
    ["MXFP4", "MXFP4"],
    ["bf16-safetensors", "BF16-SAFETENSORS"],
  ])("%s -> %s", (text, name) => {
    expect(quantName(text)).toBe(name);
  });

  it("knows no quant it cannot size", () => {
    for (const text of ["2bit-ternary", "TQ1_0", "Q9_K", "", "  ", "(QAT)", "bnb-4bit", "MLX (ollama -mlx tag, bits unstated)"]) expect(quantName(text), text).toBeNull();
  });

  it("sizes the new formats by their layouts", () => {
    expect(formatOf("INT8").bits).toMatchObject({ attention: 8.01, ffn: 8.01, embedding: 16, output: 16 });
    for (const [name, bits] of [["MLX-2BIT", 2.5], ["MLX-3BIT", 3.5], ["MLX-5BIT", 5.5], ["MLX-6BIT", 6.5]] as const) {
      expect(formatOf(name).bits).toMatchObject({ attention: bits, ffn: bits, embedding: bits, output: bits });
      expect(formatOf(name).container).toBe("mlx");
    }
  });
});
