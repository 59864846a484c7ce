// nvidia-smi -L parser: GPUs and their MIG instances ("  MIG 3g.40gb     Device  0: (UUID: MIG-...)").
import { MAX_GPU_MEMORY_GIB } from "../../domain/limits.js";
import { GPU_COUNT, shown } from "./plausible.js";

export interface NvidiaMigListing {
  /** "3g.40gb". */
  profile: string;
  /** The instance's index under its GPU, as printed ("Device  0"). */
  deviceIndex: number;
  uuid: string;
}

export interface NvidiaGpuListing {
  index: number;
  name: string;
  uuid: string | null;
  migs: NvidiaMigListing[];
}

/** The GPUs listed (at most MAX_GPUS; the rest are dropped into `problems`). */
export function parseNvidiaSmiList(text: string, problems: string[] = []): NvidiaGpuListing[] {
  const gpus: NvidiaGpuListing[] = [];
  for (const line of text.split(/\r?\n/)) {
    const gpu = /^GPU\s+(\d{1,6}):\s+(.+?)\s+\(UUID:\s*([^)]+)\)\s*$/.exec(line);
    if (gpu && gpu[1] !== undefined && gpu[2] !== undefined) {
      if (gpus.length >= GPU_COUNT.max) {
        problems.push(`nvidia-smi -L: more than ${GPU_COUNT.max} GPUs: the rest ignored`);
        break;
      }
      gpus.push({ index: Number(gpu[1]), name: gpu[2], uuid: gpu[3]?.trim() ?? null, migs: [] });
      continue;
    }
    const mig = /^\s+MIG\s+(\S+)\s+Device\s+(\d{1,3}):\s+\(UUID:\s*([^)]+)\)\s*$/.exec(line);
    const parent = gpus[gpus.length - 1];
    if (mig && parent && mig[1] !== undefined && mig[2] !== undefined && mig[3] !== undefined) {
      parent.migs.push({ profile: mig[1], deviceIndex: Number(mig[2]), uuid: mig[3].trim() });
    }
  }
  return gpus;
}

/** A MIG-capable part has at most 7 compute slices (NVIDIA Multi-Instance GPU User Guide, "Supported MIG Profiles"). */
const MAX_MIG_COMPUTE_SLICES = 7;

/**
 * The compute and memory slices a MIG profile name states ("3g.40gb": 3 compute slices, 40 GB); null for
 * names that do not follow the pattern. Profiles with media extensions ("1g.10gb+me") parse the same. A name
 * stating more than 7 slices or more memory than any GPU has gives null, with a line in `problems`.
 */
export function parseMigProfile(profile: string, problems: string[] = []): { computeSlices: number; nominalGB: number } | null {
  const m = /^(\d{1,4})g\.(\d{1,6})gb/i.exec(profile);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const computeSlices = Number(m[1]);
  const nominalGB = Number(m[2]);
  if (computeSlices < 1 || computeSlices > MAX_MIG_COMPUTE_SLICES || nominalGB < 1 || nominalGB > MAX_GPU_MEMORY_GIB) {
    problems.push(`nvidia-smi -L MIG profile ${shown(profile)}: not a plausible profile (1 to ${MAX_MIG_COMPUTE_SLICES} slices, 1 to ${MAX_GPU_MEMORY_GIB} GB): ignored`);
    return null;
  }
  return { computeSlices, nominalGB };
}
