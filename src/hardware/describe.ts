// Described machines: a `--machine` JSON file or a request's `machine` object, validated and completed into a Machine.
import { z } from "zod";
import { NodefitError, type ErrorCode } from "../domain/errors.js";
import { cpuBackend, primaryGpu, type CpuArch, type GpuDevice, type Machine, type OsName } from "../domain/machine.js";
import { MAX_BANDWIDTH_GBPS, MAX_CPU_CORES, MAX_GPU_MEMORY_GIB, MAX_GPUS, MAX_RAM_GIB } from "../domain/limits.js";
import { issueText } from "../domain/issue-text.js";
import { gib2, gibToBytes } from "../domain/units.js";
import { readInputFile } from "../domain/read-input-file.js";
import { backendFor, vendorFromName } from "./classify.js";
import { assumeGpu } from "./knowledge/assumed-gpu.js";
import { gpuNameCandidates } from "./knowledge/gpu-suggest.js";
import { isIntegratedGpuName } from "./knowledge/cpu-memory.js";
import { lookupGpu } from "./knowledge/lookup.js";
import type { GpuSpec } from "./knowledge/types.js";
import { assumedText, cpuRamBandwidth, integratedGpuBandwidth, unifiedRamBandwidth, type RamBandwidth } from "./ram-bandwidth.js";
import { appleGpuPool, osReserveBytes, unifiedGpuPool } from "./unified-pool.js";

const positive = z.number().positive().finite();
const gib = (max: number) => positive.max(max, `at most ${max} GiB`);

export const DescribedGpuSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    /** Memory per card, GiB. */
    vram_gb: gib(MAX_GPU_MEMORY_GIB).optional(),
    count: z.number().int().positive().max(MAX_GPUS, `at most ${MAX_GPUS} GPUs`).default(1),
    memory_bandwidth_gbps: positive.max(MAX_BANDWIDTH_GBPS, `at most ${MAX_BANDWIDTH_GBPS} GB/s`).optional(),
    unified_memory: z.boolean().optional(),
  })
  .strict();

/** The contract's machine description (every field but `ram_gb` optional; sizes in GiB, bandwidth in GB/s). */
export const MachineDescriptionSchema = z
  .object({
    gpus: z.array(DescribedGpuSchema).max(MAX_GPUS, `at most ${MAX_GPUS} entries`).default([]),
    ram_gb: gib(MAX_RAM_GIB),
    available_ram_gb: z.number().nonnegative().finite().optional(),
    cpu_cores: z.number().int().positive().max(MAX_CPU_CORES, `at most ${MAX_CPU_CORES} cores`).optional(),
    cpu_name: z.string().trim().min(1).max(200).optional(),
    ram_bandwidth_gbps: positive.max(MAX_BANDWIDTH_GBPS, `at most ${MAX_BANDWIDTH_GBPS} GB/s`).optional(),
    node_name: z.string().trim().min(1).max(253).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.available_ram_gb !== undefined && d.available_ram_gb > d.ram_gb)
      ctx.addIssue({ code: "custom", path: ["available_ram_gb"], message: `${d.available_ram_gb} is more than ram_gb (${d.ram_gb})` });
    const total = d.gpus.reduce((n, g) => n + g.count, 0);
    if (total > MAX_GPUS) ctx.addIssue({ code: "custom", path: ["gpus"], message: `${total} GPUs in all: at most ${MAX_GPUS}` });
  });
export type MachineDescription = z.infer<typeof MachineDescriptionSchema>;

export interface DescribeOptions {
  /** Names the input in errors ("m.json", "machine"). */
  label?: string | undefined;
  /** invalid_input_file for a file, invalid_argument for a request body (the default). */
  errorCode?: Extract<ErrorCode, "invalid_input_file" | "invalid_argument"> | undefined;
  /** Node name when the description has none (default "described"). */
  defaultNodeName?: string | undefined;
}

/**
 * Cores assumed when a description gives none: four, what the smallest laptops and desktops that run models have had
 * since 2017 (Intel's 8th-generation U-series), so CPU compute is neither ignored nor inflated.
 */
const ASSUMED_CPU_CORES = 4;

const ARM_CPU = /apple|\barm\b|neoverse|cortex|grace|graviton|ampere|snapdragon|kunpeng|jetson|\bm\d\b/i;

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");
}

const failure = (opts: DescribeOptions, where: string, message: string): NodefitError =>
  new NodefitError(opts.errorCode ?? "invalid_argument", `${opts.label ?? "machine"}: ${where ? `${where}: ` : ""}${message}`, { field: where });

/** What each field of a description accepts, in the words an error uses (its bounds say themselves: "at most 256 GPUs"). */
const MACHINE_ACCEPTS: Readonly<Record<string, string>> = {
  ram_gb: "a number of GiB greater than 0",
  available_ram_gb: "a number of GiB, 0 or more",
  vram_gb: "a number of GiB greater than 0",
  memory_bandwidth_gbps: "a number of GB/s greater than 0",
  ram_bandwidth_gbps: "a number of GB/s greater than 0",
  count: "a whole number of GPUs, 1 or more",
  cpu_cores: "a whole number of cores, 1 or more",
  name: "the GPU's name, e.g. \"NVIDIA GeForce RTX 4090\"",
  cpu_name: "the CPU's name, e.g. \"AMD Ryzen 9 7950X\"",
  node_name: "a name for the machine (text that is not empty)",
  unified_memory: "true or false",
  gpus: 'a list of GPUs, e.g. [{"name": "RTX 4090", "count": 2}]',
};

const machineAccepts = (path: readonly PropertyKey[]): string | undefined => {
  if (path.length === 0) return 'an object such as {"ram_gb": 64, "gpus": [{"name": "RTX 4090"}]}';
  const last = path[path.length - 1];
  if (typeof last === "number") return path[0] === "gpus" ? 'a GPU such as {"name": "RTX 4090", "vram_gb": 24}' : undefined;
  return MACHINE_ACCEPTS[String(last)];
};

/**
 * The error for a schema issue inside a description, worded the same wherever the description came from (a file, a
 * request's `machine`): `<label>: <field path>: <what is wrong>`, in plain words ("machine: ram_gb: must be a number
 * of GiB greater than 0 (got \"lots\")"). `path` is the issue's path within the description, `description` the value
 * validated (for what the field got).
 */
export function machineIssueError(
  issue: z.core.$ZodIssue | undefined,
  path: readonly PropertyKey[],
  opts: DescribeOptions = {},
  description?: unknown,
): NodefitError {
  const message =
    issue === undefined
      ? "not a machine description"
      : issue.code === "unrecognized_keys"
        ? `unknown field ${issue.keys.join(", ")}: use gpus, ram_gb, available_ram_gb, cpu_cores, cpu_name, ram_bandwidth_gbps, node_name` +
          (path.length ? " (in gpus[]: name, vram_gb, count, memory_bandwidth_gbps, unified_memory)" : "")
        : issueText({ ...issue, path }, description, machineAccepts);
  return failure(opts, issuePath(path), message);
}

/** Validates a description (the one check of its shape and bounds). */
export function parseMachineDescription(input: unknown, opts: DescribeOptions = {}): MachineDescription {
  const parsed = MachineDescriptionSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw machineIssueError(issue, issue?.path ?? [], opts, input);
}

/** Validates and completes a description. Unknown figures come from the knowledge base by GPU name. */
export function describeMachine(input: unknown, opts: DescribeOptions = {}): Machine {
  return completeMachine(parseMachineDescription(input, opts), opts);
}

/** The memory sizes cards are sold with, each with the cards: "40 GiB (NVIDIA A100 PCIe 40GB, NVIDIA A100 SXM4 40GB)". */
function soldSizes(specs: readonly GpuSpec[]): string[] {
  const bySize = new Map<number, string[]>();
  for (const s of specs) if (s.memoryBytes !== null) bySize.set(s.memoryBytes, [...(bySize.get(s.memoryBytes) ?? []), s.name]);
  return [...bySize.entries()].sort(([a], [b]) => a - b).map(([bytes, names]) => `${gib2(bytes)} GiB (${names.join(", ")})`);
}

/** What a description names to override an assumed figure. */
const GPU_OVERRIDE = "; give memory_bandwidth_gbps to override";
const RAM_OVERRIDE = "; give ram_bandwidth_gbps to override";

/**
 * Completes a validated description into a Machine: unknown figures from the knowledge base by GPU name, else
 * assumed (see knowledge/assumed-gpu.ts, knowledge/cpu-memory.ts) and marked so, so every device and the RAM have a
 * bandwidth. Throws only for what nothing can fill (a GPU with neither a name the knowledge base can size nor `vram_gb`).
 */
export function completeMachine(d: MachineDescription, opts: DescribeOptions = {}): Machine {
  const fail = (where: string, message: string): NodefitError => failure(opts, where, message);
  const ramBytes = gibToBytes(d.ram_gb);
  // Free RAM: as described, else all of it (the contract's `available_ram_gb`), with what the OS keeps for itself
  // recorded as a reserve the estimator holds back.
  const availableBytes = d.available_ram_gb === undefined ? ramBytes : gibToBytes(d.available_ram_gb);
  const osReserve = d.available_ram_gb === undefined ? osReserveBytes(ramBytes) : 0;
  const warnings: string[] = [];
  const gpus: GpuDevice[] = [];
  /** Devices that read the system RAM (integrated GPUs): their bandwidth is the RAM's, filled in once it is known. */
  const readsRam = new Set<GpuDevice>();
  const integratedNames: string[] = [];
  let appleSeen = false;
  let armGpu = false;
  for (const [i, g] of d.gpus.entries()) {
    const where = `gpus[${i}]`;
    if (g.name === undefined && g.vram_gb === undefined) throw fail(where, "give the GPU's name or its vram_gb");
    const name = g.name ?? "GPU";
    const vramBytes = g.vram_gb === undefined ? null : gibToBytes(g.vram_gb);
    const match = g.name === undefined ? null : lookupGpu({ name: g.name, memoryBytes: vramBytes });
    const integratedByName = match === null && g.name !== undefined && isIntegratedGpuName(g.name);
    const assumed =
      match === null && g.name !== undefined && !integratedByName
        ? assumeGpu({ name: g.name, memoryBytes: vramBytes, systemRamBytes: ramBytes, vendor: vendorFromName(g.name) })
        : null;
    const spec = match?.spec ?? assumed?.spec ?? null;
    const vendor = spec?.vendor ?? assumed?.vendor ?? vendorFromName(name);
    const unified = g.unified_memory ?? spec?.unifiedMemory ?? (vendor === "apple" || integratedByName);
    const integrated = spec?.integrated ?? integratedByName;
    // A name several cards share, sold with different memory ("A100": 40 and 80 GB): asked, not guessed.
    if (vramBytes === null && !unified && assumed?.candidates !== undefined) {
      const sizes = soldSizes(assumed.candidates);
      if (sizes.length > 1) throw fail(`${where}.vram_gb`, `needed: ${name} is sold with ${sizes.join(" and ")}: give vram_gb, or the card's full name`);
    }
    if (vendor === "apple") appleSeen = true;
    if (spec !== null && /gb10|jetson|thor|grace/i.test(spec.key)) armGpu = true;
    let memoryBytes: number;
    let memorySource: string;
    if (vramBytes !== null) {
      memoryBytes = vramBytes;
      memorySource = "machine description (vram_gb)";
    } else if (unified && vendor === "apple") {
      const pool = appleGpuPool(ramBytes, null);
      memoryBytes = pool.bytes;
      memorySource = `machine description: ${pool.source.replace("hw.memsize", "ram_gb")}`;
    } else if (unified) {
      const pool = unifiedGpuPool(ramBytes);
      memoryBytes = pool.bytes;
      memorySource = `machine description: ${pool.source}`;
    } else if (spec?.memoryBytes != null) {
      memoryBytes = spec.memoryBytes;
      memorySource = `knowledge base: ${spec.name} is sold with ${gib2(spec.memoryBytes)} GiB${match === null ? " (assumed from the name)" : ""}`;
    } else {
      // A name the knowledge base cannot size: the models it may mean (every Orin board, a typo's card), if any.
      const alike = g.name === undefined ? [] : gpuNameCandidates(g.name);
      if (alike.length > 0)
        throw fail(`${where}.name`, `${name} is not a card the knowledge base can size: did you mean ${alike.map((s) => s.name).join(", ")}? (or give vram_gb)`);
      throw fail(`${where}.vram_gb`, `needed: ${name} is not in the knowledge base (or is sold with several memory sizes)`);
    }
    let bandwidth: number | null = g.memory_bandwidth_gbps ?? null;
    let bandwidthSource: string | null = bandwidth === null ? null : "machine description (memory_bandwidth_gbps)";
    let assumedPct = 0;
    const ramReader = bandwidth === null && (spec?.systemRamBandwidth === true || (spec === null && (integratedByName || (unified && assumed === null))));
    if (bandwidth === null && !ramReader) {
      if (match !== null) {
        bandwidth = match.spec.bandwidthGBps;
        assumedPct = match.spec.bandwidthAssumedPct ?? 0;
        bandwidthSource =
          assumedPct > 0
            ? `${assumedText(`${match.spec.name}: ${match.spec.source} (knowledge base)`)}${GPU_OVERRIDE}`
            : `knowledge base: ${match.spec.name}: ${match.spec.source}`;
      } else if (assumed !== null) {
        bandwidth = assumed.bandwidthGBps;
        assumedPct = assumed.assumedPct;
        bandwidthSource = assumedPct > 0 ? `${assumedText(assumed.reason)}${GPU_OVERRIDE}` : `knowledge base: ${assumed.reason}`;
      }
    }
    if (bandwidth === null && !ramReader) warnings.push(`${name}: not in the knowledge base and no memory_bandwidth_gbps given: speed not estimated`);
    if (ramReader && g.name !== undefined) integratedNames.push(g.name);
    for (let n = 0; n < g.count; n++) {
      const device: GpuDevice = {
        index: gpus.length,
        name,
        vendor,
        backend: "CUDA",
        memoryTotalBytes: memoryBytes,
        memoryFreeBytes: unified ? Math.min(memoryBytes, availableBytes) : memoryBytes,
        memoryBandwidthGBps: bandwidth,
        fp16Tflops: spec?.fp16Tflops ?? null,
        unifiedMemory: unified,
        integrated,
        uuid: null,
        pciBusId: null,
        computeCapability: null,
        // An Apple variant picked by memory size is assumed: its core count is not stated as a fact.
        gpuCores: match !== null || (assumed?.assumedPct ?? 0) === 0 ? (spec?.gpuCores ?? null) : null,
        memorySource,
        bandwidthSource,
      };
      if (assumedPct > 0) device.bandwidthAssumedPct = assumedPct;
      if (ramReader) readsRam.add(device);
      gpus.push(device);
    }
  }
  const os: OsName = appleSeen ? "macos" : "linux";
  for (const g of gpus) g.backend = backendFor(g.vendor, os);
  const arch: CpuArch = appleSeen || armGpu || (d.cpu_name !== undefined && ARM_CPU.test(d.cpu_name)) ? "arm" : "x86";
  let cores = d.cpu_cores;
  if (cores === undefined) {
    cores = ASSUMED_CPU_CORES;
    warnings.push(`cpu_cores not given: assumed ${ASSUMED_CPU_CORES} (CPU speed estimates are approximate; give cpu_cores)`);
  }
  // RAM: as given; else a unified GPU's own memory (Apple, Strix Halo, GB10); else the CPU's memory platform.
  let ram: RamBandwidth;
  if (d.ram_bandwidth_gbps !== undefined) ram = { bandwidthGBps: d.ram_bandwidth_gbps, source: "machine description (ram_bandwidth_gbps)" };
  else {
    ram = unifiedRamBandwidth(gpus) ?? cpuRamBandwidth(d.cpu_name, ramBytes, integratedNames);
    if ((ram.assumedPct ?? 0) > 0) ram = { ...ram, source: `${ram.source}${RAM_OVERRIDE}` };
  }
  for (const g of readsRam) {
    const figure = integratedGpuBandwidth(g.name, ram);
    g.memoryBandwidthGBps = figure.bandwidthGBps;
    g.bandwidthSource = figure.source;
    if (figure.assumedPct > 0) g.bandwidthAssumedPct = figure.assumedPct;
  }
  const primary = primaryGpu({ gpus });
  const memory: Machine["memory"] = {
    totalBytes: ramBytes,
    availableBytes,
    hostTotalBytes: ramBytes,
    cgroupLimitBytes: null,
    swapTotalBytes: null,
    limitedBy: "description",
    bandwidthGBps: ram.bandwidthGBps,
    bandwidthSource: ram.source,
  };
  if ((ram.assumedPct ?? 0) > 0) memory.bandwidthAssumedPct = ram.assumedPct;
  if (osReserve > 0) memory.osReserveBytes = osReserve;
  return {
    node: { name: d.node_name ?? opts.defaultNodeName ?? "described", os },
    cpu: { name: d.cpu_name ?? "unknown CPU", cores, threads: null, arch },
    memory,
    gpus,
    backend: primary?.backend ?? cpuBackend(arch),
    unifiedMemory: primary?.unifiedMemory ?? false,
    warnings,
    snapshotAt: null,
    origin: "described",
  };
}

/** Parses a description file's text (JSON); errors are invalid_input_file naming `label`. */
export function parseMachineFile(text: string, label: string, defaultNodeName?: string): Machine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new NodefitError("invalid_input_file", `${label}: not valid JSON (${(e as Error).message})`);
  }
  return describeMachine(json, { label, errorCode: "invalid_input_file", defaultNodeName });
}

/**
 * Reads and parses `--machine FILE.json`: a regular file of at most 1 MiB (MAX_MACHINE_FILE_BYTES), opened without
 * blocking; a FIFO, a device or a directory is refused before it is read (`invalid_input_file`).
 */
export async function loadMachineFile(path: string, defaultNodeName?: string): Promise<Machine> {
  const { text } = await readInputFile(path, "machine");
  return parseMachineFile(text, path, defaultNodeName);
}
