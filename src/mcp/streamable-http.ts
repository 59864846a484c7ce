// MCP over Streamable HTTP: http's entry into the mcp edge (the agent's POST /mcp), import()ed on the first request so
// the SDK never delays the agent's start. Stateless: each request gets its own server and transport, and the answer is
// one JSON body (no SSE stream), which the http edge sends through its app like any other answer.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { NodeService } from "../service/node-service.js";
import { createNodefitMcpServer } from "./server.js";

export interface McpHttpRequest {
  method: string;
  /** The request target, path and query. */
  url: string;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body the app already parsed as JSON; undefined when none was sent. */
  body: unknown;
  /** Aborts when the client has gone: the server closes, and the calls in flight are told (a Hub lookup stops). */
  signal?: AbortSignal;
}

export interface McpHttpAnswer {
  status: number;
  headers: Record<string, string>;
  /** Empty for 202 (a notification or a response from the client). */
  body: string;
}

/** What a request whose client has gone gets: nothing is sent (nginx's 499, "client closed request", for the logs). */
const CLIENT_GONE: McpHttpAnswer = { status: 499, headers: {}, body: "" };

/** Headers the transport reads; the rest (the token, the host) were checked by the app before the request got here. */
const FORWARDED = ["accept", "content-type", "mcp-protocol-version", "mcp-session-id", "last-event-id"];
/** Headers of the transport's answer the app sets itself or that do not cross (framing). */
const NOT_COPIED: ReadonlySet<string> = new Set(["content-length", "connection", "transfer-encoding", "keep-alive"]);

/** Answers one MCP request: the JSON-RPC answer with its status, or a JSON-RPC error the transport words. */
export async function answerMcpRequest(service: NodeService, request: McpHttpRequest, options: { log: (message: string) => void }): Promise<McpHttpAnswer> {
  const headers = new Headers();
  for (const name of FORWARDED) {
    const value = request.headers[name];
    if (value !== undefined) headers.set(name, typeof value === "string" ? value : value.join(", "));
  }
  // Gone before it began: nothing runs.
  if (request.signal?.aborted) return CLIENT_GONE;
  const mcp = createNodefitMcpServer(service, options);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  // The client gone: closing the server aborts the signal of every request handler still running (the SDK's Protocol
  // does so on close), and the answer, which nobody will read, is given up rather than waited for.
  let onGone = (): void => {};
  const gone = new Promise<null>((resolve) => {
    onGone = () => {
      resolve(null);
      void mcp.close().catch(() => {});
    };
  });
  request.signal?.addEventListener("abort", onGone, { once: true });
  try {
    await mcp.connect(transport);
    const handled = transport.handleRequest(new Request(new URL(request.url, "http://nodefit.local"), { method: request.method, headers }), {
      parsedBody: request.body,
    });
    const response = await Promise.race([handled, gone]);
    if (response === null) {
      handled.catch(() => {});
      return CLIENT_GONE;
    }
    const answerHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!NOT_COPIED.has(name)) answerHeaders[name] = value;
    });
    return { status: response.status, headers: answerHeaders, body: await response.text() };
  } finally {
    request.signal?.removeEventListener("abort", onGone);
    await mcp.close();
  }
}
