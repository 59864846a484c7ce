import { describe, expect, it } from "vitest";
import * as nodefit from "../src/index.js";
import { rtx4090Machine } from "./http/support/machine.js";

describe("library entry", () => {
  it("exports the estimator, the analysis, detection and resolution by name", () => {
    for (const name of ["estimate", "analyzeCatalog", "detectMachine", "describeMachine", "resolveModel", "bundledModels", "buildApp", "NodefitError", "detectRuntimes", "scanInstalled", "storeRoots", "localNodeInputs"])
      expect(typeof (nodefit as Record<string, unknown>)[name], name).toBe("function");
  });

  it("resolve, estimate and analyze work together", () => {
    const models = nodefit.bundledModels();
    const model = nodefit.resolveModel(models, "qwen3:8b").model;
    expect(model?.id).toBe("Qwen/Qwen3-8B");
    const e = nodefit.estimate({ model: model!, machine: rtx4090Machine() });
    expect(e.fitLevel).not.toBe("too_tight");
    const rows = nodefit.analyzeCatalog(models.slice(0, 3), rtx4090Machine(), { contextTokens: null, forceRuntime: null });
    expect(rows).toHaveLength(3);
  });
});
