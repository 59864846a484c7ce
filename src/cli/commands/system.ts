// `nodefit system`: the `{node, system}` object of GET /api/v1/system.
import { outputWidth, writeJson, useColor, type CliIo } from "../cli-io.js";
import { parseMachineFlags, type MachineFlags } from "../machine-flags.js";
import type { OpenService } from "../open-service.js";
import { NO_CONFIG, Settings, type LoadedConfig } from "../settings.js";
import { systemText } from "../render/system-text.js";
import { COLOR, PLAIN } from "../table.js";

export async function runSystem(flags: MachineFlags & { json?: boolean }, io: CliIo, open: OpenService, config: LoadedConfig = NO_CONFIG): Promise<number> {
  const service = await open(parseMachineFlags(flags, new Settings({ flags, env: io.env, config })), io);
  try {
    const system = await service.system();
    if (flags.json) writeJson(io, system);
    else io.stdout.write(systemText(system, useColor(io) ? COLOR : PLAIN, outputWidth(io)));
    return 0;
  } finally {
    service.close();
  }
}
