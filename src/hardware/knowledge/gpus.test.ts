import { describe, expect, it } from "vitest";
import { GPU_KNOWLEDGE } from "./gpus.js";
import { lookupGpu } from "./lookup.js";
import { normalizeGpuName } from "./normalize.js";
import type { GpuSpec } from "./types.js";

const entries = GPU_KNOWLEDGE.map((g) => [g.key, g] as const);

describe("GPU knowledge base", () => {
  it("has at least 150 entries, spread over the vendors", () => {
    expect(GPU_KNOWLEDGE.length).toBeGreaterThanOrEqual(150);
    const counts: Record<string, number> = {};
    for (const g of GPU_KNOWLEDGE) counts[g.vendor] = (counts[g.vendor] ?? 0) + 1;
    expect(counts.nvidia).toBeGreaterThan(100);
    expect(counts.amd).toBeGreaterThan(20);
    expect(counts.intel).toBeGreaterThan(5);
    expect(counts.apple).toBeGreaterThan(10);
  });

  it("has unique keys", () => {
    const keys = GPU_KNOWLEDGE.map((g) => g.key);
    expect(keys.length).toBe(new Set(keys).size);
  });

  it("has unique, well-formed PCI ids", () => {
    const ids = GPU_KNOWLEDGE.flatMap((g) => g.pciIds);
    expect(ids.length).toBe(new Set(ids).size);
    for (const id of ids) expect(id).toMatch(/^(10de|1002|8086):[0-9a-f]{4}$/);
  });

  it.each(entries)("%s: source, bandwidth and figures are sane", (key, g) => {
    expect(key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(key.startsWith(g.vendor)).toBe(true);
    expect(g.source.trim().length).toBeGreaterThan(10);
    expect(g.bandwidthGBps).toBeGreaterThan(0);
    expect(Number.isFinite(g.bandwidthGBps)).toBe(true);
    if (g.memoryBytes !== null) {
      expect(Number.isInteger(g.memoryBytes)).toBe(true);
      expect(g.memoryBytes % 2 ** 30).toBe(0);
      expect(g.memoryBytes).toBeGreaterThan(0);
    } else {
      // Only unified chips sold in several sizes leave memory open.
      expect(g.unifiedMemory).toBe(true);
    }
    if (g.fp16Tflops !== null) expect(g.fp16Tflops).toBeGreaterThan(0);
    if (g.gpuCores !== null) expect(Number.isInteger(g.gpuCores) && g.gpuCores > 0).toBe(true);
    if (g.integrated) expect(g.unifiedMemory).toBe(true);
    for (const alias of g.aliases) expect(normalizeGpuName(alias).key).not.toBe("");
  });

  it.each(entries)("%s: is found by its own name (with its memory and cores)", (key, g) => {
    const match = lookupGpu({ name: g.name, memoryBytes: g.memoryBytes, gpuCores: g.gpuCores });
    expect(match?.spec.key).toBe(key);
  });

  it.each(entries.filter(([, g]) => g.pciIds.length > 0))("%s: is found by each PCI id", (key, g) => {
    for (const pciId of g.pciIds) expect(lookupGpu({ name: "", pciId })).toEqual({ spec: g, matchedBy: "pci_id" });
  });

  it("only shares a name between variants that memory or core count tells apart", () => {
    // Known to be inseparable by what tools report: the lookup refuses these rather than pick one.
    const inseparable = new Set(["nvidia-jetson-orin-nx-8gb|nvidia-jetson-orin-nano-8gb", "amd-radeon-8060s|amd-radeon-8050s"]);
    const byKey = new Map<string, GpuSpec[]>();
    for (const g of GPU_KNOWLEDGE) {
      for (const name of [g.name, ...g.aliases]) {
        const n = normalizeGpuName(name);
        for (const k of new Set([n.key, n.keyWithoutMemory])) {
          const list = byKey.get(k) ?? [];
          if (!list.includes(g)) list.push(g);
          byKey.set(k, list);
        }
      }
    }
    const separable = (a: GpuSpec, b: GpuSpec): boolean => {
      if (a.gpuCores !== null && b.gpuCores !== null) return a.gpuCores !== b.gpuCores;
      if (a.memoryBytes !== null && b.memoryBytes !== null) {
        return Math.max(a.memoryBytes, b.memoryBytes) / Math.min(a.memoryBytes, b.memoryBytes) > 1.05;
      }
      return false;
    };
    const problems: string[] = [];
    for (const [k, list] of byKey) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const a = list[i];
          const b = list[j];
          if (a === undefined || b === undefined || separable(a, b)) continue;
          if (!inseparable.has(`${a.key}|${b.key}`)) problems.push(`"${k}": ${a.key} / ${b.key}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
