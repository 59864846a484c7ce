// API routes: each handler parses its input and asks the node service; errors go to the app's one error handler.
import type { FastifyInstance, FastifyReply } from "fastify";
import { parseEstimateRequest } from "../contract/estimate-request.js";
import { parsePlanRequest } from "../contract/plan-request.js";
import { NodefitError } from "../domain/errors.js";
import { modelNameOf, parseModelQuery, type ModelRoute, type RawQuery } from "../query/model-query.js";
import type { NodeService } from "../service/node-service.js";
import type { EnvelopeCache } from "./envelope-cache.js";
import { API_PREFIX } from "./route-table.js";

export const JSON_TYPE = "application/json; charset=utf-8";

/** Aborts when the connection closes before the answer was sent: the client left, and nobody reads what it asked for. */
export function whenGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  return gone.signal;
}

export function registerApiRoutes(app: FastifyInstance, service: NodeService, cache: EnvelopeCache): void {
  /** Answers being serialized, per request URL: requests for the same URL that arrive meanwhile wait for that one
   *  instead of each filtering and serializing the catalog again (a burst of uncached 0.8 MB answers). */
  const pending = new Map<string, { snapshot: object; body: Promise<Buffer> }>();

  /**
   * The models envelope as bytes: the analysis is cached per snapshot by the service, and the serialized answer here
   * per (snapshot, request URL), so a scheduler's repeated poll is a lookup, before the query is even parsed. (The
   * route and the query are functions of the URL; an invalid query throws before anything is stored.)
   */
  function sendModels(reply: FastifyReply, url: string, query: RawQuery, route: ModelRoute, name?: string): void {
    // Promise callbacks rather than an async handler: this is the path schedulers poll, and it saves ticks.
    service.machine().then(
      (machine) => {
        const hit = cache.get(machine, url);
        if (hit !== undefined) return void reply.type(JSON_TYPE).send(hit);
        let flight = pending.get(url);
        if (flight === undefined || flight.snapshot !== machine) {
          const body = service.modelsEnvelope(parseModelQuery(query, route, name), machine).then((envelope) => {
            const bytes = Buffer.from(JSON.stringify(envelope));
            cache.set(machine, url, bytes);
            return bytes;
          });
          const mine = { snapshot: machine, body };
          pending.set(url, mine);
          const done = (): void => void (pending.get(url) === mine && pending.delete(url));
          body.then(done, done);
          flight = mine;
        }
        return flight.body.then((bytes) => void reply.type(JSON_TYPE).send(bytes));
      },
    ).catch((e: unknown) => void reply.send(e));
  }

  // The system answer depends on the snapshot only: serialized once per snapshot.
  let system: { snapshot: object; body: Buffer } | null = null;
  app.get(`${API_PREFIX}/system`, async (_req, reply) => {
    const machine = await service.machine();
    if (system?.snapshot !== machine) system = { snapshot: machine, body: Buffer.from(JSON.stringify(await service.system())) };
    return reply.type(JSON_TYPE).send(system.body);
  });

  app.get(`${API_PREFIX}/models`, (req, reply) => sendModels(reply, req.url, req.query as RawQuery, "models"));

  app.get(`${API_PREFIX}/models/top`, (req, reply) => sendModels(reply, req.url, req.query as RawQuery, "top"));

  // A wildcard, so both `Qwen%2FQwen3-8B` and `Qwen/Qwen3-8B` reach here, already URL-decoded.
  app.get(`${API_PREFIX}/models/*`, (req, reply) => {
    // Trailing slashes are dropped: `/models/top/` is `/top`, not a search for "top/" that finds nothing.
    const name = modelNameOf((req.params as Record<string, string | undefined>)["*"] ?? "");
    if (name.trim() === "") return void reply.send(new NodefitError("not_found", `not found: give a model name after ${API_PREFIX}/models/`));
    if (name === "top") return sendModels(reply, req.url, req.query as RawQuery, "top");
    sendModels(reply, req.url, req.query as RawQuery, "name", name);
  });

  // A Hub lookup made for a request stops when its client has gone (the connection closed before the answer).
  app.post(`${API_PREFIX}/estimate`, async (req, reply) => service.estimate(parseEstimateRequest(req.body), { signal: whenGone(reply) }));

  app.post(`${API_PREFIX}/plan`, async (req, reply) => service.plan(parsePlanRequest(req.body), { signal: whenGone(reply) }));

  // This node's benchmarks: the service reads its store only when a bench stored results since.
  app.get(`${API_PREFIX}/benchmarks`, async () => service.benchmarks());

  // The runtimes and model stores: the last snapshots, taken in the background; never waits for a probe or a scan.
  app.get(`${API_PREFIX}/runtimes`, async () => service.runtimes());
}
