// Plan request input: the one parser of a `POST /api/v1/plan` body (and of the `nodefit plan` flags and the MCP `plan`
// tool, which build the same body). The fields it shares with an estimate request go through the estimate's own parser,
// so a mistake in them reads the same at either door.
import { NodefitError } from "../domain/errors.js";
import type { QuantName } from "../domain/quants.js";
import type { KvCacheType } from "../estimate/types.js";
import { parseEstimateRequest, type EstimateRequestInput } from "./estimate-request.js";
import { MAX_TARGET_TPS, PlanRequestSchema } from "./schemas-plan.js";

export interface PlanRequestInput {
  model: EstimateRequestInput["model"];
  quant: QuantName | null;
  contextTokens: number | null;
  kvCacheType: KvCacheType | null;
  /** null = the model's use case's target. */
  targetTps: number | null;
}

const FIELDS = ["model", "quant", "context", "target_tps", "kv_cache_type"] as const;
const SHARED = ["model", "quant", "context", "kv_cache_type"] as const;

/** The one text for a target no request may ask for (the flag, the body and the tool alike). */
export const TARGET_ACCEPTED = `a number of tokens per second greater than 0, at most ${MAX_TARGET_TPS}`;

/**
 * Parses one plan body. Throws NodefitError `invalid_argument`: unknown fields and `target_tps` in the plan's words,
 * every other field in the estimate request's (`invalid context value: use ...`, `invalid quant value: use ...`).
 */
export function parsePlanRequest(body: unknown): PlanRequestInput {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body))
    throw new NodefitError("invalid_argument", 'send one plan request as a JSON object, e.g. {"model": "Qwen/Qwen3-8B", "context": 8192, "target_tps": 30}');
  const given = body as Record<string, unknown>;
  const unknown = Object.keys(given).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new NodefitError("invalid_argument", `unknown field ${unknown.join(", ")}: use ${FIELDS.join(", ")}`, { key: unknown[0] });
  const shared: Record<string, unknown> = {};
  for (const k of SHARED) if (Object.hasOwn(given, k)) shared[k] = given[k];
  const parsed = parseEstimateRequest(shared);
  const target = given["target_tps"];
  if (target !== undefined && !(typeof target === "number" && Number.isFinite(target) && target > 0 && target <= MAX_TARGET_TPS))
    throw new NodefitError("invalid_argument", `invalid target_tps value: use ${TARGET_ACCEPTED}`, { key: "target_tps" });
  // The schema the OpenAPI document publishes accepts exactly what passed above.
  PlanRequestSchema.parse(given);
  return { model: parsed.model, quant: parsed.quant, contextTokens: parsed.contextTokens, kvCacheType: parsed.kvCacheType, targetTps: (target as number | undefined) ?? null };
}
