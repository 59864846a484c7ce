// Ascend probe: Huawei NPUs and their HBM from `npu-smi info`.
import { mibToBytes } from "../../domain/units.js";
import { parseNpuSmiInfo } from "../parsers/npu-smi.js";
import { failureText, notInstalled, succeeded } from "../trace.js";
import { rawGpu, type GpuProbeResult, type ProbeContext } from "./types.js";

export async function probeAscend(ctx: ProbeContext): Promise<GpuProbeResult> {
  const r = await ctx.runner.run("npu-smi", ["info"]);
  if (notInstalled(r)) return { gpus: [], warnings: [] };
  if (!succeeded(r)) return { gpus: [], warnings: [failureText(r)] };
  const problems: string[] = [];
  const npus = parseNpuSmiInfo(r.stdout, problems);
  ctx.runner.decide(r, `${npus.length} NPU(s)`);
  return {
    gpus: npus.map((n) =>
      rawGpu({
        key: n.pciBusId ?? `ascend:${n.npuId}:${n.chip}`,
        name: /^ascend/i.test(n.name) ? n.name : `Ascend ${n.name}`,
        vendor: "huawei",
        pciBusId: n.pciBusId,
        memoryTotalBytes: n.memoryTotalMiB === null ? null : mibToBytes(n.memoryTotalMiB),
        memoryFreeBytes: n.memoryTotalMiB !== null && n.memoryUsedMiB !== null ? mibToBytes(n.memoryTotalMiB - n.memoryUsedMiB) : null,
        memorySource: "npu-smi info HBM-Usage",
        integrated: false,
        unified: false,
      }),
    ),
    warnings: problems,
  };
}
