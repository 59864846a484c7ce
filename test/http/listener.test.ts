// The early listener: /health before the app exists, other requests held until the hand-over, refusals, socket cleanup.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Listener, MAX_HELD_REQUESTS } from "../../src/http/listener.js";
import { attachApp, startServer } from "../../src/http/server.js";
import { openSocket, parseAnswer, rawExchange } from "../agent/support/raw-http.js";
import { fakeAnalyze, fakeEstimate } from "./support/fake-analysis.js";
import { testService } from "./support/service.js";

const IDENTITY = { name: "early-node", os: "linux" };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let dir: string;
let listeners: Listener[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-listener-"));
});
afterEach(async () => {
  await Promise.all(listeners.map((l) => l.close(0)));
  listeners = [];
  rmSync(dir, { recursive: true, force: true });
});

async function open(options: Partial<Parameters<typeof Listener.open>[0]> = {}): Promise<{ listener: Listener; port: number }> {
  const listener = await Listener.open({ target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {}, identity: IDENTITY, ...options });
  listeners.push(listener);
  return { listener, port: Number(new URL(listener.address).port) };
}

const get = (port: number, path: string, method = "GET", headers = ""): Promise<string> =>
  rawExchange({ port }, `${method} ${path} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n${headers}\r\n`);

describe("Listener before the app is handed over", () => {
  it("answers GET and HEAD /health at once, with the security headers and a request id", async () => {
    const { port } = await open();
    const health = parseAnswer(await get(port, "/health?probe=1"));
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok", node: IDENTITY });
    expect(health.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(health.headers["x-content-type-options"]).toBe("nosniff");
    expect(health.headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-/);
    const head = parseAnswer(await get(port, "/health", "HEAD"));
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  it("holds every other request, then hands them to the app in arrival order", async () => {
    const { listener, port } = await open();
    const first = get(port, "/api/v1/system");
    await sleep(50); // two connections: let the first request arrive first
    const second = get(port, "/health", "POST");
    await sleep(100);
    const seen: string[] = [];
    listener.handOver((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.end(`handled ${req.url}`);
    });
    expect(parseAnswer(await first).body).toBe("handled /api/v1/system");
    expect(parseAnswer(await second).body).toBe("handled /health");
    expect(seen).toEqual(["GET /api/v1/system", "POST /health"]);
    // After the hand-over the app answers /health too.
    expect(parseAnswer(await get(port, "/health")).body).toBe("handled /health");
  });

  it("leaves /health to the app when only the app can answer it alike", async () => {
    // CORS on and a browser asking (the app sets the CORS headers); a URL longer than the app accepts (it refuses
    // it); a node name only the described machine knows.
    const { listener, port } = await open({ corsEnabled: true, maxUrlBytes: 64 });
    const browser = get(port, "/health", "GET", "origin: https://dash.example.com\r\n");
    const long = get(port, `/health?${"x".repeat(80)}`);
    expect(parseAnswer(await get(port, "/health")).status).toBe(200); // no Origin: answered at once
    const unnamed = await open({ identity: null });
    const health = get(unnamed.port, "/health");
    await sleep(100);
    listener.handOver((_req, res) => res.end("from the app"));
    unnamed.listener.handOver((_req, res) => res.end("from the app"));
    expect(parseAnswer(await browser).body).toBe("from the app");
    expect(parseAnswer(await long).body).toBe("from the app");
    expect(parseAnswer(await health).body).toBe("from the app");
  });

  it("refuse(): held and later requests get a 503 JSON error; /health stays alive", async () => {
    const { listener, port } = await open();
    const held = get(port, "/api/v1/models/top");
    await sleep(100);
    listener.refuse("the agent could not start: bad machine file");
    const answer = parseAnswer(await held);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ error: "server error: the agent could not start: bad machine file" });
    expect(parseAnswer(await get(port, "/api/v1/system")).status).toBe(503);
    expect(parseAnswer(await get(port, "/health")).status).toBe(200);
  });

  it("holds a bounded number of requests; beyond that a request is told to retry", async () => {
    const { listener, port } = await open({ maxHeldRequests: 2 });
    const held = [get(port, "/api/v1/system"), get(port, "/api/v1/models")];
    await sleep(100);
    const third = parseAnswer(await get(port, "/api/v1/models/top"));
    expect(third.status).toBe(503);
    expect(JSON.parse(third.body)).toEqual({ error: "server error: the agent is starting: retry in a second" });
    listener.handOver((_req, res) => res.end("ok"));
    for (const answer of await Promise.all(held)) expect(parseAnswer(answer).body).toBe("ok");
    expect(MAX_HELD_REQUESTS).toBeGreaterThanOrEqual(256);
  });

  it("clients that gave up do not keep their place in the queue", async () => {
    const { listener, port } = await open({ maxHeldRequests: 2 });
    for (let i = 0; i < 2; i++) {
      const socket = await openSocket({ port });
      socket.write("GET /api/v1/system HTTP/1.1\r\nhost: x\r\n\r\n");
      await sleep(30);
      socket.destroy();
    }
    await sleep(50);
    const live = get(port, "/api/v1/models/top");
    await sleep(50);
    listener.handOver((_req, res) => res.end("ok"));
    expect(parseAnswer(await live).body).toBe("ok");
  });

  it("hands a held request to the real app, which answers it as if it had just arrived", async () => {
    const { listener, port } = await open();
    const held = get(port, "/api/v1/models/top?limit=1");
    await sleep(100);
    const server = await attachApp(listener, testService({ analyze: fakeAnalyze, estimate: fakeEstimate }));
    const answer = parseAnswer(await held);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ filters: { top_only: true, limit: 1 } });
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    // Its latency counts the time it waited for the app.
    const metrics = parseAnswer(await get(port, "/metrics")).body;
    const sum = /^nodefit_http_request_duration_seconds_sum\{route="\/api\/v1\/models\/top",method="GET"\} (\S+)$/m.exec(metrics);
    expect(Number(sum?.[1])).toBeGreaterThanOrEqual(0.09);
    await server.close();
  });

  it("close() before any hand-over answers what it holds and frees the port", async () => {
    const { listener, port } = await open();
    const held = get(port, "/api/v1/system");
    await sleep(50);
    await listener.close(100);
    const answer = parseAnswer(await held);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toEqual({ error: "server error: the agent is shutting down" });
    await expect(openSocket({ port })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe("the unix socket", () => {
  it("is removed even when the process exits without closing (a forced exit)", () => {
    const path = join(dir, "forced.sock");
    const listenerUrl = pathToFileURL(join(process.cwd(), "dist/http/listener.js")).href;
    const script = `
      const { Listener } = await import(${JSON.stringify(listenerUrl)});
      await Listener.open({ target: { kind: "unix", path: ${JSON.stringify(path)} }, warn: () => {}, identity: { name: "x", os: "linux" } });
      const { existsSync } = await import("node:fs");
      console.log(existsSync(${JSON.stringify(path)}) ? "bound" : "missing");
      process.exit(1);
    `;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 10_000 });
    expect(run.stdout.trim()).toBe("bound");
    expect(run.status).toBe(1);
    expect(existsSync(path)).toBe(false);
  });
});

describe("the unix socket of an agent that stops", () => {
  it("is not taken from an agent that bound the same path while the first was draining", async () => {
    const path = join(dir, "rolling.sock");
    const first = await Listener.open({ target: { kind: "unix", path }, warn: () => {}, identity: IDENTITY });
    const inFlight = await openSocket({ path });
    // Unfinished and still arriving: keeps the first one draining.
    inFlight.write("GET /api/v1/system HTTP/1.1\r\nhost: x\r\n");
    const trickle = setInterval(() => inFlight.write("x-slow: 1\r\n"), 20);
    inFlight.once("close", () => clearInterval(trickle));
    const closing = first.close(300);
    await sleep(50);
    // Closing the listening socket freed the path: a new agent binds it.
    const second = await Listener.open({ target: { kind: "unix", path }, warn: () => {}, identity: { name: "second", os: "linux" } });
    listeners.push(second);
    inFlight.destroy();
    await closing;
    expect(existsSync(path)).toBe(true);
    const health = parseAnswer(await rawExchange({ path }, "GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"));
    expect(JSON.parse(health.body)).toMatchObject({ node: { name: "second" } });
  });
});

describe("metrics of answers no route gave", () => {
  it("counts the early /health answers and the requests Node's parser rejected", async () => {
    const server = await startServer(testService({ analyze: fakeAnalyze, estimate: fakeEstimate }), {
      target: { kind: "tcp", host: "127.0.0.1", port: 0 },
      warn: () => {},
    });
    const port = Number(new URL(server.address).port);
    try {
      expect(parseAnswer(await rawExchange({ port }, "NOT HTTP AT ALL\r\n\r\n")).status).toBe(400);
      expect(parseAnswer(await get(port, "/api/v1/models/%zz")).status).toBe(400);
      const metrics = parseAnswer(await get(port, "/metrics")).body;
      expect(metrics).toMatch(/^nodefit_http_requests_total\{route="unmatched",method="other",status="400"\} 1$/m);
      expect(metrics).toMatch(/^nodefit_http_requests_total\{route="unmatched",method="GET",status="400"\} 1$/m);
    } finally {
      await server.close();
    }
  });
});
