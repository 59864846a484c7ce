import { describe, expect, it } from "vitest";
import { bundledModels } from "../bundled.js";
import { nameIndex } from "./name-index.js";
import { nameTokens } from "./tokens.js";
import { matchWords } from "./words.js";

const idx = nameIndex(bundledModels());
const match = (words: string) => matchWords(idx, nameTokens(words));

describe("matchWords: sizes", () => {
  it("does not describe an entry by a size its name contradicts", () => {
    // Qwen3-8B is 8.19B: "9b" is within 10% of it, but its name says 8B.
    expect(match("qwen3 9b").candidates).toEqual([]);
    expect(match("mistral nemo 13b").candidates).toEqual([]);
  });

  it("takes a size that rounds the stated one, or the total of a name that states none", () => {
    expect(match("exaone 3.5 8b").model?.id).toBe("LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct");
    expect(match("llama 4 scout 109b").model?.id).toBe("meta-llama/Llama-4-Scout-17B-16E-Instruct");
    // 72B is 10% under Qwen3-Coder-Next's 79.7B: not a rounding of it.
    expect(match("qwen3 72b").candidates).toEqual([]);
  });
});
