// Node metrics: this node's GPU and RAM figures, models per fit level of the default analysis, snapshot age and readiness.
import { FIT_LEVELS, type FitLevel } from "../estimate/types.js";
import type { NodeService } from "../service/node-service.js";
import { packageVersion } from "../service/package-version.js";
import type { MetricsText } from "./metrics-text.js";
import type { Readiness } from "./readiness.js";

/**
 * Writes the node's gauges. Never waits on hardware: before the first snapshot only readiness and the catalog size
 * are written; the fit-level counts come from the default analysis (cached per snapshot).
 */
export async function writeNodeMetrics(out: MetricsText, service: NodeService, readiness: Readiness): Promise<void> {
  out
    .single("nodefit_ready", "gauge", "1 once the first hardware snapshot exists and the default analysis is cached.", readiness.ready ? 1 : 0)
    .single("nodefit_catalog_models", "gauge", "Models in the catalog this agent answers from.", service.models.length);
  if (!readiness.hasSnapshot) return;

  const machine = await service.machine();
  out.single("nodefit_info", "gauge", "Always 1; the labels describe this agent and node.", 1, {
    version: packageVersion(),
    node: machine.node.name,
    os: machine.node.os,
    backend: machine.backend,
  });
  out.single("nodefit_snapshot_version", "gauge", "Version of the hardware snapshot: bumped each time a refresh changes the machine.", service.version);
  const takenAt = machine.snapshotAt === null ? NaN : Date.parse(machine.snapshotAt);
  out.single(
    "nodefit_snapshot_age_seconds",
    "gauge",
    "Seconds since the hardware snapshot was taken (left out for a described machine).",
    Number.isNaN(takenAt) ? null : Math.max(0, (Date.now() - takenAt) / 1000),
  );
  out
    .single("nodefit_ram_total_bytes", "gauge", "RAM models are graded against (host RAM, or the container limit, or an override).", machine.memory.totalBytes)
    .single("nodefit_ram_available_bytes", "gauge", "RAM available now.", machine.memory.availableBytes);

  if (machine.gpus.length > 0) {
    out.family("nodefit_gpu_memory_total_bytes", "gauge", "Memory models may be placed in, per device.");
    for (const g of machine.gpus) out.sample("nodefit_gpu_memory_total_bytes", g.memoryTotalBytes, { index: String(g.index), name: g.name });
    const withFree = machine.gpus.filter((g) => g.memoryFreeBytes !== null);
    if (withFree.length > 0) {
      out.family("nodefit_gpu_memory_free_bytes", "gauge", "Free device memory, per device that reports it.");
      for (const g of withFree) out.sample("nodefit_gpu_memory_free_bytes", g.memoryFreeBytes ?? 0, { index: String(g.index), name: g.name });
    }
  }

  if (!readiness.ready) return;
  const rows = await service.rows(null, null);
  const counts = new Map<FitLevel, number>(FIT_LEVELS.map((l) => [l, 0]));
  for (const r of rows) counts.set(r.fit_level, (counts.get(r.fit_level) ?? 0) + 1);
  out.family("nodefit_models", "gauge", "Catalog models per fit level in the default analysis (each model's default context, automatic runtime).");
  for (const [level, n] of counts) out.sample("nodefit_models", n, { fit_level: level });
}
