// A tool call's end reaches the service: an MCP client's cancellation (notifications/cancelled) and an HTTP client that
// hangs up both abort the signal estimate and plan are given, which stops a Hub lookup made for the call alone.
import { connect } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { describe, expect, it } from "vitest";
import { createNodefitMcpServer } from "../../src/mcp/server.js";
import { answerMcpRequest } from "../../src/mcp/streamable-http.js";
import type { NodeService } from "../../src/service/node-service.js";
import { startServer } from "../../src/http/server.js";
import { testService } from "../http/support/service.js";

/** A service whose estimate and plan wait until their signal aborts, and say which signal they were given. */
function waitingService() {
  const seen: Array<{ tool: string; signal: AbortSignal | undefined }> = [];
  let entered: () => void = () => {};
  const started = new Promise<void>((resolve) => (entered = resolve));
  const wait = (tool: string) => (_req: unknown, options: { signal?: AbortSignal } = {}) => {
    seen.push({ tool, signal: options.signal });
    entered();
    return new Promise<never>((_resolve, reject) => {
      if (!options.signal) return; // never settles: the test then times out, which is the failure
      options.signal.addEventListener("abort", () => reject(new Error("stopped: the caller left")), { once: true });
    });
  };
  const service = { estimate: wait("estimate"), plan: wait("plan") } as unknown as NodeService;
  return { service, seen, started };
}

const aborted = (signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => (signal?.aborted ? resolve() : signal?.addEventListener("abort", () => resolve(), { once: true })));

describe("cancelling a tool call", () => {
  it.each(["estimate", "plan"])("an MCP client's cancellation aborts the %s the service runs", async (tool) => {
    const { service, seen, started } = waitingService();
    const server = createNodefitMcpServer(service, { log: () => {} });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: "cancels", version: "0" });
    await client.connect(clientSide);
    const caller = new AbortController();
    const call = client.callTool({ name: tool, arguments: { model: "Qwen/Qwen3-8B" } }, undefined, { signal: caller.signal });
    await started;
    expect(seen).toHaveLength(1);
    expect(seen[0]!.signal?.aborted).toBe(false);
    caller.abort();
    await expect(call).rejects.toThrow();
    await aborted(seen[0]!.signal);
    expect(seen[0]!.signal?.aborted).toBe(true);
    await client.close();
    await server.close();
  });

  it("an HTTP client that hangs up aborts the estimate its POST /mcp runs, and the request ends", async () => {
    const { service, seen, started } = waitingService();
    const gone = new AbortController();
    const body = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "estimate", arguments: { model: "Qwen/Qwen3-8B" } } };
    const answer = answerMcpRequest(
      service,
      { method: "POST", url: "/mcp", headers: { accept: "application/json, text/event-stream", "content-type": "application/json" }, body, signal: gone.signal },
      { log: () => {} },
    );
    await started;
    expect(seen[0]!.signal?.aborted).toBe(false);
    gone.abort();
    await aborted(seen[0]!.signal);
    expect(seen[0]!.signal?.aborted).toBe(true);
    // The answer is given up rather than waited for (nothing would ever settle it): nobody is there to read it.
    await expect(answer).resolves.toEqual({ status: 499, headers: {}, body: "" });
  });

  it("a POST /mcp whose client left before it began runs nothing", async () => {
    const { service, seen } = waitingService();
    const gone = new AbortController();
    gone.abort();
    const body = { jsonrpc: "2.0", id: 8, method: "tools/call", params: { name: "estimate", arguments: { model: "Qwen/Qwen3-8B" } } };
    const answer = await answerMcpRequest(service, { method: "POST", url: "/mcp", headers: { accept: "application/json, text/event-stream", "content-type": "application/json" }, body, signal: gone.signal }, { log: () => {} });
    expect(answer.status).toBe(499);
    expect(seen).toEqual([]);
  });

  it("through the agent: a client that closes its connection mid-call aborts the estimate its POST /mcp started", async () => {
    const service = testService();
    let entered: () => void = () => {};
    const started = new Promise<void>((resolve) => (entered = resolve));
    let given: AbortSignal | undefined;
    // The real route, the real MCP edge: only the service's estimate is this test's (it waits for its signal).
    service.estimate = (_req, options = {}) => {
      given = options.signal;
      entered();
      return new Promise((_resolve, reject) => options.signal?.addEventListener("abort", () => reject(new Error("stopped")), { once: true }));
    };
    const server = await startServer(service, { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {} });
    try {
      const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "estimate", arguments: { model: "Qwen/Qwen3-8B" } } });
      const socket = connect(Number(new URL(server.address).port), "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      socket.write(
        `POST /mcp HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: application/json, text/event-stream\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      await started;
      expect(given?.aborted).toBe(false);
      socket.destroy();
      await aborted(given);
      expect(given?.aborted).toBe(true);
    } finally {
      await server.close();
    }
  });
});
