import { describe, expect, it } from "vitest";
import { memoryGib } from "./row.js";

const GIB = 2 ** 30;

describe("memoryGib", () => {
  it("rounds required from its own bytes, so it never prints above an available it fits in; the parts still add up", () => {
    const part = 2.006 * GIB;
    const m = {
      weightsBytes: 1.006 * GIB,
      kvCacheBytes: part,
      overheadBytes: part,
      requiredBytes: 1.006 * GIB + 2 * part,
      availableBytes: 5.0185 * GIB,
      gpuBytes: 1.006 * GIB + 2 * part,
      ramBytes: 0,
    };
    const g = memoryGib(m);
    // Each part rounded alone sums to 5.03, above the 5.02 available the model fits in.
    expect(g.required).toBe(5.02);
    expect(g.available).toBe(5.02);
    expect(Math.round((g.weights + g.kvCache + g.overhead) * 100) / 100).toBe(g.required);
    expect(Math.round((g.gpu + g.ram) * 100) / 100).toBe(g.required);
    expect([g.weights, g.kvCache, g.overhead].sort()).toEqual([1.01, 2.0, 2.01]);
  });
});
