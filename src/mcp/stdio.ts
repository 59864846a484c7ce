// MCP over stdio: the CLI's entry into the mcp edge (`nodefit mcp`). Standard output carries the protocol and nothing
// else: every log line goes to standard error.
import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { messageOf } from "../domain/errors.js";
import type { NodeService } from "../service/node-service.js";
import { createNodefitMcpServer } from "./server.js";

export interface StdioOptions {
  stdin: Readable;
  stdout: Writable;
  /** One line for a person: standard error. */
  log: (message: string) => void;
}

/**
 * Anything that would print to standard output through `console` (a library's stray log line) goes to standard error
 * instead: one line of it on stdout would corrupt the protocol stream.
 */
function consoleToStderr(log: (message: string) => void): void {
  const toLog = (...parts: unknown[]): void => log(parts.map((p) => (typeof p === "string" ? p : messageOf(p))).join(" "));
  console.log = toLog;
  console.info = toLog;
  console.debug = toLog;
}

/** How long requests still being answered when standard input ends may take before the server closes anyway. */
const DRAIN_MS = 30_000;

/**
 * Serves MCP on the given streams until standard input ends (the client closed it or exited) or the output breaks.
 * Requests received before the end are answered first (`printf '...' | nodefit mcp` gets every answer). A line that
 * is not JSON-RPC is reported on stderr and the server keeps reading.
 */
export async function serveStdio(service: NodeService, options: StdioOptions): Promise<void> {
  consoleToStderr(options.log);
  const mcp = createNodefitMcpServer(service, { log: options.log });
  const transport = new StdioServerTransport(options.stdin, options.stdout);
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  mcp.server.onclose = finish;
  const close = (): void => void mcp.close().then(finish, finish);

  // Requests received and not yet answered, so the end of input waits for their answers.
  let pending = 0;
  let drained: (() => void) | null = null;
  const ended = (): void => {
    if (pending === 0) return close();
    drained = close;
    setTimeout(close, DRAIN_MS).unref();
  };
  options.stdin.once("end", ended);
  options.stdin.once("close", ended);
  options.stdout.on("error", (e) => {
    options.log(`mcp: standard output failed: ${messageOf(e)}`);
    close();
  });

  await mcp.connect(transport);
  const receive = transport.onmessage;
  transport.onmessage = (message) => {
    if ("method" in message && "id" in message) pending += 1;
    receive?.(message);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message) => {
    try {
      await send(message);
    } finally {
      if ("id" in message && ("result" in message || "error" in message)) {
        pending = Math.max(0, pending - 1);
        if (pending === 0) drained?.();
      }
    }
  };
  await finished;
}
