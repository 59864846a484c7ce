// Unified-memory pools: how much of the shared RAM the GPU of a unified-memory machine may use, and what a described
// machine's OS keeps for itself.
import { BYTES_PER_GIB, BYTES_PER_MIB } from "../domain/units.js";
import { APPLE_DEFAULT_WORKING_SET } from "../domain/machine.js";

/**
 * macOS caps what Metal may keep resident (MTLDevice.recommendedMaxWorkingSetSize) at a share of RAM:
 * two thirds on smaller machines, three quarters on larger ones. The figure llama.cpp prints at start-up
 * (`ggml_metal_init: recommendedMaxWorkingSetSize = ... MB`, decimal MB), as posted in its issues, shows it:
 * 11453.25 MB on 16 GB Macs (2/3 of 16 GiB), 51539.61 MB on 64 GB ones (3/4 of 64 GiB). Where between 36 and 64 GB
 * the share switches is not documented by Apple; nodefit takes 2/3 up to 36 GiB and 3/4 above, the rule
 * commonly quoted with those logs. `sudo sysctl iogpu.wired_limit_mb=N` (macOS 14+) replaces the default.
 */
export const APPLE_SMALL_RAM_LIMIT_BYTES = 36 * BYTES_PER_GIB;

export interface ApplePool {
  bytes: number;
  source: string;
}

/** The GPU's share of an Apple Silicon Mac's RAM: the wired limit when set (> 0), else macOS's default share. */
export function appleGpuPool(ramBytes: number, wiredLimitMb: number | null): ApplePool {
  if (wiredLimitMb !== null && wiredLimitMb > 0) {
    return { bytes: Math.min(ramBytes, wiredLimitMb * BYTES_PER_MIB), source: `sysctl iogpu.wired_limit_mb = ${wiredLimitMb}` };
  }
  const small = ramBytes <= APPLE_SMALL_RAM_LIMIT_BYTES;
  return {
    bytes: Math.floor(small ? (ramBytes * 2) / 3 : (ramBytes * 3) / 4),
    source: `${APPLE_DEFAULT_WORKING_SET}: ${small ? "2/3" : "3/4"} of hw.memsize (iogpu.wired_limit_mb not set)`,
  };
}

/**
 * RAM the operating system, its desktop and a runtime's host process keep on a machine that is only described: the
 * larger of 4 GiB and a tenth of the RAM (a Linux desktop idles at 1.5-3 GiB, Windows at 3-5 GiB; servers keep page
 * cache and daemons in proportion to their size). A stated assumption: `available_ram_gb` in a description replaces it.
 */
export const OS_RESERVE_MIN_BYTES = 4 * BYTES_PER_GIB;
export const OS_RESERVE_SHARE = 0.1;

export const osReserveBytes = (ramBytes: number): number => Math.max(OS_RESERVE_MIN_BYTES, Math.round(ramBytes * OS_RESERVE_SHARE));

/**
 * The GPU's pool on a unified-memory machine other than a Mac (Strix Halo, GB10, Jetson, an APU): all the RAM but the
 * OS reserve. Strix Halo's GPU sees its BIOS carve-out plus the GTT window (Linux: amdgpu.gttsize / ttm pages_limit;
 * Windows: the BIOS VRAM split), which LLM setups raise to nearly all the RAM; Jetson and GB10 share one pool with the
 * OS. Stated as assumed: a description's `vram_gb` gives the real figure.
 */
export function unifiedGpuPool(ramBytes: number): ApplePool {
  const reserve = osReserveBytes(ramBytes);
  return {
    bytes: Math.max(0, ramBytes - reserve),
    source: `unified memory: ram_gb less the OS reserve (${(reserve / BYTES_PER_GIB).toFixed(1)} GiB); give vram_gb for the GPU's real share (Strix Halo: the GTT / BIOS split)`,
  };
}
