// NVIDIA probe: nvidia-smi (PATH, WSL2 and Windows locations), MIG instances from -L and their memory from -q.
import { gib2, mibToBytes } from "../../domain/units.js";
import type { CommandResult } from "../io.js";
import { NVIDIA_QUERY_FIELDS, NVIDIA_QUERY_FIELDS_LEGACY, isUnknownFieldError, nvidiaQueryArgs, parseNvidiaSmiQuery, type NvidiaSmiGpu } from "../parsers/nvidia-smi-query.js";
import { parseMigProfile, parseNvidiaSmiList, type NvidiaGpuListing } from "../parsers/nvidia-smi-list.js";
import { parseNvidiaSmiQ, type NvidiaQGpu } from "../parsers/nvidia-smi-q.js";
import { failureText, notInstalled, succeeded } from "../trace.js";
import { rawGpu, type GpuProbeResult, type ProbeContext, type RawGpu } from "./types.js";

export const WSL_NVIDIA_SMI = "/usr/lib/wsl/lib/nvidia-smi";
export const WINDOWS_NVIDIA_SMI = [
  "C:\\Windows\\System32\\nvidia-smi.exe",
  "C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe",
] as const;

/** Where nvidia-smi may be, in the order tried: the PATH first, then where the driver installs it. */
export function nvidiaSmiCandidates(ctx: Pick<ProbeContext, "os" | "isWsl">): string[] {
  if (ctx.os === "windows") return ["nvidia-smi", ...WINDOWS_NVIDIA_SMI];
  if (ctx.os === "macos") return [];
  return ctx.isWsl ? ["nvidia-smi", WSL_NVIDIA_SMI] : ["nvidia-smi"];
}

/**
 * Compute slices of a MIG-capable part: 7 on A100, H100, H200 and Blackwell, 4 on the A30 (NVIDIA Multi-Instance
 * GPU User Guide, "Supported MIG Profiles").
 */
const migComputeSlices = (parentName: string): number => (/\bA30\b/.test(parentName) ? 4 : 7);

export interface NvidiaProbeResult extends GpuProbeResult {
  /** "absent": no nvidia-smi anywhere; "failed": it is there but gave no usable answer. */
  status: "ok" | "absent" | "failed";
  /** The nvidia-smi that answered. */
  command: string | null;
}

async function queryWith(ctx: ProbeContext, command: string): Promise<{ query: CommandResult; fields: number; list: CommandResult }> {
  const [query, list] = await Promise.all([
    ctx.runner.run(command, nvidiaQueryArgs(NVIDIA_QUERY_FIELDS)),
    ctx.runner.run(command, ["-L"]),
  ]);
  if (!succeeded(query) && isUnknownFieldError(query.stdout + query.stderr)) {
    ctx.runner.decide(query, "driver before 510 does not know compute_cap: asking without it");
    return { query: await ctx.runner.run(command, nvidiaQueryArgs(NVIDIA_QUERY_FIELDS_LEGACY)), fields: NVIDIA_QUERY_FIELDS_LEGACY.length, list };
  }
  return { query, fields: NVIDIA_QUERY_FIELDS.length, list };
}

export async function probeNvidia(ctx: ProbeContext): Promise<NvidiaProbeResult> {
  const warnings: string[] = [];
  for (const command of nvidiaSmiCandidates(ctx)) {
    const { query, fields, list } = await queryWith(ctx, command);
    if (notInstalled(query)) {
      ctx.runner.decide(query, "not installed here");
      continue;
    }
    if (!succeeded(query)) {
      ctx.runner.decide(query, "failed: no NVIDIA GPUs taken from it");
      return { gpus: [], warnings: [failureText(query)], status: "failed", command };
    }
    const parsed = parseNvidiaSmiQuery(query.stdout, fields);
    for (const line of parsed.rejected) warnings.push(`nvidia-smi: line not understood: ${line}`);
    warnings.push(...parsed.problems);
    const listing = succeeded(list) ? parseNvidiaSmiList(list.stdout, warnings) : [];
    if (!succeeded(list)) warnings.push(`${failureText(list)} (MIG instances not checked)`);
    const withMig = listing.filter((l) => l.migs.length > 0);
    let qGpus: NvidiaQGpu[] = [];
    if (withMig.length > 0) {
      const q = await ctx.runner.run(command, ["-q"]);
      if (succeeded(q)) {
        qGpus = parseNvidiaSmiQ(q.stdout, warnings);
        ctx.runner.decide(q, `MIG memory read for ${qGpus.reduce((n, g) => n + g.migDevices.length, 0)} instances`);
      } else warnings.push(`${failureText(q)} (MIG instance memory taken from the profile names)`);
    }
    const gpus: RawGpu[] = [];
    for (const g of parsed.gpus) {
      const l = listing.find((x) => (g.uuid !== null && x.uuid === g.uuid) || x.index === g.index);
      if (l && l.migs.length > 0) gpus.push(...migDevices(g, l, qGpus, warnings));
      else gpus.push(wholeGpu(g));
    }
    ctx.runner.decide(query, `${parsed.gpus.length} GPU(s): ${parsed.gpus.map((g) => g.name).join(", ") || "none"}`);
    if (withMig.length > 0) ctx.runner.decide(list, `MIG enabled: ${withMig.map((l) => `GPU ${l.index}: ${l.migs.length} instances`).join(", ")}`);
    return { gpus, warnings, status: "ok", command };
  }
  return { gpus: [], warnings, status: "absent", command: null };
}

function wholeGpu(g: NvidiaSmiGpu): RawGpu {
  // "[N/A]" memory is how nvidia-smi reports GPUs without memory of their own (GB10, Jetson, Thor): the GPU
  // uses system RAM, and detection sizes its pool from /proc/meminfo. A figure dropped as implausible is not that:
  // the device's memory is then unknown (the knowledge base may know it), never unified.
  const noMemory = g.memoryTotalMiB === null && !g.memoryTotalRejected;
  return rawGpu({
    key: g.uuid ?? g.pciBusId ?? `nvidia:${g.index}`,
    name: g.name,
    // Jetson's nvidia-smi prints "Orin (nvgpu)" for every Orin module.
    genericName: /\(nvgpu\)/i.test(g.name),
    vendor: "nvidia",
    uuid: g.uuid,
    pciBusId: g.pciBusId,
    computeCapability: g.computeCapability,
    memoryTotalBytes: g.memoryTotalMiB === null ? null : mibToBytes(g.memoryTotalMiB),
    memoryFreeBytes: g.memoryFreeMiB === null || g.memoryTotalMiB === null ? null : mibToBytes(g.memoryFreeMiB),
    memoryRejected: g.memoryTotalRejected,
    memorySource: noMemory ? "nvidia-smi memory.total [N/A]" : "nvidia-smi memory.total",
    unified: noMemory ? true : null,
  });
}

function migDevices(g: NvidiaSmiGpu, l: NvidiaGpuListing, qGpus: readonly NvidiaQGpu[], warnings: string[]): RawGpu[] {
  const q = qGpus.find((x) => x.pciBusId === g.pciBusId) ?? qGpus[parsedIndex(qGpus, g)];
  const parentBytes = g.memoryTotalMiB === null ? null : mibToBytes(g.memoryTotalMiB);
  return l.migs.map((m) => {
    const mem = q?.migDevices.find((d) => d.index === m.deviceIndex);
    const profile = parseMigProfile(m.profile, warnings);
    let total: number | null = mem?.fbTotalMiB == null ? null : mibToBytes(mem.fbTotalMiB);
    let source = "nvidia-smi -q MIG device FB Memory Usage";
    if (total === null && profile) {
      // The profile names its memory in GB; the instance's real framebuffer is a little larger.
      total = profile.nominalGB * 1e9;
      source = `MIG profile name ${m.profile} (nominal)`;
      warnings.push(`GPU ${g.index} MIG device ${m.deviceIndex}: memory taken from the profile name ${m.profile}`);
    }
    let memoryShare = total !== null && parentBytes ? total / parentBytes : null;
    if (memoryShare !== null && memoryShare > 1) {
      warnings.push(`GPU ${g.index} MIG device ${m.deviceIndex}: memory ${gib2(total ?? 0)} GiB is more than its GPU's ${gib2(parentBytes ?? 0)} GiB: share unknown`);
      memoryShare = null;
    }
    const slices = migComputeSlices(g.name);
    return rawGpu({
      key: m.uuid,
      name: `${g.name} MIG ${m.profile}`,
      vendor: "nvidia",
      uuid: m.uuid,
      pciBusId: g.pciBusId,
      computeCapability: g.computeCapability,
      memoryTotalBytes: total,
      memoryFreeBytes: mem?.fbFreeMiB == null ? null : mibToBytes(mem.fbFreeMiB),
      memorySource: source,
      integrated: false,
      unified: false,
      share:
        memoryShare === null
          ? null
          : {
              memory: memoryShare,
              compute: profile ? profile.computeSlices / slices : null,
              note: `MIG ${m.profile}: ${profile ? `${profile.computeSlices}/${slices} of the compute, ` : ""}${(memoryShare * 100).toFixed(1)}% of the memory`,
            },
      knowledgeName: g.name,
      knowledgeMemoryBytes: parentBytes,
    });
  });
}

/** The -q report lists GPUs in index order; used when bus ids do not match (a fallback, never expected). */
function parsedIndex(qGpus: readonly NvidiaQGpu[], g: NvidiaSmiGpu): number {
  return g.index < qGpus.length ? g.index : -1;
}
