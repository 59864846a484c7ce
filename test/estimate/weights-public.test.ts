import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { paramBreakdown } from "../../src/catalog/params.js";
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

const byId = new Map(bundledModels().map((m) => [m.id, m]));
const rows = readReferenceCsv("mem_public.csv").filter((r) => r.file_size_gb !== "" && SAME_SHAPES[r.architecture ?? ""] !== undefined);
const cases = rows.map((r) => {
  const quant = (r.quant ?? "").split(" ")[0] as string;
  return [`${r.architecture} ${quant}`, r.architecture as string, quant, Number(r.file_size_gb) * 1e9] as const;
});

// The mixes fitted from fewest files, whose residuals exceed 2% on one architecture; see quants.ts.
const LOOSER: Record<string, number> = { Q3_K_L: 0.025, Q3_K_XL: 0.025, IQ2_XXS: 0.025 };

describe("GGUF weights computed from bits per weight by tensor class match published file sizes", () => {
  it("covers the public file tables", () => {
    expect(cases.length).toBeGreaterThan(150);
  });

  it.each(cases)("%s", (_label, arch, quant, bytes) => {
    const model = byId.get(SAME_SHAPES[arch] as string);
    expect(model, `catalog lacks ${SAME_SHAPES[arch]}`).toBeDefined();
    const format = quantFormat(quant);
    expect(format, `unknown quant ${quant}`).not.toBeNull();
    const computed = computedWeights(paramBreakdown(model!.architecture), format!).totalBytes;
    const error = Math.abs(computed - bytes) / bytes;
    expect(error, `computed ${(computed / 1e9).toFixed(2)} GB vs published ${(bytes / 1e9).toFixed(2)} GB`).toBeLessThanOrEqual(LOOSER[quant] ?? 0.02);
  });
});
