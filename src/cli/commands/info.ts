// `nodefit info <model>`: the envelope of GET /api/v1/models/{name} (substring matches and the model the name resolves to), in detail.
import { didYouMean, suggestModels } from "../../catalog/resolve/suggest.js";
import { NodefitError } from "../../domain/errors.js";
import { parseModelQuery } from "../../query/model-query.js";
import { outputWidth, writeJson, useColor, type CliIo } from "../cli-io.js";
import { parseMachineFlags, type MachineFlags } from "../machine-flags.js";
import type { OpenService } from "../open-service.js";
import { NO_CONFIG, Settings, type LoadedConfig } from "../settings.js";
import { rawQueryOfFlags } from "./models.js";
import { modelDetails } from "../render/model-details.js";
import { systemSummary } from "../render/system-text.js";
import { COLOR, PLAIN } from "../table.js";
import { wrapWords } from "../wrap.js";
import { EXIT_FAILURE } from "../exit-code.js";

export interface InfoFlags extends MachineFlags {
  maxContext?: string;
  forceRuntime?: string;
  json?: boolean;
}

export async function runInfo(name: string, flags: InfoFlags, io: CliIo, open: OpenService, config: LoadedConfig = NO_CONFIG): Promise<number> {
  if (name.trim() === "") throw new NodefitError("invalid_argument", "give a model name: nodefit info <model>");
  const raw = rawQueryOfFlags({ maxContext: flags.maxContext, forceRuntime: flags.forceRuntime });
  // Every flag is parsed before the hardware scan, as `models` does.
  const query = parseModelQuery(raw, "name", name);
  const service = await open(parseMachineFlags(flags, new Settings({ flags, env: io.env, config })), io);
  try {
    const envelope = await service.modelsEnvelope(query);
    const p = useColor(io) ? COLOR : PLAIN;
    if (flags.json) writeJson(io, envelope);
    else if (envelope.models.length > 0) {
      const width = outputWidth(io);
      const head = wrapWords(systemSummary(envelope), width).map((l) => p.bold(l)).join("\n");
      // How the name was read, when the resolver says more than "this is that model" (a derivative, a pruned model).
      const resolved = envelope.resolved_from;
      const how = resolved?.status === "matched" && resolved.note !== null ? `${wrapWords(resolved.note, width).join("\n")}\n\n` : "";
      io.stdout.write(`${head}\n\n${how}${envelope.models.map((m) => modelDetails(m, p, width)).join("\n")}`);
    }
    if (envelope.models.length > 0) return 0;
    // The resolver's candidates when the name fits several models; else the names a few typing mistakes away.
    const alternatives = envelope.resolved_from?.candidates ?? [];
    const typos = alternatives.length > 0 ? "" : didYouMean(suggestModels(service.models, name));
    const hint = alternatives.length > 0 ? `did you mean ${alternatives.slice(0, 3).join(", ")}?` : typos || "try: nodefit models --search <part of the name>";
    io.stderr.write(`nodefit: no model in the catalog matches "${name}" (${hint})\n`);
    return EXIT_FAILURE;
  } finally {
    service.close();
  }
}
