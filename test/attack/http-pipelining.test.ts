// Pipelining: a client that writes thousands of requests on one connection and reads nothing costs the agent a bounded
// amount of memory and never delays /health on another connection; a client that pipelines and reads gets every
// answer, in order, with at most MAX_PIPELINED_REQUESTS of its requests being answered at once.
import { createServer } from "node:http";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { Connections } from "../../src/http/connections.js";
import { startServer } from "../../src/http/server.js";
import { MAX_PIPELINED_REQUESTS } from "../../src/http/limits.js";
import { startAgentProcess, timedGet, type AgentProcess } from "../http/support/agent-process.js";
import { fakeAnalyze, fakeEstimate } from "../http/support/fake-analysis.js";
import { testService } from "../http/support/service.js";

const MB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `count` pipelined GETs of `path(i)` on one connection that never reads. */
function attacker(port: number, path: (i: number) => string, count: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.on("error", () => {});
    socket.pause(); // never reads
    socket.once("connect", () => {
      socket.write(Array.from({ length: count }, (_, i) => `GET ${path(i)} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`).join(""));
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

describe.runIf(process.platform === "linux")("a connection that pipelines and never reads (the agent as a child process)", () => {
  let agent: AgentProcess;
  beforeAll(async () => {
    agent = await startAgentProcess();
    // A polled agent has its analysis and its answers cached: so has this one before the attack.
    for (const path of ["/api/v1/models/top", "/api/v1/models", "/health"]) expect((await timedGet(agent.port, path)).status).toBe(200);
    await sleep(200);
  });
  afterAll(async () => {
    expect(await agent.stop()).toBe(0);
  });

  /** Runs `count` pipelined GETs of `path` on one connection that never reads, probing /health meanwhile. */
  async function attack(path: (i: number) => string, count: number): Promise<{ before: number; peak: number; after: number; healthMs: number[] }> {
    const before = agent.rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, agent.rss())), 20);
    const socket = await attacker(agent.port, path, count);
    const healthMs: number[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        await sleep(60);
        const health = await timedGet(agent.port, "/health");
        expect(health.status).toBe(200);
        healthMs.push(health.ms);
      }
    } finally {
      socket.destroy();
      clearInterval(sampler);
    }
    peak = Math.max(peak, agent.rss());
    await sleep(500);
    // The agent is its usual self: an answer in milliseconds.
    expect((await timedGet(agent.port, "/api/v1/models/top")).ms).toBeLessThan(200);
    return { before, peak, after: agent.rss(), healthMs };
  }

  /**
   * Liveness bound in these tests: 250 ms, far below what the attacks cost before the cap (seconds) yet safe on a CI
   * runner running other test files at once; on a quiet machine /health stays within 50 ms (these tests print the
   * figures: 4-33 ms measured on this project's 2-core VM).
   */
  const HEALTH_BOUND_MS = 250;

  it("2,000 × GET /api/v1/models/top: /health answered throughout, RSS up by less than 50 MB, not kept", async () => {
    const { before, peak, after, healthMs } = await attack(() => "/api/v1/models/top", 2_000);
    const figures = `RSS ${(before / MB).toFixed(0)} -> ${(peak / MB).toFixed(0)} -> ${(after / MB).toFixed(0)} MB; /health ms ${healthMs.map((m) => m.toFixed(1)).join(" ")}`;
    console.log(`pipelining /top: ${figures}`);
    expect(Math.max(...healthMs), figures).toBeLessThan(HEALTH_BOUND_MS);
    expect(peak - before, figures).toBeLessThan(50 * MB);
    expect(after - before, figures).toBeLessThan(50 * MB);
  });

  it("500 × GET /api/v1/models, each URL its own (0.8 MB answers, none cached): RSS up by less than 50 MB", async () => {
    // Before the cap every request read was answered into memory: 2,000 uncached /api/v1/models took the agent from
    // 116 MB to 1.36 GB of RSS and /health to 18 s.
    const { before, peak, after, healthMs } = await attack((i) => `/api/v1/models?limit=${1000 + i}`, 500);
    const figures = `RSS ${(before / MB).toFixed(0)} -> ${(peak / MB).toFixed(0)} -> ${(after / MB).toFixed(0)} MB; /health ms ${healthMs.map((m) => m.toFixed(1)).join(" ")}`;
    console.log(`pipelining /models: ${figures}`);
    expect(peak - before, figures).toBeLessThan(50 * MB);
    expect(after - before, figures).toBeLessThan(50 * MB);
    expect(Math.max(...healthMs), figures).toBeLessThan(HEALTH_BOUND_MS);
  });
});

describe("the cap on requests in flight per connection", () => {
  it("20 pipelined requests to a slow handler: at most MAX_PIPELINED_REQUESTS at once, all answered in order", async () => {
    let running = 0;
    let most = 0;
    const server = createServer();
    const connections = new Connections(server, MAX_PIPELINED_REQUESTS);
    server.on(
      "request",
      connections.gate((req, res) => {
        running += 1;
        most = Math.max(most, running);
        setTimeout(() => {
          running -= 1;
          res.end(`answer ${req.url}\n`);
        }, 5);
      }),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const socket = connect({ host: "127.0.0.1", port });
      let text = "";
      socket.setEncoding("utf8").on("data", (c: string) => (text += c));
      const urls = Array.from({ length: 20 }, (_, i) => `/r${i}`);
      socket.write(urls.map((u) => `GET ${u} HTTP/1.1\r\nhost: x\r\n\r\n`).join(""));
      const deadline = Date.now() + 5_000;
      while ((text.match(/answer /g) ?? []).length < 20 && Date.now() < deadline) await sleep(10);
      socket.destroy();
      expect([...text.matchAll(/answer (\S+)/g)].map((m) => m[1])).toEqual(urls);
      expect(most).toBe(MAX_PIPELINED_REQUESTS);
    } finally {
      server.close();
    }
  });

  it("a client that reads nothing holds its requests in flight, and the socket stops reading", async () => {
    const big = Buffer.alloc(4 * MB, "x");
    let started = 0;
    const server = createServer();
    const connections = new Connections(server, 2);
    server.on(
      "request",
      connections.gate((_req, res) => {
        started += 1;
        res.end(big);
      }),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const socket = connect({ host: "127.0.0.1", port });
      socket.on("error", () => {});
      socket.pause();
      socket.write("GET / HTTP/1.1\r\nhost: x\r\n\r\n".repeat(50));
      await sleep(300);
      // Two 4 MB answers fill the kernel's buffers; the rest wait unstarted until the client reads.
      expect(started).toBe(2);
      socket.resume();
      const deadline = Date.now() + 10_000;
      while (started < 50 && Date.now() < deadline) await sleep(20);
      expect(started).toBe(50);
      socket.destroy();
    } finally {
      server.close();
    }
  });
});

describe("a client that never reads", () => {
  it("is disconnected once its connection has made no progress for the connection timeout", async () => {
    const server = await startServer(testService({ analyze: fakeAnalyze, estimate: fakeEstimate }), {
      target: { kind: "tcp", host: "127.0.0.1", port: 0 },
      warn: () => {},
      connectionTimeoutMs: 400,
    });
    const port = Number(new URL(server.address).port);
    const open = (): Promise<number> => new Promise((r, j) => server.app.server.getConnections((e, n) => (e ? j(e) : r(n))));
    try {
      const socket = await attacker(port, (i) => `/api/v1/models?limit=${100 + i}`, 200);
      await sleep(100);
      expect(await open()).toBe(1);
      const started = Date.now();
      // The agent's side closes (the client, which reads nothing, never learns it).
      while ((await open()) > 0 && Date.now() - started < 5_000) await sleep(50);
      expect(await open()).toBe(0);
      expect(Date.now() - started).toBeLessThan(3_000);
      socket.destroy();
    } finally {
      await server.close();
    }
  });
});

describe("a burst of the same uncached request", () => {
  it("is filtered and serialized once, and every request gets the same bytes", async () => {
    const service = testService({ analyze: fakeAnalyze, estimate: fakeEstimate });
    const envelope = vi.spyOn(service, "modelsEnvelope");
    const app = buildApp(service);
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, () => app.inject("/api/v1/models?limit=3")));
      expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      expect(envelope).toHaveBeenCalledTimes(1);
      await Promise.all([app.inject("/api/v1/models?limit=3"), app.inject("/api/v1/models?limit=4"), app.inject("/api/v1/models?limit=4")]);
      expect(envelope).toHaveBeenCalledTimes(2);
      const bad = await Promise.all([app.inject("/api/v1/models?limit=x"), app.inject("/api/v1/models?limit=x")]);
      expect(bad.map((a) => a.statusCode)).toEqual([400, 400]);
    } finally {
      await app.close();
    }
  });
});
