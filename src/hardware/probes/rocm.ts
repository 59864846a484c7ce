// ROCm probe: rocm-smi's VRAM and product names, the fallback when amdgpu sysfs gives no VRAM figure.
import { parseRocmSmi, pciIdsNameAlternatives } from "../parsers/rocm-smi.js";
import { failureText, notInstalled, succeeded } from "../trace.js";
import { rawGpu, type GpuProbeResult, type ProbeContext } from "./types.js";

export const ROCM_SMI_ARGS = ["--showmeminfo", "vram", "--showproductname", "--json"] as const;

export async function probeRocmSmi(ctx: ProbeContext): Promise<GpuProbeResult> {
  const r = await ctx.runner.run("rocm-smi", ROCM_SMI_ARGS);
  if (notInstalled(r)) return { gpus: [], warnings: [] };
  if (!succeeded(r)) return { gpus: [], warnings: [failureText(r)] };
  let cards;
  const problems: string[] = [];
  try {
    cards = parseRocmSmi(r.stdout, problems);
  } catch (e) {
    return { gpus: [], warnings: [`rocm-smi: output not understood (${(e as Error).message})`] };
  }
  ctx.runner.decide(r, `${cards.length} card(s)`);
  return {
    gpus: cards
      .filter((c) => c.vramTotalBytes !== null)
      .map((c) =>
        rawGpu({
          key: `rocm-smi:${c.card}`,
          name: c.name ?? `AMD GPU [1002:${c.deviceId ?? "unknown"}]`,
          genericName: c.name === null || pciIdsNameAlternatives(c.name).length > 0,
          alternatives: c.name === null ? [] : pciIdsNameAlternatives(c.name),
          handle: c.card,
          vendor: "amd",
          pciId: c.deviceId === null ? null : `1002:${c.deviceId}`,
          memoryTotalBytes: c.vramTotalBytes,
          memoryFreeBytes: c.vramTotalBytes !== null && c.vramUsedBytes !== null ? Math.max(0, c.vramTotalBytes - c.vramUsedBytes) : null,
          memorySource: "rocm-smi VRAM Total Memory (B)",
        }),
      ),
    warnings: problems,
  };
}
