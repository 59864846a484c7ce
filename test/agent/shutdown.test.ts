// Graceful shutdown: requests in flight when the agent is told to stop finish; then it exits 0 and removes its socket.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startServer } from "../../src/http/server.js";
import { FIXTURE_MACHINE, MAIN } from "../cli/run-cli.js";
import { fakeAnalyze, fakeEstimate } from "../http/support/fake-analysis.js";
import { testService } from "../http/support/service.js";
import { openSocket, parseAnswer, readAll } from "./support/raw-http.js";

const BODY = JSON.stringify({ model: "Qwen/Qwen3-8B" });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A POST whose headers and first half are sent now; `finish` sends the rest. The server holds it in flight. */
async function slowPost(path: string): Promise<{ finish: () => void; answer: Promise<string> }> {
  const socket = await openSocket({ path });
  const answer = readAll(socket, 8_000);
  const half = Math.floor(BODY.length / 2);
  socket.write(`POST /api/v1/estimate HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${BODY.length}\r\n\r\n${BODY.slice(0, half)}`);
  return { finish: () => void socket.write(BODY.slice(half)), answer };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-shutdown-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("close()", () => {
  it("lets a request in flight finish, refuses new connections, removes the socket", async () => {
    const path = join(dir, "agent.sock");
    const server = await startServer(testService({ analyze: fakeAnalyze, estimate: fakeEstimate }), { target: { kind: "unix", path }, warn: () => {} });
    const inFlight = await slowPost(path);
    await sleep(50);
    const closed = server.close();
    await sleep(100);
    await expect(openSocket({ path })).rejects.toThrow(/ECONNREFUSED|ENOENT/);
    inFlight.finish();
    const answer = parseAnswer(await inFlight.answer);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ model: { name: "Qwen/Qwen3-8B" } });
    const started = Date.now();
    await closed;
    expect(Date.now() - started).toBeLessThan(500);
    expect(existsSync(path)).toBe(false);
  });

  it("a client that never finishes is cut after the drain time, so close never hangs", async () => {
    const path = join(dir, "stuck.sock");
    const server = await startServer(testService({ analyze: fakeAnalyze, estimate: fakeEstimate }), { target: { kind: "unix", path }, warn: () => {}, drainMs: 200 });
    const stuck = await slowPost(path);
    await sleep(50);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await stuck.answer).toBe("");
    expect(existsSync(path)).toBe(false);
  });
});

describe("nodefit serve and SIGTERM", () => {
  it("finishes the request in flight, exits 0 within 5 s, removes the unix socket", async () => {
    const path = join(dir, "serve.sock");
    const child = spawn(process.execPath, [MAIN, "serve", "--unix-socket", path, "--machine", FIXTURE_MACHINE, "--log-level", "silent"]);
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    await new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (c: string) => {
        out += c;
        if (out.includes("listening on")) resolve();
      });
      child.once("exit", () => reject(new Error(`serve exited: ${stderr}`)));
    });
    // An idle kept-alive connection must not hold the exit back either.
    const idle = await openSocket({ path });
    const idleAnswer = readAll(idle, 8_000);
    idle.write("GET /health HTTP/1.1\r\nhost: x\r\n\r\n");
    await sleep(100);

    const inFlight = await slowPost(path);
    await sleep(100);
    const signalled = Date.now();
    child.kill("SIGTERM");
    await sleep(200);
    inFlight.finish();
    const answer = parseAnswer(await inFlight.answer);
    expect(answer.status, stderr).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ model: { name: "Qwen/Qwen3-8B" }, fit_level: expect.any(String) });
    expect(await exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(existsSync(path)).toBe(false);
    expect(parseAnswer(await idleAnswer).status).toBe(200);
    expect(stderr).toMatch(/SIGTERM received: closing/);
  });
});
