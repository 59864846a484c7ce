import { describe, expect, it } from "vitest";
import { editDistance, typoBudget } from "./edit-distance.js";

describe("editDistance", () => {
  it("counts a letter added, left out, replaced, or two swapped as one mistake", () => {
    expect(editDistance("mistral", "mistral")).toBe(0);
    expect(editDistance("mistrall", "mistral")).toBe(1);
    expect(editDistance("lama", "llama")).toBe(1);
    expect(editDistance("qwen 3 9b", "qwen 3 8b")).toBe(1);
    expect(editDistance("mistrla", "mistral")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("stops at the bound: max + 1 for anything farther", () => {
    expect(editDistance("gpt 5", "gpt oss 120b", 1)).toBe(2);
    expect(editDistance("abcdef", "uvwxyz", 2)).toBe(3);
    expect(editDistance("abc", "abd", 2)).toBe(1);
  });

  it("allows one mistake per four characters, at least one", () => {
    expect([3, 4, 8, 11, 12].map(typoBudget)).toEqual([1, 1, 2, 2, 3]);
  });
});
