// `nodefit mcp`: an MCP server on stdio for AI agents, with the API's answers as tools. Standard output is the protocol:
// this command writes nothing else there (warnings and errors go to standard error).
import type { Readable, Writable } from "node:stream";
import { serveStdio } from "../../mcp/stdio.js";
import type { CliIo } from "../cli-io.js";
import type { HubFlags } from "../hub-flags.js";
import { parseMachineFlags, type MachineFlags } from "../machine-flags.js";
import type { OpenService } from "../open-service.js";
import { NO_CONFIG, Settings, type LoadedConfig } from "../settings.js";

export interface McpFlags extends MachineFlags, HubFlags {
  refreshInterval?: string;
}

/** The protocol's streams: the process's own (a test may give others). */
export interface McpStreams {
  stdin: Readable;
  stdout: Writable;
}

/**
 * Serves until the client closes standard input. Flags are parsed first, and a described machine or a --catalog file
 * is read before the first message, so a client configured with a bad file sees the server exit with the reason on
 * stderr instead of failing every call.
 */
export async function runMcp(
  flags: McpFlags,
  io: CliIo,
  open: OpenService,
  config: LoadedConfig = NO_CONFIG,
  streams: McpStreams = { stdin: process.stdin, stdout: process.stdout },
): Promise<number> {
  const settings = new Settings({ flags, env: io.env, config });
  const machine = parseMachineFlags(flags, settings);
  const hub = settings.hub();
  const refreshIntervalMs = settings.refreshInterval().value * 1000;
  const log = (message: string): void => void io.stderr.write(`nodefit: ${message}\n`);
  // Runtimes and model stores are looked at from the start, in the background (a tool call never waits on them).
  const service = await open(machine, io, { refreshIntervalMs, onBackgroundError: log, inputsMode: "server", hub });
  try {
    if (machine.machineFile !== null) await service.machine();
    if (machine.catalogFile !== null) void service.models.length;
    await serveStdio(service, { ...streams, log });
    return 0;
  } finally {
    service.close();
  }
}
