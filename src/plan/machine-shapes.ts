// Machine shapes a plan checks: every card of the knowledge base alone and in sets of 2, 4 and 8, Apple chips by the
// memory sizes they are sold with, and unified-memory boards; each as a machine description the estimator completes.
import type { GpuVendor } from "../domain/machine.js";
import { gibToBytes } from "../domain/units.js";
import type { MachineDescription } from "../hardware/describe.js";
import { APPLE_MEMORY_CONFIGS } from "../hardware/knowledge/apple.js";
import { GPU_KNOWLEDGE } from "../hardware/knowledge/gpus.js";
import { NVIDIA_LAPTOP_GPUS } from "../hardware/knowledge/nvidia-laptop.js";
import type { GpuSpec } from "../hardware/knowledge/types.js";
import { APPLE_CHIP_MEMORY, UNIFIED_BOARD_MEMORY } from "./sold-memory.js";

export const SHAPE_KINDS = ["card", "cards", "apple", "board"] as const;
export type ShapeKind = (typeof SHAPE_KINDS)[number];

export interface MachineShape {
  /** Stable key: the knowledge base's key, with `-x2` for a set or `-64gb` for a memory size. */
  key: string;
  /** "2x NVIDIA GeForce RTX 3090", "Apple M4 Max (40-core GPU) with 64 GB", "NVIDIA GB10 with 128 GB". */
  label: string;
  kind: ShapeKind;
  spec: GpuSpec;
  count: number;
  /** Accelerator memory in all: the cards' memory, or a unified machine's RAM. */
  memoryBytes: number;
  /** Nominal bandwidth of one device, GB/s. */
  bandwidthGBps: number;
  vendor: GpuVendor;
  /** What the estimator is given: the same object `POST /api/v1/estimate` takes as `machine`. */
  description: MachineDescription;
}

/** Cards per set: llama.cpp splits layers over any count; vLLM splits heads over 1, 2, 4 or 8. */
export const CARD_COUNTS = [1, 2, 4, 8] as const;

/** CPU cores every described shape states (a workstation's; CPU figures matter only to placements a plan does not count). */
export const SHAPE_CPU_CORES = 16;

/** RAM beside a set of cards: twice their memory (room to load and to offload), at least this, in a power of two. */
export const SHAPE_MIN_RAM_GIB = 32;

const ramBeside = (vramGib: number): number => Math.max(SHAPE_MIN_RAM_GIB, 2 ** Math.ceil(Math.log2(2 * vramGib)));

const gibOf = (bytes: number): number => Math.round((bytes / 2 ** 30) * 100) / 100;

/** Cards bought one by one: discrete, with a memory size, not a laptop's. */
const isCard = (s: GpuSpec): boolean => !s.unifiedMemory && !s.integrated && s.memoryBytes !== null && !NVIDIA_LAPTOP_GPUS.includes(s);

function cardShapes(s: GpuSpec): MachineShape[] {
  const vram = gibOf(s.memoryBytes ?? 0);
  return CARD_COUNTS.map((count) => ({
    key: count === 1 ? s.key : `${s.key}-x${count}`,
    label: count === 1 ? s.name : `${count}x ${s.name}`,
    kind: count === 1 ? "card" : "cards",
    spec: s,
    count,
    memoryBytes: (s.memoryBytes ?? 0) * count,
    bandwidthGBps: s.bandwidthGBps,
    vendor: s.vendor,
    description: { gpus: [{ name: s.name, vram_gb: vram, count }], ram_gb: ramBeside(vram * count), cpu_cores: SHAPE_CPU_CORES },
  }));
}

function unifiedShape(s: GpuSpec, kind: "apple" | "board", gb: number): MachineShape {
  return {
    key: `${s.key}-${gb}gb`,
    label: `${s.name} with ${gb} GB`,
    kind,
    spec: s,
    count: 1,
    memoryBytes: gibToBytes(gb),
    bandwidthGBps: s.bandwidthGBps,
    vendor: s.vendor,
    description: { gpus: [{ name: s.name, count: 1 }], ram_gb: gb, cpu_cores: SHAPE_CPU_CORES },
  };
}

/** The sizes a unified chip or board is sold with: its own memory, the Apple tables, or the boards' table. */
function soldSizes(s: GpuSpec): readonly number[] {
  if (s.memoryBytes !== null) return [gibOf(s.memoryBytes)];
  return APPLE_MEMORY_CONFIGS[s.key]?.sizesGb ?? APPLE_CHIP_MEMORY[s.key]?.sizesGb ?? UNIFIED_BOARD_MEMORY[s.key]?.sizesGb ?? [];
}

/** Cheapest first: less memory, then less bandwidth, then fewer cards, then by name. */
export function cheaperFirst(a: MachineShape, b: MachineShape): number {
  return a.memoryBytes - b.memoryBytes || a.bandwidthGBps - b.bandwidthGBps || a.count - b.count || a.label.localeCompare(b.label);
}

let shapes: readonly MachineShape[] | null = null;

/**
 * Every shape, cheapest first. Laptop GPUs and integrated GPUs that read socketed RAM (Radeon 780M / 890M, Arc 140V)
 * are left out: they come with a laptop, not as a choice of accelerator.
 */
export function machineShapes(): readonly MachineShape[] {
  if (shapes !== null) return shapes;
  const out: MachineShape[] = [];
  for (const s of GPU_KNOWLEDGE) {
    if (isCard(s)) out.push(...cardShapes(s));
    else if (s.unifiedMemory && s.vendor === "apple") for (const gb of soldSizes(s)) out.push(unifiedShape(s, "apple", gb));
    else if (s.unifiedMemory && s.systemRamBandwidth !== true) for (const gb of soldSizes(s)) out.push(unifiedShape(s, "board", gb));
  }
  shapes = out.sort(cheaperFirst);
  return shapes;
}
