// Entry builder: the defaults and unit helpers of the knowledge-base tables, so each row states only its figures.
import { gibToBytes } from "../../domain/units.js";
import type { GpuVendor } from "../../domain/machine.js";
import type { GpuSpec } from "./types.js";

/** One table row: memory in marketed GB (stored as GiB x 2^30), everything else as in `GpuSpec`. */
export interface GpuRow {
  key: string;
  name: string;
  vendor: GpuVendor;
  /** Marketed memory per device in GB (a "24 GB" card is 24); null for unified chips sold in several sizes. */
  memoryGb: number | null;
  bandwidthGBps: number;
  fp16Tflops: number | null;
  source: string;
  aliases?: readonly string[];
  pciIds?: readonly string[];
  unifiedMemory?: boolean;
  integrated?: boolean;
  gpuCores?: number | null;
  systemRamBandwidth?: boolean;
  bandwidthAssumedPct?: number;
}

export function defineGpu(row: GpuRow): GpuSpec {
  const spec: GpuSpec = {
    key: row.key,
    name: row.name,
    vendor: row.vendor,
    memoryBytes: row.memoryGb === null ? null : gibToBytes(row.memoryGb),
    bandwidthGBps: row.bandwidthGBps,
    fp16Tflops: row.fp16Tflops,
    unifiedMemory: row.unifiedMemory ?? false,
    integrated: row.integrated ?? false,
    gpuCores: row.gpuCores ?? null,
    pciIds: row.pciIds ?? [],
    aliases: row.aliases ?? [],
    source: row.source,
  };
  if (row.systemRamBandwidth === true) spec.systemRamBandwidth = true;
  if (row.bandwidthAssumedPct !== undefined && row.bandwidthAssumedPct > 0) spec.bandwidthAssumedPct = row.bandwidthAssumedPct;
  return spec;
}

/**
 * Dense tensor TFLOPS from the unit count, the boost clock and the per-unit rate of the architecture
 * (the way vendors compute their own peak figures), rounded to 0.1.
 */
export function tensorTflops(units: number, boostMhz: number, flopsPerUnitPerClock: number): number {
  return Math.round((units * boostMhz * 1e6 * flopsPerUnitPerClock) / 1e11) / 10;
}

/** Dense FP16 FLOP per clock per SM, from NVIDIA's architecture whitepapers. */
export const NVIDIA_TENSOR_RATE = {
  /**
   * GeForce Turing / Ampere (GA10x) / Ada / Blackwell (GB20x): FP16 with FP32 accumulate (the BF16 rate).
   * FP16-accumulate runs at twice this on GeForce parts only.
   */
  geforce: 512,
  /** Professional and datacenter Turing / GA10x / Ada / GB20x parts: full-rate FP32 accumulate. */
  pro: 1024,
} as const;

/** The whitepaper a GeForce / pro tensor figure's per-SM rate comes from. */
export const NVIDIA_WHITEPAPER = {
  turing: "NVIDIA Turing GPU Architecture whitepaper",
  ampere: "NVIDIA Ampere GA102 GPU Architecture whitepaper",
  ada: "NVIDIA Ada Lovelace GPU Architecture whitepaper",
  blackwell: "NVIDIA RTX Blackwell GPU Architecture whitepaper",
} as const;

/** The source line of a row whose memory figures come from TechPowerUp and FP16 is derived from SMs x clock. */
export function tpuDerivedSource(
  tpuName: string,
  sms: number,
  boostMhz: number,
  rate: number,
  whitepaper: string,
): string {
  return (
    `TechPowerUp GPU Database: ${tpuName} (memory, bus, SMs, boost clock); ` +
    `FP16 = ${sms} SMs x ${boostMhz} MHz x ${rate} FLOP/clk/SM (${whitepaper})`
  );
}

export const tpuSource = (tpuName: string): string => `TechPowerUp GPU Database: ${tpuName}`;
