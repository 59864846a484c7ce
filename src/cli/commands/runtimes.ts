// `nodefit runtimes`: the runtimes object of GET /api/v1/runtimes: the LLM runtimes on this node, what they hold in
// memory, and the model stores on its disks.
import { outputWidth, useColor, writeJson, type CliIo } from "../cli-io.js";
import { parseMachineFlags, type MachineFlags } from "../machine-flags.js";
import type { OpenService } from "../open-service.js";
import { NO_CONFIG, Settings, type LoadedConfig } from "../settings.js";
import { runtimesText } from "../render/runtimes-text.js";
import { COLOR, PLAIN } from "../table.js";

export async function runRuntimes(flags: MachineFlags & { json?: boolean }, io: CliIo, open: OpenService, config: LoadedConfig = NO_CONFIG): Promise<number> {
  const service = await open(parseMachineFlags(flags, new Settings({ flags, env: io.env, config })), io);
  try {
    const answer = await service.runtimes();
    if (flags.json) writeJson(io, answer);
    else io.stdout.write(runtimesText(answer, useColor(io) ? COLOR : PLAIN, outputWidth(io)));
    return 0;
  } finally {
    service.close();
  }
}
