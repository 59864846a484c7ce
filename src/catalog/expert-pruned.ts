// Expert-pruned models (REAP and the like): a mixture of experts with some routed experts removed from every MoE layer,
// sized from the base's architecture and the total its name states.
import { paramBreakdown } from "./params.js";
import type { ModelSpec, Variant } from "./schema.js";

/**
 * The experts a pruned model keeps. Names round the total to the billion ("19B"), so the count is known to about
 * 0.5B / paramsPerExpert experts either way; the caveat says so.
 */
export interface PrunedShape {
  /** Routed experts per MoE layer kept. */
  experts: number;
  /** Of the base's. */
  baseExperts: number;
  /** Parameters of one routed expert across all MoE layers, with its router column. */
  paramsPerExpert: number;
  paramsTotal: number;
}

/**
 * Pruning keeps at least this share of the experts: REAP's published checkpoints remove 25-50% of them (Cerebras,
 * arXiv 2510.13999 and its Hugging Face releases); a total that would need three quarters or more gone names another model.
 */
export const MIN_KEPT_SHARE = 0.25;
/** ... and removes at least this share of the parameters: a smaller gap is a rounded name of the base's own size. */
export const MIN_PRUNED_SHARE = 0.05;

/**
 * The shape of `base` pruned to about `statedTotal` parameters: every MoE layer keeps the same number of routed
 * experts (REAP prunes per layer at one rate), the attention, dense and shared-expert weights and the experts a token
 * runs stay. Null when the base is not a mixture of experts, or the stated total is not one pruning can reach (larger
 * than the base, or so small that under MIN_KEPT_SHARE of the experts, or fewer than a token runs, would remain).
 */
export function prunedShape(base: ModelSpec, statedTotal: number): PrunedShape | null {
  const moe = base.architecture.moe;
  // A total within MIN_PRUNED_SHARE of the base's is the base's size, rounded ("30B" of a 30.5B): nothing was pruned.
  if (moe === null || !(statedTotal > 0) || statedTotal > base.params_total * (1 - MIN_PRUNED_SHARE)) return null;
  const p = paramBreakdown(base.architecture);
  const paramsPerExpert = (p.routedExperts + p.router) / moe.experts;
  if (!(paramsPerExpert > 0)) return null;
  const removed = Math.round((base.params_total - statedTotal) / paramsPerExpert);
  const experts = moe.experts - removed;
  if (removed < 1 || experts < Math.max(moe.active_experts, moe.experts * MIN_KEPT_SHARE)) return null;
  return { experts, baseExperts: moe.experts, paramsPerExpert, paramsTotal: base.params_total - removed * paramsPerExpert };
}

/** Where the pruned model's weights are, when the reference named a repository of them (a GGUF or MLX conversion). */
export interface PrunedRepos {
  gguf_sources: string[];
  variants: Variant[];
}

/**
 * A catalog-shaped entry for an expert-pruned derivative of `base` named `id`: the base's architecture with
 * `shape.experts` routed experts per MoE layer and its total; the repositories the reference named as its weights, not
 * the base's, and no Ollama tags or aliases. The notes and caveats say what was derived and how exactly.
 */
export function prunedModel(base: ModelSpec, shape: PrunedShape, id: string, repos: PrunedRepos = { gguf_sources: [], variants: [] }): ModelSpec {
  const moe = base.architecture.moe!;
  const kept = `${shape.experts} of ${shape.baseExperts} routed experts per MoE layer`;
  const perExpertB = (shape.paramsPerExpert / 1e9).toFixed(2);
  return {
    ...base,
    id,
    params_total: Math.round(shape.paramsTotal),
    architecture: { ...base.architecture, moe: { ...moe, experts: shape.experts } },
    ollama: [],
    gguf_sources: repos.gguf_sources,
    gguf_files: [],
    variants: repos.variants,
    aliases: [],
    notes: `Expert-pruned derivative of ${base.id}: ${kept} kept (the number that gives the total its name states), everything else as ${base.id}.`,
    caveats: [
      ...base.caveats,
      `expert count worked out from the total its name states, which is rounded (one expert is ${perExpertB}B parameters across the layers): the count may be a few experts off, the weights a few % off`,
    ],
  };
}
