import { describe, expect, it } from "vitest";
import { median, stat } from "./stats.js";

describe("bench statistics", () => {
  it("median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it("stat: median, range, spread; runs that did not measure are left out", () => {
    expect(stat([10, 12, 11, null])).toEqual({ median: 11, min: 10, max: 12, spread_pct: 18.2, runs: 3 });
    expect(stat([null, null])).toBeNull();
    expect(stat([])).toBeNull();
  });
});
