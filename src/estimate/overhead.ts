// Runtime overhead: compute buffers, backend contexts and pools each runtime allocates beside weights and KV cache.
import type { Architecture } from "../catalog/schema.js";
import type { Backend } from "../domain/machine.js";
import { BYTES_PER_MIB, gibToBytes } from "../domain/units.js";
import { DEFAULT_UBATCH } from "./kv-cache.js";
import type { Runtime } from "./types.js";

/**
 * Memory a backend takes on a device before any model tensor: driver context, cuBLAS / hipBLAS workspaces.
 * Approximate (typical per-process usage `nvidia-smi` / `rocm-smi` show for llama.cpp before the model loads);
 * reported in `estimate_basis` so it can be checked.
 */
export const BACKEND_CONTEXT_BYTES: Record<Backend, number> = {
  CUDA: 400 * BYTES_PER_MIB,
  ROCm: 512 * BYTES_PER_MIB,
  SYCL: 400 * BYTES_PER_MIB,
  Vulkan: 160 * BYTES_PER_MIB,
  Metal: 64 * BYTES_PER_MIB,
  "NPU (Ascend)": 1024 * BYTES_PER_MIB,
  "CPU (x86)": 0,
  "CPU (ARM)": 0,
};

/**
 * Process memory of the runtime itself on the host (code, tokenizer, buffers), for CPU placements. node-llama-cpp's
 * process grew 92 MiB beyond the tensor bytes when loading a 128k-vocabulary model here; rounded up.
 */
export const HOST_RUNTIME_BYTES = 128 * BYTES_PER_MIB;

/**
 * llama.cpp's compute buffer with flash attention (the default `auto` on CUDA, Metal, Vulkan and CPU): the graph
 * allocator reuses memory, so the peak is the larger of the logits (n_ubatch x n_vocab f32) and the FFN's two
 * intermediate tensors, plus the hidden-state tensors around it. Checked against llama.cpp's logged
 * "CPU compute buffer size" (258.50 MiB for a Llama-3.2-1B-shaped model at n_ubatch 512, which this formula gives
 * exactly; bench/llama-cpp-real.mjs compares all of llama.cpp's buffers on four shapes).
 */
export function llamaCppComputeBufferBytes(a: Architecture, ubatch: number = DEFAULT_UBATCH): number {
  const ffnWidth = a.moe ? a.moe.active_experts * a.moe.expert_ffn_size + a.moe.shared_experts * a.moe.shared_expert_ffn_size : a.ffn_size;
  const widest = Math.max(a.vocab_size, 2 * ffnWidth);
  return ubatch * 4 * (widest + 2 * a.hidden_size);
}

/**
 * vLLM reserves `gpu_memory_utilization` (default 0.9) of each GPU's total memory up front and fills what the
 * weights, activations and CUDA graphs leave with KV-cache blocks (docs.vllm.ai, "Engine arguments").
 */
export const VLLM_GPU_MEMORY_UTILIZATION = 0.9;
/** CUDA graphs captured by vLLM for decode batch sizes: typically 0.5-1 GiB per GPU (vLLM startup logs). */
export const VLLM_CUDA_GRAPH_BYTES = gibToBytes(0.75);
/** Peak activation memory of vLLM's profiling run, per GPU, at its default max_num_batched_tokens. */
export function vllmActivationBytes(a: Architecture): number {
  return 2048 * 4 * (a.vocab_size + 4 * a.hidden_size);
}

/** MLX: no fixed pool; lazily evaluated graphs keep a few activation buffers (mlx-lm generate). */
export function mlxOverheadBytes(a: Architecture): number {
  return gibToBytes(0.25) + DEFAULT_UBATCH * 4 * (a.vocab_size + 2 * a.hidden_size);
}

export interface Overhead {
  /** Per device that holds layers (or the GPU pool on unified machines). */
  perDeviceBytes: number;
  /** On the host, besides weights placed there. */
  hostBytes: number;
  description: string;
}

/** Overhead of `runtime` on `backend`, per GPU device and on the host. */
export function runtimeOverhead(runtime: Runtime, backend: Backend, a: Architecture): Overhead {
  switch (runtime) {
    case "llamacpp": {
      const compute = llamaCppComputeBufferBytes(a);
      const context = BACKEND_CONTEXT_BYTES[backend];
      return {
        perDeviceBytes: compute + context,
        hostBytes: HOST_RUNTIME_BYTES,
        description: `llama.cpp compute buffer ${Math.round(compute / BYTES_PER_MIB)} MiB + ${backend} context ${Math.round(context / BYTES_PER_MIB)} MiB per device`,
      };
    }
    case "vllm": {
      const act = vllmActivationBytes(a);
      const context = BACKEND_CONTEXT_BYTES[backend] + VLLM_CUDA_GRAPH_BYTES;
      return {
        perDeviceBytes: act + context,
        hostBytes: gibToBytes(2),
        description: `vLLM activations ${Math.round(act / BYTES_PER_MIB)} MiB + CUDA graphs and context ${Math.round(context / BYTES_PER_MIB)} MiB per GPU; vLLM reserves ${VLLM_GPU_MEMORY_UTILIZATION * 100}% of each GPU`,
      };
    }
    case "mlx": {
      const o = mlxOverheadBytes(a);
      return { perDeviceBytes: o, hostBytes: 0, description: `MLX buffers ${Math.round(o / BYTES_PER_MIB)} MiB` };
    }
  }
}
