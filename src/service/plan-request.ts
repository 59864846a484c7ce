// Plan requests: one parsed request (contract/plan-request.ts) in, its model resolved as an estimate request's is, every
// quant planned (src/plan/), one result out.
import { planResultJson, type PlanResultJson } from "../contract/plan.js";
import type { PlanRequestInput } from "../contract/plan-request.js";
import { TARGET_TOKENS_PER_SECOND } from "../estimate/choice.js";
import { CATALOG_CAVEAT_PREFIX, defaultContext } from "../estimate/estimate.js";
import { MACHINES_PER_QUANT, planModel } from "../plan/plan.js";
import { CARD_COUNTS, SHAPE_CPU_CORES, SHAPE_MIN_RAM_GIB } from "../plan/machine-shapes.js";
import { requestModel, type EstimateRequestContext } from "./estimate-request.js";

export type PlanRequestContext = Pick<EstimateRequestContext, "models" | "external">;

/** What every plan says of how it was made (its figures' words: the README's "Plans"). */
const HOW = [
  `machines: the knowledge base's cards alone and in sets of ${CARD_COUNTS.slice(1).join(", ")} (with RAM twice their memory, at least ${SHAPE_MIN_RAM_GIB} GiB, and ${SHAPE_CPU_CORES} cores), Apple chips at the memory sizes they are sold with, and unified-memory boards; each estimated as a described machine, listed when the quant runs wholly in its accelerator memory with headroom (fit perfect or good) at the target speed; cheapest first (least memory, then least bandwidth), at most ${MACHINES_PER_QUANT} per quant`,
  "memory: gpu wholly in GPU memory on one reference device with room to spare (llama.cpp on an RTX 4090, vLLM on an H100 SXM, MLX on an M4 Max); offload as llama.cpp splits it on such a card (an MoE with every routed expert in RAM, a dense model with half its layers on the GPU); cpu on the CPU alone",
  "bandwidth: the speed model inverted on the reference device's calibration (bytes per token / (efficiency x (1 / target - the per-layer costs))): what one device of that class needs; other classes stream at other shares, which the machines' estimates account for",
];

/**
 * Plans one parsed request. `onQuant` runs after each quant (the service yields to the event loop there). Throws
 * NodefitError `model_not_found` as an estimate request does.
 */
export async function runPlanRequest(req: PlanRequestInput, ctx: PlanRequestContext, onQuant?: () => Promise<void>): Promise<PlanResultJson> {
  const { model, resolution } = requestModel(req, ctx);
  // A reference that names a quant (a GGUF file, an Ollama tag's, a pre-quantized repository's) plans that quant.
  const targetTps = req.targetTps ?? TARGET_TOKENS_PER_SECOND[model.category];
  const targetSource = req.targetTps !== null ? "asked" : `the ${model.category} use case's target`;
  const plan = await planModel(
    {
      model,
      quant: req.quant ?? resolution.quant,
      contextTokens: req.contextTokens ?? defaultContext(model),
      kvCacheType: req.kvCacheType ?? "f16",
      targetTps,
    },
    onQuant,
  );
  const notes = [
    ...model.caveats.map((c) => `${CATALOG_CAVEAT_PREFIX}${c}`),
    ...(resolution.note === null ? [] : [resolution.note]),
    ...HOW,
  ];
  return planResultJson(plan, { input: resolution.input, matched_by: resolution.matchedBy ?? "architecture", confidence: resolution.confidence }, targetSource, notes);
}
