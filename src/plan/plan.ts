// Plans: for each quant of a model, the memory it needs (GPU only, offloaded, CPU only), the bandwidth a target speed
// needs (the speed model inverted on a reference device's calibration), and the known machines that meet the target,
// cheapest first, each checked by the estimator itself on that described machine.
import type { ModelSpec } from "../catalog/schema.js";
import { kvTypeOn } from "../estimate/kv-cache.js";
import { GGUF_LADDER, MLX_LADDER, VLLM_LADDER, formatOf, quantName, type QuantFormat, type QuantName } from "../domain/quants.js";
import type { Machine } from "../domain/machine.js";
import { BYTES_PER_GB, BYTES_PER_GIB } from "../domain/units.js";
import { DECODE_FIT, DECODE_PRIORS, decodeCalibration } from "../estimate/calibration.js";
import { estimate } from "../estimate/estimate.js";
import { GOOD_MAX_UTILIZATION } from "../estimate/placement.js";
import { nativeQuant } from "../estimate/quants.js";
import { layerSeconds, type DecodeTerms } from "../estimate/speed.js";
import type { Estimate, KvCacheType, Runtime } from "../estimate/types.js";
import { weightsSize, type WeightsSize } from "../estimate/weights.js";
import { machineShapes, type MachineShape } from "./machine-shapes.js";
import { CPU_REFERENCE, REFERENCE_DEVICES, describe, referenceDescription, type ReferenceDevice } from "./references.js";

export interface PlanInput {
  model: ModelSpec;
  /** The one quant to plan; null = every quant of the runtimes' ladders (the model's native quant first). */
  quant: QuantName | null;
  contextTokens: number;
  kvCacheType: KvCacheType;
  /** Decode speed to reach, tokens per second. */
  targetTps: number;
}

/** Machines listed per quant at most: the cheapest that meet the target. */
export const MACHINES_PER_QUANT = 5;
/** Machines estimated per quant at most (those that could meet the target by memory and bandwidth, cheapest first). */
export const MAX_CHECKS_PER_QUANT = 150;

export interface GpuMemory {
  /** On the reference device(s): weights + KV cache + overhead, all in GPU memory (`hostBytes` aside). */
  requiredBytes: number;
  weightsBytes: number;
  kvCacheBytes: number;
  overheadBytes: number;
  /** Kept in system RAM beside it (llama.cpp's memory-mapped input layer); 0 elsewhere. */
  hostBytes: number;
  /** Reference devices it took (1 unless the model needs more than one 1 TiB device). */
  devices: number;
}

export interface OffloadMemory {
  runMode: Estimate["runMode"];
  gpuBytes: number;
  ramBytes: number;
  /** Layer offload: layers on the GPU of `layers`; null for an MoE offload. */
  gpuLayers: number | null;
  layers: number;
  /** Layer offload: GPU memory one more layer takes (weights and KV cache); null for an MoE offload. */
  perLayerBytes: number | null;
  /** MoE offload: the routed experts' share kept on the GPU (0: all in RAM); null for a layer offload. */
  expertFractionOnGpu: number | null;
}

export interface BandwidthNeed {
  /** GB/s one reference device needs to decode at the target; null when its per-layer costs alone exceed the target's time. */
  requiredGBps: number | null;
  /** Bytes one decode step streams (weights as their kernels cost them, plus the KV cache read at half the context). */
  bytesPerToken: number;
  reference: ReferenceDevice;
  /** The calibration entry of the reference device under the runtime. */
  calibration: string;
  bandwidthEfficiency: number;
  /** Seconds per token no bandwidth buys: per-layer, MoE and linear-layer costs, hand-offs. */
  fixedSecondsPerToken: number;
  /** The reference device's own speed at its own bandwidth. */
  referenceTps: number;
  referenceBandwidthGBps: number;
}

export interface PlannedMachine {
  shape: MachineShape;
  estimate: Estimate;
}

export interface QuantPlan {
  quant: QuantName;
  runtime: Runtime;
  qualityFactor: number;
  diskBytes: number;
  gpu: GpuMemory;
  offload: OffloadMemory | null;
  /** Everything in RAM on the CPU (llama.cpp); null for formats only GPUs run. */
  cpuRequiredBytes: number | null;
  bandwidth: BandwidthNeed | null;
  /** The cheapest machines that meet the target, cheapest first. */
  machines: PlannedMachine[];
  /** Machines estimated to find them. */
  machinesChecked: number;
  notes: string[];
}

export interface ModelPlan {
  model: ModelSpec;
  contextTokens: number;
  kvCacheType: KvCacheType;
  targetTps: number;
  quants: QuantPlan[];
}

const CONTAINER_RUNTIME: Readonly<Record<QuantFormat["container"], Runtime>> = { gguf: "llamacpp", safetensors: "vllm", mlx: "mlx" };

/**
 * The quants a plan covers: the one asked, else llama.cpp's GGUF ladder, vLLM's formats and MLX's, each with the
 * model's native quant first where its container is that runtime's (gpt-oss's MXFP4, its safetensors twin).
 */
export function plannedQuants(model: ModelSpec, asked: QuantName | null): QuantName[] {
  if (asked !== null) return [asked];
  const native = nativeQuant(model);
  const twins = native === null ? [] : [native, quantName(`${native}-SAFETENSORS`)].filter((n): n is QuantName => n !== null);
  const ladder = (names: readonly QuantName[], container: QuantFormat["container"]): QuantName[] => {
    const own = twins.filter((n) => formatOf(n).container === container);
    return [...own, ...names.filter((n) => !own.includes(n))];
  };
  return [...ladder(GGUF_LADDER, "gguf"), ...ladder(VLLM_LADDER, "safetensors"), ...ladder(MLX_LADDER, "mlx")];
}

/** The largest share of nominal bandwidth any calibration achieves: no device decodes faster than this allows. */
const MAX_EFFICIENCY = Math.max(...[...Object.values(DECODE_FIT.entries), ...Object.values(DECODE_PRIORS)].map((c) => c.bandwidthEfficiency));

const estimateOn = (input: PlanInput, machine: Machine, quant: QuantName): Estimate =>
  estimate({ model: input.model, machine, quant, contextTokens: input.contextTokens, kvCacheType: input.kvCacheType });

/**
 * The quant wholly in GPU memory on the fewest 1 TiB reference devices that hold it (almost always one), with the
 * reference machine it was estimated on.
 */
function gpuOnly(input: PlanInput, ref: ReferenceDevice, quant: QuantName): { estimate: Estimate; devices: number; machine: Machine } {
  let last: { estimate: Estimate; devices: number; machine: Machine } | null = null;
  for (const devices of ref.container === "mlx" ? [1] : [1, 2, 4, 8]) {
    const machine = describe(referenceDescription(ref, devices));
    last = { estimate: estimateOn(input, machine, quant), devices, machine };
    if (last.estimate.fitLevel !== "too_tight") return last;
  }
  return last!;
}

/** Bytes a decode step streams, from the terms of an estimate on devices of `bandwidthGBps`. */
const streamedBytes = (terms: DecodeTerms, bandwidthGBps: number): number => terms.tiers.reduce((s, t) => s + t.streamSeconds * bandwidthGBps * BYTES_PER_GB, 0);

/**
 * The speed model inverted: decode seconds = bytes / (bandwidth x efficiency) + fixed costs (estimate/speed.ts), so the
 * bandwidth for `target` tok/s is bytes / (efficiency x (1 / target - fixed)). Tiers of a split stream one after the
 * other (their bytes add up), of tensor parallelism at once (each its share).
 */
function bandwidthNeed(e: Estimate, ref: ReferenceDevice, refBandwidth: number, target: number): BandwidthNeed | null {
  const terms = e.decodeTerms;
  if (terms === null || terms.tiers.length === 0) return null;
  const cals = terms.tiers.map((t) => decodeCalibration(t.keys));
  const perLayer = terms.tiers.map((t, i) => layerSeconds(t, cals[i]!));
  const bytesOverEff = terms.tiers.map((t, i) => (t.streamSeconds * refBandwidth * BYTES_PER_GB) / cals[i]!.bandwidthEfficiency);
  const combine = (xs: number[]): number => (terms.parallel ? Math.max(...xs) : xs.reduce((s, x) => s + x, 0));
  const fixed = combine(perLayer) + terms.fixedSeconds;
  const left = 1 / target - fixed;
  const cal = cals[0]!;
  return {
    requiredGBps: left > 0 ? Math.round((combine(bytesOverEff) / left / BYTES_PER_GB) * 10) / 10 : null,
    bytesPerToken: Math.round(streamedBytes(terms, refBandwidth)),
    reference: ref,
    calibration: cal.key,
    bandwidthEfficiency: cal.bandwidthEfficiency,
    fixedSecondsPerToken: fixed,
    referenceTps: e.tokensPerSecond,
    referenceBandwidthGBps: refBandwidth,
  };
}

/**
 * The smallest offloaded placement llama.cpp makes of the quant on one reference card: an MoE with every routed expert
 * in RAM (the least GPU memory an expert offload takes), a dense model with half its layers on the GPU. The card is
 * sized for that split and the estimator places the quant on it, so the figures are the estimator's.
 */
function offload(input: PlanInput, ref: ReferenceDevice, quant: QuantName, gpu: Estimate, weights: WeightsSize): OffloadMemory | null {
  const a = input.model.architecture;
  const { weightsBytes, kvCacheBytes, overheadBytes } = gpu.memory;
  let gpuBytes: number;
  let perLayer: number | null = null;
  let half: number | null = null;
  if (a.moe) {
    const routed = weights.routedExpertBytes;
    if (routed <= 0) return null;
    gpuBytes = overheadBytes + weightsBytes - routed + kvCacheBytes;
  } else {
    if (a.layers < 2) return null;
    half = Math.floor(a.layers / 2);
    perLayer = (weightsBytes + kvCacheBytes) / a.layers;
    gpuBytes = overheadBytes + perLayer * half;
  }
  // The card a placement fills to GOOD_MAX_UTILIZATION with that split, with a margin under one layer's size.
  const margin = Math.min(8 * 2 ** 20, (perLayer ?? 2 ** 30) / 4);
  const vramGib = (gpuBytes / GOOD_MAX_UTILIZATION + margin) / BYTES_PER_GIB;
  const e = estimateOn(input, describe(referenceDescription(ref, 1, vramGib)), quant);
  if (e.runMode !== "moe_offload" && e.runMode !== "cpu_offload") return null;
  const layersOnGpu = e.basis["gpu_layers"];
  const fraction = e.basis["expert_fraction_on_gpu"];
  return {
    runMode: e.runMode,
    gpuBytes: e.memory.gpuBytes,
    ramBytes: e.memory.ramBytes,
    gpuLayers: typeof layersOnGpu === "number" ? layersOnGpu : null,
    layers: a.layers,
    perLayerBytes: perLayer === null ? null : Math.round(perLayer),
    expertFractionOnGpu: typeof fraction === "number" ? fraction : null,
  };
}

const ON_GPU: ReadonlySet<Estimate["runMode"]> = new Set(["gpu", "tensor_parallel"]);

/** Whether a shape can run the container's runtime at all (vLLM: CUDA or ROCm; MLX: Apple). */
function runsContainer(shape: MachineShape, container: QuantFormat["container"]): boolean {
  if (container === "mlx") return shape.vendor === "apple";
  if (container === "safetensors") return shape.vendor === "nvidia" || shape.vendor === "amd";
  return true;
}

const machines = new Map<string, Machine>();
const machineOf = (shape: MachineShape): Machine => {
  let m = machines.get(shape.key);
  if (m === undefined) machines.set(shape.key, (m = describe(shape.description)));
  return m;
};

/**
 * The estimate meets the plan: the quant runs wholly in accelerator memory with headroom (perfect or good), on every
 * card of the shape (vLLM may split over fewer: then a smaller set of the same card is the shape), at the target.
 */
function meets(e: Estimate, shape: MachineShape, target: number): boolean {
  const used = e.basis["gpus_used"];
  return (e.fitLevel === "perfect" || e.fitLevel === "good") && ON_GPU.has(e.runMode) && e.speedKnown && e.tokensPerSecond >= target && (typeof used !== "number" || used === shape.count);
}

/** Plans one quant (a few hundred milliseconds at most: about one estimate per machine checked). */
export function planQuant(input: PlanInput, quant: QuantName): QuantPlan {
  const format = formatOf(quant);
  const ref = REFERENCE_DEVICES[format.container];
  const notes: string[] = [];
  const { estimate: g, devices, machine: refMachine } = gpuOnly(input, ref, quant);
  // The weights as llama.cpp's placement sizes them (the vision tower with a multimodal model).
  const weights = weightsSize(input.model, format, input.model.category === "multimodal");
  if (devices > 1) notes.push(`GPU memory and bandwidth are for ${devices} reference devices of 1 TiB each (the quant does not fit one)`);
  if (g.fitLevel === "too_tight") notes.push(`does not fit even ${devices} devices of 1 TiB`);
  // The KV cache sized as the quant's runtime caches it (vLLM has no q8_0 cache, llama.cpp no fp8): said where it differs.
  const kvNote = kvTypeOn(g.runtime, input.kvCacheType).note;
  if (kvNote) notes.push(kvNote);
  const refBandwidth = refMachine.gpus[0]?.memoryBandwidthGBps ?? 0;
  const bandwidth = g.fitLevel === "too_tight" ? null : bandwidthNeed(g, ref, refBandwidth, input.targetTps);
  if (bandwidth !== null && bandwidth.requiredGBps === null)
    notes.push(
      `${input.targetTps} tok/s is out of reach on ${ref.name}'s class at any bandwidth: its per-layer costs alone take ${(bandwidth.fixedSecondsPerToken * 1000).toFixed(1)} ms a token (${bandwidth.calibration})`,
    );
  const gpu: GpuMemory = {
    requiredBytes: g.memory.gpuBytes,
    weightsBytes: g.memory.weightsBytes,
    kvCacheBytes: g.memory.kvCacheBytes,
    overheadBytes: g.memory.overheadBytes,
    // The estimator kept the input layer in host memory (llama.cpp on discrete GPUs) when its basis says how much.
    hostBytes: typeof g.basis["host_input_gib"] === "number" ? weights.hostInputBytes : 0,
    devices,
  };
  const offloaded = format.container === "gguf" && devices === 1 && g.fitLevel !== "too_tight" ? offload(input, ref, quant, g, weights) : null;
  const cpu = format.container === "gguf" ? estimateOn(input, describe(CPU_REFERENCE), quant) : null;

  // Machines: those that could meet the target by memory (the weights and KV cache fit in all their accelerator memory)
  // and by bandwidth (no calibration streams faster), estimated cheapest first until enough meet it.
  const found: PlannedMachine[] = [];
  let checked = 0;
  const floorBytes = g.memory.weightsBytes + g.memory.kvCacheBytes;
  const floorGBps = bandwidth === null ? Infinity : (bandwidth.bytesPerToken * input.targetTps) / MAX_EFFICIENCY / BYTES_PER_GB;
  if (bandwidth?.requiredGBps != null) {
    for (const shape of machineShapes()) {
      if (found.length >= MACHINES_PER_QUANT || checked >= MAX_CHECKS_PER_QUANT) break;
      if (!runsContainer(shape, format.container) || shape.memoryBytes < floorBytes) continue;
      const streams = format.container === "safetensors" ? shape.bandwidthGBps * shape.count : shape.bandwidthGBps;
      if (streams < floorGBps) continue;
      checked++;
      const e = estimateOn(input, machineOf(shape), quant);
      if (e.runtime === CONTAINER_RUNTIME[format.container] && meets(e, shape, input.targetTps)) found.push({ shape, estimate: e });
    }
    if (found.length === 0) notes.push(`no known accelerator or machine shape meets ${input.targetTps} tok/s with this quant wholly in its memory`);
    if (checked >= MAX_CHECKS_PER_QUANT && found.length < MACHINES_PER_QUANT) notes.push(`stopped after ${checked} machines checked`);
  }
  return {
    quant,
    runtime: g.runtime,
    qualityFactor: g.qualityFactor,
    diskBytes: g.diskBytes,
    gpu,
    offload: offloaded,
    cpuRequiredBytes: cpu === null ? null : cpu.memory.requiredBytes,
    bandwidth,
    machines: found,
    machinesChecked: checked,
    notes,
  };
}

/** Plans every quant (or the one asked). `onQuant` runs after each (the service yields to the event loop there). */
export async function planModel(input: PlanInput, onQuant: () => Promise<void> = async () => {}): Promise<ModelPlan> {
  const quants: QuantPlan[] = [];
  for (const q of plannedQuants(input.model, input.quant)) {
    quants.push(planQuant(input, q));
    await onQuant();
  }
  return { model: input.model, contextTokens: input.contextTokens, kvCacheType: input.kvCacheType, targetTps: input.targetTps, quants };
}
