// Estimator: the one function every door uses: a model on a machine, at a quant and context, placed, timed and graded.
import { BYTES_PER_GIB, bytesToGib } from "../domain/units.js";
import { APPLE_DEFAULT_WORKING_SET, type Machine } from "../domain/machine.js";
import type { ModelSpec } from "../catalog/schema.js";
import { place, type Placement } from "./placement.js";
import { kvTypeOn } from "./kv-cache.js";
import { GOOD_MAX_UTILIZATION } from "./placement/types.js";
import { GGUF_LADDER, MLX_LADDER, VLLM_LADDER, formatOf, quantName, type QuantFormat, type QuantName } from "../domain/quants.js";
import { choose, comfortable, SAME_QUALITY, sensible, settles, TARGET_TOKENS_PER_SECOND, type Choice } from "./choice.js";
import { classBits, nativeQuant, qualityKept } from "./quants.js";
import { RUNTIME_LABELS, type Estimate, type EstimateRequest, type Runtime } from "./types.js";

/** Context estimates use unless asked: min(8192, native) (the contract's default for `max_context`). */
export const DEFAULT_CONTEXT_TOKENS = 8192;
/** The runtime nodefit reports for a machine when none is chosen yet: MLX on Apple Silicon, llama.cpp elsewhere. */
export function autoRuntime(machine: Machine): Runtime {
  return machine.backend === "Metal" ? "mlx" : "llamacpp";
}

/**
 * The runtimes searched when none is forced: MLX and llama.cpp on Apple Silicon, llama.cpp and vLLM on CUDA and ROCm
 * (vLLM where a quant of its own fits the cards), llama.cpp elsewhere.
 */
export function candidateRuntimes(machine: Machine): Runtime[] {
  if (machine.backend === "Metal") return ["mlx", "llamacpp"];
  if (machine.backend === "CUDA" || machine.backend === "ROCm") return ["llamacpp", "vllm"];
  return ["llamacpp"];
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

/**
 * The quants tried on a runtime: its ladder, with the model's native quant first where the runtime loads it (gpt-oss's
 * MXFP4 on llama.cpp, its safetensors twin on vLLM).
 */
function candidates(runtime: Runtime, model: ModelSpec): QuantName[] {
  const own = ownFormats(model).find((n) => formatOf(n).container === CONTAINER[runtime]);
  return own ? [own, ...ladder(runtime).filter((n) => n !== own)] : [...ladder(runtime)];
}

/** A natively quantized model's format in each container: its GGUF, safetensors and MLX forms (MXFP4, MXFP4-SAFETENSORS, MLX-MXFP4). */
export function ownFormats(model: ModelSpec): QuantName[] {
  const native = nativeQuant(model);
  if (native === null) return [];
  return [native, quantName(`${native}-SAFETENSORS`), quantName(`MLX-${native}`)].filter((n): n is QuantName => n !== null);
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
  const label = RUNTIME_LABELS[runtime];
  return {
    format: nearest,
    note: `${asked.name} is not a format ${label} loads: answered for ${nearest.name}, its nearest (${bits(nearest).toFixed(2)} bits per FFN weight against ${target.toFixed(2)})`,
  };
}

/**
 * What an Apple Silicon Mac left to macOS's default GPU share keeps for itself when the limit is raised: the common
 * advice for `sudo sysctl iogpu.wired_limit_mb` is to leave the system about 8 GB, more on the largest machines.
 */
const APPLE_RAISED_LIMIT_RESERVE_MIN_BYTES = 8 * BYTES_PER_GIB;
const APPLE_RAISED_LIMIT_RESERVE_SHARE = 0.125;

/**
 * On a Mac at macOS's default GPU share (2/3 or 3/4 of the RAM), when the choice had to settle for less than a
 * Q4_K_M-class quant with headroom: what a raised wired limit would run instead, as a note with the command (the same
 * search on the same Mac with the GPU allowed all but the reserve). Null when the limit is set, not a Mac, or raising
 * it would not change the answer.
 */
function appleLimitHint(machine: Machine, chosen: Placement, tried: readonly Placement[], search: (m: Machine) => Choice): string | null {
  const gpu = machine.gpus[0];
  if (!gpu || gpu.vendor !== "apple" || !gpu.memorySource.includes(APPLE_DEFAULT_WORKING_SET)) return null;
  if (sensible(chosen) && comfortable(chosen)) return null;
  const ram = machine.memory.totalBytes;
  const raised = ram - Math.max(APPLE_RAISED_LIMIT_RESERVE_MIN_BYTES, Math.round(ram * APPLE_RAISED_LIMIT_RESERVE_SHARE));
  if (raised <= gpu.memoryTotalBytes) return null;
  // Searched again only when an option that keeps the model whole would fit the raised pool with headroom.
  if (!tried.some((p) => sensible(p) && p.memory.requiredBytes <= GOOD_MAX_UTILIZATION * raised)) return null;
  const used = gpu.memoryFreeBytes === null ? 0 : gpu.memoryTotalBytes - gpu.memoryFreeBytes;
  const gpus = machine.gpus.map((g) => (g.vendor === "apple" ? { ...g, memoryTotalBytes: raised, memoryFreeBytes: g.memoryFreeBytes === null ? null : Math.max(0, raised - used) } : g));
  const better = search({ ...machine, gpus }).chosen;
  const improves = sensible(better) && comfortable(better) && (better.qualityFactor > chosen.qualityFactor + SAME_QUALITY || !comfortable(chosen));
  if (!improves) return null;
  const mb = Math.floor(raised / 2 ** 20);
  return `with the GPU allowed ${bytesToGib(raised).toFixed(0)} GiB of the ${bytesToGib(ram).toFixed(0)} (sudo sysctl iogpu.wired_limit_mb=${mb}, macOS 14+, until restart), ${better.format.name} on ${RUNTIME_LABELS[better.runtime]} fits: ${bytesToGib(better.memory.requiredBytes).toFixed(1)} GiB, about ${better.tokensPerSecond} tok/s, keeps ${Math.round(better.qualityFactor * 1000) / 10}% of 16-bit quality`;
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
  const namedRuntime = req.runtime ?? (named ? runtimeForContainer(named, machine) : null);
  const loadable = named && namedRuntime ? loadableFormat(named, namedRuntime, model) : null;
  const kvCacheType = req.kvCacheType ?? "f16";
  const decodeFillTokens = req.decodeFillTokens ?? Math.ceil(contextTokens / 2);
  const placeOn = (m: Machine, format: QuantFormat, runtime: Runtime): Placement =>
    place({ model, machine: m, format, contextTokens, runtime, kvCacheType, decodeFillTokens });
  const target = TARGET_TOKENS_PER_SECOND[model.category];
  const own = ownFormats(model);
  // Every quant each runtime loads, best quality first; a runtime's walk stops once an option settles the choice
  // (nothing lower on its ladder can win), after one more for the alternatives.
  const search = (m: Machine): Choice & { tried: Placement[] } => {
    const tried: Placement[] = [];
    const runtimes = req.runtime ? [req.runtime] : candidateRuntimes(m);
    for (const runtime of runtimes) {
      let settledAt: Placement | null = null;
      for (const name of candidates(runtime, model)) {
        // Once an option settles, lower quants can only win when they keep as much quality (a natively quantized
        // model's requants): those are tried too, then one more for the alternatives.
        if (settledAt !== null && qualityKept(formatOf(name), model) < settledAt.qualityFactor - SAME_QUALITY) {
          tried.push(placeOn(m, formatOf(name), runtime));
          break;
        }
        const p = placeOn(m, formatOf(name), runtime);
        tried.push(p);
        if (settledAt === null && settles(p, target)) settledAt = p;
      }
    }
    return { ...choose(tried, target, runtimes[0]!, own), tried };
  };

  let chosen: Placement;
  let why: string;
  let alternatives: Estimate["alternatives"] = [];
  const hints: string[] = [];
  if (loadable && namedRuntime) {
    chosen = placeOn(machine, loadable.format, namedRuntime);
    why = loadable.note ? `${loadable.format.name}: nearest to ${named!.name}` : `${loadable.format.name}: as asked`;
  } else {
    const found = search(machine);
    ({ chosen, why, alternatives } = found);
    if (!sensible(chosen)) {
      // What the model needs at a quant that keeps it whole, so a low-bit answer is not mistaken for the model itself.
      // The model's published format if tried, else the smallest such option on the chosen runtime, else on any.
      const kept = found.tried.filter(sensible);
      const smallest = (ps: readonly Placement[]): Placement | null => ps.reduce<Placement | null>((s, p) => (s === null || p.memory.requiredBytes < s.memory.requiredBytes ? p : s), null);
      const published = (p: Placement): boolean => own.includes(p.format.name);
      const whole = smallest(kept.filter(published)) ?? smallest(kept.filter((p) => p.runtime === chosen.runtime)) ?? smallest(kept);
      if (whole)
        hints.push(
          `keeps ${Math.round(chosen.qualityFactor * 1000) / 10}% of 16-bit quality: ${published(whole) ? "its published format" : "the smallest Q4_K_M-class option"}, ${whole.format.name} on ${RUNTIME_LABELS[whole.runtime]}, needs ${bytesToGib(whole.memory.requiredBytes).toFixed(1)} GiB (${bytesToGib(whole.memory.availableBytes).toFixed(1)} GiB available to it)`,
        );
    }
    const hint = appleLimitHint(machine, chosen, found.tried, search);
    if (hint) hints.push(hint);
  }
  const runtime = chosen.runtime;
  const basis = { ...chosen.basis, quant_choice: why, runtime_choice: req.runtime ? "forced" : named ? `the quant's (${runtime})` : `chosen (${runtime})` };
  return {
    model,
    quant: chosen.format.name,
    qualityFactor: chosen.qualityFactor,
    runtime,
    runMode: chosen.runMode,
    fitLevel: chosen.fitLevel,
    contextTokens,
    usableContextTokens: chosen.usableContextTokens,
    kvCacheType: kvTypeOn(runtime, kvCacheType).type,
    memory: chosen.memory,
    diskBytes: chosen.diskBytes,
    tokensPerSecond: chosen.tokensPerSecond,
    speedKnown: chosen.speedKnown,
    tokensPerSecondRange: chosen.tokensPerSecondRange,
    prefillTokensPerSecond: chosen.prefillTokensPerSecond,
    timeToFirstTokenMs: chosen.timeToFirstTokenMs,
    concurrentSessions: chosen.concurrentSessions,
    decodeTerms: chosen.decodeTerms,
    alternatives,
    basis,
    // The catalog's own doubts about this entry come first: they qualify every figure below.
    notes: [...model.caveats.map((c) => `${CATALOG_CAVEAT_PREFIX}${c}`), ...(loadable?.note ? [loadable.note] : []), ...chosen.notes, ...hints],
  };
}

