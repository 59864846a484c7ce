// The choice policy: which of the options tried (runtime x quant x placement) a row shows for a use case, stated once,
// and the alternatives a person weighs it against.
import type { Category } from "../catalog/categories.js";
import { bytesToGib } from "../domain/units.js";
import type { Placement } from "./placement.js";
import type { QuantName } from "../domain/quants.js";
import { RUNTIME_LABELS, type Alternative, type Runtime } from "./types.js";

/**
 * Decode speed at which a use case feels fully served (tokens/s): reading pace for chat is ~10 tok/s, coding
 * assistants and reasoning traces emit long outputs and want several times that. Product choices, not measurements:
 * the choice policy aims at them and the score's speed component is measured against them.
 */
export const TARGET_TOKENS_PER_SECOND: Record<Category, number> = {
  general: 30,
  coding: 40,
  reasoning: 50,
  chat: 25,
  multimodal: 25,
  embedding: 100,
};

/** Quants at or above this quality are "sensible" defaults (Q4_K_M and better); lower ones are last resorts. */
export const SENSIBLE_QUALITY_FLOOR = 0.95;

/** Options whose quality is within this of each other are as good: the faster wins (Q8_0 against BF16 or FP8). */
export const SAME_QUALITY = 0.005;

/**
 * Another runtime than the machine's usual one (llama.cpp on CUDA / ROCm and CPUs, MLX on Apple Silicon) must be this
 * much faster to be chosen over it: what a person runs on a workstation is llama.cpp (Ollama, LM Studio) or MLX, and
 * vLLM is worth its setup for a single stream only when it is clearly faster (or the only one that fits).
 */
export const OTHER_RUNTIME_MARGIN = 1.5;

/**
 * Output at reading pace (tokens/s): people read about 4-7 words a second, 5-9 tokens. When no Q4_K_M-class quant
 * fits, a quant that keeps more of the model at this pace beats a worse one that is merely faster (Mixtral 8x22B on a
 * 24 GB card + 64 GB: Q2_K at 5 tok/s, not IQ1_M at 11).
 */
export const READING_TOKENS_PER_SECOND = 5;

/**
 * Speeds within this share of each other are as fast: the estimate cannot tell them apart (its ranges are 10-60%
 * wide), so the better quality, then the model's own published format, wins (gpt-oss's MXFP4 file against a Q4_K_M
 * requant 2% faster on paper).
 */
export const SAME_SPEED = 0.05;

export const comfortable = (p: Placement): boolean => p.fitLevel === "perfect" || p.fitLevel === "good";
const runs = (p: Placement): boolean => p.fitLevel !== "too_tight";
export const sensible = (p: Placement): boolean => p.qualityFactor >= SENSIBLE_QUALITY_FLOOR;

/** Comparisons under a usual runtime: another runtime's speed counts OTHER_RUNTIME_MARGIN lower. */
interface Pickers {
  fastest: (ps: readonly Placement[]) => Placement | undefined;
  /** The best quality among `ps`; among options within SAME_QUALITY of it, the fastest. */
  bestQuality: (ps: readonly Placement[]) => Placement | undefined;
}

function pickers(usual: Runtime, own: readonly QuantName[]): Pickers {
  const speed = (p: Placement): number => (p.runtime === usual ? p.tokensPerSecond : p.tokensPerSecond / OTHER_RUNTIME_MARGIN);
  const isOwn = (x: Placement): boolean => own.includes(x.format.name);
  /** The fastest; options within SAME_SPEED of the top speed count as as fast, and the better quality, then the
   *  model's published format, then the faster of them wins. */
  const fastest = (ps: readonly Placement[]): Placement | undefined => {
    const top = ps.reduce((m, p) => Math.max(m, speed(p)), -Infinity);
    const asFast = ps.filter((p) => speed(p) >= top * (1 - SAME_SPEED));
    return asFast.reduce<Placement | undefined>((b, p) => {
      if (!b) return p;
      if (Math.abs(p.qualityFactor - b.qualityFactor) > SAME_QUALITY) return p.qualityFactor > b.qualityFactor ? p : b;
      if (isOwn(p) !== isOwn(b)) return isOwn(p) ? p : b;
      return speed(p) > speed(b) ? p : b;
    }, undefined);
  };
  const bestQuality = (ps: readonly Placement[]): Placement | undefined => {
    const top = ps.reduce((m, p) => Math.max(m, p.qualityFactor), -Infinity);
    return fastest(ps.filter((p) => p.qualityFactor >= top - SAME_QUALITY));
  };
  return { fastest, bestQuality };
}

interface Step {
  /** What the step says of the option it picks, for the basis. */
  reason: string;
  pick: (ps: readonly Placement[], target: number, by: Pickers) => Placement | undefined;
}

/**
 * The policy, in order; the first step that finds an option decides:
 * 1. sensible quality (Q4_K_M class or better), fitting with headroom, at or above the use case's target speed: the
 *    highest quality (as good: the fastest), first among options wholly in GPU memory, then with an offload;
 * 2. sensible quality, fitting with headroom, below the target: the fastest (speed is what is short);
 * 3. sensible quality, fitting without headroom: the fastest;
 * 4. any quality that runs (nothing sensible fits): the highest quality at reading pace (not a GPU placement without
 *    headroom); else the highest quality, with headroom first;
 * 5. a squeezed offload (GPU memory filled to its last byte): the highest quality.
 * Nothing runs: the smallest option tried, too tight.
 */
const onGpu = (p: Placement): boolean => p.runMode === "gpu" || p.runMode === "tensor_parallel";

const POLICY: readonly Step[] = [
  {
    reason: "the best quality wholly in GPU memory, with headroom, at the use case's speed",
    pick: (ps, t, by) => by.bestQuality(ps.filter((p) => onGpu(p) && sensible(p) && comfortable(p) && p.tokensPerSecond >= t)),
  },
  { reason: "the best quality that fits with headroom at the use case's speed", pick: (ps, t, by) => by.bestQuality(ps.filter((p) => sensible(p) && comfortable(p) && !p.squeezed && p.tokensPerSecond >= t)) },
  { reason: "below the use case's speed at any sensible quant: the fastest", pick: (ps, _t, by) => by.fastest(ps.filter((p) => sensible(p) && comfortable(p) && !p.squeezed)) },
  { reason: "sensible quants fit only without headroom: the fastest", pick: (ps, _t, by) => by.fastest(ps.filter((p) => sensible(p) && runs(p) && !p.squeezed)) },
  {
    reason: "no Q4_K_M-class quant fits: the best quality that runs at reading pace",
    pick: (ps, _t, by) => by.bestQuality(ps.filter((p) => runs(p) && !p.squeezed && !(onGpu(p) && p.fitLevel === "marginal") && p.tokensPerSecond >= READING_TOKENS_PER_SECOND)),
  },
  {
    reason: "no Q4_K_M-class quant fits, none at reading pace: the best quality that does",
    pick: (ps, _t, by) => by.bestQuality(ps.filter((p) => comfortable(p) && !p.squeezed)) ?? by.bestQuality(ps.filter((p) => runs(p) && !p.squeezed)),
  },
  { reason: "only a squeezed offload runs: the best quality", pick: (ps, _t, by) => by.bestQuality(ps.filter(runs)) },
];

/** Whether an option ends the search of its runtime's ladder: nothing lower on it can win step 1. */
export const settles = (p: Placement, target: number): boolean => onGpu(p) && sensible(p) && comfortable(p) && p.tokensPerSecond >= target;

export interface Choice {
  chosen: Placement;
  /** Why, in a sentence (the basis's `quant_choice`). */
  why: string;
  alternatives: Alternative[];
}

/**
 * Chooses among `tried` (every option evaluated) for a use case of speed target `target`; `usual` is the machine's
 * usual runtime, which another must clearly beat.
 */
export function choose(tried: readonly Placement[], target: number, usual: Runtime, own: readonly QuantName[] = []): Choice {
  const by = pickers(usual, own);
  for (const step of POLICY) {
    const hit = step.pick(tried, target, by);
    if (hit) return { chosen: hit, why: `${label(hit)}: ${step.reason} (${target} tok/s)`, alternatives: alternativesTo(hit, tried, by) };
  }
  const smallest = tried.reduce((s, p) => (p.memory.requiredBytes < s.memory.requiredBytes ? p : s));
  return { chosen: smallest, why: `${label(smallest)}: the smallest option tried still does not fit`, alternatives: [] };
}

const label = (p: Placement): string => `${p.format.name} on ${RUNTIME_LABELS[p.runtime]}`;

/** Alternatives at most: the trade a person weighs (better quality, more speed, another runtime). */
const MAX_ALTERNATIVES = 3;

/**
 * What a person would weigh against the chosen option: the next better quality that runs (slower or tighter), the
 * fastest option that runs, and the best option on each other runtime tried; each once, at most three.
 */
function alternativesTo(chosen: Placement, tried: readonly Placement[], { bestQuality, fastest }: Pickers): Alternative[] {
  const running = tried.filter((p) => runs(p) && p !== chosen);
  const picks: Array<[Placement | undefined, string]> = [];
  const better = running.filter((p) => p.qualityFactor > chosen.qualityFactor + SAME_QUALITY);
  picks.push([bestQuality(better.filter((p) => p.runtime === chosen.runtime)) ?? bestQuality(better), "higher quality"]);
  // Faster: a real step up (twice the speed) at the best quality that gives it, else simply the fastest.
  const faster = running.filter((p) => p.tokensPerSecond > chosen.tokensPerSecond * 1.05);
  const muchFaster = faster.filter((p) => p.tokensPerSecond >= 2 * chosen.tokensPerSecond);
  picks.push([bestQuality(muchFaster) ?? fastest(faster), "faster"]);
  for (const runtime of new Set(running.map((p) => p.runtime))) {
    if (runtime === chosen.runtime) continue;
    const mine = running.filter((p) => p.runtime === runtime);
    picks.push([bestQuality(mine.filter((p) => sensible(p) && comfortable(p))) ?? bestQuality(mine), `on ${RUNTIME_LABELS[runtime]}`]);
  }
  const out: Alternative[] = [];
  const seen = new Set<Placement>();
  // Another runtime may cache the KV in another type than the one asked (vLLM has no q8_0 cache): said where it does.
  const kvOf = (p: Placement): unknown => p.basis["kv_cache_type"];
  for (const [p, why] of picks) {
    if (!p || seen.has(p) || out.length >= MAX_ALTERNATIVES) continue;
    seen.add(p);
    const kv = kvOf(p) !== kvOf(chosen) ? `, KV cache ${String(kvOf(p))}` : "";
    out.push({
      quant: p.format.name,
      runtime: p.runtime,
      runMode: p.runMode,
      fitLevel: p.fitLevel,
      tokensPerSecond: p.tokensPerSecond,
      requiredBytes: p.memory.requiredBytes,
      qualityFactor: p.qualityFactor,
      why: `${why}: ${p.tokensPerSecond} tok/s in ${p.runMode}, ${bytesToGib(p.memory.requiredBytes).toFixed(1)} GiB${kv}, keeps ${Math.round(p.qualityFactor * 1000) / 10}% of 16-bit quality`,
    });
  }
  return out;
}
