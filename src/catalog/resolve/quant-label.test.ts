import { describe, expect, it } from "vitest";
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
    expect(canonicalQuant("Q2_K_XL")).toBeNull();
    expect(canonicalQuant("Q9_K")).toBeNull();
    expect(canonicalQuant(null)).toBeNull();
  });

  it("splits a trailing label off a name", () => {
    expect(splitQuant("Qwen3-8B-Q4_K_M")).toEqual({ base: "Qwen3-8B", label: "Q4_K_M" });
    expect(splitQuant("qwen3:8b")).toEqual({ base: "qwen3:8b", label: null });
    expect(splitQuant("qwen/qwen3-8b@q4_k_m")).toEqual({ base: "qwen/qwen3-8b", label: "Q4_K_M" });
  });
});
