// Units: byte and bandwidth conversions, done here once so the rest of the code keeps bytes inside.

/** 2^30 bytes. Every `_gb` field of the API is GiB (see the contract: an RTX 4090's 24564 MiB is `24.0`). */
export const BYTES_PER_GIB = 1024 ** 3;
export const BYTES_PER_MIB = 1024 ** 2;
export const BYTES_PER_KIB = 1024;
/** 10^9 bytes: the unit of vendors' bandwidth figures (GB/s) and of Hugging Face file tables. */
export const BYTES_PER_GB = 1e9;

export const gibToBytes = (gib: number): number => Math.round(gib * BYTES_PER_GIB);
export const mibToBytes = (mib: number): number => Math.round(mib * BYTES_PER_MIB);
export const kibToBytes = (kib: number): number => Math.round(kib * BYTES_PER_KIB);
export const bytesToGib = (bytes: number): number => bytes / BYTES_PER_GIB;

/** Rounds to two decimals, the precision of every `_gb` field at the edges. */
export const round2 = (x: number): number => Math.round(x * 100) / 100;
export const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Bytes to GiB with two decimals: the one conversion the edges use. */
export const gib2 = (bytes: number): number => round2(bytes / BYTES_PER_GIB);

/**
 * A card's VRAM in GiB to 0.1, as the seed's example writes it: an RTX 4090's 24564 MiB is `24.0` (two decimals
 * would say 23.99, which reads as a different card). Used for `gpu_vram_gb` and `gpus[].vram_gb` only.
 */
export const vramGib = (bytes: number): number => round1(bytes / BYTES_PER_GIB);

/** Bytes to GiB, or null when the value does not apply. */
export const gib2OrNull = (bytes: number | null | undefined): number | null =>
  bytes === null || bytes === undefined ? null : gib2(bytes);
