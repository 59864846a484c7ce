// Operations routes: the index (the dashboard's page to a browser), liveness (/health), readiness (/ready), Prometheus
// metrics, the OpenAPI document, and the dashboard's files.
import type { FastifyInstance } from "fastify";
import type { NodeService } from "../service/node-service.js";
import { wantsHtml, type Dashboard } from "./dashboard.js";
import { packageVersion } from "../service/package-version.js";
import type { HttpMetrics } from "./http-metrics.js";
import { MetricsText } from "./metrics-text.js";
import { writeNodeMetrics } from "./node-metrics.js";
import type { ProcessMetrics } from "./process-metrics.js";
import type { Readiness } from "./readiness.js";
import { JSON_TYPE } from "./routes.js";
import { DASHBOARD_ASSETS_PREFIX, OPENAPI_PATH, routeList } from "./route-table.js";

/** The Prometheus text format this endpoint writes. */
export const METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export interface OpsState {
  service: NodeService;
  readiness: Readiness;
  httpMetrics: HttpMetrics;
  processMetrics: ProcessMetrics;
  /** The dashboard's files; null: none, `/` answers JSON to every client. */
  dashboard: Dashboard | null;
}

export function registerOpsRoutes(app: FastifyInstance, state: OpsState): void {
  const { service, readiness } = state;

  /** The JSON index: what API clients get at `/`. */
  const index = () => ({
    name: "nodefit",
    version: packageVersion(),
    node: service.health().node,
    endpoints: routeList().flatMap((r) => r.methods.filter((m) => m !== "HEAD").map((m) => `${m} ${r.path}`)),
    documentation: OPENAPI_PATH,
  });

  // `/`: the dashboard's page to a browser, the index to everyone else (caches told apart by Vary: Accept).
  const page = state.dashboard;
  app.get("/", async (req, reply) => {
    if (page !== null) {
      if (wantsHtml(req.headers.accept)) return page.sendIndex(req, reply);
      void reply.header("vary", "Accept");
    }
    return index();
  });
  if (page !== null)
    app.get(`${DASHBOARD_ASSETS_PREFIX}*`, async (req, reply) => page.sendAsset(req, reply, (req.params as Record<string, string | undefined>)["*"] ?? ""));

  app.get("/health", async () => service.health());

  app.get("/ready", async (_req, reply) => {
    const s = readiness.state();
    const node = service.health().node;
    if (s.ready) return { status: "ready", node, checks: s.checks };
    return reply.code(503).send({ status: "starting", node, checks: s.checks, error: `not ready: ${s.reason ?? "starting"}` });
  });

  app.get("/metrics", async (_req, reply) => {
    const out = new MetricsText();
    state.processMetrics.write(out);
    state.httpMetrics.write(out);
    await writeNodeMetrics(out, service, readiness);
    return reply.type(METRICS_TYPE).send(out.toString());
  });

  // Built on first request (the schemas and the generator stay out of the agent's start-up).
  let openapi: Buffer | null = null;
  app.get(OPENAPI_PATH, async (_req, reply) => {
    openapi ??= Buffer.from((await import("./openapi.js")).openApiJson());
    return reply.type(JSON_TYPE).send(openapi);
  });
}
