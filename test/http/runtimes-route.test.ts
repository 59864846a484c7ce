// GET /api/v1/runtimes on a real agent socket, with a real local HTTP server that accepts every request and never
// answers standing in for a hung runtime: /api/v1/* answers while the probes hang (it never waits on them), the
// runtimes object says `pending` until the round ends, then names the hung endpoint in its warnings.
import { createServer, request, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RuntimesResponseSchema } from "../../src/contract/schemas-runtimes.js";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { globalFetch } from "../../src/runtimes/http-get.js";
import type { NodeService } from "../../src/service/node-service.js";
import { inputsService } from "../installed/support.js";

/** A server that takes requests and never answers them. */
let hung: Server;
let hungUrl = "";
const held: Socket[] = [];
let received = 0;
let home = "";

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "nodefit-hung-"));
  hung = createServer((req) => {
    received += 1;
    held.push(req.socket);
  });
  await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
  const address = hung.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  hungUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise<void>((resolve) => hung.close(() => resolve()));
  rmSync(home, { recursive: true, force: true });
});

function get(base: string, path: string): Promise<{ status: number; body: unknown; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), ms: performance.now() - t0 }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function agentWith(probeTimeoutMs: number): Promise<{ service: NodeService; server: RunningServer }> {
  const service = inputsService({
    home,
    mode: "agent",
    fetch: globalFetch,
    endpoints: [`ollama=${hungUrl}`, `llamacpp=${hungUrl}/llama`, "lmstudio=off", "vllm=off"],
    probeTimeoutMs,
  });
  const server = await startServer(service, { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {} });
  return { service, server };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("a hung runtime endpoint", () => {
  it("never delays /api/v1/*: answered while the probes hang; the runtimes object says pending", async () => {
    const { service, server } = await agentWith(4000);
    try {
      // The default analysis first, so what is measured below is the route, not the catalog's first analysis.
      await get(server.address, "/api/v1/models?limit=1");
      const quiet: number[] = [];
      for (let i = 0; i < 5; i++) quiet.push((await get(server.address, "/api/v1/system")).ms);

      const before = received;
      service.startWarming(); // what the agent does once it listens: the probes start, in the background
      for (let i = 0; i < 200 && received < before + 3; i++) await new Promise((r) => setTimeout(r, 10));
      expect(received).toBeGreaterThanOrEqual(before + 3); // /api/version, /api/tags, /api/ps (and llama.cpp's) hang now
      // The stores' first scan (an empty home) lands meanwhile: rows now say installed false, a new snapshot whose
      // analysis is redone in the background. Let it land, so what is measured is the hung probe's effect alone.
      for (let i = 0; i < 300 && (await service.runtimes()).installed.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 10));
      await get(server.address, "/api/v1/models?limit=1");
      expect((await service.runtimes()).status).toBe("pending");

      const t0 = performance.now();
      const during: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await get(server.address, "/api/v1/system");
        expect(r.status).toBe(200);
        during.push(r.ms);
      }
      const models = await get(server.address, "/api/v1/models?limit=3");
      expect(models.status).toBe(200);
      const runtimes = await get(server.address, "/api/v1/runtimes");
      expect(runtimes.status).toBe(200);
      expect(runtimes.body).toMatchObject({ status: "pending", checked_at: null, runtimes: [] });
      // All of it answered while the hung requests were still waiting for their 4 s timeout.
      expect(performance.now() - t0).toBeLessThan(3000);
      console.log(
        `/api/v1/system with a hung runtime endpoint in flight: median ${median(during).toFixed(1)} ms (max ${Math.max(...during).toFixed(1)}), ` +
          `without: median ${median(quiet).toFixed(1)} ms; /api/v1/runtimes ${runtimes.ms.toFixed(1)} ms, /api/v1/models ${models.ms.toFixed(1)} ms`,
      );
    } finally {
      await server.close();
    }
  }, 30_000);

  it("is a warning once its timeout passes (300 ms by default); the endpoints say timeout", async () => {
    const { service, server } = await agentWith(300);
    try {
      service.startWarming();
      let body: unknown = null;
      for (let i = 0; i < 300; i++) {
        body = (await get(server.address, "/api/v1/runtimes")).body;
        if ((body as { status: string }).status === "ready") break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const r = RuntimesResponseSchema.parse(body);
      expect(r.status).toBe("ready");
      expect(r.probe_ms).toBeLessThan(2000);
      expect(r.endpoints.map((e) => [e.runtime, e.source, e.status])).toEqual([
        ["ollama", "flag", "timeout"],
        ["llamacpp", "flag", "timeout"],
      ]);
      expect(r.warnings).toContain(`Ollama at ${hungUrl} did not answer within 300 ms: a hung endpoint, probed again at the next refresh`);
      expect(r.installed).toMatchObject({ status: "ready", complete: true, models: 0 });
    } finally {
      await server.close();
    }
  }, 30_000);
});
