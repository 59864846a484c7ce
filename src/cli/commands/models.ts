// `nodefit models`: the models envelope of GET /api/v1/models (or /top), from flags that mirror the query keys.
import { parseModelQuery, type RawQuery } from "../../query/model-query.js";
import { outputWidth, writeJson, useColor, type CliIo } from "../cli-io.js";
import { parseMachineFlags, type MachineFlags } from "../machine-flags.js";
import type { OpenService } from "../open-service.js";
import { NO_CONFIG, Settings, type LoadedConfig } from "../settings.js";
import { modelsTable } from "../render/models-table.js";
import { COLOR, PLAIN } from "../table.js";

export interface ModelsFlags extends MachineFlags {
  limit?: string;
  perfect?: boolean;
  minFit?: string;
  runtime?: string;
  useCase?: string;
  provider?: string;
  search?: string;
  sort?: string;
  maxContext?: string;
  includeTooTight?: boolean;
  forceRuntime?: string;
  installed?: boolean;
  top?: boolean;
  wide?: boolean;
  json?: boolean;
}

/** The flags as the query string would carry them, so validation and error texts are the API's. */
export function rawQueryOfFlags(f: ModelsFlags): RawQuery {
  const raw: Record<string, string> = {};
  const put = (key: string, value: string | boolean | undefined): void => {
    if (value !== undefined) raw[key] = String(value);
  };
  put("limit", f.limit);
  put("perfect", f.perfect);
  put("min_fit", f.minFit);
  put("runtime", f.runtime);
  put("use_case", f.useCase);
  put("provider", f.provider);
  put("search", f.search);
  put("sort", f.sort);
  put("max_context", f.maxContext);
  put("include_too_tight", f.includeTooTight);
  put("force_runtime", f.forceRuntime);
  put("installed", f.installed);
  return raw;
}

export async function runModels(flags: ModelsFlags, io: CliIo, open: OpenService, config: LoadedConfig = NO_CONFIG): Promise<number> {
  // Every flag is parsed before the hardware scan, so a typo fails at once.
  const query = parseModelQuery(rawQueryOfFlags(flags), flags.top ? "top" : "models");
  const service = await open(parseMachineFlags(flags, new Settings({ flags, env: io.env, config })), io);
  try {
    const envelope = await service.modelsEnvelope(query);
    if (flags.json) writeJson(io, envelope);
    else io.stdout.write(modelsTable(envelope, useColor(io) ? COLOR : PLAIN, flags.wide ? Infinity : outputWidth(io)));
    return 0;
  } finally {
    service.close();
  }
}
