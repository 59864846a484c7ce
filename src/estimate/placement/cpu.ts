// CPU placement: the whole model in system RAM, decoded at the RAM bandwidth; never better than marginal.
import { DECODE_CALIBRATION } from "../calibration.js";
import { HOST_RUNTIME_BYTES, llamaCppComputeBufferBytes } from "../overhead.js";
import type { StreamTier } from "../speed.js";
import type { MemoryBreakdown } from "../types.js";
import { finishSpeed, ramTier, tooTight, usableContext, type Attempt } from "./attempt.js";
import type { Placement } from "./types.js";

export function placeCpu(c: Attempt): Placement {
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

