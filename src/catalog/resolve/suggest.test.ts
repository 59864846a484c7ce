import { describe, expect, it } from "vitest";
import { bundledModels } from "../bundled.js";
import { resolveModel } from "../resolve.js";
import { didYouMean, suggestModels } from "./suggest.js";

const models = bundledModels();
const suggested = (reference: string): string[] => suggestModels(models, reference).map((s) => s.model.id);

describe("suggestModels", () => {
  it("finds the name a typo was meant for, first", () => {
    const typos: Array<[string, string]> = [
      ["lama 3.1 8b", "meta-llama/Llama-3.1-8B-Instruct"],
      ["lamma 3.1 8b", "meta-llama/Llama-3.1-8B-Instruct"],
      ["lama3.1:8b", "meta-llama/Llama-3.1-8B-Instruct"],
      ["qwen3-8", "Qwen/Qwen3-8B"],
      ["mistrall", "mistralai/Mistral-7B-Instruct-v0.3"],
      ["mistrel 7b", "mistralai/Mistral-7B-Instruct-v0.3"],
      ["deepsek-r1:8b", "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B"],
      ["gpt-oss-20", "openai/gpt-oss-20b"],
      ["Qwen3-235B-A22", "Qwen/Qwen3-235B-A22B"],
      ["gemma-3-27b-ti", "google/gemma-3-27b-it"],
      ["llama3.3:70", "meta-llama/Llama-3.3-70B-Instruct"],
    ];
    for (const [typo, meant] of typos) {
      // The resolver refuses them: a typo is never taken for a match.
      expect(resolveModel(models, typo).model, typo).toBeNull();
      expect(suggested(typo)[0], typo).toBe(meant);
      expect(suggested(typo).length, typo).toBeLessThanOrEqual(3);
    }
  });

  it("suggests nothing for models the catalog does not have", () => {
    for (const name of ["gpt-5", "claude", "claude-3.5-sonnet", "gemini 2.5 pro", "grok-4", "o3-mini", "hello world", "xyzzy 8b", "asdfqwer", "model.gguf", ""]) {
      expect(suggested(name), name).toEqual([]);
    }
  });

  it("writes a suggestion the way the reference was written: a tag for a tag, else the id", () => {
    expect(didYouMean(suggestModels(models, "lama3.1:8b"))).toBe("did you mean llama3.1:8b (meta-llama/Llama-3.1-8B-Instruct)?");
    expect(didYouMean(suggestModels(models, "mistrall")).startsWith("did you mean mistral (mistralai/Mistral-7B-Instruct-v0.3)")).toBe(true);
    expect(didYouMean(suggestModels(models, "lama 3.1 8b"))).toBe("did you mean meta-llama/Llama-3.1-8B-Instruct?");
    expect(didYouMean([])).toBe("");
  });
});
