// Hardware overrides: --memory/--vram, --ram and --cpu-cores applied to a Machine (what the API then reports).
import { invalidValue } from "../domain/errors.js";
import { primaryGpu, type Machine } from "../domain/machine.js";
import { BYTES_PER_GIB } from "../domain/units.js";

export interface HardwareOverrides {
  /** GPU memory per device (`--memory` / `--vram`): GiB, or a size with a unit ("24G", "24576M"). */
  vram?: string | number | undefined;
  /** System RAM (`--ram`): GiB, or a size with a unit. */
  ram?: string | number | undefined;
  /** CPU cores (`--cpu-cores`). */
  cpuCores?: string | number | undefined;
}

/** Throws `invalid_argument` for a malformed override now, before any probe runs. */
export function validateOverrides(o: HardwareOverrides): void {
  if (o.vram !== undefined) parseSizeToBytes(o.vram, "vram");
  if (o.ram !== undefined) parseSizeToBytes(o.ram, "ram");
  if (o.cpuCores !== undefined) parseCoreCount(o.cpuCores, "cpu-cores");
}

const UNIT_POWER: Readonly<Record<string, number>> = { k: -2, m: -1, g: 0, t: 1 };

/**
 * Parses a size in GiB to bytes: "24", "24G", "24GB", "24GiB", "24576M", "1.5T". Units are binary, like every
 * `_gb` figure of the API (G = GiB). `key` names the flag in the error.
 */
export function parseSizeToBytes(value: string | number, key: string): number {
  const accepted = "a size in GiB such as 24, 24G, 24576M or 1.5T";
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value <= 0) throw invalidValue(key, accepted);
    return Math.round(value * BYTES_PER_GIB);
  }
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(?:([kmgt])(?:i?b)?)?$/i.exec(value.trim());
  if (!m || m[1] === undefined) throw invalidValue(key, accepted);
  const n = Number(m[1]);
  const power = m[2] === undefined ? 0 : (UNIT_POWER[m[2].toLowerCase()] ?? 0);
  const bytes = Math.round(n * BYTES_PER_GIB * 1024 ** power);
  if (!(bytes > 0)) throw invalidValue(key, accepted);
  return bytes;
}

export function parseCoreCount(value: string | number, key: string): number {
  const n = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) throw invalidValue(key, "a whole number of cores, 1 or more");
  return n;
}

/** Keeps what is in use the same when a total changes: free grows with a larger total, never above it. */
function scaledFree(free: number, oldTotal: number, newTotal: number): number {
  return Math.max(0, Math.min(newTotal, free + Math.max(0, newTotal - oldTotal)));
}

/**
 * Applies overrides; returns a new Machine. `--vram` sets every GPU's memory (a unified GPU's pool too) and
 * is ignored, with a warning, on a machine without a GPU (describe one with --machine). `--ram` sets the RAM
 * graded against; a unified GPU's pool stays as detected unless `--vram` is given too. Throws
 * invalid_argument for malformed values.
 */
export function applyOverrides(machine: Machine, o: HardwareOverrides): Machine {
  const warnings = [...machine.warnings];
  let gpus = machine.gpus;
  if (o.vram !== undefined) {
    const bytes = parseSizeToBytes(o.vram, "vram");
    if (gpus.length === 0) warnings.push("--vram ignored: no GPU detected (describe one with --machine)");
    gpus = gpus.map((g) => ({
      ...g,
      memoryTotalBytes: bytes,
      memoryFreeBytes: g.memoryFreeBytes === null ? null : scaledFree(g.memoryFreeBytes, g.memoryTotalBytes, bytes),
      memorySource: "override (--vram)",
    }));
  }
  let memory = machine.memory;
  if (o.ram !== undefined) {
    const bytes = parseSizeToBytes(o.ram, "ram");
    memory = {
      ...memory,
      totalBytes: bytes,
      availableBytes: scaledFree(memory.availableBytes, memory.totalBytes, bytes),
      limitedBy: "override",
    };
  }
  let cpu = machine.cpu;
  if (o.cpuCores !== undefined) cpu = { ...cpu, cores: parseCoreCount(o.cpuCores, "cpu-cores") };
  const primary = primaryGpu({ gpus });
  return {
    ...machine,
    gpus,
    memory,
    cpu,
    backend: primary?.backend ?? machine.backend,
    unifiedMemory: primary?.unifiedMemory ?? machine.unifiedMemory,
    warnings,
  };
}
