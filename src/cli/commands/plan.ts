// `nodefit plan MODEL`: POST /api/v1/plan from flags: per quant, the memory it needs, the bandwidth the target needs,
// and the cheapest known machines that meet it. Reads no hardware: a plan is the same on every machine.
import { NodefitError } from "../../domain/errors.js";
import { parsePlanRequest, type PlanRequestInput } from "../../contract/plan-request.js";
import { outputWidth, writeJson, useColor, type CliIo } from "../cli-io.js";
import type { HubFlags } from "../hub-flags.js";
import type { MachineOptions } from "../machine-flags.js";
import type { OpenService } from "../open-service.js";
import { planText } from "../render/plan-text.js";
import { NO_CONFIG, Settings, type LoadedConfig } from "../settings.js";
import { COLOR, PLAIN } from "../table.js";

export interface PlanFlags extends HubFlags {
  quant?: string;
  context?: string;
  targetTps?: string;
  kvCacheType?: string;
  catalog?: string;
  json?: boolean;
}

/** A number the flag carries (digits, a decimal point) as the body carries it; anything else as text, which the parser refuses. */
const asNumber = (v: string): number | string => (/^\s*\d+(?:\.\d+)?\s*$/.test(v) ? Number(v) : v);

/** The request the flags describe, parsed by the one parser of `POST /api/v1/plan` bodies (a mistake reads as the API's). */
export function planRequestOfFlags(model: string, f: PlanFlags): PlanRequestInput {
  if (model.trim() === "") throw new NodefitError("invalid_argument", "give the model to plan: nodefit plan MODEL");
  const body: Record<string, unknown> = { model };
  if (f.quant !== undefined) body["quant"] = f.quant;
  if (f.context !== undefined) body["context"] = /^\s*\d+\s*$/.test(f.context) ? Number(f.context) : f.context;
  if (f.targetTps !== undefined) body["target_tps"] = asNumber(f.targetTps);
  if (f.kvCacheType !== undefined) body["kv_cache_type"] = f.kvCacheType;
  return parsePlanRequest(body);
}

export async function runPlan(model: string, flags: PlanFlags, io: CliIo, open: OpenService, config: LoadedConfig = NO_CONFIG): Promise<number> {
  // Every flag and setting is resolved before the service opens.
  const request = planRequestOfFlags(model, flags);
  const settings = new Settings({ flags, env: io.env, config });
  const hub = settings.hub();
  // A plan reads no hardware, runtimes or stores: of the machine's settings, only the catalog counts.
  const machine: MachineOptions = {
    machineFile: null,
    overrides: {},
    nodeName: null,
    catalogFile: settings.catalog().value,
    inputs: { runtimeEndpoints: { given: [], off: [] }, modelsDirs: { dirs: [], source: null } },
  };
  const service = await open(machine, io, { hub, hardware: false });
  try {
    const result = await service.plan(request);
    if (flags.json) writeJson(io, result);
    else io.stdout.write(planText(result, useColor(io) ? COLOR : PLAIN, outputWidth(io)));
    return 0;
  } finally {
    service.close();
  }
}
