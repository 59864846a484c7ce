// Memory breakdown invariants, for every fit level: required = weights + KV + overhead = GPU + RAM, in bytes and as
// every door prints it; too_tight means required > available on the tier that overflows; a fit never overflows.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { estimateResultJson } from "../../src/contract/estimate.js";
import { modelRow } from "../../src/contract/row.js";
import { round2 } from "../../src/domain/units.js";
import type { Machine } from "../../src/domain/machine.js";
import { estimate } from "../../src/estimate/estimate.js";
import { knownQuantNames } from "../../src/domain/quants.js";
import { KV_CACHE_TYPES, RUNTIMES, type Estimate, type EstimateRequest } from "../../src/estimate/types.js";
import { scoreEstimate } from "../../src/score/score.js";
import { H100_SXM, M4_PRO_48, machine, RTX_3090, RTX_4090, type GpuSketch } from "../support/machines.js";

const models = bundledModels();
const GiB = 2 ** 30;
/** Float sums of byte counts: equal to well under a byte. */
const same = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));

function checkBreakdown(e: Estimate, m: Machine, label: string): void {
  const b = e.memory;
  const at = `${label}: ${e.model.id} ${e.quant} ${e.runtime} ${e.runMode} ${e.fitLevel}`;
  expect(same(b.requiredBytes, b.weightsBytes + b.kvCacheBytes + b.overheadBytes), `${at}: required = weights + KV + overhead`).toBe(true);
  expect(same(b.requiredBytes, b.gpuBytes + b.ramBytes), `${at}: required = GPU + RAM`).toBe(true);
  expect(b.gpuBytes >= -1e-6 * b.requiredBytes && b.ramBytes >= -1e-6 * b.requiredBytes, `${at}: tiers not negative`).toBe(true);
  expect(b.overheadBytes, `${at}: overhead counted`).toBeGreaterThan(0);
  const ram = m.memory.availableBytes;
  const offload = e.runMode === "cpu_offload" || e.runMode === "moe_offload";
  if (e.fitLevel === "too_tight") {
    expect(b.requiredBytes, `${at}: too tight needs more than is available`).toBeGreaterThan(b.availableBytes);
    // The tier that overflows: RAM for offload and CPU placements (the GPUs are filled first), else the GPU pool.
    if (offload) expect(b.ramBytes, `${at}: RAM overflows`).toBeGreaterThan(ram);
    if (e.runMode === "cpu_only") expect(b.ramBytes, `${at}: RAM overflows`).toBeGreaterThan(b.availableBytes);
    if (e.runMode === "gpu" || e.runMode === "tensor_parallel") expect(b.gpuBytes, `${at}: GPU overflows`).toBeGreaterThan(b.availableBytes);
    expect(e.tokensPerSecond).toBe(0);
  } else {
    expect(b.requiredBytes, `${at}: a fit fits`).toBeLessThanOrEqual(b.availableBytes * (1 + 1e-12));
    expect(b.ramBytes, `${at}: RAM part within available RAM`).toBeLessThanOrEqual(ram * (1 + 1e-12));
  }
  // As the doors print it: GiB to two decimals that add up, in the model row and the estimate result alike.
  const row = modelRow(e, scoreEstimate(e));
  const result = estimateResultJson(e, { input: e.model.id, matched_by: "id", confidence: 1 });
  const r = row.memory;
  expect(round2(r.weights_gb + r.kv_cache_gb + r.overhead_gb), `${at}: row parts`).toBe(row.memory_required_gb);
  expect(round2(r.gpu_gb + r.ram_gb), `${at}: row tiers`).toBe(row.memory_required_gb);
  expect(result.memory).toEqual({
    required_gb: row.memory_required_gb,
    weights_gb: r.weights_gb,
    kv_cache_gb: r.kv_cache_gb,
    overhead_gb: r.overhead_gb,
    available_gb: row.memory_available_gb,
    gpu_gb: r.gpu_gb,
    ram_gb: r.ram_gb,
  });
  if (e.fitLevel === "too_tight") {
    expect(row.utilization_pct, `${at}: utilization over 100%`).toBeGreaterThan(100);
    expect(row.notes.join(" "), `${at}: the notes say by how much`).toMatch(/needs [\d.]+ GiB, ([\d.]+ GiB available, [\d.]+ GiB short|none available)/);
  }
}

const SKETCHES: GpuSketch[] = [
  RTX_4090,
  RTX_3090,
  H100_SXM,
  M4_PRO_48,
  { name: "NVIDIA GeForce RTX 3060", vramGib: 12, bandwidthGBps: 360 },
  { name: "AMD Radeon RX 7900 XTX", vramGib: 24, bandwidthGBps: 960, vendor: "amd", backend: "ROCm" },
  { name: "AMD Radeon RX 6700 XT", vramGib: 12, bandwidthGBps: 384, vendor: "amd", backend: "Vulkan" },
];

describe("memory breakdown on the test machines, every catalog model", () => {
  const machines: Array<[string, Machine]> = [
    ["laptop, no GPU, 8 GiB", machine({ ramGib: 8 })],
    ["one 4090, 64 GiB (48 available)", machine({ ramGib: 64, availableRamGib: 48, gpus: [RTX_4090] })],
    ["busy 3090, 32 GiB", machine({ ramGib: 32, gpus: [{ ...RTX_3090, freeGib: 6 }] })],
    ["small GPU, small RAM", machine({ ramGib: 16, gpus: [{ name: "NVIDIA GeForce RTX 3060", vramGib: 12, bandwidthGBps: 360 }] })],
    ["8 x H100, 1 TiB", machine({ ramGib: 1024, gpus: [{ ...H100_SXM, count: 8 }] })],
    ["M4 Pro 48 GiB", machine({ ramGib: 48, gpus: [M4_PRO_48] })],
  ];
  it.each(machines)("%s", (label, m) => {
    for (const model of models) checkBreakdown(estimate({ model, machine: m }), m, label);
  });

  it("forced runtimes that cannot run here: what they would need, none available", () => {
    const m = machine({ ramGib: 64, gpus: [RTX_4090] });
    const model = models.find((x) => x.id === "meta-llama/Llama-3.1-8B-Instruct")!;
    // MLX without an Apple GPU, vLLM without a CUDA / ROCm one. (A quant the runtime cannot load is no longer a reason:
    // it is answered for the runtime's nearest format.)
    const cpuOnly = machine({ ramGib: 64 });
    for (const [e, mach] of [[estimate({ model, machine: m, runtime: "mlx" }), m], [estimate({ model, machine: cpuOnly, runtime: "vllm", quant: "Q4_K_M" }), cpuOnly]] as const) {
      expect(e.fitLevel).toBe("too_tight");
      expect(e.memory.availableBytes).toBe(0);
      checkBreakdown(e, mach, "cannot run");
    }
  });

  it("nothing fits anywhere: the GPU full, the rest in RAM, and the shortfall in the notes", () => {
    const m = machine({ ramGib: 32, gpus: [RTX_4090] });
    const e = estimate({ model: models.find((x) => x.id === "meta-llama/Llama-3.1-70B-Instruct")!, machine: m, quant: "Q8_0" });
    expect(e.fitLevel).toBe("too_tight");
    expect(e.runMode).toBe("cpu_offload");
    expect(e.memory.gpuBytes).toBeCloseTo(m.gpus[0]!.memoryFreeBytes!, -3);
    expect(e.memory.ramBytes / GiB).toBeGreaterThan(32);
    checkBreakdown(e, m, "70B Q8_0 on 24 + 32 GiB");
  });
});

describe("memory breakdown, property: any machine, model, quant, context and runtime", () => {
  const gpuArb = fc.record({
    sketch: fc.constantFrom(...SKETCHES),
    vramGib: fc.double({ min: 1, max: 192, noNaN: true }),
    freeShare: fc.double({ min: 0.02, max: 1, noNaN: true }),
    count: fc.integer({ min: 1, max: 8 }),
    knownBandwidth: fc.boolean(),
  });
  const machineArb = fc.record({
    ramGib: fc.double({ min: 1, max: 2048, noNaN: true }),
    availableShare: fc.double({ min: 0.05, max: 1, noNaN: true }),
    ramBandwidth: fc.constantFrom<number | null>(80, 400, null),
    gpu: fc.option(gpuArb, { nil: null }),
  });
  const requestArb = fc.record({
    model: fc.integer({ min: 0, max: models.length - 1 }),
    quant: fc.option(fc.constantFrom(...knownQuantNames()), { nil: undefined }),
    context: fc.option(fc.integer({ min: 1, max: 1_048_576 }), { nil: undefined }),
    runtime: fc.option(fc.constantFrom(...RUNTIMES), { nil: undefined }),
    kv: fc.option(fc.constantFrom(...KV_CACHE_TYPES), { nil: undefined }),
  });

  it("required = weights + KV + overhead = GPU + RAM; too_tight needs more than is available; a fit fits", () => {
    fc.assert(
      fc.property(machineArb, requestArb, (mm, rq) => {
        const g = mm.gpu;
        const m = machine({
          ramGib: mm.ramGib,
          availableRamGib: mm.ramGib * mm.availableShare,
          ramBandwidthGBps: mm.ramBandwidth,
          gpus: g ? [{ ...g.sketch, vramGib: g.vramGib, freeGib: g.vramGib * g.freeShare, count: g.sketch.unified ? 1 : g.count, bandwidthGBps: g.knownBandwidth ? g.sketch.bandwidthGBps : null }] : [],
        });
        const req: EstimateRequest = { model: models[rq.model]!, machine: m, quant: rq.quant, contextTokens: rq.context, runtime: rq.runtime, kvCacheType: rq.kv };
        checkBreakdown(estimate(req), m, "property");
      }),
      { numRuns: 400, seed: 20260601 },
    );
  });
});
