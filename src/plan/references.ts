// Reference devices of a plan: the device class whose calibration inverts the speed model for each container, and the
// described machines a quant's memory is measured on (one card with room to spare, a CPU with room to spare).
import type { Machine } from "../domain/machine.js";
import { MAX_GPU_MEMORY_GIB, MAX_RAM_GIB } from "../domain/limits.js";
import type { QuantFormat } from "../domain/quants.js";
import { completeMachine, type MachineDescription } from "../hardware/describe.js";
import type { Runtime } from "../estimate/types.js";
import { SHAPE_CPU_CORES } from "./machine-shapes.js";

export interface ReferenceDevice {
  container: QuantFormat["container"];
  runtime: Runtime;
  /** The knowledge base's name of the device. */
  name: string;
  /** Why this device stands for the container's runtime. */
  why: string;
}

/**
 * One device per container, each of a class the calibration fits on measurements where one exists: llama.cpp on an
 * RTX 4090 (nvidia-gddr, Ada: the class the dev set measures most), vLLM on an H100 SXM (the card vLLM is deployed on;
 * its calibration is a prior), MLX on an M4 Max with the 40-core GPU (mlx/apple/m4, fitted).
 */
export const REFERENCE_DEVICES: Readonly<Record<QuantFormat["container"], ReferenceDevice>> = {
  gguf: { container: "gguf", runtime: "llamacpp", name: "NVIDIA GeForce RTX 4090", why: "llama.cpp's most measured class (nvidia-gddr, Ada)" },
  safetensors: { container: "safetensors", runtime: "vllm", name: "NVIDIA H100 SXM5 80GB", why: "the card vLLM is most deployed on (nvidia-hbm)" },
  mlx: { container: "mlx", runtime: "mlx", name: "Apple M4 Max (40-core GPU)", why: "MLX's measured class (mlx/apple, M4)" },
};

/** RAM of a reference machine: as much as any machine may have, so only the GPU side of a placement is ever short. */
const REFERENCE_RAM_GIB = MAX_RAM_GIB;

/** A reference machine: `count` reference devices of `vramGib` each (Apple: the unified pool of all the RAM a machine may have). */
export function referenceDescription(ref: ReferenceDevice, count = 1, vramGib = MAX_GPU_MEMORY_GIB): MachineDescription {
  if (ref.container === "mlx") return { gpus: [{ name: ref.name, count: 1 }], ram_gb: REFERENCE_RAM_GIB, cpu_cores: SHAPE_CPU_CORES };
  return { gpus: [{ name: ref.name, vram_gb: vramGib, count }], ram_gb: REFERENCE_RAM_GIB, cpu_cores: SHAPE_CPU_CORES };
}

/** A machine with no GPU and all the RAM a machine may have: what a quant needs on the CPU alone. */
export const CPU_REFERENCE: MachineDescription = { gpus: [], ram_gb: REFERENCE_RAM_GIB, cpu_cores: SHAPE_CPU_CORES };

export const describe = (d: MachineDescription): Machine => completeMachine(d, { label: "plan", defaultNodeName: "plan" });
