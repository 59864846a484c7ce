// The estimator's GPU memory against users' measured peak VRAM (test/fixtures/reference/community-memory.csv), on the
// rows the memory check keeps by its stated rules: the target (median |error| <= 10%) holds.
import { describe, expect, it } from "vitest";
import { memoryChecks } from "../../scripts/calibrate/memory.js";
import { median } from "../../scripts/calibrate/fit.js";

describe("memory check", () => {
  const { checks, skipped } = memoryChecks();

  it("keeps enough rows to mean something, and says why each other row was left out", () => {
    expect(checks.length).toBeGreaterThanOrEqual(25);
    // Every left-out row has a named reason; the reasons are the stated rules, not errors of the script.
    for (const why of skipped.keys()) expect(why).not.toMatch(/^request:/);
  });

  it("median |error| <= 10%, and no kept row is off by more than 2.5x either way", () => {
    const errors = checks.map((c) => Math.abs(c.err));
    expect(median(errors)).toBeLessThanOrEqual(0.1);
    for (const c of checks) {
      const ratio = c.estimatedGib / c.measuredGib;
      expect(ratio, `${c.id} ${c.device} ${c.model} ${c.quant}`).toBeGreaterThan(0.4);
      expect(ratio, `${c.id} ${c.device} ${c.model} ${c.quant}`).toBeLessThan(2.5);
    }
  });
});
