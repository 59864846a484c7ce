import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { paramBreakdown } from "../../src/catalog/params.js";
import { ggmlBitsPerWeight, tensorTypeCounts } from "../../src/estimate/gguf-mix.js";
import { computedWeights } from "../../src/estimate/weights.js";
import { quantFormat } from "../../src/estimate/quants.js";
import { readReferenceCsv } from "../support/reference.js";

/** Architectures of the public file tables -> catalog entries with the same tensor shapes. */
const SAME_SHAPES: Record<string, string> = {
  "Llama-3.1-8B": "meta-llama/Llama-3.1-8B-Instruct",
  "Llama-3-8B": "meta-llama/Meta-Llama-3-8B-Instruct",
  "Llama-3.1-70B": "meta-llama/Llama-3.1-70B-Instruct",
  "Llama-3-70B": "meta-llama/Meta-Llama-3-70B-Instruct",
  "Llama-3.2-3B": "meta-llama/Llama-3.2-3B-Instruct",
  "Qwen2.5-3B": "Qwen/Qwen2.5-3B-Instruct",
  "Qwen2.5-7B": "Qwen/Qwen2.5-7B-Instruct",
  "Qwen2.5-14B": "Qwen/Qwen2.5-14B-Instruct",
  "Qwen2.5-32B": "Qwen/Qwen2.5-32B-Instruct",
  "Qwen3-30B-A3B (MoE 30.5B total / 3.3B active)": "Qwen/Qwen3-30B-A3B-Thinking-2507",
  "Mistral-Small-24B": "mistralai/Mistral-Small-24B-Instruct-2501",
  "Mistral-7B": "mistralai/Mistral-7B-Instruct-v0.2",
  "Llama-2-13B": "meta-llama/Llama-2-13b-chat-hf",
  "TinyLlama-1.1B": "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
};

/** Every published file may differ from the computed weights by this much (GGUF metadata and norms included). */
const MAX_ERROR = 0.02;

/**
 * Files whose mix is not llama.cpp's default, so no rule of `llama_tensor_get_type` can reproduce them: the
 * 1-3-bit and Q4_K_S files of bartowski's Qwen3-30B-A3B-Thinking-2507 repo (llama.cpp b6014) keep the routed experts
 * at a recipe of their own. Evidence, checked below: the Q3_K_L file is smaller than the default Q3_K_L can be
 * (ffn_down_exps at Q5_K and every other routed-expert matrix at Q3_K already exceed it), and the IQ2_XXS file is
 * smaller than the routed experts alone at IQ2_XXS. The same repo's Q4_K_M, Q5, Q6, Q8_0, Q4_0/1 and IQ4 files follow
 * the default mix and stay under the 2% line. These rows are held to `NON_DEFAULT_MAX_ERROR` until that recipe is
 * published; every other row is held to 2%.
 */
const NON_DEFAULT_REPO = "https://huggingface.co/bartowski/Qwen_Qwen3-30B-A3B-Thinking-2507-GGUF";
const NON_DEFAULT_QUANTS = new Set(["Q4_K_S", "IQ3_M", "IQ3_XXS", "Q3_K_M", "Q3_K_L", "Q3_K_XL", "Q2_K", "Q2_K_L", "IQ2_M", "IQ2_S", "IQ2_XS", "IQ2_XXS"]);
const NON_DEFAULT_MAX_ERROR = 0.1;

const byId = new Map(bundledModels().map((m) => [m.id, m]));
const rows = readReferenceCsv("mem_public.csv").filter((r) => r.file_size_gb !== "" && SAME_SHAPES[r.architecture ?? ""] !== undefined);
const cases = rows.map((r) => {
  const quant = (r.quant ?? "").split(" ")[0] as string;
  const nonDefault = r.source_url === NON_DEFAULT_REPO && NON_DEFAULT_QUANTS.has(quant);
  return [`${r.architecture} ${quant}`, r.architecture as string, quant, Number(r.file_size_gb) * 1e9, nonDefault] as const;
});

function relativeError(arch: string, quant: string, bytes: number): { error: number; computed: number } {
  const model = byId.get(SAME_SHAPES[arch] as string);
  expect(model, `catalog lacks ${SAME_SHAPES[arch]}`).toBeDefined();
  const format = quantFormat(quant);
  expect(format, `unknown quant ${quant}`).not.toBeNull();
  const computed = computedWeights(model!.architecture, format!).totalBytes;
  return { error: Math.abs(computed - bytes) / bytes, computed };
}

describe("GGUF weights computed tensor by tensor match published file sizes", () => {
  it("covers the public file tables", () => {
    expect(cases.length).toBeGreaterThan(150);
    expect(cases.filter((c) => c[4]).length).toBe(NON_DEFAULT_QUANTS.size);
  });

  it.each(cases)("%s", (_label, arch, quant, bytes, nonDefault) => {
    const { error, computed } = relativeError(arch, quant, bytes);
    const limit = nonDefault ? NON_DEFAULT_MAX_ERROR : MAX_ERROR;
    expect(error, `computed ${(computed / 1e9).toFixed(2)} GB vs published ${(bytes / 1e9).toFixed(2)} GB`).toBeLessThanOrEqual(limit);
  });

  it("median error under 0.2% over the files that follow llama.cpp's default mixes", () => {
    const errors = cases.filter((c) => !c[4]).map(([, arch, quant, bytes]) => relativeError(arch, quant, bytes).error).sort((x, y) => x - y);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(0.002);
  });

  it("the files held apart are below what llama.cpp's default mix can make", () => {
    const a = byId.get("Qwen/Qwen3-30B-A3B-Thinking-2507")!.architecture;
    const p = paramBreakdown(a);
    const matrices = p.total - p.router - p.vision;
    const bytes = (params: number, bpw: number): number => (params * bpw) / 8;
    const published = (quant: string): number => Number(rows.find((r) => r.source_url === NON_DEFAULT_REPO && r.quant === quant)!.file_size_gb) * 1e9;
    // The router stays F32. Default Q3_K_L: ffn_down (a third of every expert) at Q5_K, every other matrix Q3_K or more.
    const router = bytes(p.router, 32);
    const q3kL = router + bytes(matrices, ggmlBitsPerWeight("Q3_K")) + bytes(p.routedExperts / 3, ggmlBitsPerWeight("Q5_K") - ggmlBitsPerWeight("Q3_K"));
    expect(published("Q3_K_L")).toBeLessThan(q3kL);
    // Default IQ2_XXS: no matrix below IQ2_XXS.
    expect(published("IQ2_XXS")).toBeLessThan(router + bytes(matrices, ggmlBitsPerWeight("IQ2_XXS")));
  });
});

describe("the tensor mix is llama.cpp's", () => {
  it("Llama-3.1-8B Q4_K_M: 193 Q4_K and 33 Q6_K matrices, as llama.cpp's load log counts them", () => {
    // A public llama.cpp load log of this file ("type q4_K: 193 tensors, type q6_K: 33 tensors"): attn_v and
    // ffn_down in 16 of the 32 layers and the output head at Q6_K, every other matrix Q4_K.
    const a = byId.get("meta-llama/Llama-3.1-8B-Instruct")!.architecture;
    expect(tensorTypeCounts({ fileType: "Q4_K_M", embeddingAndOutput: null }, a)).toEqual({ Q4_K: 193, Q6_K: 33 });
  });

  it("rows whose length is not a multiple of 256 fall back to a 32-block type (gpt-oss's 2880-wide rows)", () => {
    const a = byId.get("openai/gpt-oss-20b")!.architecture;
    const counts = tensorTypeCounts({ fileType: "Q2_K", embeddingAndOutput: null }, a);
    expect(counts.Q2_K ?? 0).toBe(0);
    // The experts stay in MXFP4, as gpt-oss was released; the head's rows do not fill a Q2_K block: Q8_0.
    expect(counts.MXFP4).toBe(24 * 3);
    expect(counts.Q8_0).toBe(1);
  });

  it("bartowski's _L / _XL files are the mix below them with embedding and head at Q8_0", () => {
    const a = byId.get("Qwen/Qwen2.5-7B-Instruct")!.architecture;
    const l = computedWeights(a, quantFormat("Q3_K_XL")!).totalBytes - computedWeights(a, quantFormat("Q3_K_L")!).totalBytes;
    const p = paramBreakdown(a);
    const expected = (p.embedding * (ggmlBitsPerWeight("Q8_0") - ggmlBitsPerWeight("Q3_K")) + p.output * (ggmlBitsPerWeight("Q8_0") - ggmlBitsPerWeight("Q6_K"))) / 8;
    expect(l).toBeCloseTo(expected, -3);
  });
});
