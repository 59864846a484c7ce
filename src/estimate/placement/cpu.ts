// CPU placement: the whole model in system RAM, decoded at the RAM bandwidth; never better than marginal.
import { CPU_GFLOPS_PER_CORE, decodeCalibration } from "../calibration.js";
import { BYTES_PER_MIB } from "../../domain/units.js";
import { HOST_RUNTIME_BYTES, llamaCppComputeBufferBytes } from "../overhead.js";
import type { StreamTier } from "../speed.js";
import { CPU_KEYS, finishSpeed, ramPoolBytes, memoryOf, NO_SPEED, placed, ramTier, speedRange, tooTight, type Attempt, type Speed } from "./attempt.js";
import { TTFT_PROMPT_TOKENS, type Placement } from "./types.js";

const cores = (n: number): string => `${n} ${n === 1 ? "core" : "cores"}`;

export function placeCpu(c: Attempt): Placement {
  const { machine } = c.input;
  const a = c.input.model.architecture;
  const compute = llamaCppComputeBufferBytes(a);
  const overheadBytes = compute + HOST_RUNTIME_BYTES;
  const required = c.weights.totalBytes + c.kvBytes + overheadBytes;
  const pool = ramPoolBytes(machine);
  const u = required / pool;
  c.basis.overhead = `llama.cpp CPU compute buffer ${Math.round(compute / BYTES_PER_MIB)} MiB + runtime ${Math.round(HOST_RUNTIME_BYTES / BYTES_PER_MIB)} MiB`;
  c.basis.ram_pool_is = `available RAM (${machine.memory.limitedBy})`;
  const memory = memoryOf(c, overheadBytes, pool, required);
  if (u > 1) return tooTight(c, "cpu_only", memory, "does not fit in available system RAM");
  const cal = decodeCalibration(CPU_KEYS);
  c.basis.device_class = "cpu";
  c.basis.calibration = cal.key;
  c.basis.bandwidth_efficiency = cal.bandwidthEfficiency;
  c.basis.per_layer_us = cal.perLayerMicros;
  c.basis.per_moe_layer_us = cal.perMoeLayerMicros;
  c.basis.per_linear_layer_us = cal.perLinearLayerMicros;
  const tiersAt = (kvRead: number): StreamTier[] => {
    const t = ramTier(c, "ram", c.streamBytesPerToken + kvRead, 1);
    return t ? [t] : [];
  };
  // Compute bound: 2 FLOPs per parameter per token on every core. It caps decode (rarely: decode streams weights,
  // LM head included) and sets prompt processing (the head runs for the prompt's last token only).
  const gflops = machine.cpu.cores * CPU_GFLOPS_PER_CORE;
  const computeTokensPerSecond = (gflops * 1e9) / (2 * c.activeParams);
  const promptTokensPerSecond = (gflops * 1e9) / (2 * c.promptParams);
  c.basis.cpu_gflops = gflops;
  c.basis.cpu_gflops_basis = `${cores(machine.cpu.cores)} x ${CPU_GFLOPS_PER_CORE} GFLOPS (approximate, measured on AVX2 cores)`;
  let speed: Speed = NO_SPEED;
  if (machine.memory.bandwidthGBps === null) c.notes.push("RAM bandwidth unknown: CPU speed not estimated");
  else {
    speed = finishSpeed(c, tiersAt, false);
    if (speed.tps > computeTokensPerSecond) {
      const capped = Math.round(computeTokensPerSecond * 10) / 10;
      c.basis.decode_bound = "compute";
      c.notes.push(`decode is compute-bound on ${cores(machine.cpu.cores)}: ${capped} tok/s, not the ${speed.tps} tok/s the RAM bandwidth allows`);
      speed = { tps: capped, range: speedRange(capped, cal.rangePct), terms: null };
    } else c.basis.decode_bound = "memory bandwidth";
  }
  const prompt = Math.min(c.input.contextTokens, TTFT_PROMPT_TOKENS);
  const prefillTps = Math.round(promptTokensPerSecond);
  c.basis.ttft_prompt_tokens = prompt;
  c.notes.push("CPU only: runs, but a GPU placement would be faster");
  return placed(c, {
    runMode: "cpu_only",
    fitLevel: "marginal",
    memory,
    speed,
    prefill: { pp: prefillTps, ttft: Math.round((prompt / promptTokensPerSecond) * 1000) },
    kvRoomBytes: pool - c.weights.totalBytes - overheadBytes,
  });
}

