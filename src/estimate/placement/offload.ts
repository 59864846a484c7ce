// Offloaded placements: MoE experts in system RAM, or whole layers in system RAM, with the rest on the GPUs.
import { primaryGpu, type GpuDevice } from "../../domain/machine.js";
import { deviceClass } from "../calibration.js";
import { HOST_RUNTIME_BYTES, llamaCppComputeBufferBytes, runtimeOverhead } from "../overhead.js";
import type { StreamTier } from "../speed.js";
import type { FitLevel, MemoryBreakdown } from "../types.js";
import { describeSpeed, finishSpeed, ramPoolBytes, freeOf, gib, gpuTiers, memoryOf, NO_SPEED, placed, ramTier, type Attempt } from "./attempt.js";
import { GOOD_MAX_UTILIZATION, USEFUL_TOKENS_PER_SECOND, type Placement } from "./types.js";

/** The share of system RAM an offload may fill and still leave the OS and other processes room ("good"). */
export const GOOD_RAM_UTILIZATION = 0.9;

export function offloadLevel(tps: number, ramUtilization: number): FitLevel {
  if (ramUtilization > 1) return "too_tight";
  return tps >= USEFUL_TOKENS_PER_SECOND && ramUtilization <= GOOD_RAM_UTILIZATION ? "good" : "marginal";
}

export function placeMoeOffload(c: Attempt, gpus: GpuDevice[]): Placement | null {
  const { machine, runtime } = c.input;
  const a = c.input.model.architecture;
  const overhead = runtimeOverhead(runtime, machine.backend, a);
  const pool = gpus.reduce((s, g) => s + freeOf(g), 0);
  const overheadBytes = overhead.perDeviceBytes * gpus.length;
  // What the GPUs would hold besides the routed experts (weights kept in RAM whatever the split are not).
  const nonExpert = c.weights.totalBytes - c.hostWeightsBytes - c.weights.routedExpertBytes;
  // Offloading fills the GPU no further than a good GPU placement would (the same headroom).
  const gpuRoom = GOOD_MAX_UTILIZATION * pool - overheadBytes - nonExpert - c.kvBytes;
  if (gpuRoom < 0 || c.weights.routedExpertBytes <= 0) return null;
  const expertsOnGpu = Math.min(1, gpuRoom / c.weights.routedExpertBytes);
  const ramBytes = c.weights.routedExpertBytes * (1 - expertsOnGpu) + c.hostWeightsBytes + HOST_RUNTIME_BYTES;
  const ramU = ramBytes / ramPoolBytes(machine);
  const primary = primaryGpu({ gpus }) as GpuDevice;
  const cls = deviceClass(primary, primary.backend);
  const activeExpert = c.streamRoutedBytesPerToken;
  const nonExpertActive = c.streamBytesPerToken - activeExpert;
  const tiersAt = (kvRead: number): StreamTier[] => {
    const gpuBytes = nonExpertActive + activeExpert * expertsOnGpu + kvRead;
    const tiers = gpuTiers(c, gpus, gpus.map(() => 1 / gpus.length), gpuBytes, 1);
    const cpu = ramTier(c, "ram", activeExpert * (1 - expertsOnGpu), 1 - expertsOnGpu);
    if (cpu) tiers.push(cpu);
    return tiers;
  };
  c.basis.overhead = overhead.description;
  c.basis.gpu_pool_gib = gib(pool);
  c.basis.expert_fraction_on_gpu = Math.round(expertsOnGpu * 1000) / 1000;
  const ok = describeSpeed(c, primary, cls, tiersAt(c.kvReadBytes)).ok && machine.memory.bandwidthGBps !== null;
  if (machine.memory.bandwidthGBps === null) c.notes.push("RAM bandwidth unknown: offloaded speed not estimated");
  const speed = ok ? finishSpeed(c, tiersAt, false) : NO_SPEED;
  const level = offloadLevel(speed.tps, ramU);
  if (level === "too_tight") return null;
  // llama.cpp moves experts layer by layer: --n-cpu-moe N keeps the experts of the first N layers in RAM, counting the
  // dense layers that lead some models (DeepSeek's first 3), which have none.
  const cpuMoeLayers = Math.min(c.moeLayers, Math.ceil(c.moeLayers * (1 - expertsOnGpu) - 1e-9));
  const nCpuMoe = cpuMoeLayers === 0 ? 0 : cpuMoeLayers + (a.moe?.dense_layers ?? 0);
  c.basis.cpu_moe_layers = cpuMoeLayers;
  c.basis.n_cpu_moe = nCpuMoe;
  c.notes.push(`MoE expert offload: attention, shared weights and KV cache on the GPU, ${Math.round((1 - expertsOnGpu) * 100)}% of the routed experts in system RAM (llama.cpp: --n-cpu-moe ${nCpuMoe})`);
  // More context than evaluated fits by moving more experts to RAM, as far as RAM takes them with the headroom a good
  // offload keeps: the GPU then holds the shared weights, the buffers and the KV cache alone (slower, as more experts
  // stream from RAM; the note says so).
  const ramForExperts = GOOD_RAM_UTILIZATION * ramPoolBytes(machine) - c.hostWeightsBytes - HOST_RUNTIME_BYTES;
  const expertsThatMustStay = Math.max(0, c.weights.routedExpertBytes - ramForExperts);
  const kvRoomBytes = Math.max(c.kvBytes, GOOD_MAX_UTILIZATION * pool - overheadBytes - nonExpert - expertsThatMustStay);
  const placement = placed(c, {
    runMode: "moe_offload",
    fitLevel: level,
    memory: memoryOf(c, overheadBytes + HOST_RUNTIME_BYTES, pool + ramPoolBytes(machine), ramBytes),
    speed,
    kvRoomBytes,
  });
  if (placement.usableContextTokens > c.input.contextTokens)
    c.notes.push(`up to ${placement.usableContextTokens} tokens of context fit with more of the experts in system RAM (slower than at ${c.input.contextTokens})`);
  return placement;
}

/**
 * Layer offload: as many whole layers as fit on the GPUs within the 95% headroom, the rest in system RAM. Squeezed
 * (`squeeze`): the GPUs filled to their last free byte, tensor by tensor rather than layer by layer (llama.cpp's
 * --override-tensor moves single tensors to the CPU), which leaves no headroom: marginal at best. Tried only when
 * nothing else fits.
 */
export function placeLayerOffload(c: Attempt, gpus: GpuDevice[], squeeze = false): Placement | null {
  const { machine, runtime } = c.input;
  const a = c.input.model.architecture;
  const overhead = runtimeOverhead(runtime, machine.backend, a);
  const pool = gpus.reduce((s, g) => s + freeOf(g), 0);
  const overheadBytes = overhead.perDeviceBytes * gpus.length;
  // Split by layer: all but the weights kept in RAM whatever the split (counted in RAM below).
  const layered = c.weights.totalBytes - c.hostWeightsBytes + c.kvBytes;
  const perLayer = layered / c.layers;
  const gpuLayers = squeeze
    ? Math.min(c.layers, (pool - overheadBytes) / perLayer)
    : Math.min(c.layers - 1, Math.floor((GOOD_MAX_UTILIZATION * pool - overheadBytes) / perLayer));
  if (squeeze ? gpuLayers <= 0 : gpuLayers < 1) return null;
  const g = gpuLayers / c.layers;
  const hostBytes = HOST_RUNTIME_BYTES + llamaCppComputeBufferBytes(a);
  const ramBytes = layered * (1 - g) + c.hostWeightsBytes + hostBytes;
  const ramU = ramBytes / ramPoolBytes(machine);
  if (ramU > 1) return null;
  const required = layered + c.hostWeightsBytes + overheadBytes + hostBytes;
  const primary = primaryGpu({ gpus }) as GpuDevice;
  const cls = deviceClass(primary, primary.backend);
  const tiersAt = (kvRead: number): StreamTier[] => {
    const bytes = c.streamBytesPerToken + kvRead;
    const tiers = gpuTiers(c, gpus, gpus.map(() => g / gpus.length), bytes, 1);
    const cpu = ramTier(c, "ram", bytes * (1 - g), 1 - g);
    if (cpu) tiers.push(cpu);
    return tiers;
  };
  c.basis.overhead = overhead.description;
  c.basis.gpu_pool_gib = gib(pool);
  c.basis.gpu_layers = squeeze ? Math.round(gpuLayers * 10) / 10 : gpuLayers;
  const ok = describeSpeed(c, primary, cls, tiersAt(c.kvReadBytes)).ok && machine.memory.bandwidthGBps !== null;
  if (machine.memory.bandwidthGBps === null) c.notes.push("RAM bandwidth unknown: offloaded speed not estimated");
  const speed = ok ? finishSpeed(c, tiersAt, false) : NO_SPEED;
  if (squeeze)
    c.notes.push(`squeezed offload: the GPU memory filled to its last byte (${Math.round(g * 100)}% of the weights and KV cache, tensor by tensor with --override-tensor), the rest in system RAM; no headroom`);
  else c.notes.push(`partial offload: ${gpuLayers} of ${c.layers} layers on the GPU, the rest in system RAM`);
  const memory = memoryOf(c, overheadBytes + hostBytes, pool + ramPoolBytes(machine), ramBytes);
  const placement = placed(c, {
    runMode: "cpu_offload",
    fitLevel: squeeze ? "marginal" : offloadLevel(speed.tps, ramU),
    memory,
    speed,
    kvRoomBytes: memory.availableBytes - (required - c.kvBytes),
  });
  return squeeze ? { ...placement, squeezed: true } : placement;
}

/**
 * What a model that fits nowhere would need in its closest placement: the GPUs full (their buffers, then weights
 * and KV cache up to their free memory) and the rest in system RAM, with llama.cpp's host buffers. Its RAM part is
 * the squeezed offload's, which did not fit, so required > GPU + RAM available. Null when the GPUs cannot even hold
 * their own buffers: the CPU placement is then the closest.
 */
export function offloadShortfall(c: Attempt, gpus: GpuDevice[]): MemoryBreakdown | null {
  const { machine, runtime } = c.input;
  const a = c.input.model.architecture;
  const pool = gpus.reduce((s, g) => s + freeOf(g), 0);
  const overheadBytes = runtimeOverhead(runtime, machine.backend, a).perDeviceBytes * gpus.length;
  if (pool <= overheadBytes) return null;
  const hostBytes = HOST_RUNTIME_BYTES + llamaCppComputeBufferBytes(a);
  const required = c.weights.totalBytes + c.kvBytes + overheadBytes + hostBytes;
  return memoryOf(c, overheadBytes + hostBytes, pool + ramPoolBytes(machine), required - pool);
}
