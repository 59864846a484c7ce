// The agent's MCP endpoint: POST /mcp (Streamable HTTP, stateless, JSON answers), behind the same Host allow-list and
// access token as every route (the request guard runs first). The mcp edge and the SDK are import()ed by the first
// request, so they never delay the agent's start (/health, then the app, come first).
import type { FastifyInstance } from "fastify";
import type { NodeService } from "../service/node-service.js";
import { MCP_PATH } from "./route-table.js";
import { whenGone } from "./routes.js";

type McpEntry = typeof import("../mcp/streamable-http.js");

export function registerMcpRoute(app: FastifyInstance, service: NodeService): void {
  let entry: Promise<McpEntry> | null = null;
  const load = (): Promise<McpEntry> => {
    entry ??= import("../mcp/streamable-http.js").catch((e: unknown) => {
      entry = null; // the next request tries again
      throw e;
    });
    return entry;
  };

  app.post(MCP_PATH, async (req, reply) => {
    const { answerMcpRequest } = await load();
    const answer = await answerMcpRequest(
      service,
      { method: req.method, url: req.url, headers: req.headers, body: req.body, signal: whenGone(reply) },
      { log: (message) => req.log.warn(message) },
    );
    reply.code(answer.status).headers(answer.headers);
    return reply.send(answer.body === "" ? undefined : answer.body);
  });
}
