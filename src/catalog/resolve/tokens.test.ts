import { describe, expect, it } from "vitest";
import { nameTokens } from "./tokens.js";

describe("nameTokens", () => {
  it("reads Google's 'it' as 'instruct'", () => {
    expect(nameTokens("gemma-2-27b-it")).toEqual(["gemma", "2", "27b", "instruct"]);
    expect(nameTokens("gemma2:27b-instruct")).toEqual(["gemma", "2", "27b", "instruct"]);
  });

  it("reads a dotted version with or without its v, but keeps an undotted v", () => {
    expect(nameTokens("gemma:7b-instruct-v1.1")).toContain("1.1");
    expect(nameTokens("Mistral-7B-Instruct-v0.3")).toContain("0.3");
    expect(nameTokens("TinyLlama-1.1B-Chat-v1.0")).toContain("v1");
    expect(nameTokens("DeepSeek-V3")).toContain("v3");
  });
});
