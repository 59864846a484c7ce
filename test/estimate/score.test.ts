import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { estimate } from "../../src/estimate/estimate.js";
import { scoreEstimate } from "../../src/score/score.js";
import { machine, RTX_4090 } from "../support/machines.js";

const byId = new Map(bundledModels().map((m) => [m.id, m]));
const model = (id: string) => byId.get(id)!;

describe("scores", () => {
  it("a model that does not fit scores 0, below any model that runs however slowly", () => {
    const tight = estimate({ model: model("meta-llama/Llama-3.1-70B-Instruct"), machine: machine({ ramGib: 8 }) });
    expect(tight.fitLevel).toBe("too_tight");
    expect(scoreEstimate(tight).composite).toBe(0);
    const slow = estimate({ model: model("meta-llama/Llama-3.1-70B-Instruct"), machine: machine({ ramGib: 64, ramBandwidthGBps: 20, gpus: [{ ...RTX_4090, vramGib: 12 }] }) });
    expect(slow.fitLevel).not.toBe("too_tight");
    expect(scoreEstimate(slow).composite).toBeGreaterThan(0);
  });

  it("an unknown speed is left out of the composite, not scored as 0 tok/s", () => {
    const m = model("meta-llama/Llama-3.1-8B-Instruct");
    const known = estimate({ model: m, machine: machine({ ramGib: 64, gpus: [RTX_4090] }) });
    const unknown = estimate({ model: m, machine: machine({ ramGib: 64, gpus: [{ ...RTX_4090, bandwidthGBps: null }] }) });
    expect(unknown.speedKnown).toBe(false);
    expect(known.speedKnown).toBe(true);
    const s = scoreEstimate(unknown);
    expect(s.composite).toBeGreaterThan(50);
    expect(s.explanation.join(" ")).toMatch(/speed unknown/);
  });

  it("is deterministic and bounded for every catalog model", () => {
    const mach = machine({ ramGib: 64, gpus: [RTX_4090] });
    for (const m of bundledModels()) {
      const s = scoreEstimate(estimate({ model: m, machine: mach }));
      for (const v of [s.composite, ...Object.values(s.components)]) expect(v >= 0 && v <= 100, m.id).toBe(true);
    }
  });
});
