// Windows probe: CIM (RAM, CPU) and the display-adapter registry keys (adapters, real VRAM) through PowerShell.
import { gib2 } from "../../domain/units.js";
import { isDisplayOnlyAdapter, vendorFromName, vendorFromPciId } from "../classify.js";
import { WINDOWS_CIM_SCRIPT, parseWindowsCim, type WindowsCim } from "../parsers/windows-cim.js";
import { WINDOWS_REGISTRY_SCRIPT, parseWindowsRegistryAdapters } from "../parsers/windows-registry.js";
import { failureText, succeeded } from "../trace.js";
import { archOf } from "./linux-cpu.js";
import { rawGpu, type CpuFacts, type GpuProbeResult, type MemoryFacts, type ProbeContext, type RawGpu } from "./types.js";

export const POWERSHELL = "powershell.exe";
export const powershellArgs = (script: string): string[] => ["-NoProfile", "-NonInteractive", "-Command", script];

/** Windows PowerShell takes a second or more to start; its probes get twice the usual timeout. */
const powershellTimeout = (ctx: ProbeContext): number => ctx.runner.timeoutMs * 2;

export async function probeWindowsCim(ctx: ProbeContext): Promise<{ cim: WindowsCim | null; warnings: string[] }> {
  const r = await ctx.runner.run(POWERSHELL, powershellArgs(WINDOWS_CIM_SCRIPT), powershellTimeout(ctx));
  if (!succeeded(r)) return { cim: null, warnings: [failureText(r)] };
  try {
    const problems: string[] = [];
    const cim = parseWindowsCim(r.stdout, problems);
    ctx.runner.decide(
      r,
      `RAM ${cim.totalVisibleMemoryBytes === null ? "?" : gib2(cim.totalVisibleMemoryBytes)} GiB, free ${cim.freePhysicalMemoryBytes === null ? "?" : gib2(cim.freePhysicalMemoryBytes)} GiB, ${cim.processors.map((p) => p.name).join(" + ")}`,
    );
    return { cim, warnings: problems };
  } catch (e) {
    return { cim: null, warnings: [`PowerShell Win32_* query: output not understood (${(e as Error).message})`] };
  }
}

export function windowsCpu(cim: WindowsCim | null, nodeArch: string): CpuFacts {
  const procs = cim?.processors ?? [];
  const sum = (k: "cores" | "logicalProcessors"): number | null =>
    procs.length && procs.every((p) => p[k] !== null) ? procs.reduce((n, p) => n + (p[k] ?? 0), 0) : null;
  return {
    name: procs[0]?.name ?? null,
    physicalCores: sum("cores"),
    logicalCpus: sum("logicalProcessors"),
    arch: archOf(nodeArch),
    quotaCpus: null,
    // One Win32_Processor instance per socket.
    sockets: procs.length > 0 ? procs.length : null,
    source: "Win32_Processor.NumberOfCores",
  };
}

export function windowsMemory(cim: WindowsCim | null): MemoryFacts {
  return {
    hostTotalBytes: cim?.totalVisibleMemoryBytes ?? cim?.totalPhysicalMemoryBytes ?? null,
    availableBytes: cim?.freePhysicalMemoryBytes ?? null,
    swapTotalBytes: null,
    cgroupLimitBytes: null,
    cgroupAvailableBytes: null,
    source: "Win32_OperatingSystem (TotalVisibleMemorySize, FreePhysicalMemory)",
  };
}

/**
 * Windows names of integrated GPUs: Intel UHD / Iris / HD Graphics and the Core Ultra "Arc(TM) Graphics"
 * (a discrete Arc carries a model number, "Arc(TM) B580"), AMD "Radeon(TM) Graphics" and "Radeon 780M"-style APUs.
 */
export function integratedByName(name: string): boolean {
  if (/intel/i.test(name)) return !/\barc\b.*\b[ab]\d{3}/i.test(name);
  return /radeon(\(tm\))?\s+(\d{3,4}[ms]\s+)?graphics$|radeon(\(tm\))?\s+\d{3,4}m\b|radeon(\(tm\))?\s+vega\s+\d+\s+graphics/i.test(name);
}

/** Adapters from the registry, display-only ones dropped (detection keeps NVIDIA ones only when nvidia-smi gave none). */
export async function probeWindowsAdapters(ctx: ProbeContext): Promise<GpuProbeResult> {
  const r = await ctx.runner.run(POWERSHELL, powershellArgs(WINDOWS_REGISTRY_SCRIPT), powershellTimeout(ctx));
  if (!succeeded(r)) return { gpus: [], warnings: [failureText(r)] };
  let adapters;
  const problems: string[] = [];
  try {
    adapters = parseWindowsRegistryAdapters(r.stdout, problems);
  } catch (e) {
    return { gpus: [], warnings: [`PowerShell display-adapter registry query: output not understood (${(e as Error).message})`] };
  }
  const gpus: RawGpu[] = [];
  const notes: string[] = [];
  for (const [i, a] of adapters.entries()) {
    const vendor = vendorFromPciId(a.pciId) ?? vendorFromName(a.name);
    if (isDisplayOnlyAdapter(a.name, a.pciId?.slice(0, 4) ?? null)) {
      notes.push(`${a.name}: display-only, dropped`);
      ctx.runner.deviceDecision(`${a.name}: display-only adapter, dropped`);
      continue;
    }
    // A name that says "integrated" decides; otherwise the knowledge base does (null), never a guessed false.
    const integrated = integratedByName(a.name);
    notes.push(`${a.name}: ${a.memoryBytes === null ? "no memory value" : `${gib2(a.memoryBytes)} GiB (${a.memoryValue})`}${integrated ? ", integrated" : ""}`);
    gpus.push(
      rawGpu({
        key: a.pciId ? `${a.pciId}#${i}` : `windows:${i}`,
        name: a.name,
        vendor,
        pciId: a.pciId,
        memoryTotalBytes: a.memoryBytes,
        memorySource: a.memoryValue ? `registry ${a.memoryValue}` : "registry (no memory value)",
        integrated: integrated ? true : null,
      }),
    );
  }
  ctx.runner.decide(r, notes.join("; ") || "no adapters");
  return { gpus, warnings: problems };
}
