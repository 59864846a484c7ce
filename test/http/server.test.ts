import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { request } from "node:http";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { startServer } from "../../src/http/server.js";
import { parseAnswer, rawExchange } from "../agent/support/raw-http.js";
import { testService } from "./support/service.js";

function getJson(options: { socketPath?: string; host?: string; port?: number; path: string }): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ ...options, method: "GET" }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-sock-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("startServer", () => {
  it("TCP on port 0 prints the real port; a non-loopback bind warns", async () => {
    const warnings: string[] = [];
    const server = await startServer(testService(), { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: (m) => warnings.push(m) });
    try {
      const port = Number(new URL(server.address).port);
      expect(port).toBeGreaterThan(0);
      expect(await getJson({ host: "127.0.0.1", port, path: "/health" })).toMatchObject({ status: 200, body: { status: "ok" } });
      expect(warnings).toEqual([]);
    } finally {
      await server.close();
    }
    const open = await startServer(testService(), { target: { kind: "tcp", host: "0.0.0.0", port: 0 }, warn: (m) => warnings.push(m) });
    await open.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/without an access token/);
  });

  it("unix socket: mode 0660, answers, removed on close", async () => {
    const path = join(dir, "nodefit.sock");
    const server = await startServer(testService(), { target: { kind: "unix", path }, warn: () => {} });
    expect(server.address).toBe(`unix:${path}`);
    expect(statSync(path).mode & 0o777).toBe(0o660);
    expect(await getJson({ socketPath: path, path: "/api/v1/models/top" })).toMatchObject({ status: 200, body: { filters: { top_only: true } } });
    await server.close();
    expect(existsSync(path)).toBe(false);
  });

  it("a stale socket is replaced", async () => {
    const path = join(dir, "stale.sock");
    // A process killed while listening leaves its socket file behind.
    const child = spawn(process.execPath, ["-e", `require("node:net").createServer().listen(${JSON.stringify(path)}, () => console.log("up"))`]);
    await new Promise<void>((r) => child.stdout.once("data", () => r()));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(existsSync(path)).toBe(true);
    const server = await startServer(testService(), { target: { kind: "unix", path }, warn: () => {} });
    expect((await getJson({ socketPath: path, path: "/health" })).status).toBe(200);
    await server.close();
  });

  it("a live socket or another file at the path is an error", async () => {
    const file = join(dir, "not-a-socket");
    writeFileSync(file, "x");
    await expect(startServer(testService(), { target: { kind: "unix", path: file }, warn: () => {} })).rejects.toMatchObject({
      code: "invalid_argument",
      message: expect.stringContaining("is not a socket"),
    });
    const path = join(dir, "live.sock");
    const first = await startServer(testService(), { target: { kind: "unix", path }, warn: () => {} });
    try {
      await expect(startServer(testService(), { target: { kind: "unix", path }, warn: () => {} })).rejects.toMatchObject({
        message: expect.stringContaining("another server is listening"),
      });
    } finally {
      await first.close();
    }
  });
});

describe("buildApp on its own socket (app.listen, for embedders)", () => {
  it("keeps the agent's socket limits and answers a malformed request with a JSON 400", async () => {
    const app = buildApp(testService(), { requestTimeoutMs: 700 });
    await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      expect(app.server.requestTimeout).toBe(700);
      expect(app.server.keepAliveTimeout).toBe(5_000);
      const port = (app.server.address() as { port: number }).port;
      const answer = parseAnswer(await rawExchange({ port }, "NOT HTTP AT ALL\r\n\r\n", 2_000));
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ error: "malformed HTTP request" });
    } finally {
      await app.close();
    }
  });
});
