// vLLM placement: tensor parallelism over identical CUDA / ROCm cards, inside vLLM's reserved share of each GPU.
import type { GpuDevice } from "../../domain/machine.js";
import { deviceClass } from "../calibration.js";
import { runtimeOverhead, VLLM_GPU_MEMORY_UTILIZATION } from "../overhead.js";
import { describeSpeed, finishSpeed, fitFromUtilization, fork, freeOf, gib, gpuTiers, memoryOf, NO_SPEED, placed, prefill, tooTight, type Attempt } from "./attempt.js";
import type { Placement } from "./types.js";

/**
 * Tensor parallelism over GDDR cards (GeForce, RTX workstation) runs its two all-reduces a layer over PCIe: GeForce
 * cards since the RTX 40 series have no NVLink, and without peer access vLLM's own all-reduce gives way to NCCL's
 * through host memory. The estimate prices them at a prior (calibration.ts TP_ALLREDUCE_*), not a measurement: the dev
 * set's two rows of 2 x RTX 3090 under vLLM ran at 0.65 and 0.76 of it. The speed range reaches this share of the
 * estimate below, and a note says why.
 */
export const TP_OVER_PCIE_LOW_SHARE = 0.6;

/** vLLM: tensor parallel over the fewest identical cards (1, 2, 4, 8) whose count divides the attention heads. */
export function placeVllm(c: Attempt, gpus: GpuDevice[]): Placement {
  const a = c.input.model.architecture;
  const overhead = runtimeOverhead("vllm", c.input.machine.backend, a);
  const byName = new Map<string, GpuDevice[]>();
  for (const g of gpus) {
    const same = byName.get(g.name);
    if (same) same.push(g);
    else byName.set(g.name, [g]);
  }
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
    const memory = memoryOf(c, overheadBytes, pool);
    if (level === "too_tight") {
      last = tooTight(fork(c), n > 1 ? "tensor_parallel" : "gpu", memory, `does not fit in ${n} x ${cards[0]!.name} at vLLM's ${VLLM_GPU_MEMORY_UTILIZATION * 100}% memory share`);
      continue;
    }
    const cls = deviceClass(cards[0]!, cards[0]!.backend);
    const tiersAt = (kvRead: number) => gpuTiers(c, cards, cards.map(() => 1 / n), c.streamBytesPerToken + kvRead, n);
    c.basis.gpus_used = n;
    c.basis.gpu_pool_gib = gib(pool);
    const ok = describeSpeed(c, cards[0]!, cls, tiersAt(c.kvReadBytes)).ok;
    let speed = ok ? finishSpeed(c, tiersAt, true) : NO_SPEED;
    const overPcie = ok && n > 1 && cls === "nvidia-gddr";
    if (overPcie) speed = { ...speed, range: [Math.min(speed.range[0], Math.round(speed.tps * TP_OVER_PCIE_LOW_SHARE * 10) / 10), speed.range[1]] };
    const tflops = cards[0]!.fp16Tflops;
    const pf = prefill(c, tflops === null ? null : tflops * n, cls);
    if (n > 1) c.notes.push(`tensor parallel over ${n} x ${cards[0]!.name}`);
    if (overPcie)
      c.notes.push(
        `tensor parallel over PCIe (no NVLink assumed): its all-reduces are a prior, not measured; users' 2 x RTX 3090 runs decoded at 0.65-0.76 of such estimates, so the range reaches ${TP_OVER_PCIE_LOW_SHARE} of it`,
      );
    c.notes.push(`vLLM reserves ${VLLM_GPU_MEMORY_UTILIZATION * 100}% of each GPU and fills the rest with KV-cache blocks`);
    return placed(c, { runMode: n > 1 ? "tensor_parallel" : "gpu", fitLevel: level, memory, speed, prefill: pf, kvRoomBytes: pool - c.weights.totalBytes - overheadBytes });
  }
  return last ?? tooTight(c, "gpu", memoryOf(c, overhead.perDeviceBytes, 0), "no CUDA or ROCm GPU set that vLLM can split this model's heads over");
}

