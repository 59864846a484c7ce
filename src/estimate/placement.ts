// Placement: where one quant of a model goes on a machine (GPU, MoE offload, layer offload, CPU), how fast, how tight.
import { paramBreakdown } from "../catalog/params.js";
import type { GpuDevice, Machine } from "../domain/machine.js";
import { MOE_REFERENCE_ACTIVE_EXPERTS } from "./calibration.js";
import { kvBytesReadPerToken, kvCacheSize, kvTypeOn, LLAMACPP_SWA_ARCHITECTURES } from "./kv-cache.js";
import { fork, gib, memoryOf, tooTight, type Attempt } from "./placement/attempt.js";
import { placeCpu } from "./placement/cpu.js";
import { placeGpu } from "./placement/gpu.js";
import { offloadShortfall, placeLayerOffload, placeMoeOffload } from "./placement/offload.js";
import type { Placement, PlacementInput } from "./placement/types.js";
import { placeVllm } from "./placement/vllm.js";
import type { Runtime } from "./types.js";
import { kernelCostFactor } from "./calibration.js";
import { runtimeOverhead } from "./overhead.js";
import { weightsSize } from "./weights.js";

export { GOOD_MAX_UTILIZATION, PERFECT_MAX_UTILIZATION, USEFUL_TOKENS_PER_SECOND, type Placement, type PlacementInput } from "./placement/types.js";

const bpw = (bits: number): number => Math.round(bits * 1000) / 1000;

/** The devices a runtime can use: those of the machine's primary backend. */
function usableGpus(machine: Machine, runtime: Runtime): GpuDevice[] {
  const gpus = machine.gpus.filter((g) => g.backend === machine.backend && (!g.integrated || g.unifiedMemory));
  if (runtime === "mlx") return gpus.filter((g) => g.vendor === "apple");
  if (runtime === "vllm") return gpus.filter((g) => g.backend === "CUDA" || g.backend === "ROCm");
  return gpus;
}

/** Evaluates one format on the machine and returns the best placement for it (or the smallest tried, too tight). */
export function place(input: PlacementInput): Placement {
  const { model, machine, format, contextTokens, runtime } = input;
  const kvType = kvTypeOn(runtime, input.kvCacheType);
  const kvCacheType = kvType.type;
  const a = model.architecture;
  const withVision = runtime === "vllm" || model.category === "multimodal";
  const weights = weightsSize(model, format, withVision);
  const honorSwa = runtime !== "llamacpp" || LLAMACPP_SWA_ARCHITECTURES.has(a.type);
  const kv = kvCacheSize(a, contextTokens, kvCacheType, { padContext: runtime === "llamacpp", honorSlidingWindow: honorSwa });
  const fill = Math.min(contextTokens, input.decodeFillTokens);
  const p = paramBreakdown(a);
  const kernel = kernelCostFactor(format);
  const c: Attempt = {
    input,
    weights,
    kvBytes: kv.totalBytes,
    kvFixedBytes: kv.slidingBytes + kv.recurrentBytes,
    kvBytesPerToken: kv.bytesPerToken,
    kvReadBytes: kvBytesReadPerToken(a, fill, kvCacheType, honorSwa),
    kvReadFullBytes: kvBytesReadPerToken(a, contextTokens, kvCacheType, honorSwa),
    streamBytesPerToken: weights.activeBytesPerToken * kernel,
    streamRoutedBytesPerToken: weights.activeRoutedBytesPerToken * kernel,
    layers: a.layers,
    moeLayers: a.moe ? (a.ffn_layers ?? a.layers) - a.moe.dense_layers : 0,
    moeExpertWeight: a.moe ? a.moe.active_experts / MOE_REFERENCE_ACTIVE_EXPERTS : 0,
    linearLayers: a.attention.linear_layers,
    activeParams: p.activePerToken,
    promptParams: p.promptPerToken,
    hostWeightsBytes: 0,
    diskBytes: weights.totalBytes,
    notes: [],
    basis: {
      runtime,
      quant: format.name,
      weights_source: weights.source,
      weights_gib: gib(weights.totalBytes),
      vision_tower_gib: gib(weights.visionBytes),
      active_bytes_per_token_gib: gib(weights.activeBytesPerToken),
      decode_kernel_factor: kernel,
      bits_per_weight_attention: bpw(weights.bits.attention),
      bits_per_weight_ffn: bpw(weights.bits.ffn),
      bits_per_weight_experts: a.moe ? bpw(weights.bits.experts) : null,
      bits_per_weight_embedding: bpw(weights.bits.embedding),
      bits_per_weight_output: bpw(weights.bits.output),
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
      params_prompt_per_token: Math.round(p.promptPerToken),
      ram_available_gib: gib(machine.memory.availableBytes),
      ram_os_reserve_gib: gib(machine.memory.osReserveBytes ?? 0),
      ram_bandwidth_gbps: machine.memory.bandwidthGBps,
      ram_bandwidth_source: machine.memory.bandwidthSource,
    },
  };
  if (kvType.note) c.notes.push(kvType.note);
  if (!honorSwa && a.attention.sliding_layers > 0) c.notes.push(`llama.cpp ignores this model's ${a.attention.sliding_window}-token sliding window: its KV cache covers the whole context`);
  if (contextTokens > model.context_length) c.notes.push(`context ${contextTokens} is beyond the native ${model.context_length}-token window`);
  if (withVision && weights.visionBytes > 0) c.notes.push(`includes the vision tower (${gib(weights.visionBytes)} GiB)`);

  const gpus = usableGpus(machine, runtime);
  // A runtime with no device here, or a format it cannot load: what it would need on one device, nothing available.
  const cannotRun = (why: string): Placement => tooTight(c, "gpu", memoryOf(c, runtimeOverhead(runtime, machine.backend, a).perDeviceBytes, 0), why);
  if (runtime === "mlx" && gpus.length === 0) return cannotRun("MLX runs on Apple Silicon only");
  if (runtime === "vllm" && gpus.length === 0) return cannotRun("vLLM needs CUDA or ROCm GPUs");
  if (format.container === "gguf" && runtime !== "llamacpp") return cannotRun(`${format.name} is a GGUF quant: llama.cpp loads it`);
  if (format.container === "mlx" && runtime !== "mlx") return cannotRun(`${format.name} is an MLX format`);
  if (format.container === "safetensors" && runtime !== "vllm") return cannotRun(`${format.name} is a safetensors format: vLLM loads it`);

  if (runtime === "vllm") return placeVllm(c, gpus);
  if (gpus.length === 0) return placeCpu(c);
  // On unified memory the host's RAM is the GPU pool (its free memory is bounded by available RAM): an input layer
  // kept "on the CPU" takes the same memory, so it stays counted there.
  const inputOnHost = runtime === "llamacpp" && !gpus.some((g) => g.unifiedMemory);
  const onGpu = (): Attempt => (inputOnHost ? withInputOnHost(fork(c), "gpu") : fork(c));
  const offloaded = (): Attempt => (inputOnHost ? withInputOnHost(fork(c), "offload") : fork(c));
  const gpuPlacement = placeGpu(onGpu(), gpus);
  if (gpuPlacement.fitLevel !== "too_tight" || runtime === "mlx") return gpuPlacement;
  if (gpus.every((g) => g.unifiedMemory)) return gpuPlacement;
  if (a.moe) {
    const moe = placeMoeOffload(offloaded(), gpus);
    if (moe) return moe;
  }
  const offload = placeLayerOffload(offloaded(), gpus);
  if (offload) return offload;
  const cpu = placeCpu(fork(c));
  if (cpu.fitLevel !== "too_tight") return cpu;
  const squeezed = placeLayerOffload(offloaded(), gpus, true);
  if (squeezed) return squeezed;
  // Nothing fits: the closest placement, the GPUs full and the rest in RAM (or the CPU one if the GPUs hold nothing).
  const closest = offloaded();
  const shortfall = offloadShortfall(closest, gpus);
  return shortfall ? tooTight(closest, "cpu_offload", shortfall, "does not fit in GPU memory and system RAM together") : cpu;
}

/**
 * llama.cpp with discrete GPUs: the input layer stays in host memory, memory-mapped from the file and read a row per
 * token (src/llama-model.cpp: "always keep it on the CPU"), so an untied token embedding and a per-layer embedding
 * table take no device memory; a tied token embedding is also the head, which gets a device copy. A GPU placement
 * counts GPU memory only, so there they are left out; an offloaded one counts them in its RAM tier beside the layers
 * it leaves there (llama.cpp's CPU_Mapped buffer holds both), as the CPU placement counts them in RAM.
 */
function withInputOnHost(c: Attempt, placement: "gpu" | "offload"): Attempt {
  const host = c.weights.hostInputBytes;
  if (host <= 0) return c;
  c.basis.host_input_gib = gib(host);
  const parts = c.weights.hostInputParts;
  const where = placement === "gpu" ? "memory-mapped, not in GPU memory" : "with the offloaded layers";
  c.notes.push(`${parts.join(" and ")} (${gib(host)} GiB) stay${parts.length > 1 ? "" : "s"} in system RAM, ${where}: llama.cpp keeps the input layer on the CPU`);
  if (placement === "offload") return { ...c, hostWeightsBytes: host };
  return { ...c, weights: { ...c.weights, totalBytes: c.weights.totalBytes - host } };
}

