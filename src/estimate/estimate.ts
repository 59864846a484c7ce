// Estimator: the one function every door uses: a model on a machine, at a quant and context, placed, timed and graded.
import type { Machine } from "../domain/machine.js";
import { bytesToGib } from "../domain/units.js";
import type { ModelSpec } from "../catalog/schema.js";
import { place, type Placement } from "./placement.js";
import { GGUF_LADDER, MLX_LADDER, VLLM_LADDER, formatOf, type QuantFormat, type QuantName } from "../domain/quants.js";
import { classBits } from "./quants.js";
import type { Estimate, EstimateRequest, Runtime } from "./types.js";

/** Context estimates use unless asked: min(8192, native) (the contract's default for `max_context`). */
export const DEFAULT_CONTEXT_TOKENS = 8192;
/** Quants at or above this quality are "sensible" defaults (Q4_K_M and better); lower ones are last resorts. */
export const SENSIBLE_QUALITY_FLOOR = 0.95;

/** The runtime nodefit picks when none is forced: MLX on Apple Silicon, llama.cpp elsewhere. */
export function autoRuntime(machine: Machine): Runtime {
  return machine.backend === "Metal" ? "mlx" : "llamacpp";
}

function runtimeForContainer(f: QuantFormat, machine: Machine): Runtime {
  if (f.container === "gguf") return "llamacpp";
  if (f.container === "mlx") return "mlx";
  return machine.backend === "CUDA" || machine.backend === "ROCm" ? "vllm" : autoRuntime(machine);
}

export function defaultContext(model: ModelSpec): number {
  return Math.min(DEFAULT_CONTEXT_TOKENS, model.context_length);
}

function ladder(runtime: Runtime): readonly QuantName[] {
  if (runtime === "mlx") return MLX_LADDER;
  if (runtime === "vllm") return VLLM_LADDER;
  return GGUF_LADDER;
}

/** The container each runtime loads. */
const CONTAINER: Readonly<Record<Runtime, QuantFormat["container"]>> = { llamacpp: "gguf", mlx: "mlx", vllm: "safetensors" };

/**
 * The format a runtime would run for an asked quant it cannot load (NVFP4 under llama.cpp, a GGUF quant under vLLM or
 * MLX): of the runtime's formats, the one whose FFN weights (most of the bytes) are stored at the nearest bits per
 * weight on this architecture. The asked format itself when the runtime loads it.
 */
function loadableFormat(asked: QuantFormat, runtime: Runtime, model: ModelSpec): { format: QuantFormat; note: string | null } {
  if (asked.container === CONTAINER[runtime]) return { format: asked, note: null };
  const bits = (f: QuantFormat): number => classBits(f, model.architecture).ffn;
  const target = bits(asked);
  const candidates = [...new Set<QuantName>([...ladder(runtime), ...(runtime === "llamacpp" ? (["Q4_0", "F16"] as const) : [])])].map(formatOf);
  const nearest = candidates.reduce((best, f) => (Math.abs(bits(f) - target) < Math.abs(bits(best) - target) ? f : best));
  const label = { llamacpp: "llama.cpp", mlx: "MLX", vllm: "vLLM" }[runtime];
  return {
    format: nearest,
    note: `${asked.name} is not a format ${label} loads: answered for ${nearest.name}, its nearest (${bits(nearest).toFixed(2)} bits per FFN weight against ${target.toFixed(2)})`,
  };
}

const isGood = (p: Placement): boolean => p.fitLevel === "perfect" || p.fitLevel === "good";
const onGpu = (p: Placement): boolean => p.runMode === "gpu" || p.runMode === "tensor_parallel";

/**
 * Best quant, in order of preference (each pass walks the ladder from the best quality down):
 * 1. a sensible quant (Q4_K_M-class or better) fully on the GPU, perfect or good;
 * 2. a sensible quant in any placement at a useful speed (MoE or layer offload, good);
 * 3. any quant fully on the GPU, perfect or good; 4. any quant, good;
 * 5. a sensible quant that runs but slowly (marginal: CPU, slow offload): the fastest of them, since speed is then
 *    the bottleneck (usually Q4_K_M); 6. any quant that runs at all; 7. a squeezed offload (the GPU filled to its
 *    last byte), the last resort; else the smallest quant tried, too tight.
 */
interface Pass {
  accepts: (p: Placement) => boolean;
  /** Which accepted quant wins: the first on the ladder (the best quality), or the fastest. */
  pick: "best_quality" | "fastest";
}

/** Pass 1, also the ladder's stopping rule: nothing after a quant it accepts can win. */
const SENSIBLE_ON_GPU: Pass = { accepts: (p) => onGpu(p) && isGood(p) && p.format.qualityFactor >= SENSIBLE_QUALITY_FLOOR, pick: "best_quality" };

const PASSES: readonly Pass[] = [
  SENSIBLE_ON_GPU,
  { accepts: (p) => isGood(p) && p.format.qualityFactor >= SENSIBLE_QUALITY_FLOOR, pick: "best_quality" },
  { accepts: (p) => onGpu(p) && isGood(p), pick: "best_quality" },
  { accepts: (p) => isGood(p), pick: "best_quality" },
  { accepts: (p) => p.fitLevel === "marginal" && !p.squeezed && p.format.qualityFactor >= SENSIBLE_QUALITY_FLOOR, pick: "fastest" },
  { accepts: (p) => p.fitLevel === "marginal" && !p.squeezed, pick: "best_quality" },
  { accepts: (p) => p.fitLevel === "marginal", pick: "best_quality" },
];

const fastest = (ps: readonly Placement[]): Placement | undefined =>
  ps.reduce<Placement | undefined>((b, p) => (!b || p.tokensPerSecond > b.tokensPerSecond ? p : b), undefined);

function choose(placements: Placement[]): { chosen: Placement; why: string } {
  for (const pass of PASSES) {
    const accepted = placements.filter(pass.accepts);
    const hit = pass.pick === "fastest" ? fastest(accepted) : accepted[0];
    if (hit) {
      const better = placements.slice(0, placements.indexOf(hit));
      const why =
        better.length === 0
          ? `${hit.format.name}: the best quant tried`
          : `${hit.format.name}: ${better[better.length - 1]!.format.name} would be ${describe(better[better.length - 1]!)}`;
      return { chosen: hit, why: hit.format.qualityFactor < SENSIBLE_QUALITY_FLOOR ? `${why} (below Q4_K_M quality)` : why };
    }
  }
  const smallest = placements[placements.length - 1]!;
  return { chosen: smallest, why: `${smallest.format.name}: the smallest quant tried still does not fit` };
}

function describe(p: Placement): string {
  const need = bytesToGib(p.memory.requiredBytes).toFixed(1);
  if (p.fitLevel === "too_tight") return `too tight (needs ${need} GiB)`;
  return `${p.fitLevel} in ${p.runMode} at ${p.tokensPerSecond} tok/s (needs ${need} GiB)`;
}

/** Notes that repeat a catalog entry's caveats start with this (renderers mark the rows they qualify). */
export const CATALOG_CAVEAT_PREFIX = "catalog: ";

/** Estimates one model on one machine. Pure: same inputs, same figures. */
export function estimate(req: EstimateRequest): Estimate {
  const { model, machine } = req;
  const contextTokens = req.contextTokens ?? defaultContext(model);
  const named = req.quant !== undefined ? formatOf(req.quant) : null;
  // A named quant implies its runtime (a GGUF quant is llama.cpp's) unless one is forced; a forced runtime that cannot
  // load it is answered for its nearest format, with a note.
  const runtime = req.runtime ?? (named ? runtimeForContainer(named, machine) : autoRuntime(machine));
  const loadable = named ? loadableFormat(named, runtime, model) : null;
  const asked = loadable?.format ?? null;
  const kvCacheType = req.kvCacheType ?? "f16";
  const formats = asked ? [asked] : ladder(runtime).map(formatOf);
  // Walk the ladder best-first and stop at the first quant the first pass accepts: nothing after it can win.
  const placements: Placement[] = [];
  for (const format of formats) {
    const p = place({ model, machine, format, contextTokens, runtime, kvCacheType, decodeFillTokens: req.decodeFillTokens ?? Math.ceil(contextTokens / 2) });
    placements.push(p);
    if (SENSIBLE_ON_GPU.accepts(p)) break;
  }
  const { chosen, why } = asked ? { chosen: placements[0]!, why: loadable?.note ? `${asked.name}: nearest to ${named!.name}` : `${asked.name}: as asked` } : choose(placements);
  const basis = { ...chosen.basis, quant_choice: why, runtime_choice: req.runtime ? "forced" : `automatic (${runtime})` };
  return {
    model,
    quant: chosen.format.name,
    runtime,
    runMode: chosen.runMode,
    fitLevel: chosen.fitLevel,
    contextTokens,
    usableContextTokens: chosen.usableContextTokens,
    kvCacheType,
    memory: chosen.memory,
    diskBytes: chosen.diskBytes,
    tokensPerSecond: chosen.tokensPerSecond,
    speedKnown: chosen.speedKnown,
    tokensPerSecondRange: chosen.tokensPerSecondRange,
    prefillTokensPerSecond: chosen.prefillTokensPerSecond,
    timeToFirstTokenMs: chosen.timeToFirstTokenMs,
    concurrentSessions: chosen.concurrentSessions,
    decodeTerms: chosen.decodeTerms,
    basis,
    // The catalog's own doubts about this entry come first: they qualify every figure below.
    notes: [...model.caveats.map((c) => `${CATALOG_CAVEAT_PREFIX}${c}`), ...(loadable?.note ? [loadable.note] : []), ...chosen.notes],
  };
}

