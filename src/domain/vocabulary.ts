// The wire's words every layer shares (the dashboard too): fit levels, run modes, runtimes and their names, KV cache types.

export const FIT_LEVELS = ["perfect", "good", "marginal", "too_tight"] as const;
export type FitLevel = (typeof FIT_LEVELS)[number];

export const RUN_MODES = ["gpu", "moe_offload", "cpu_offload", "cpu_only", "tensor_parallel"] as const;
export type RunMode = (typeof RUN_MODES)[number];

export const RUNTIMES = ["llamacpp", "mlx", "vllm"] as const;
export type Runtime = (typeof RUNTIMES)[number];
/** Each runtime's name as people write it (notes, `runtime_label`). */
export const RUNTIME_LABELS: Readonly<Record<Runtime, string>> = { llamacpp: "llama.cpp", mlx: "MLX", vllm: "vLLM" };

/**
 * KV cache element types: llama.cpp's f16 (its default), q8_0 and q4_0 (`--cache-type-k/-v`), and vLLM's fp8
 * (`--kv-cache-dtype fp8`, e4m3 or e5m2). MLX's `--kv-bits 8 / 4` (groups of 64 with a scale and bias) take q8_0's and
 * q4_0's bytes. A runtime without the type asked is sized with its nearest (estimate/kv-cache.ts kvTypeOn), with a note.
 */
export const KV_CACHE_TYPES = ["f16", "q8_0", "q4_0", "fp8"] as const;
export type KvCacheType = (typeof KV_CACHE_TYPES)[number];
