import { describe, expect, it } from "vitest";
import { AnalysisCache } from "./analysis-cache.js";

describe("AnalysisCache", () => {
  it("computes once per key, evicts the least recently used, clear() drops every entry", async () => {
    const cache = new AnalysisCache(2);
    let computed = 0;
    const compute = () => {
      computed += 1;
      return Promise.resolve([]);
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

  it("never evicts the default analysis (what schedulers poll), whatever else is asked", async () => {
    const c = new AnalysisCache(2);
    let computed = 0;
    const compute = () => {
      computed += 1;
      return Promise.resolve([]);
    };
    c.getOrCompute({ contextTokens: null, forceRuntime: null }, compute);
    for (const ctx of [1000, 2000, 3000, 4000]) c.getOrCompute({ contextTokens: ctx, forceRuntime: null }, compute);
    c.getOrCompute({ contextTokens: null, forceRuntime: null }, compute);
    expect(computed).toBe(5);
    expect(c.size).toBe(2);
  });

  it("shares an analysis still running, and forgets one that failed", async () => {
    const c = new AnalysisCache(4);
    let computed = 0;
    let finish: (rows: never[]) => void = () => {};
    const slow = () => {
      computed += 1;
      return new Promise<never[]>((resolve) => (finish = resolve));
    };
    const key = { contextTokens: 4096, forceRuntime: null };
    const a = c.getOrCompute(key, slow);
    const b = c.getOrCompute(key, slow);
    finish([]);
    expect(await a).toBe(await b);
    expect(Object.isFrozen(await a)).toBe(true);
    expect(computed).toBe(1);
    const other = { contextTokens: 2048, forceRuntime: null };
    await expect(c.getOrCompute(other, () => Promise.reject(new Error("busy")))).rejects.toThrow("busy");
    await Promise.resolve();
    expect(await c.getOrCompute(other, () => Promise.resolve([]))).toEqual([]);
  });

  it("rejects a capacity below 1", () => {
    expect(() => new AnalysisCache(0)).toThrow(RangeError);
  });
});
