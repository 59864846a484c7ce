// Linux DRM probe: AMD (amdgpu) and Intel (xe, i915) GPUs from /sys/class/drm, their VRAM and GTT pools.
import { gib2 } from "../../domain/units.js";
import { isDisplayOnlyAdapter, vendorFromPciId } from "../classify.js";
import { GPU_MEMORY_BYTES, RAM_BYTES, shown } from "../parsers/plausible.js";
import { parseSysfsFigure, parseSysfsHexId, parseUevent } from "../parsers/sysfs.js";
import { rawGpu, type GpuProbeResult, type ProbeContext, type RawGpu } from "./types.js";

const DRM = "/sys/class/drm";
/** Intel's integrated GPU always sits at PCI device 00:02.0. */
const INTEL_IGPU_SLOT = /^0000:00:02\.0$/;
/** Below this an AMD device's VRAM is a BIOS carve-out (an APU), not a card's memory. */
const AMD_CARVEOUT_MAX_BYTES = 2 * 1024 ** 3;

/**
 * Intel VRAM, by driver: xe exposes each tile's `physical_vram_size_bytes`; i915 with Intel's DG2 backports
 * exposes `lmem_total_bytes` / `lmem_avail_bytes` on the card.
 */
const INTEL_VRAM_FILES: readonly { total: string; free: string | null; label: string }[] = [
  { total: "device/tile0/physical_vram_size_bytes", free: null, label: "xe sysfs tile0/physical_vram_size_bytes" },
  { total: "lmem_total_bytes", free: "lmem_avail_bytes", label: "i915 sysfs lmem_total_bytes" },
];

export interface DrmProbeResult extends GpuProbeResult {
  /** AMD cards whose VRAM sysfs did not give (rocm-smi may). */
  amdWithoutVram: number;
  /** False when /sys/class/drm could not be listed. */
  listed: boolean;
}

export async function probeDrm(ctx: ProbeContext): Promise<DrmProbeResult> {
  const r = ctx.runner;
  const entries = await r.readDir(DRM);
  if (entries === null) return { gpus: [], warnings: [], amdWithoutVram: 0, listed: false };
  const cards = entries.filter((e) => /^card\d+$/.test(e));
  r.decide(DRM, cards.length ? `cards: ${cards.join(", ")}` : "no cards");
  const problems: string[] = [];
  const results = await Promise.all(cards.map((card) => probeCard(ctx, card, problems)));
  const gpus: RawGpu[] = [];
  let amdWithoutVram = 0;
  for (const res of results) {
    if (res === "amd-no-vram") amdWithoutVram += 1;
    else if (res !== null) gpus.push(res);
  }
  return { gpus, warnings: problems, amdWithoutVram, listed: true };
}

async function probeCard(ctx: ProbeContext, card: string, problems: string[]): Promise<RawGpu | null | "amd-no-vram"> {
  const r = ctx.runner;
  const base = `${DRM}/${card}`;
  const ueventPath = `${base}/device/uevent`;
  const [ueventText, vendorText, deviceText] = await Promise.all([
    r.readFile(ueventPath),
    r.readFile(`${base}/device/vendor`),
    r.readFile(`${base}/device/device`),
  ]);
  const uevent = parseUevent(ueventText ?? "");
  const vendorId = parseSysfsHexId(vendorText) ?? uevent.get("PCI_ID")?.slice(0, 4).toLowerCase() ?? null;
  const deviceId = parseSysfsHexId(deviceText) ?? uevent.get("PCI_ID")?.slice(5).toLowerCase() ?? null;
  const pciId = vendorId && deviceId ? `${vendorId}:${deviceId}` : null;
  const busId = uevent.get("PCI_SLOT_NAME")?.toLowerCase() ?? null;
  const driver = uevent.get("DRIVER") ?? null;
  const vendor = vendorFromPciId(pciId);
  if (vendorId !== null && isDisplayOnlyAdapter("", vendorId)) {
    r.decide(ueventPath, `ignored: display-only adapter (PCI vendor ${vendorId})`);
    r.deviceDecision(`${card} (${pciId ?? vendorId}): display-only adapter, dropped`);
    return null;
  }
  const label = `${driver ?? "drm"} sysfs ${card} (${pciId ?? "unknown device"})`;
  if (vendor === "amd" && driver === "amdgpu") return probeAmdCard(ctx, base, ueventPath, pciId, busId, { label, problems });
  if (vendor === "intel" && (driver === "xe" || driver === "i915")) return probeIntelCard(ctx, base, ueventPath, pciId, busId, driver, { label, problems });
  r.decide(ueventPath, `not read here: ${pciId ?? "unknown device"} (driver ${driver ?? "none"})`);
  return null;
}

/** Where a card's implausible figures are reported: its label ("amdgpu sysfs card1 (1002:744c)") and the list. */
interface Report {
  label: string;
  problems: string[];
}

/** A used figure above its total is no reading: dropped (with a line), never turned into zero free memory. */
function usedWithin(used: number | null, total: number | null, what: string, report: Report): number | null {
  if (used === null || total === null || used <= total) return used;
  report.problems.push(`${report.label} ${what}: ${shown(String(used))} bytes is above the total ${total}: ignored`);
  return null;
}

async function probeAmdCard(
  ctx: ProbeContext,
  base: string,
  ueventPath: string,
  pciId: string | null,
  busId: string | null,
  report: Report,
): Promise<RawGpu | "amd-no-vram"> {
  const r = ctx.runner;
  const dev = `${base}/device`;
  const figure = (file: string, rule: typeof GPU_MEMORY_BYTES) => (text: string | null) => parseSysfsFigure(text, rule, `${report.label} ${file}`, report.problems);
  const [vramTotal, vramUsedRaw, gttTotal, gttUsedRaw, productName] = await Promise.all([
    r.readFile(`${dev}/mem_info_vram_total`).then(figure("mem_info_vram_total", GPU_MEMORY_BYTES)),
    r.readFile(`${dev}/mem_info_vram_used`).then(figure("mem_info_vram_used", GPU_MEMORY_BYTES)),
    // GTT is system RAM the GPU maps: bounded as RAM.
    r.readFile(`${dev}/mem_info_gtt_total`).then(figure("mem_info_gtt_total", RAM_BYTES)),
    r.readFile(`${dev}/mem_info_gtt_used`).then(figure("mem_info_gtt_used", RAM_BYTES)),
    r.readFile(`${dev}/product_name`),
  ]);
  const vramUsed = usedWithin(vramUsedRaw, vramTotal, "mem_info_vram_used", report);
  const gttUsed = usedWithin(gttUsedRaw, gttTotal, "mem_info_gtt_used", report);
  if (vramTotal === null) {
    r.decide(ueventPath, `AMD ${pciId ?? ""} at ${busId ?? "?"}: mem_info_vram_total not readable`);
    return "amd-no-vram";
  }
  const name = productName?.trim() || `AMD GPU [${pciId ?? "unknown"}]`;
  // A small carve-out beside a larger GTT pool is an APU's signature. Whether its GPU is worth placing models on
  // (Strix Halo, Ryzen AI) is the knowledge base's call: a 2-CU desktop iGPU is not.
  const looksApu = vramTotal <= AMD_CARVEOUT_MAX_BYTES && gttTotal !== null && gttTotal > vramTotal;
  r.decide(
    ueventPath,
    `AMD ${pciId ?? ""} at ${busId ?? "?"}: VRAM ${gib2(vramTotal)} GiB` +
      (gttTotal === null ? "" : `, GTT ${gib2(gttTotal)} GiB`) +
      (looksApu ? " (carve-out: an APU)" : ""),
  );
  return rawGpu({
    key: busId ?? `amd:${base}`,
    name,
    genericName: !productName?.trim(),
    handle: base.slice(DRM.length + 1),
    vendor: "amd",
    pciId,
    pciBusId: busId,
    memoryTotalBytes: vramTotal,
    memoryFreeBytes: vramUsed === null ? null : Math.max(0, vramTotal - vramUsed),
    memorySource: "amdgpu sysfs mem_info_vram_total",
    integrated: looksApu ? true : null,
    gtt: gttTotal === null ? null : { totalBytes: gttTotal, usedBytes: gttUsed },
  });
}

async function probeIntelCard(
  ctx: ProbeContext,
  base: string,
  ueventPath: string,
  pciId: string | null,
  busId: string | null,
  driver: string,
  report: Report,
): Promise<RawGpu | null> {
  const r = ctx.runner;
  let total: number | null = null;
  let free: number | null = null;
  let label = "";
  for (const f of INTEL_VRAM_FILES) {
    total = parseSysfsFigure(await r.readFile(`${base}/${f.total}`), GPU_MEMORY_BYTES, `${report.label} ${f.total}`, report.problems);
    if (total === null) continue;
    free = f.free === null ? null : parseSysfsFigure(await r.readFile(`${base}/${f.free}`), GPU_MEMORY_BYTES, `${report.label} ${f.free}`, report.problems);
    label = f.label;
    break;
  }
  const igpu = busId !== null && INTEL_IGPU_SLOT.test(busId);
  if (total === null && igpu) {
    r.decide(ueventPath, `Intel ${pciId ?? ""} at ${busId}: integrated GPU (no local memory): not used for placement`);
    r.deviceDecision(`${base.slice(DRM.length + 1)} (Intel ${pciId ?? ""} at ${busId}): integrated GPU without local memory: not used for placement`);
    return null;
  }
  r.decide(ueventPath, `Intel ${pciId ?? ""} at ${busId ?? "?"} (${driver}): ${total === null ? "VRAM not reported" : `VRAM ${gib2(total)} GiB`}`);
  return rawGpu({
    key: busId ?? `intel:${base}`,
    name: `Intel GPU [${pciId ?? "unknown"}]`,
    genericName: true,
    handle: base.slice(DRM.length + 1),
    vendor: "intel",
    pciId,
    pciBusId: busId,
    memoryTotalBytes: total,
    memoryFreeBytes: free,
    memorySource: total === null ? `${driver} sysfs (no VRAM figure)` : label,
    integrated: igpu ? true : total !== null ? false : null,
  });
}
