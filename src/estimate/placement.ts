// Placement: where one quant of a model goes on a machine (GPU, MoE offload, layer offload, CPU), how fast, how tight.
import type { ModelSpec } from "../catalog/schema.js";
import { paramBreakdown } from "../catalog/params.js";
import type { GpuDevice, Machine } from "../domain/machine.js";
import { BYTES_PER_GIB } from "../domain/units.js";
import { decodeCalibration, deviceClass, PREFILL_EFFICIENCY, DECODE_CALIBRATION, type DeviceClass } from "./calibration.js";
import { kvBytesReadPerToken, kvCacheSize, LLAMACPP_SWA_ARCHITECTURES } from "./kv-cache.js";
import { HOST_RUNTIME_BYTES, llamaCppComputeBufferBytes, runtimeOverhead, VLLM_GPU_MEMORY_UTILIZATION } from "./overhead.js";
import type { QuantFormat } from "./quants.js";
import { decodeSpeed, prefillTokensPerSecond, type StreamTier } from "./speed.js";
import type { EstimateBasis, FitLevel, KvCacheType, MemoryBreakdown, RunMode, Runtime } from "./types.js";
import { weightsSize, type WeightsSize } from "./weights.js";

/** GPU placements: utilization at or under this is `perfect` (headroom for other buffers and fragmentation). */
export const PERFECT_MAX_UTILIZATION = 0.85;
/** ... and at or under this `good`; above, up to 1, `marginal`. */
export const GOOD_MAX_UTILIZATION = 0.95;
/** Offloaded placements are `good` only at or above this decode speed (a pace people read at), else `marginal`. */
export const USEFUL_TOKENS_PER_SECOND = 10;
/** Tokens in the cache when decode speed is quoted: a short prompt, as llama-bench `tg` and chat UIs measure. */
export const KV_FILL_FOR_SPEED = 512;
/** Prompt length time-to-first-token is quoted for (or the context, if shorter). */
export const TTFT_PROMPT_TOKENS = 1024;

export interface PlacementInput {
  model: ModelSpec;
  machine: Machine;
  format: QuantFormat;
  contextTokens: number;
  runtime: Runtime;
  kvCacheType: KvCacheType;
}

export interface Placement {
  format: QuantFormat;
  runMode: RunMode;
  fitLevel: FitLevel;
  memory: MemoryBreakdown;
  tokensPerSecond: number;
  tokensPerSecondRange: [number, number];
  prefillTokensPerSecond: number | null;
  timeToFirstTokenMs: number | null;
  usableContextTokens: number;
  concurrentSessions: number;
  basis: EstimateBasis;
  notes: string[];
}

const gib = (bytes: number): number => Math.round((bytes / BYTES_PER_GIB) * 1000) / 1000;
const freeOf = (g: GpuDevice): number => g.memoryFreeBytes ?? g.memoryTotalBytes;

/** The devices a runtime can use: those of the machine's primary backend. */
function usableGpus(machine: Machine, runtime: Runtime): GpuDevice[] {
  const gpus = machine.gpus.filter((g) => g.backend === machine.backend && (!g.integrated || g.unifiedMemory));
  if (runtime === "mlx") return gpus.filter((g) => g.vendor === "apple");
  if (runtime === "vllm") return gpus.filter((g) => g.backend === "CUDA" || g.backend === "ROCm");
  return gpus;
}

function fitFromUtilization(u: number): FitLevel {
  if (u <= PERFECT_MAX_UTILIZATION) return "perfect";
  if (u <= GOOD_MAX_UTILIZATION) return "good";
  if (u <= 1) return "marginal";
  return "too_tight";
}

interface Ctx {
  input: PlacementInput;
  weights: WeightsSize;
  kvBytes: number;
  kvPerSessionBytes: number;
  kvFixedBytes: number;
  kvBytesPerToken: number;
  kvReadBytes: number;
  kvReadFullBytes: number;
  layers: number;
  activeParams: number;
  basis: EstimateBasis;
  notes: string[];
}

/** A copy of the context for one placement attempt, so a failed attempt leaves no notes or basis behind. */
const fork = (c: Ctx): Ctx => ({ ...c, basis: { ...c.basis }, notes: [...c.notes] });

function speedRange(tps: number, rangePct: number): [number, number] {
  const r = rangePct / 100;
  return [Math.round(tps * (1 - r) * 10) / 10, Math.round(tps * (1 + r) * 10) / 10];
}

function ramTier(c: Ctx, label: string, bytes: number, layers: number): StreamTier | null {
  const bw = c.input.machine.memory.bandwidthGBps;
  if (bw === null) return null;
  return { label, bytesPerToken: bytes, bandwidthGBps: bw, calibration: DECODE_CALIBRATION.cpu, layers };
}

/** Evaluates one format on the machine and returns the best placement for it (or the smallest tried, too tight). */
export function place(input: PlacementInput): Placement {
  const { model, machine, format, contextTokens, runtime, kvCacheType } = input;
  const a = model.architecture;
  const withVision = runtime === "vllm" || model.category === "multimodal";
  const weights = weightsSize(model, format, withVision);
  const honorSwa = runtime !== "llamacpp" || LLAMACPP_SWA_ARCHITECTURES.has(a.type);
  const kv = kvCacheSize(a, contextTokens, kvCacheType, { padContext: runtime === "llamacpp", honorSlidingWindow: honorSwa });
  const fill = Math.min(contextTokens, KV_FILL_FOR_SPEED);
  const p = paramBreakdown(a);
  const c: Ctx = {
    input,
    weights,
    kvBytes: kv.totalBytes,
    kvPerSessionBytes: kv.totalBytes,
    kvFixedBytes: kv.slidingBytes + kv.recurrentBytes,
    kvBytesPerToken: kv.bytesPerToken,
    kvReadBytes: kvBytesReadPerToken(a, fill, kvCacheType, honorSwa),
    kvReadFullBytes: kvBytesReadPerToken(a, contextTokens, kvCacheType, honorSwa),
    layers: a.layers,
    activeParams: p.activePerToken,
    notes: [],
    basis: {
      runtime,
      quant: format.name,
      weights_source: weights.source,
      weights_gib: gib(weights.totalBytes),
      vision_tower_gib: gib(weights.visionBytes),
      active_bytes_per_token_gib: gib(weights.activeBytesPerToken),
      bits_per_weight_attention: format.attentionBpw,
      bits_per_weight_ffn: format.ffnBpw,
      context_tokens: contextTokens,
      kv_cache_type: kvCacheType,
      kv_cells: kv.cells,
      kv_bytes_per_token: Math.round(kv.bytesPerToken),
      kv_sliding_gib: gib(kv.slidingBytes),
      kv_recurrent_gib: gib(kv.recurrentBytes),
      kv_cache_gib: gib(kv.totalBytes),
      kv_fill_tokens_for_speed: fill,
      layers: a.layers,
      params_active_per_token: Math.round(p.activePerToken),
      ram_available_gib: gib(machine.memory.availableBytes),
      ram_bandwidth_gbps: machine.memory.bandwidthGBps,
      ram_bandwidth_source: machine.memory.bandwidthSource,
    },
  };
  if (!honorSwa && a.attention.sliding_layers > 0) c.notes.push(`llama.cpp ignores this model's ${a.attention.sliding_window}-token sliding window: its KV cache covers the whole context`);
  if (contextTokens > model.context_length) c.notes.push(`context ${contextTokens} is beyond the native ${model.context_length}-token window`);
  if (withVision && weights.visionBytes > 0) c.notes.push(`includes the vision tower (${gib(weights.visionBytes)} GiB)`);

  const gpus = usableGpus(machine, runtime);
  if (runtime === "mlx" && gpus.length === 0) return tooTight(c, "cpu_only", machine.memory.availableBytes, "MLX runs on Apple Silicon only");
  if (runtime === "vllm" && gpus.length === 0) return tooTight(c, "cpu_only", machine.memory.availableBytes, "vLLM needs CUDA or ROCm GPUs");
  if (format.container === "gguf" && runtime !== "llamacpp") return tooTight(c, "gpu", 0, `${format.name} is a GGUF quant: llama.cpp loads it`);
  if (format.container === "mlx" && runtime !== "mlx") return tooTight(c, "gpu", 0, `${format.name} is an MLX format`);
  if (format.container === "safetensors" && runtime !== "vllm") return tooTight(c, "gpu", 0, `${format.name} is a safetensors format: vLLM loads it`);

  if (runtime === "vllm") return placeVllm(c, gpus);
  if (gpus.length === 0) return placeCpu(c);
  const gpuPlacement = placeGpu(fork(c), gpus);
  if (gpuPlacement.fitLevel !== "too_tight" || runtime === "mlx") return gpuPlacement;
  if (gpus.every((g) => g.unifiedMemory)) return gpuPlacement;
  if (a.moe) {
    const moe = placeMoeOffload(fork(c), gpus);
    if (moe) return moe;
  }
  const offload = placeLayerOffload(fork(c), gpus);
  if (offload) return offload;
  const cpu = placeCpu(fork(c));
  if (cpu.fitLevel !== "too_tight") return cpu;
  // Nothing fits: report the placement with the largest pool (GPU + RAM).
  const pool = gpus.reduce((s, g) => s + freeOf(g), 0) + machine.memory.availableBytes;
  return tooTight(c, "cpu_offload", pool, "does not fit in GPU memory and system RAM together");
}

function gpuTiers(c: Ctx, gpus: GpuDevice[], shares: number[], bytes: number, layerShare: number): StreamTier[] {
  const tiers: StreamTier[] = [];
  gpus.forEach((g, i) => {
    const share = shares[i] ?? 0;
    if (share <= 0) return;
    const cls = deviceClass(g, g.backend);
    tiers.push({
      label: `gpu${g.index}`,
      bytesPerToken: bytes * share,
      bandwidthGBps: g.memoryBandwidthGBps ?? 0,
      calibration: decodeCalibration(cls, c.input.runtime),
      layers: c.layers * share * layerShare,
    });
  });
  return tiers;
}

function describeSpeed(c: Ctx, primary: GpuDevice | null, cls: DeviceClass, tiers: StreamTier[]): { ok: boolean } {
  const cal = decodeCalibration(cls, c.input.runtime);
  c.basis.device_class = cls;
  c.basis.bandwidth_efficiency = cal.bandwidthEfficiency;
  c.basis.per_layer_us = cal.perLayerMicros;
  c.basis.calibration_rows = cal.devSetRows;
  c.basis.calibration_median_error_pct = cal.devSetMedianErrorPct;
  if (primary) {
    c.basis.gpu_bandwidth_gbps = primary.memoryBandwidthGBps;
    c.basis.gpu_bandwidth_source = primary.bandwidthSource;
  }
  const unknown = tiers.some((t) => !(t.bandwidthGBps > 0));
  if (unknown) c.notes.push("memory bandwidth unknown for a device: speed not estimated");
  if (cal.devSetRows === 0) c.notes.push(`speed for ${cls} ${c.input.runtime} is not calibrated on measurements yet (physics prior)`);
  return { ok: !unknown };
}

function finishSpeed(c: Ctx, tiersAt: (kvRead: number) => StreamTier[], parallel: boolean, rangePct: number) {
  const s = decodeSpeed(tiersAt(c.kvReadBytes), { parallelTiers: parallel, totalLayers: c.layers });
  const full = decodeSpeed(tiersAt(c.kvReadFullBytes), { parallelTiers: parallel, totalLayers: c.layers });
  c.basis.decode_ms_per_token = Math.round(s.secondsPerToken * 1e5) / 100;
  c.basis.tps_at_full_context = Math.round(full.tokensPerSecond * 10) / 10;
  const tps = Math.round(s.tokensPerSecond * 10) / 10;
  return { tps, range: speedRange(tps, rangePct) };
}

function prefill(c: Ctx, tflops: number | null, cls: DeviceClass): { pp: number | null; ttft: number | null } {
  if (tflops === null || tflops <= 0) {
    c.basis.prefill = "unknown: device TFLOPS not known";
    return { pp: null, ttft: null };
  }
  const { efficiency: eff, rows } = PREFILL_EFFICIENCY[cls];
  const pp = prefillTokensPerSecond(c.activeParams, tflops, eff);
  c.basis.prefill_tflops = tflops;
  c.basis.prefill_efficiency = eff;
  c.basis.prefill_calibration_rows = rows;
  if (rows === 0) c.notes.push(`prefill speed for ${cls} is not calibrated on measurements yet (physics prior)`);
  const prompt = Math.min(c.input.contextTokens, TTFT_PROMPT_TOKENS);
  c.basis.ttft_prompt_tokens = prompt;
  return { pp: Math.round(pp), ttft: Math.round((prompt / pp) * 1000) };
}

function usableContext(c: Ctx, spareBytes: number): number {
  // spareBytes: what the pool has left after weights, overhead and the fixed (sliding/recurrent) cache.
  if (spareBytes <= 0) return 0;
  if (c.kvBytesPerToken <= 0) return c.input.model.context_length;
  return Math.min(c.input.model.context_length, Math.floor(spareBytes / c.kvBytesPerToken));
}

function placeGpu(c: Ctx, gpus: GpuDevice[]): Placement {
  const { machine, runtime } = c.input;
  const a = c.input.model.architecture;
  const overhead = runtimeOverhead(runtime, machine.backend, a);
  const free = gpus.map(freeOf);
  const pool = free.reduce((s, x) => s + x, 0);
  const overheadBytes = overhead.perDeviceBytes * gpus.length;
  const required = c.weights.totalBytes + c.kvBytes + overheadBytes;
  const u = required / pool;
  const room = free.map((f) => Math.max(0, f - overhead.perDeviceBytes));
  const roomTotal = room.reduce((s, x) => s + x, 0);
  const shares = room.map((r) => (roomTotal > 0 ? r / roomTotal : 0));
  c.basis.gpus_used = gpus.length;
  c.basis.gpu_pool_gib = gib(pool);
  c.basis.gpu_pool_is = gpus.every((g) => g.memoryFreeBytes !== null) ? "free memory" : "total memory (free not reported)";
  c.basis.overhead = overhead.description;
  if (gpus.length > 1) c.notes.push(`layers split over ${gpus.length} GPUs in proportion to their free memory`);
  const level = fitFromUtilization(u);
  const memory: MemoryBreakdown = {
    requiredBytes: required,
    weightsBytes: c.weights.totalBytes,
    kvCacheBytes: c.kvBytes,
    overheadBytes,
    availableBytes: pool,
    gpuBytes: required,
    ramBytes: 0,
  };
  if (level === "too_tight") return { ...tooTight(c, "gpu", pool, "does not fit in GPU memory"), memory };
  const primary = gpus.reduce((b, g) => (g.memoryTotalBytes > b.memoryTotalBytes ? g : b), gpus[0] as GpuDevice);
  const cls = deviceClass(primary, primary.backend);
  const tiersAt = (kvRead: number) => gpuTiers(c, gpus, shares, c.weights.activeBytesPerToken + kvRead, 1);
  const ok = describeSpeed(c, primary, cls, tiersAt(c.kvReadBytes)).ok;
  const cal = decodeCalibration(cls, runtime);
  const speed = ok ? finishSpeed(c, tiersAt, false, cal.rangePct) : { tps: 0, range: [0, 0] as [number, number] };
  const tflops = gpus.every((g) => g.fp16Tflops !== null) ? Math.min(...gpus.map((g) => g.fp16Tflops as number)) : null;
  const pf = prefill(c, tflops, cls);
  const spare = pool - c.weights.totalBytes - overheadBytes - c.kvFixedBytes;
  const sessions = Math.max(0, Math.floor((pool - c.weights.totalBytes - overheadBytes) / c.kvPerSessionBytes));
  return {
    format: c.input.format,
    runMode: "gpu",
    fitLevel: level,
    memory,
    tokensPerSecond: speed.tps,
    tokensPerSecondRange: speed.range,
    prefillTokensPerSecond: pf.pp,
    timeToFirstTokenMs: pf.ttft,
    usableContextTokens: usableContext(c, spare),
    concurrentSessions: sessions,
    basis: c.basis,
    notes: c.notes,
  };
}

function offloadLevel(tps: number, ramUtilization: number): FitLevel {
  if (ramUtilization > 1) return "too_tight";
  return tps >= USEFUL_TOKENS_PER_SECOND && ramUtilization <= 0.9 ? "good" : "marginal";
}

function placeMoeOffload(c: Ctx, gpus: GpuDevice[]): Placement | null {
  const { machine, runtime } = c.input;
  const a = c.input.model.architecture;
  const overhead = runtimeOverhead(runtime, machine.backend, a);
  const pool = gpus.reduce((s, g) => s + freeOf(g), 0);
  const overheadBytes = overhead.perDeviceBytes * gpus.length;
  const nonExpert = c.weights.totalBytes - c.weights.routedExpertBytes;
  const gpuRoom = pool - overheadBytes - nonExpert - c.kvBytes;
  if (gpuRoom < 0 || c.weights.routedExpertBytes <= 0) return null;
  const expertsOnGpu = Math.min(1, gpuRoom / c.weights.routedExpertBytes);
  const ramBytes = c.weights.routedExpertBytes * (1 - expertsOnGpu) + HOST_RUNTIME_BYTES;
  const ramU = ramBytes / machine.memory.availableBytes;
  const required = c.weights.totalBytes + c.kvBytes + overheadBytes + HOST_RUNTIME_BYTES;
  const primary = gpus[0] as GpuDevice;
  const cls = deviceClass(primary, primary.backend);
  const activeExpert = c.weights.activeRoutedBytesPerToken;
  const nonExpertActive = c.weights.activeBytesPerToken - activeExpert;
  const cpuExpertLayers = c.layers * (1 - expertsOnGpu);
  const tiersAt = (kvRead: number): StreamTier[] => {
    const gpuBytes = nonExpertActive + activeExpert * expertsOnGpu + kvRead;
    const tiers = gpuTiers(c, gpus, gpus.map(() => 1 / gpus.length), gpuBytes, 1);
    const cpu = ramTier(c, "ram", activeExpert * (1 - expertsOnGpu), cpuExpertLayers);
    if (cpu) tiers.push(cpu);
    return tiers;
  };
  c.basis.overhead = overhead.description;
  c.basis.gpu_pool_gib = gib(pool);
  c.basis.expert_fraction_on_gpu = Math.round(expertsOnGpu * 1000) / 1000;
  const ok = describeSpeed(c, primary, cls, tiersAt(c.kvReadBytes)).ok && machine.memory.bandwidthGBps !== null;
  if (machine.memory.bandwidthGBps === null) c.notes.push("RAM bandwidth unknown: offloaded speed not estimated");
  const speed = ok ? finishSpeed(c, tiersAt, false, Math.max(decodeCalibration(cls, runtime).rangePct, DECODE_CALIBRATION.cpu.rangePct)) : { tps: 0, range: [0, 0] as [number, number] };
  const level = offloadLevel(speed.tps, ramU);
  if (level === "too_tight") return null;
  c.notes.push(`MoE expert offload: attention, shared weights and KV cache on the GPU, ${Math.round((1 - expertsOnGpu) * 100)}% of the routed experts in system RAM`);
  const spare = pool - overheadBytes - nonExpert - c.kvFixedBytes;
  return {
    format: c.input.format,
    runMode: "moe_offload",
    fitLevel: level,
    memory: {
      requiredBytes: required,
      weightsBytes: c.weights.totalBytes,
      kvCacheBytes: c.kvBytes,
      overheadBytes: overheadBytes + HOST_RUNTIME_BYTES,
      availableBytes: pool + machine.memory.availableBytes,
      gpuBytes: required - ramBytes,
      ramBytes,
    },
    tokensPerSecond: speed.tps,
    tokensPerSecondRange: speed.range,
    prefillTokensPerSecond: null,
    timeToFirstTokenMs: null,
    usableContextTokens: usableContext(c, spare),
    concurrentSessions: Math.max(0, Math.floor((pool - overheadBytes - nonExpert) / c.kvPerSessionBytes)),
    basis: c.basis,
    notes: c.notes,
  };
}

function placeLayerOffload(c: Ctx, gpus: GpuDevice[]): Placement | null {
  const { machine, runtime } = c.input;
  const a = c.input.model.architecture;
  const overhead = runtimeOverhead(runtime, machine.backend, a);
  const pool = gpus.reduce((s, g) => s + freeOf(g), 0);
  const overheadBytes = overhead.perDeviceBytes * gpus.length;
  const perLayer = (c.weights.totalBytes + c.kvBytes) / c.layers;
  const gpuLayers = Math.min(c.layers - 1, Math.floor((pool - overheadBytes) / perLayer));
  if (gpuLayers < 1) return null;
  const g = gpuLayers / c.layers;
  const ramBytes = (c.weights.totalBytes + c.kvBytes) * (1 - g) + HOST_RUNTIME_BYTES + llamaCppComputeBufferBytes(a);
  const ramU = ramBytes / machine.memory.availableBytes;
  if (ramU > 1) return null;
  const required = c.weights.totalBytes + c.kvBytes + overheadBytes + HOST_RUNTIME_BYTES + llamaCppComputeBufferBytes(a);
  const primary = gpus[0] as GpuDevice;
  const cls = deviceClass(primary, primary.backend);
  const tiersAt = (kvRead: number): StreamTier[] => {
    const bytes = c.weights.activeBytesPerToken + kvRead;
    const tiers = gpuTiers(c, gpus, gpus.map(() => g / gpus.length), bytes, 1);
    const cpu = ramTier(c, "ram", bytes * (1 - g), c.layers * (1 - g));
    if (cpu) tiers.push(cpu);
    return tiers;
  };
  c.basis.overhead = overhead.description;
  c.basis.gpu_pool_gib = gib(pool);
  c.basis.gpu_layers = gpuLayers;
  const ok = describeSpeed(c, primary, cls, tiersAt(c.kvReadBytes)).ok && machine.memory.bandwidthGBps !== null;
  if (machine.memory.bandwidthGBps === null) c.notes.push("RAM bandwidth unknown: offloaded speed not estimated");
  const speed = ok ? finishSpeed(c, tiersAt, false, DECODE_CALIBRATION.cpu.rangePct) : { tps: 0, range: [0, 0] as [number, number] };
  c.notes.push(`partial offload: ${gpuLayers} of ${c.layers} layers on the GPU, the rest in system RAM`);
  return {
    format: c.input.format,
    runMode: "cpu_offload",
    fitLevel: offloadLevel(speed.tps, ramU),
    memory: {
      requiredBytes: required,
      weightsBytes: c.weights.totalBytes,
      kvCacheBytes: c.kvBytes,
      overheadBytes: required - c.weights.totalBytes - c.kvBytes,
      availableBytes: pool + machine.memory.availableBytes,
      gpuBytes: required - ramBytes,
      ramBytes,
    },
    tokensPerSecond: speed.tps,
    tokensPerSecondRange: speed.range,
    prefillTokensPerSecond: null,
    timeToFirstTokenMs: null,
    usableContextTokens: usableContext(c, pool + machine.memory.availableBytes - required + c.kvBytes - c.kvFixedBytes),
    concurrentSessions: Math.max(0, Math.floor((pool + machine.memory.availableBytes - (required - c.kvBytes)) / c.kvPerSessionBytes)),
    basis: c.basis,
    notes: c.notes,
  };
}

function placeCpu(c: Ctx): Placement {
  const { machine } = c.input;
  const a = c.input.model.architecture;
  const compute = llamaCppComputeBufferBytes(a);
  const overheadBytes = compute + HOST_RUNTIME_BYTES;
  const required = c.weights.totalBytes + c.kvBytes + overheadBytes;
  const pool = machine.memory.availableBytes;
  const u = required / pool;
  c.basis.overhead = `llama.cpp CPU compute buffer ${Math.round(compute / 2 ** 20)} MiB + runtime ${Math.round(HOST_RUNTIME_BYTES / 2 ** 20)} MiB`;
  c.basis.ram_pool_is = `available RAM (${machine.memory.limitedBy})`;
  const memory: MemoryBreakdown = {
    requiredBytes: required,
    weightsBytes: c.weights.totalBytes,
    kvCacheBytes: c.kvBytes,
    overheadBytes,
    availableBytes: pool,
    gpuBytes: 0,
    ramBytes: required,
  };
  if (u > 1) return { ...tooTight(c, "cpu_only", pool, "does not fit in available system RAM"), memory };
  const cal = DECODE_CALIBRATION.cpu;
  c.basis.device_class = "cpu";
  c.basis.bandwidth_efficiency = cal.bandwidthEfficiency;
  c.basis.per_layer_us = cal.perLayerMicros;
  const tiersAt = (kvRead: number): StreamTier[] => {
    const t = ramTier(c, "ram", c.weights.activeBytesPerToken + kvRead, c.layers);
    return t ? [t] : [];
  };
  let speed = { tps: 0, range: [0, 0] as [number, number] };
  if (machine.memory.bandwidthGBps === null) c.notes.push("RAM bandwidth unknown: CPU speed not estimated");
  else speed = finishSpeed(c, tiersAt, false, cal.rangePct);
  c.basis.prefill = "not estimated for CPU placements yet";
  c.notes.push("CPU only: runs, but a GPU placement would be faster");
  return {
    format: c.input.format,
    runMode: "cpu_only",
    fitLevel: "marginal",
    memory,
    tokensPerSecond: speed.tps,
    tokensPerSecondRange: speed.range,
    prefillTokensPerSecond: null,
    timeToFirstTokenMs: null,
    usableContextTokens: usableContext(c, pool - c.weights.totalBytes - overheadBytes - c.kvFixedBytes),
    concurrentSessions: Math.max(0, Math.floor((pool - c.weights.totalBytes - overheadBytes) / c.kvPerSessionBytes)),
    basis: c.basis,
    notes: c.notes,
  };
}

/** vLLM: tensor parallel over the fewest identical cards (1, 2, 4, 8) whose count divides the attention heads. */
function placeVllm(c: Ctx, gpus: GpuDevice[]): Placement {
  const a = c.input.model.architecture;
  const overhead = runtimeOverhead("vllm", c.input.machine.backend, a);
  const byName = new Map<string, GpuDevice[]>();
  for (const g of gpus) byName.set(g.name, [...(byName.get(g.name) ?? []), g]);
  const largest = [...byName.values()].sort((x, y) => y.length - x.length || y[0]!.memoryTotalBytes - x[0]!.memoryTotalBytes)[0] ?? [];
  c.basis.overhead = overhead.description;
  c.basis.vllm_gpu_memory_utilization = VLLM_GPU_MEMORY_UTILIZATION;
  let last: Placement | null = null;
  for (const n of [1, 2, 4, 8]) {
    if (n > largest.length) break;
    if (a.attention_heads % n !== 0) continue;
    const cards = largest.slice(0, n);
    const perCard = cards.map((g) => Math.min(VLLM_GPU_MEMORY_UTILIZATION * g.memoryTotalBytes, freeOf(g)));
    const pool = perCard.reduce((s, x) => s + x, 0);
    const overheadBytes = overhead.perDeviceBytes * n;
    const required = c.weights.totalBytes + c.kvBytes + overheadBytes;
    const u = required / pool;
    const level = fitFromUtilization(u);
    const memory: MemoryBreakdown = { requiredBytes: required, weightsBytes: c.weights.totalBytes, kvCacheBytes: c.kvBytes, overheadBytes, availableBytes: pool, gpuBytes: required, ramBytes: 0 };
    if (level === "too_tight") {
      last = { ...tooTight(fork(c), n > 1 ? "tensor_parallel" : "gpu", pool, `does not fit in ${n} x ${cards[0]!.name} at vLLM's ${VLLM_GPU_MEMORY_UTILIZATION * 100}% memory share`), memory };
      continue;
    }
    const cls = deviceClass(cards[0]!, cards[0]!.backend);
    const tiersAt = (kvRead: number) => gpuTiers(c, cards, cards.map(() => 1 / n), c.weights.activeBytesPerToken + kvRead, n);
    c.basis.gpus_used = n;
    c.basis.gpu_pool_gib = gib(pool);
    const ok = describeSpeed(c, cards[0]!, cls, tiersAt(c.kvReadBytes)).ok;
    const speed = ok ? finishSpeed(c, tiersAt, true, decodeCalibration(cls, "vllm").rangePct) : { tps: 0, range: [0, 0] as [number, number] };
    const tflops = cards[0]!.fp16Tflops;
    const pf = prefill(c, tflops === null ? null : tflops * n, cls);
    if (n > 1) c.notes.push(`tensor parallel over ${n} x ${cards[0]!.name}`);
    c.notes.push(`vLLM reserves ${VLLM_GPU_MEMORY_UTILIZATION * 100}% of each GPU and fills the rest with KV-cache blocks`);
    const spare = pool - c.weights.totalBytes - overheadBytes - c.kvFixedBytes;
    return {
      format: c.input.format,
      runMode: n > 1 ? "tensor_parallel" : "gpu",
      fitLevel: level,
      memory,
      tokensPerSecond: speed.tps,
      tokensPerSecondRange: speed.range,
      prefillTokensPerSecond: pf.pp,
      timeToFirstTokenMs: pf.ttft,
      usableContextTokens: usableContext(c, spare),
      concurrentSessions: Math.max(0, Math.floor((pool - c.weights.totalBytes - overheadBytes) / c.kvPerSessionBytes)),
      basis: c.basis,
      notes: c.notes,
    };
  }
  return last ?? tooTight(c, "gpu", 0, "no CUDA or ROCm GPU set that vLLM can split this model's heads over");
}

function tooTight(c: Ctx, runMode: RunMode, poolBytes: number, why: string): Placement {
  const required = c.weights.totalBytes + c.kvBytes;
  c.notes.push(why);
  return {
    format: c.input.format,
    runMode,
    fitLevel: "too_tight",
    memory: { requiredBytes: required, weightsBytes: c.weights.totalBytes, kvCacheBytes: c.kvBytes, overheadBytes: 0, availableBytes: poolBytes, gpuBytes: 0, ramBytes: 0 },
    tokensPerSecond: 0,
    tokensPerSecondRange: [0, 0],
    prefillTokensPerSecond: null,
    timeToFirstTokenMs: null,
    usableContextTokens: 0,
    concurrentSessions: 0,
    basis: c.basis,
    notes: c.notes,
  };
}
