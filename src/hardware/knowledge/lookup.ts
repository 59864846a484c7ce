// GPU lookup: a detected or described device to its knowledge-base entry, by PCI id, else by name; never a guess.
import { gibToBytes } from "../../domain/units.js";
import { GPU_KNOWLEDGE } from "./gpus.js";
import { gpuNameAlternatives, normalizeGpuName } from "./normalize.js";
import type { GpuMatch, GpuQuery, GpuSpec } from "./types.js";

/** Family words a user may leave out ("4090" for "RTX 4090", "b580" for "Arc B580"). */
const FAMILY_WORDS = new Set(["rtx", "gtx", "rx", "arc"]);

/**
 * Reported memory against an entry's marketed size: tools report a little less than the marketed size
 * (24564 MiB for a 24 GB card, MemTotal on a Jetson), never much more.
 */
const MEMORY_MIN_RATIO = 0.8;
const MEMORY_MAX_RATIO = 1.05;

export type GpuLookupFn = (query: GpuQuery) => GpuMatch | null;

/** "10DE:2684", "0x10de:0x2684" -> "10de:2684"; null when it is not a vendor:device pair. */
export function normalizePciId(id: string): string | null {
  const m = /^(?:0x)?([0-9a-f]{4})\s*:\s*(?:0x)?([0-9a-f]{4})$/i.exec(id.trim());
  return m === null || m[1] === undefined || m[2] === undefined ? null : `${m[1].toLowerCase()}:${m[2].toLowerCase()}`;
}

const hasDigit = (key: string): boolean => /\d/.test(key);

/** Every key a name is found under: as written, without its memory figure, without family words. */
function keysOf(name: string): string[] {
  const n = normalizeGpuName(name);
  const keys = new Set<string>();
  if (n.key !== "") keys.add(n.key);
  if (n.keyWithoutMemory !== n.key && hasDigit(n.keyWithoutMemory)) keys.add(n.keyWithoutMemory);
  for (const key of [...keys]) {
    const short = key
      .split(" ")
      .filter((t) => !FAMILY_WORDS.has(t))
      .join(" ");
    if (short !== key && hasDigit(short)) keys.add(short);
  }
  return [...keys];
}

/** Whether a device reporting `reportedBytes` can be this entry (see MEMORY_MIN_RATIO / MEMORY_MAX_RATIO). */
export function memoryFits(reportedBytes: number, spec: GpuSpec): boolean {
  if (spec.memoryBytes === null) return false;
  const ratio = reportedBytes / spec.memoryBytes;
  return ratio >= MEMORY_MIN_RATIO && ratio <= MEMORY_MAX_RATIO;
}

/**
 * The variant whose marketed memory the reported figure fits best: within the window, the highest
 * reported/marketed ratio (10 GiB reported fits a 10 GB card, not a 12 GB one). Null on a tie or no fit.
 */
function closestByMemory(reportedBytes: number, specs: readonly GpuSpec[]): GpuSpec | null {
  let best: GpuSpec | null = null;
  let bestRatio = 0;
  let tie = false;
  for (const spec of specs) {
    if (spec.memoryBytes === null || !memoryFits(reportedBytes, spec)) continue;
    const ratio = reportedBytes / spec.memoryBytes;
    if (best === null || ratio > bestRatio) {
      best = spec;
      bestRatio = ratio;
      tie = false;
    } else if (ratio === bestRatio) tie = true;
  }
  return tie ? null : best;
}

/** Builds a lookup over a table (the bundled knowledge base by default; tests pass their own). */
export function createGpuLookup(specs: readonly GpuSpec[]): GpuLookupFn {
  const byPci = new Map<string, GpuSpec>();
  const byName = new Map<string, GpuSpec[]>();
  for (const spec of specs) {
    for (const id of spec.pciIds) byPci.set(id.toLowerCase(), spec);
    for (const name of [spec.name, ...spec.aliases]) {
      for (const key of keysOf(name)) {
        const list = byName.get(key) ?? [];
        if (!list.includes(spec)) list.push(spec);
        byName.set(key, list);
      }
    }
  }

  /**
   * "RTX 3090 24GB" is found as "RTX 3090" when the figure agrees with the entry; "RTX 3050 6GB Laptop GPU"
   * is not taken for the 4 GB RTX 3050 Laptop GPU. Entries sold in several sizes (Apple) take any figure.
   */
  const withoutMemoryFigure = (key: string, memoryGb: number | null): GpuSpec[] | undefined => {
    if (memoryGb === null) return undefined;
    const stated = gibToBytes(memoryGb);
    return byName.get(key)?.filter((s) => s.memoryBytes === null || memoryFits(stated, s));
  };

  return (query: GpuQuery): GpuMatch | null => {
    if (query.pciId !== null && query.pciId !== undefined) {
      const id = normalizePciId(query.pciId);
      const spec = id === null ? undefined : byPci.get(id);
      if (spec !== undefined) return { spec, matchedBy: "pci_id" };
    }

    // Every model named must be known: one unknown alternative may be the device itself.
    const candidates: GpuSpec[] = [];
    let memoryGbInName: number | null = null;
    let coresInName: number | null = null;
    for (const alternative of gpuNameAlternatives(query.name)) {
      const n = normalizeGpuName(alternative);
      if (n.key === "") return null;
      const found = byName.get(n.key) ?? withoutMemoryFigure(n.keyWithoutMemory, n.memoryGb);
      if (found === undefined || found.length === 0) return null;
      for (const spec of found) if (!candidates.includes(spec)) candidates.push(spec);
      memoryGbInName ??= n.memoryGb;
      coresInName ??= n.gpuCores;
    }

    const gpuCores = query.gpuCores ?? coresInName;
    const memoryBytes = query.memoryBytes ?? (memoryGbInName === null ? null : gibToBytes(memoryGbInName));

    // A stated core count must agree with an entry that has one (M3 Max 30c vs 40c).
    let list = gpuCores === null ? candidates : candidates.filter((s) => s.gpuCores === null || s.gpuCores === gpuCores);
    // Memory only separates variants (RTX 3060 8 vs 12 GB, A100 40 vs 80 GB); a single match stands as it is
    // (a MIG slice or a modded card reports other memory than the model was sold with).
    if (list.length > 1 && memoryBytes !== null && memoryBytes > 0) {
      const closest = closestByMemory(memoryBytes, list);
      list = closest === null ? [] : [closest];
    }

    const spec = list.length === 1 ? list[0] : undefined;
    return spec === undefined ? null : { spec, matchedBy: "name" };
  };
}

let bundled: GpuLookupFn | null = null;

/** The knowledge-base entry for a device: by PCI id first, else by name; null when unknown or ambiguous. */
export function lookupGpu(query: GpuQuery): GpuMatch | null {
  bundled ??= createGpuLookup(GPU_KNOWLEDGE);
  return bundled(query);
}
