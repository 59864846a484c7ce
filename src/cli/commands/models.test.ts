import { describe, expect, it } from "vitest";
import { filtersJson } from "../../query/filters-json.js";
import { parseModelQuery } from "../../query/model-query.js";
import { rawQueryOfFlags } from "./models.js";

describe("models flags", () => {
  it("map onto the query keys", () => {
    const raw = rawQueryOfFlags({
      limit: "3",
      perfect: true,
      minFit: "good",
      runtime: "llamacpp",
      useCase: "coding",
      provider: "qwen",
      search: "coder",
      sort: "tps",
      maxContext: "16384",
      includeTooTight: false,
      forceRuntime: "vllm",
      installed: true,
    });
    expect(filtersJson(parseModelQuery(raw, "models"))).toEqual({
      limit: 3,
      perfect: true,
      min_fit: "good",
      runtime: "llamacpp",
      use_case: "coding",
      provider: "qwen",
      search: "coder",
      sort: "tps",
      max_context: 16384,
      include_too_tight: false,
      top_only: false,
      force_runtime: "vllm",
      installed: true,
    });
  });

  it("give the API's error texts", () => {
    expect(() => parseModelQuery(rawQueryOfFlags({ minFit: "best" }), "models")).toThrow("invalid min_fit value: use perfect|good|marginal|too_tight");
  });
});
