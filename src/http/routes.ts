// API routes: each handler parses its input and asks the node service; errors go to the app's one error handler.
import type { FastifyInstance } from "fastify";
import { NodefitError } from "../domain/errors.js";
import { parseModelQuery, type RawQuery } from "../query/model-query.js";
import type { NodeService } from "../service/node-service.js";
import { packageVersion } from "../service/package-version.js";
import { API_PREFIX } from "./route-table.js";

export function registerRoutes(app: FastifyInstance, service: NodeService): void {
  app.get("/", async () => ({
    name: "nodefit",
    version: packageVersion(),
    node: service.health().node,
    endpoints: [
      "GET /health",
      `GET ${API_PREFIX}/system`,
      `GET ${API_PREFIX}/models`,
      `GET ${API_PREFIX}/models/top`,
      `GET ${API_PREFIX}/models/{name}`,
      `POST ${API_PREFIX}/estimate`,
    ],
  }));

  app.get("/health", async () => service.health());

  app.get(`${API_PREFIX}/system`, async () => service.system());

  app.get(`${API_PREFIX}/models`, async (req) => service.modelsEnvelope(parseModelQuery(req.query as RawQuery, "models")));

  app.get(`${API_PREFIX}/models/top`, async (req) => service.modelsEnvelope(parseModelQuery(req.query as RawQuery, "top")));

  // A wildcard, so both `Qwen%2FQwen3-8B` and `Qwen/Qwen3-8B` reach here, already URL-decoded.
  app.get(`${API_PREFIX}/models/*`, async (req) => {
    const name = (req.params as Record<string, string | undefined>)["*"] ?? "";
    if (name.trim() === "") throw new NodefitError("not_found", `not found: give a model name after ${API_PREFIX}/models/`);
    return service.modelsEnvelope(parseModelQuery(req.query as RawQuery, "name", name));
  });

  app.post(`${API_PREFIX}/estimate`, async (req) => {
    if (req.body === undefined || req.body === null)
      throw new NodefitError("invalid_argument", 'send one estimate request as a JSON body, e.g. {"model": "Qwen/Qwen3-8B"}');
    return service.estimate(req.body);
  });
}
