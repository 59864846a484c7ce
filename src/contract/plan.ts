// Plan result: the one serializer behind `nodefit plan` and `POST /api/v1/plan` (and the MCP `plan` tool).
import type { ModelSpec } from "../catalog/schema.js";
import type { MachineDescription } from "../hardware/describe.js";
import { gib2, round2 } from "../domain/units.js";
import type { FitLevel, KvCacheType, RunMode, Runtime } from "../estimate/types.js";
import type { ModelPlan, QuantPlan } from "../plan/plan.js";
import type { ShapeKind } from "../plan/machine-shapes.js";
import type { EstimateResultJson } from "./estimate.js";
import { CATEGORY_LABELS, memoryGib } from "./row.js";

export interface PlanMachineJson {
  name: string;
  kind: ShapeKind;
  gpu: string;
  count: number;
  memory_gb: number;
  bandwidth_gbps: number;
  machine: MachineDescription;
  fit_level: FitLevel;
  run_mode: RunMode;
  estimated_tps: number;
  tps_range: [number, number];
  memory_required_gb: number;
  memory_available_gb: number;
}

export interface PlanQuantJson {
  quant: string;
  runtime: Runtime;
  quality_kept_pct: number;
  disk_size_gb: number;
  memory: {
    gpu: { required_gb: number; weights_gb: number; kv_cache_gb: number; overhead_gb: number; host_ram_gb: number; devices: number };
    offload: {
      run_mode: RunMode;
      gpu_gb: number;
      ram_gb: number;
      gpu_layers: number | null;
      layers: number;
      per_layer_gb: number | null;
      expert_fraction_on_gpu: number | null;
    } | null;
    cpu_gb: number | null;
  };
  bandwidth: {
    required_gbps: number | null;
    bytes_per_token: number;
    reference_device: string;
    calibration: string;
    bandwidth_efficiency: number;
    fixed_ms_per_token: number;
    reference_tps: number;
    reference_bandwidth_gbps: number;
  } | null;
  machines: PlanMachineJson[];
  machines_checked: number;
  notes: string[];
}

export interface PlanResultJson {
  model: EstimateResultJson["model"];
  resolved_from: EstimateResultJson["resolved_from"];
  context: number;
  kv_cache_type: KvCacheType;
  target_tps: number;
  target_source: string;
  quants: PlanQuantJson[];
  notes: string[];
}

export function planModelJson(m: ModelSpec): NonNullable<EstimateResultJson["model"]> {
  return {
    name: m.id,
    provider: m.provider,
    params_b: round2(m.params_total / 1e9),
    active_params_b: m.params_active === null ? null : round2(m.params_active / 1e9),
    context_length: m.context_length,
    is_moe: m.architecture.moe !== null,
    category: CATEGORY_LABELS[m.category],
  };
}

function quantJson(q: QuantPlan): PlanQuantJson {
  // Printed as every memory breakdown is: the parts add up to the required figure as printed.
  const gpu = memoryGib({ ...q.gpu, availableBytes: 0, gpuBytes: q.gpu.requiredBytes, ramBytes: 0 });
  return {
    quant: q.quant,
    runtime: q.runtime,
    quality_kept_pct: Math.round(q.qualityFactor * 1000) / 10,
    disk_size_gb: gib2(q.diskBytes),
    memory: {
      gpu: {
        required_gb: gpu.required,
        weights_gb: gpu.weights,
        kv_cache_gb: gpu.kvCache,
        overhead_gb: gpu.overhead,
        host_ram_gb: gib2(q.gpu.hostBytes),
        devices: q.gpu.devices,
      },
      offload:
        q.offload === null
          ? null
          : {
              run_mode: q.offload.runMode,
              gpu_gb: gib2(q.offload.gpuBytes),
              ram_gb: gib2(q.offload.ramBytes),
              gpu_layers: q.offload.gpuLayers,
              layers: q.offload.layers,
              per_layer_gb: q.offload.perLayerBytes === null ? null : round2(q.offload.perLayerBytes / 2 ** 30),
              expert_fraction_on_gpu: q.offload.expertFractionOnGpu,
            },
      cpu_gb: q.cpuRequiredBytes === null ? null : gib2(q.cpuRequiredBytes),
    },
    bandwidth:
      q.bandwidth === null
        ? null
        : {
            required_gbps: q.bandwidth.requiredGBps,
            bytes_per_token: q.bandwidth.bytesPerToken,
            reference_device: q.bandwidth.reference.name,
            calibration: q.bandwidth.calibration,
            bandwidth_efficiency: q.bandwidth.bandwidthEfficiency,
            fixed_ms_per_token: Math.round(q.bandwidth.fixedSecondsPerToken * 1e5) / 100,
            reference_tps: q.bandwidth.referenceTps,
            reference_bandwidth_gbps: q.bandwidth.referenceBandwidthGBps,
          },
    machines: q.machines.map(({ shape, estimate: e }) => ({
      name: shape.label,
      kind: shape.kind,
      gpu: shape.spec.name,
      count: shape.count,
      memory_gb: gib2(shape.memoryBytes),
      bandwidth_gbps: shape.bandwidthGBps,
      machine: shape.description,
      fit_level: e.fitLevel,
      run_mode: e.runMode,
      estimated_tps: e.tokensPerSecond,
      tps_range: e.tokensPerSecondRange,
      memory_required_gb: gib2(e.memory.requiredBytes),
      memory_available_gb: gib2(e.memory.availableBytes),
    })),
    machines_checked: q.machinesChecked,
    notes: q.notes,
  };
}

/** The plan as the API answers it; `notes` come first (the catalog's caveats, how the reference was found). */
export function planResultJson(
  plan: ModelPlan,
  resolvedFrom: EstimateResultJson["resolved_from"],
  targetSource: string,
  notes: readonly string[],
): PlanResultJson {
  return {
    model: planModelJson(plan.model),
    resolved_from: resolvedFrom,
    context: plan.contextTokens,
    kv_cache_type: plan.kvCacheType,
    target_tps: plan.targetTps,
    target_source: targetSource,
    quants: plan.quants.map(quantJson),
    notes: [...notes],
  };
}
