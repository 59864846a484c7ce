// The drain: requests already sent on kept-alive connections (pipelined ones included) when the agent is told to stop
// are all answered, then their connections close; new connections are refused. In-process close() and SIGTERM.
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { startServer } from "../../src/http/server.js";
import { FIXTURE_MACHINE, MAIN } from "../cli/run-cli.js";
import { fakeAnalyze, fakeEstimate } from "../http/support/fake-analysis.js";
import { testService } from "../http/support/service.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Conn {
  socket: Socket;
  /** Everything received so far. */
  text: () => string;
  /** Resolves on close with the error code that ended it, if any. */
  closed: Promise<string | null>;
}

function open(port: number): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let text = "";
    let error: string | null = null;
    socket.setEncoding("utf8");
    socket.on("data", (c: string) => (text += c));
    socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    const closed = new Promise<string | null>((r) => socket.once("close", () => r(error)));
    socket.once("connect", () => resolve({ socket, text: () => text, closed }));
    socket.once("error", reject);
  });
}

const statuses = (text: string): number[] => [...text.matchAll(/HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n/g)].map((m) => Number(m[1]));

const request = (path: string, id: string): string => `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nx-request-id: ${id}\r\n\r\n`;

/** Eight kept-alive connections (each has had one answer), then 32 requests: one on each of four connections, seven
 *  pipelined on each of the other four. Returns the connections and how many answers each had before. */
async function keptAliveConnections(port: number): Promise<Conn[]> {
  const conns = await Promise.all(Array.from({ length: 8 }, () => open(port)));
  for (const c of conns) c.socket.write(request("/health", "warm"));
  const deadline = Date.now() + 5_000;
  while (conns.some((c) => statuses(c.text()).length < 1) && Date.now() < deadline) await sleep(10);
  return conns;
}

function send32(conns: Conn[]): string[][] {
  const paths = ["/api/v1/models/top", "/health", "/api/v1/system", "/api/v1/models?limit=3", "/ready", "/api/v1/models/qwen", "/metrics"];
  return conns.map((c, i) => {
    const ids = Array.from({ length: i < 4 ? 1 : 7 }, (_, j) => `c${i}-r${j}`);
    c.socket.write(ids.map((id, j) => request(paths[j % paths.length]!, id)).join(""));
    return ids;
  });
}

function expectAllAnswered(conns: Conn[], sent: string[][], ended: Array<string | null>): void {
  let answered = 0;
  conns.forEach((c, i) => {
    const text = c.text();
    const got = statuses(text).slice(1); // the warm-up answer first
    expect(got, `connection ${i}: ${text.slice(-300)}`).toEqual(sent[i]!.map(() => expect.any(Number)));
    // /ready may be 503 before the default analysis exists: answered all the same. Everything else is a 200.
    for (const [j, status] of got.entries()) if (!sent[i]![j]!.endsWith("r4")) expect(status, `${sent[i]![j]}`).toBe(200);
    for (const id of sent[i]!) expect(text, id).toContain(`x-request-id: ${id}\r\n`);
    expect(ended[i], `connection ${i} ended by`).toBeNull();
    answered += got.length;
  });
  expect(answered).toBe(32);
}

describe("close() with requests already sent", () => {
  it("answers all 32 (pipelined ones too), none reset, then closes the connections and refuses new ones", async () => {
    const server = await startServer(testService({ analyze: fakeAnalyze, estimate: fakeEstimate }), { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {} });
    const port = Number(new URL(server.address).port);
    const conns = await keptAliveConnections(port);
    const sent = send32(conns);
    // In the same tick: the agent has not read a byte of them yet.
    const started = Date.now();
    const closed = server.close();
    await expect(open(port)).rejects.toThrow(/ECONNREFUSED/);
    const ended = await Promise.all(conns.map((c) => c.closed));
    await closed;
    expectAllAnswered(conns, sent, ended);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("nodefit serve and SIGTERM with requests already sent", () => {
  it("answers all 32, exits 0", async () => {
    const child = spawn(process.execPath, [MAIN, "serve", "--port", "0", "--machine", FIXTURE_MACHINE, "--log-level", "silent"]);
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const address = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (c: string) => {
        out += c;
        const m = /listening on (\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      child.once("exit", () => reject(new Error(`serve exited: ${stderr}`)));
    });
    try {
      const port = Number(new URL(address).port);
      // The first answer of the real analysis takes a moment: have it ready, as a polled agent has.
      const warm = await open(port);
      warm.socket.write(`${request("/api/v1/models/top", "warm-top").slice(0, -2)}connection: close\r\n\r\n`);
      await warm.closed;
      expect(statuses(warm.text())).toEqual([200]);
      const conns = await keptAliveConnections(port);
      // The signal first, the requests right after: they reach the agent's sockets before it acts on the signal.
      child.kill("SIGTERM");
      const sent = send32(conns);
      const ended = await Promise.all(conns.map((c) => c.closed));
      expect(await exited, stderr).toBe(0);
      expectAllAnswered(conns, sent, ended);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
