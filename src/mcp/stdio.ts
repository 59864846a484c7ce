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

/**
 * Serves MCP on the given streams until standard input ends (the client closed it or exited) or the output breaks.
 * A line that is not JSON-RPC is reported on stderr and the server keeps reading.
 */
export async function serveStdio(service: NodeService, options: StdioOptions): Promise<void> {
  consoleToStderr(options.log);
  const mcp = createNodefitMcpServer(service, { log: options.log });
  const transport = new StdioServerTransport(options.stdin, options.stdout);
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const stop = (): void => void mcp.close().then(finish, finish);
  mcp.server.onclose = finish;
  options.stdin.once("end", stop);
  options.stdin.once("close", stop);
  options.stdout.on("error", (e) => {
    options.log(`mcp: standard output failed: ${messageOf(e)}`);
    stop();
  });
  await mcp.connect(transport);
  await finished;
}
