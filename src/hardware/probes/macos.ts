// macOS probe: sysctl (RAM, CPU, GPU wired limit), system_profiler (GPU, core count) and vm_stat (free memory).
import { gib2 } from "../../domain/units.js";
import { CPU_COUNT, RAM_BYTES, RAM_MIB } from "../parsers/plausible.js";
import { MACOS_SYSCTL_KEYS, parseSysctl, sysctlFigure } from "../parsers/sysctl.js";
import { parseSystemProfilerDisplays } from "../parsers/system-profiler.js";
import { parseVmStat, vmStatAvailableBytes } from "../parsers/vm-stat.js";
import { failureText, succeeded } from "../trace.js";
import { archOf } from "./linux-cpu.js";
import { rawGpu, type CpuFacts, type GpuProbeResult, type MemoryFacts, type ProbeContext } from "./types.js";

export const SYSTEM_PROFILER_ARGS = ["SPDisplaysDataType", "-json"] as const;

export interface MacProbeResult extends GpuProbeResult {
  cpu: CpuFacts;
  memory: MemoryFacts;
  /** `iogpu.wired_limit_mb` (0 = macOS default); null when the OID does not exist (before macOS 14). */
  wiredLimitMb: number | null;
}

/** Available memory only (for refreshes). */
export async function probeMacAvailable(ctx: ProbeContext): Promise<{ availableBytes: number | null; warnings: string[] }> {
  const r = await ctx.runner.run("vm_stat", []);
  if (!succeeded(r)) return { availableBytes: null, warnings: [failureText(r)] };
  const problems: string[] = [];
  const vm = parseVmStat(r.stdout, problems);
  const available = vm === null ? null : vmStatAvailableBytes(vm, problems);
  if (available === null) return { availableBytes: null, warnings: problems.length > 0 ? problems : ["vm_stat: output not understood"] };
  ctx.runner.decide(r, `available ${gib2(available)} GiB (free + speculative + inactive pages)`);
  return { availableBytes: available, warnings: [] };
}

export async function probeMac(ctx: ProbeContext): Promise<MacProbeResult> {
  const r = ctx.runner;
  const warnings: string[] = [];
  const [sysctl, profiler, avail] = await Promise.all([
    r.run("sysctl", [...MACOS_SYSCTL_KEYS]),
    r.run("system_profiler", SYSTEM_PROFILER_ARGS),
    probeMacAvailable(ctx),
  ]);
  warnings.push(...avail.warnings);
  // sysctl exits 1 when one OID is unknown but still prints the others.
  if (sysctl.spawnError !== null || sysctl.timedOut) warnings.push(failureText(sysctl));
  const values = parseSysctl(sysctl.stdout);
  const memsize = sysctlFigure(values, "hw.memsize", RAM_BYTES, warnings);
  const wired = sysctlFigure(values, "iogpu.wired_limit_mb", RAM_MIB, warnings);
  if (memsize === null) warnings.push("sysctl hw.memsize: not available");
  r.decide(sysctl, `RAM ${memsize === null ? "?" : gib2(memsize)} GiB, iogpu.wired_limit_mb ${wired ?? "absent"}`);

  const gpus = [];
  if (succeeded(profiler)) {
    try {
      const adapters = parseSystemProfilerDisplays(profiler.stdout, warnings);
      for (const [i, a] of adapters.entries()) {
        const apple = a.vendor === "apple";
        gpus.push(
          rawGpu({
            key: `macos:${i}`,
            name: a.name,
            vendor: a.vendor ?? "other",
            pciId: a.pciId,
            gpuCores: a.gpuCores,
            memoryTotalBytes: apple ? null : a.vramBytes,
            memorySource: apple ? "unified memory (hw.memsize)" : "system_profiler spdisplays_vram",
            integrated: apple || a.bus === "builtin",
            unified: apple,
          }),
        );
      }
      r.decide(profiler, adapters.map((a) => `${a.name}${a.gpuCores ? ` (${a.gpuCores} GPU cores)` : ""}`).join(", ") || "no GPU");
    } catch (e) {
      warnings.push(`system_profiler SPDisplaysDataType: output not understood (${(e as Error).message})`);
    }
  } else warnings.push(failureText(profiler));

  return {
    gpus,
    warnings,
    wiredLimitMb: wired,
    cpu: {
      name: values.get("machdep.cpu.brand_string") ?? null,
      physicalCores: sysctlFigure(values, "hw.physicalcpu", CPU_COUNT, warnings),
      logicalCpus: sysctlFigure(values, "hw.logicalcpu", CPU_COUNT, warnings),
      arch: archOf(ctx.runner.io.arch),
      quotaCpus: null,
      source: "sysctl hw.physicalcpu",
    },
    memory: {
      hostTotalBytes: memsize,
      availableBytes: avail.availableBytes,
      swapTotalBytes: null,
      cgroupLimitBytes: null,
      cgroupAvailableBytes: null,
      source: "sysctl hw.memsize, vm_stat",
    },
  };
}
