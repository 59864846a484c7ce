// The node's correction: which benchmarks count, the median and its bound, and what an estimate of the same kind
// becomes (speed, range, alternatives, basis, notes), while other kinds stay as they were.
import { describe, expect, it } from "vitest";
import { CorrectionTable, correctEstimate, estimateDevice, nodeCorrections } from "../../src/bench/correction.js";
import { NodeMeasurements } from "../../src/bench/node-measurements.js";
import { bundledModels } from "../../src/catalog/bundled.js";
import type { BenchmarkJson } from "../../src/contract/benchmarks.js";
import { estimate } from "../../src/estimate/estimate.js";
import { analyzeCatalog } from "../../src/service/analyze.js";
import { sampleBenchmark } from "../support/benchmarks.js";
import { machine, RTX_4090 } from "../support/machines.js";

let nextId = 1;
const stored = (over: Parameters<typeof sampleBenchmark>[0] = {}): BenchmarkJson => ({ id: nextId++, recorded_at: "2026-01-01T00:00:00.000Z", ...sampleBenchmark(over) });
const withRatio = (ratio: number, over: Parameters<typeof sampleBenchmark>[0] = {}): BenchmarkJson => {
  const b = stored(over);
  return { ...b, measured_vs_estimated: ratio, decode_tps: { ...b.decode_tps, median: ratio * b.estimate!.estimated_tps } };
};

describe("nodeCorrections", () => {
  it("one correction per kind: the median of measured/estimated over its benchmarks", () => {
    const c = nodeCorrections([withRatio(0.8, { model: "a" }), withRatio(1.0, { model: "b" }), withRatio(0.9, { model: "c" })]);
    expect(c).toEqual([{ runtime: "llamacpp", run_mode: "cpu_only", calibration: "llamacpp/cpu", device: "cpu Test CPU", factor: 0.9, ratio: 0.9, benchmarks: 3, bounded: false }]);
  });

  it("a model, quant and context counts once: its newest result (results come newest first)", () => {
    const c = nodeCorrections([withRatio(0.6, { model: "a" }), withRatio(1.2, { model: "a" }), withRatio(1.2, { model: "a" }), withRatio(0.7, { model: "b" })]);
    expect(c[0]).toMatchObject({ ratio: 0.65, benchmarks: 2 });
  });

  it("bounded to 0.5-2x, and says so", () => {
    expect(nodeCorrections([withRatio(3.1)])[0]).toMatchObject({ factor: 2, ratio: 3.1, bounded: true });
    expect(nodeCorrections([withRatio(0.2)])[0]).toMatchObject({ factor: 0.5, ratio: 0.2, bounded: true });
  });

  it("kinds apart: another device, run mode or calibration is its own correction; another engine's result or no estimate counts for none", () => {
    const base = sampleBenchmark().estimate!;
    const c = nodeCorrections([
      withRatio(0.8),
      withRatio(1.5, { estimate: { ...base, device: "cpu Other CPU" } }),
      withRatio(1.1, { estimate: { ...base, run_mode: "gpu", device: "gpu NVIDIA GeForce RTX 4090 x1", calibration: "llamacpp/nvidia-gddr/ada" } }),
      withRatio(0.5, { runtime: "vllm" }),
      { ...stored(), estimate: null, measured_vs_estimated: null },
    ]);
    expect(c.map((k) => [k.device, k.run_mode, k.factor])).toEqual([
      ["cpu Test CPU", "cpu_only", 0.8],
      ["cpu Other CPU", "cpu_only", 1.5],
      ["gpu NVIDIA GeForce RTX 4090 x1", "gpu", 1.1],
    ]);
  });
});

describe("correctEstimate", () => {
  const models = bundledModels();
  const qwen = models.find((m) => m.id === "Qwen/Qwen3-8B")!;
  const cpu = machine({ ramGib: 64 });
  const gpu = machine({ ramGib: 64, gpus: [RTX_4090] });

  it("an estimate of a benchmarked kind: speed, range and same-kind alternatives scaled; the basis and notes say by what", () => {
    const e = estimate({ model: qwen, machine: cpu, quant: "Q4_K_M" });
    expect(e.runMode).toBe("cpu_only");
    expect(estimateDevice(e, cpu)).toBe("cpu Test CPU");
    const table = new CorrectionTable(nodeCorrections([withRatio(0.8, { model: "a" }), withRatio(0.8, { model: "b" }), withRatio(0.8, { model: "c" })]));
    const c = correctEstimate(e, cpu, table);
    expect(c.tokensPerSecond).toBeCloseTo(e.tokensPerSecond * 0.8, 0);
    expect(c.tokensPerSecondRange[0]).toBeCloseTo(e.tokensPerSecondRange[0] * 0.8, 0);
    expect(c.basis["node_correction"]).toBe("0.8 from 3 benchmarks");
    expect(c.basis["tps_before_node_correction"]).toBe(e.tokensPerSecond);
    expect(c.notes.at(-1)).toBe("speed corrected by this node's own benchmarks: x0.8 from 3 benchmarks of llamacpp cpu_only estimates on cpu Test CPU");
    // The estimate itself is left as it was (estimates are values).
    expect(e.basis["node_correction"]).toBeUndefined();
  });

  it("another kind (the GPU's estimate, another device) is left as it is", () => {
    const table = new CorrectionTable(nodeCorrections([withRatio(0.8)]));
    const onGpu = estimate({ model: qwen, machine: gpu, quant: "Q4_K_M" });
    expect(correctEstimate(onGpu, gpu, table)).toBe(onGpu);
    const elsewhere = { ...cpu, cpu: { ...cpu.cpu, name: "Another CPU" } };
    const e = estimate({ model: qwen, machine: elsewhere, quant: "Q4_K_M" });
    expect(correctEstimate(e, elsewhere, table)).toBe(e);
  });

  it("the analysis: rows of the kind corrected before scoring, measured_tps where the model was measured at the row's quant", () => {
    const some = models.filter((m) => ["Qwen/Qwen3-8B", "Qwen/Qwen3-0.6B", "meta-llama/Llama-3.1-8B-Instruct"].includes(m.id));
    const plain = analyzeCatalog(some, cpu, { contextTokens: null, forceRuntime: null });
    const row = plain.find((r) => r.name === "Qwen/Qwen3-8B")!;
    const node = new NodeMeasurements([withRatio(0.5, { model: "Qwen/Qwen3-8B", quant: row.best_quant })]);
    const measured = analyzeCatalog(some, cpu, { contextTokens: null, forceRuntime: null }, node);
    const after = measured.find((r) => r.name === "Qwen/Qwen3-8B")!;
    expect(after.measured_tps).toBe(node.results[0]!.decode_tps.median);
    expect(after.estimated_tps).toBeCloseTo(row.estimated_tps * 0.5, 0);
    expect(after.estimate_basis["node_correction"]).toBe("0.5 from 1 benchmark");
    expect(after.score_components.speed).toBeLessThanOrEqual(row.score_components.speed);
    // Every row of this CPU's llama.cpp estimates gets the factor; none was measured but Qwen3-8B.
    for (const r of measured.filter((x) => x.name !== "Qwen/Qwen3-8B")) {
      expect(r.measured_tps).toBeNull();
      expect(r.estimate_basis["node_correction"]).toBe("0.5 from 1 benchmark");
    }
    // Without the node's measurements (another machine), nothing changes.
    expect(plain.every((r) => r.measured_tps === null && r.estimate_basis["node_correction"] === undefined)).toBe(true);
  });
});
