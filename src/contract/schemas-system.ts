// Schemas of the node, health and system objects: the zod form of system.ts / envelope.ts, for tests and the OpenAPI document.
import { z } from "zod";
import { BACKENDS, type GpuVendor, type OsName } from "../domain/machine.js";

/** `node.os`: the domain's OsName values. */
export const OS_NAMES = ["linux", "macos", "windows", "freebsd", "other"] as const satisfies readonly OsName[];
export const GPU_VENDORS = ["nvidia", "amd", "intel", "apple", "huawei", "other"] as const satisfies readonly GpuVendor[];

/** A size in GiB (2^30 bytes), two decimals. */
const gib = () => z.number().nonnegative();

export const NodeSchema = z
  .strictObject({
    name: z.string().describe("Host name, or the --node-name / NODEFIT_NODE_NAME override."),
    os: z.enum(OS_NAMES),
  })
  .describe("The node answering.");

export const HealthSchema = z
  .strictObject({
    status: z.literal("ok").describe('Always "ok" while the process runs.'),
    node: NodeSchema,
  })
  .describe("Liveness: answers at once, even while the first hardware scan runs.");

export const SystemGpuGroupSchema = z
  .strictObject({
    name: z.string(),
    vram_gb: gib().describe("Memory per card, GiB."),
    backend: z.enum(BACKENDS),
    count: z.number().int().positive().describe("Cards of this model."),
    unified_memory: z.boolean(),
  })
  .describe("One line of the seed's gpus[]: cards of one model grouped.");

export const SystemDeviceSchema = z
  .strictObject({
    index: z.number().int().nonnegative(),
    name: z.string(),
    vendor: z.enum(GPU_VENDORS),
    backend: z.enum(BACKENDS),
    pci_bus_id: z.string().nullable(),
    uuid: z.string().nullable(),
    vram_total_gb: gib().describe("Memory models may be placed in (on unified machines, the pool the GPU may use), GiB."),
    vram_free_gb: gib().nullable().describe("Free now, GiB; null when the tool does not report it."),
    memory_bandwidth_gbps: z.number().nonnegative().nullable().describe("Nominal memory bandwidth, GB/s (10^9 bytes per second)."),
    fp16_tflops: z.number().nonnegative().nullable(),
    compute_capability: z.string().nullable(),
    gpu_cores: z.number().int().nonnegative().nullable(),
    integrated: z.boolean(),
    unified_memory: z.boolean(),
    memory_source: z.string().describe("How the memory figure was obtained."),
    bandwidth_source: z.string().nullable().describe("Where the bandwidth figure came from."),
    bandwidth_assumed_pct: z
      .number()
      .positive()
      .max(100)
      .optional()
      .describe("Present only when the bandwidth is assumed (not a spec sheet figure, a measurement or given): how uncertain it is, in %; bandwidth_source says why."),
  })
  .describe("Addition: one accelerator (a MIG instance is one), as detected.");

export const SystemSchema = z
  .strictObject({
    total_ram_gb: gib(),
    available_ram_gb: gib(),
    cpu_cores: z.number().int().positive(),
    cpu_name: z.string(),
    has_gpu: z.boolean(),
    gpu_vram_gb: gib().nullable().describe("Memory of the primary GPU (the one with the most memory; per card, not summed)."),
    gpu_name: z.string().nullable(),
    gpu_count: z.number().int().nonnegative(),
    unified_memory: z.boolean(),
    backend: z.enum(BACKENDS),
    gpus: z.array(SystemGpuGroupSchema),
    devices: z.array(SystemDeviceSchema).describe("Addition: every accelerator with its detail."),
    ram_bandwidth_gbps: z.number().nonnegative().nullable().describe("System RAM bandwidth, GB/s; null when neither measured nor derivable."),
    ram_bandwidth_source: z.string().nullable(),
    ram_bandwidth_assumed_pct: z
      .number()
      .positive()
      .max(100)
      .optional()
      .describe("Present only when the RAM bandwidth is assumed (from the CPU's memory platform, its generation or a default): how uncertain it is, in %; ram_bandwidth_source says why."),
    host_ram_gb: gib().describe("Host RAM before any container limit."),
    memory_limit_gb: gib().nullable().describe("The container (cgroup) memory limit when one applies and is below host RAM."),
    memory_limited_by: z.enum(["host", "cgroup", "override", "description"]).describe("What total_ram_gb is."),
    swap_total_gb: gib().nullable(),
    cpu_threads: z.number().int().positive().nullable(),
    warnings: z.array(z.string()).describe("Probes that failed or values that could not be read."),
    snapshot_at: z.string().nullable().describe("ISO time of the hardware snapshot; null for a described machine."),
    origin: z.enum(["detected", "described"]),
  })
  .describe("The seed's hardware summary, then the documented additions. Every _gb field is GiB (2^30 bytes), two decimals.");

export const SystemResponseSchema = z.strictObject({ node: NodeSchema, system: SystemSchema });
