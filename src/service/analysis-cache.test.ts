import { describe, expect, it } from "vitest";
import { AnalysisCache } from "./analysis-cache.js";

describe("AnalysisCache", () => {
  it("computes once per key, evicts the least recently used, clear() drops every entry", () => {
    const cache = new AnalysisCache(2);
    let computed = 0;
    const compute = () => {
      computed += 1;
      return [];
    };
    cache.getOrCompute({ contextTokens: null, forceRuntime: null }, compute);
    cache.getOrCompute({ contextTokens: null, forceRuntime: null }, compute);
    expect(computed).toBe(1);
    cache.getOrCompute({ contextTokens: 4096, forceRuntime: null }, compute);
    cache.getOrCompute({ contextTokens: null, forceRuntime: null }, compute); // touch: now most recent
    cache.getOrCompute({ contextTokens: null, forceRuntime: "mlx" }, compute); // evicts 4096
    expect(cache.size).toBe(2);
    cache.getOrCompute({ contextTokens: null, forceRuntime: null }, compute);
    expect(computed).toBe(3);
    cache.getOrCompute({ contextTokens: 4096, forceRuntime: null }, compute);
    expect(computed).toBe(4);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("never evicts the default analysis (what schedulers poll), whatever else is asked", () => {
    const c = new AnalysisCache(2);
    let computed = 0;
    const compute = () => {
      computed += 1;
      return [];
    };
    c.getOrCompute({ contextTokens: null, forceRuntime: null }, compute);
    for (const ctx of [1000, 2000, 3000, 4000]) c.getOrCompute({ contextTokens: ctx, forceRuntime: null }, compute);
    c.getOrCompute({ contextTokens: null, forceRuntime: null }, compute);
    expect(computed).toBe(5);
    expect(c.size).toBe(2);
  });

  it("rejects a capacity below 1", () => {
    expect(() => new AnalysisCache(0)).toThrow(RangeError);
  });
});
