// nvidia-smi -L parser: GPUs and their MIG instances ("  MIG 3g.40gb     Device  0: (UUID: MIG-...)").

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

export function parseNvidiaSmiList(text: string): NvidiaGpuListing[] {
  const gpus: NvidiaGpuListing[] = [];
  for (const line of text.split(/\r?\n/)) {
    const gpu = /^GPU\s+(\d+):\s+(.+?)\s+\(UUID:\s*([^)]+)\)\s*$/.exec(line);
    if (gpu && gpu[1] !== undefined && gpu[2] !== undefined) {
      gpus.push({ index: Number(gpu[1]), name: gpu[2], uuid: gpu[3]?.trim() ?? null, migs: [] });
      continue;
    }
    const mig = /^\s+MIG\s+(\S+)\s+Device\s+(\d+):\s+\(UUID:\s*([^)]+)\)\s*$/.exec(line);
    const parent = gpus[gpus.length - 1];
    if (mig && parent && mig[1] !== undefined && mig[2] !== undefined && mig[3] !== undefined) {
      parent.migs.push({ profile: mig[1], deviceIndex: Number(mig[2]), uuid: mig[3].trim() });
    }
  }
  return gpus;
}

/**
 * The compute and memory slices a MIG profile name states ("3g.40gb": 3 compute slices, 40 GB); null for
 * names that do not follow the pattern. Profiles with media extensions ("1g.10gb+me") parse the same.
 */
export function parseMigProfile(profile: string): { computeSlices: number; nominalGB: number } | null {
  const m = /^(\d+)g\.(\d+)gb/i.exec(profile);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return { computeSlices: Number(m[1]), nominalGB: Number(m[2]) };
}
