// `nodefit info <model>`: the envelope of GET /api/v1/models/{name} (else of the model the reference resolves to), in detail.
import { resolveModel } from "../../catalog/resolve.js";
import { parseModelQuery } from "../../query/model-query.js";
import { writeJson, useColor, type CliIo } from "../cli-io.js";
import type { MachineFlags } from "../machine-flags.js";
import { openCliService } from "../open-service.js";
import { rawQueryOfFlags } from "./models.js";
import { modelDetails } from "../render/model-details.js";
import { systemSummary } from "../render/system-text.js";
import { COLOR, PLAIN } from "../table.js";
import { EXIT_FAILURE } from "../exit-code.js";

export interface InfoFlags extends MachineFlags {
  maxContext?: string;
  forceRuntime?: string;
  json?: boolean;
}

export async function runInfo(name: string, flags: InfoFlags, io: CliIo): Promise<number> {
  const raw = rawQueryOfFlags({ maxContext: flags.maxContext, forceRuntime: flags.forceRuntime });
  // Validate before the hardware scan, as `models` does.
  const query = parseModelQuery(raw, "name", name);
  const service = await openCliService(flags, io);
  try {
    let envelope = await service.modelsEnvelope(query);
    // Not a part of any name: maybe an Ollama tag, a GGUF file name or loose words the resolver knows.
    if (envelope.total_models === 0) {
      const resolved = resolveModel(service.models, name).model;
      if (resolved) envelope = await service.modelsEnvelope(parseModelQuery(raw, "name", resolved.id));
    }
    const p = useColor(io) ? COLOR : PLAIN;
    if (flags.json) writeJson(io, envelope);
    else if (envelope.models.length > 0)
      io.stdout.write(`${p.bold(systemSummary(envelope))}\n\n${envelope.models.map((m) => modelDetails(m, p)).join("\n")}`);
    if (envelope.models.length > 0) return 0;
    io.stderr.write(`nodefit: no model in the catalog matches "${name}" (try: nodefit models --search <part of the name>)\n`);
    return EXIT_FAILURE;
  } finally {
    service.close();
  }
}
