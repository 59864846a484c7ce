// GPU placement: the whole model on the machine's GPUs (llama.cpp layer split in proportion to free memory, or MLX).
import { primaryGpu, type GpuDevice } from "../../domain/machine.js";
import { appleEffectiveTflops, deviceClass } from "../calibration.js";
import { runtimeOverhead } from "../overhead.js";
import { describeSpeed, finishSpeed, fitFromUtilization, freeOf, gib, gpuTiers, memoryOf, NO_SPEED, placed, prefill, tooTight, type Attempt } from "./attempt.js";
import type { Placement } from "./types.js";
import { smallest } from "../../catalog/extremes.js";

export function placeGpu(c: Attempt, gpus: GpuDevice[]): Placement {
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
  const memory = memoryOf(c, overheadBytes, pool);
  if (level === "too_tight") return tooTight(c, "gpu", memory, "does not fit in GPU memory");
  const primary = primaryGpu({ gpus }) as GpuDevice;
  const cls = deviceClass(primary, primary.backend);
  const tiersAt = (kvRead: number) => gpuTiers(c, gpus, shares, c.streamBytesPerToken + kvRead, 1);
  const ok = describeSpeed(c, primary, cls, tiersAt(c.kvReadBytes)).ok;
  const speed = ok ? finishSpeed(c, tiersAt, false) : NO_SPEED;
  const deviceTflops = (g: GpuDevice): number | null => g.fp16Tflops ?? (g.vendor === "apple" ? appleEffectiveTflops(g.name, g.gpuCores) : null);
  const perDevice = gpus.map(deviceTflops);
  // The slowest card paces the split (a loop: no spread of a list whose length the machine gives).
  const tflops = perDevice.every((t) => t !== null) ? smallest(perDevice as number[], 0) : null;
  const pf = prefill(c, tflops, cls);
  return placed(c, { runMode: "gpu", fitLevel: level, memory, speed, prefill: pf, kvRoomBytes: pool - c.weights.totalBytes - overheadBytes });
}

