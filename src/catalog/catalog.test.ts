import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bundledModels } from "./bundled.js";
import { paramBreakdown } from "./params.js";

const models = bundledModels();

describe("bundled catalog", () => {
  it("loads and validates", () => {
    expect(models.length).toBeGreaterThan(0);
  });

  it("is counted as the README says", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const families = new Set(models.map((m) => m.family)).size;
    expect(readme).toContain(`${models.length} open-weight models in ${families} families`);
  });

  it("has no duplicate ids across files", () => {
    const ids = models.map((m) => m.id.toLowerCase());
    expect(ids.length).toBe(new Set(ids).size);
  });

  it.each(models.map((m) => [m.id, m] as const))("%s: parameters recomputed from the architecture agree within 3%%", (_id, m) => {
    const p = paramBreakdown(m.architecture);
    const err = Math.abs(p.total - m.params_total) / m.params_total;
    expect(err, `recomputed ${p.total} vs stated ${m.params_total}`).toBeLessThanOrEqual(0.03);
  });

  it.each(models.filter((m) => m.params_active !== null).map((m) => [m.id, m] as const))(
    "%s: active parameters agree with the architecture within 15%%",
    (_id, m) => {
      const p = paramBreakdown(m.architecture);
      const stated = m.params_active ?? 0;
      // Vendors differ on whether the embedding table counts as active; the recomputation counts the LM head.
      const err = Math.abs(p.activePerToken - stated) / stated;
      expect(err, `recomputed ${p.activePerToken} vs stated ${stated}`).toBeLessThanOrEqual(0.15);
    },
  );
});
