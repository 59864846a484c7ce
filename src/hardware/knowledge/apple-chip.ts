// Apple chips by name: the knowledge-base entry of "Apple M3 Max" when the name leaves the GPU variant open (taken
// from the memory size the variant is sold with), and the nearest known chip for one this knowledge base lacks.
import { BYTES_PER_GIB } from "../../domain/units.js";
import { APPLE_GPUS, APPLE_MEMORY_CONFIGS } from "./apple.js";
import { normalizeGpuName } from "./normalize.js";
import type { GpuSpec } from "./types.js";

/**
 * How uncertain a figure picked this way is, in %: the variant whose memory configuration the size is (Apple sells
 * that size only with it), the nearest configuration (no variant comes with that size), a variant picked without
 * any memory figure, and a chip not in the knowledge base (the same tier of the newest known generation).
 */
export const APPLE_ASSUMED_PCT = { variantByMemory: 10, nearestConfiguration: 20, noMemory: 30, generation: 30 } as const;

export interface AppleChipMatch {
  spec: GpuSpec;
  /** 0 when the name (and core count) pick the entry; else how uncertain (entry's own uncertainty added). */
  assumedPct: number;
  /** Why this entry, when assumed; null when the name picks it. */
  reason: string | null;
}

export interface AppleChip {
  generation: number;
  tier: "" | "Pro" | "Max" | "Ultra";
  /** "M3 Max". */
  label: string;
}

/** "Apple M3 Max", "Apple M4 Pro (16-core GPU)", "M2 Ultra 192GB" -> the chip; null when the name is no M-series chip. */
export function appleChipOf(name: string): AppleChip | null {
  const n = name.toLowerCase();
  const m = /(?:^|\bapple\s*)m(\d{1,2})(?:\s*(pro|max|ultra))?\b/.exec(n);
  if (m === null || m[1] === undefined) return null;
  const tier = m[2] === undefined ? "" : ((m[2][0]?.toUpperCase() ?? "") + m[2].slice(1)) as AppleChip["tier"];
  const generation = Number(m[1]);
  return { generation, tier, label: `M${generation}${tier === "" ? "" : ` ${tier}`}` };
}

const baseName = (spec: GpuSpec): string => spec.name.replace(/\s*\(\d+-core GPU\)$/, "");
const variantsOf = (label: string): GpuSpec[] => APPLE_GPUS.filter((s) => baseName(s) === `Apple ${label}`);
const gb = (bytes: number): number => Math.round((bytes / BYTES_PER_GIB) * 10) / 10;
const cap = (pct: number): number => Math.min(50, pct);
const withOwn = (spec: GpuSpec, pct: number): number => cap(pct + (spec.bandwidthAssumedPct ?? 0));

/** Apple sells a size as "36GB" meaning 36 GiB; a described or detected figure within 3% is that size. */
const isSize = (memGib: number, sizeGb: number): boolean => Math.abs(memGib - sizeGb) <= 0.03 * sizeGb;

function byMemory(label: string, variants: readonly GpuSpec[], memoryBytes: number | null): AppleChipMatch {
  const slowest = [...variants].sort((a, b) => a.bandwidthGBps - b.bandwidthGBps)[0] as GpuSpec;
  const configured = variants.filter((v) => APPLE_MEMORY_CONFIGS[v.key] !== undefined);
  if (memoryBytes === null || configured.length === 0) {
    return {
      spec: slowest,
      assumedPct: withOwn(slowest, APPLE_ASSUMED_PCT.noMemory),
      reason: `Apple ${label} without a GPU core count or memory size: its slowest variant, ${slowest.name} (${slowest.bandwidthGBps} GB/s); give the GPU cores ("${label} (40-core GPU)") or memory_bandwidth_gbps`,
    };
  }
  const memGib = memoryBytes / BYTES_PER_GIB;
  const exact = configured.filter((v) => APPLE_MEMORY_CONFIGS[v.key]?.sizesGb.some((s) => isSize(memGib, s)));
  if (exact.length === 1) {
    const spec = exact[0] as GpuSpec;
    const configs = APPLE_MEMORY_CONFIGS[spec.key];
    return {
      spec,
      assumedPct: withOwn(spec, APPLE_ASSUMED_PCT.variantByMemory),
      reason:
        `Apple ${label} with ${gb(memoryBytes)} GiB is the ${spec.gpuCores ?? "?"}-core GPU chip (${spec.bandwidthGBps} GB/s): ` +
        (configs?.assumed ?? `sold with ${configs?.sizesGb.join(", ")} GB (${configs?.source})`),
    };
  }
  // No variant is sold with this size (or, if sizes overlapped, several): the one whose sizes are nearest, slower on a tie.
  let best: GpuSpec = slowest;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const v of configured) {
    for (const size of APPLE_MEMORY_CONFIGS[v.key]?.sizesGb ?? []) {
      const distance = Math.abs(Math.log(memGib / size));
      if (distance < bestDistance - 1e-9 || (Math.abs(distance - bestDistance) <= 1e-9 && v.bandwidthGBps < best.bandwidthGBps)) {
        best = v;
        bestDistance = distance;
      }
    }
  }
  return {
    spec: best,
    assumedPct: withOwn(best, APPLE_ASSUMED_PCT.nearestConfiguration),
    reason: `no Apple ${label} is sold with ${gb(memoryBytes)} GiB: the variant of the nearest configuration, the ${best.gpuCores ?? "?"}-core GPU chip (${best.bandwidthGBps} GB/s)`,
  };
}

/**
 * The Apple entry for a chip by name, for names the lookup leaves open: the GPU core count in the name (or given)
 * picks the variant; else the memory size (in the name, else `memoryBytes`: the machine's RAM); a chip this knowledge
 * base lacks takes its tier's figure from the newest generation that has one. Null for names of no M-series chip.
 */
export function resolveAppleChip(name: string, opts: { memoryBytes: number | null; gpuCores?: number | null | undefined }): AppleChipMatch | null {
  const chip = appleChipOf(name);
  if (chip === null) return null;
  const normalized = normalizeGpuName(name);
  const cores = opts.gpuCores ?? normalized.gpuCores;
  const memoryBytes = normalized.memoryGb !== null ? normalized.memoryGb * BYTES_PER_GIB : opts.memoryBytes;
  const variants = variantsOf(chip.label);
  if (variants.length > 0) {
    const byCores = cores === null ? [] : variants.filter((v) => v.gpuCores === cores);
    const single = variants.length === 1 ? variants[0] : byCores.length === 1 ? byCores[0] : undefined;
    if (single !== undefined) {
      const own = single.bandwidthAssumedPct ?? 0;
      return { spec: single, assumedPct: own, reason: own > 0 ? `${single.name}: ${single.source}` : null };
    }
    return byMemory(chip.label, variants, memoryBytes);
  }
  // Not in the knowledge base: the same tier of the newest generation that has it.
  const tierOf = (s: GpuSpec): string => appleChipOf(baseName(s))?.tier ?? "";
  const genOf = (s: GpuSpec): number => appleChipOf(baseName(s))?.generation ?? 0;
  const sameTier = APPLE_GPUS.filter((s) => tierOf(s) === chip.tier);
  if (sameTier.length === 0) return null;
  const older = sameTier.filter((s) => genOf(s) < chip.generation);
  const pool = older.length > 0 ? older : sameTier;
  const newest = Math.max(...pool.map(genOf));
  const known = pool.filter((s) => genOf(s) === newest);
  const label = baseName(known[0] as GpuSpec).replace(/^Apple /, "");
  const picked = known.length === 1 ? { spec: known[0] as GpuSpec, assumedPct: 0, reason: null } : byMemory(label, known, memoryBytes);
  return {
    spec: picked.spec,
    assumedPct: cap(Math.max(APPLE_ASSUMED_PCT.generation, picked.assumedPct) + (known.length === 1 ? (picked.spec.bandwidthAssumedPct ?? 0) : 0)),
    reason:
      `Apple ${chip.label} is not in the knowledge base: the newest known ${chip.tier === "" ? "base" : chip.tier} chip's figure, ` +
      `${picked.spec.name} (${picked.spec.bandwidthGBps} GB/s)${picked.reason === null ? "" : `; ${picked.reason}`}`,
  };
}
