// Requests Node answers (or drops) by itself: no Host, Expect, CONNECT, bytes that are not HTTP. Each gets a JSON
// `{"error"}` answer with the security headers, whether the app has taken over the socket or not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Listener } from "../../src/http/listener.js";
import { startServer, type RunningServer } from "../../src/http/server.js";
import { SECURITY_HEADERS } from "../../src/http/security-headers.js";
import { openSocket, parseAnswer, rawExchange, readAll } from "../agent/support/raw-http.js";
import { fakeAnalyze, fakeEstimate } from "../http/support/fake-analysis.js";
import { testService } from "../http/support/service.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function expectJsonError(text: string, status: number, error: RegExp): ReturnType<typeof parseAnswer> {
  const answer = parseAnswer(text);
  expect(answer.status, text).toBe(status);
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(answer.headers[k], `${k} in ${text}`).toBe(v);
  expect(answer.headers["x-request-id"], text).toEqual(expect.any(String));
  expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
  expect(answer.headers["content-length"]).toBe(String(Buffer.byteLength(answer.body)));
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body["error"]).toMatch(error);
  return answer;
}

/** The cases every socket of the agent answers the same, app or no app. */
function protocolCases(port: () => number): void {
  it("an HTTP/1.1 request without Host: 400, connection closed", async () => {
    const answer = expectJsonError(await rawExchange({ port: port() }, "GET /health HTTP/1.1\r\n\r\n"), 400, /^missing Host header/);
    expect(answer.headers["connection"]).toBe("close");
  });

  it("HTTP/1.0 needs no Host", async () => {
    const answer = parseAnswer(await rawExchange({ port: port() }, "GET /health HTTP/1.0\r\n\r\n"));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ status: "ok" });
  });

  it("an Expect other than 100-continue: 417", async () => {
    for (const expectation of ["foo", "100-continuex", "200-ok"]) {
      const text = await rawExchange({ port: port() }, `POST /api/v1/estimate HTTP/1.1\r\nhost: localhost\r\nexpect: ${expectation}\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}`);
      expectJsonError(text, 417, /^unsupported Expect header/);
    }
  });

  it("CONNECT: 405, this agent is no proxy", async () => {
    const text = await rawExchange({ port: port() }, "CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n");
    const answer = expectJsonError(text, 405, /^method CONNECT not allowed/);
    expect(answer.headers["allow"]).toBe("GET, HEAD, POST");
  });

  it("bytes that are not HTTP, an unknown method, a smuggling attempt: 400", async () => {
    for (const text of [
      "NOT HTTP AT ALL\r\n\r\n",
      "BREW /pot HTTP/1.1\r\nhost: localhost\r\n\r\n",
      "POST /api/v1/estimate HTTP/1.1\r\nhost: localhost\r\ncontent-length: 4\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
    ])
      expectJsonError(await rawExchange({ port: port() }, text), 400, /^malformed HTTP request$/);
  });
}

describe("the app's socket", () => {
  let server: RunningServer;
  let port = 0;
  beforeAll(async () => {
    server = await startServer(testService({ analyze: fakeAnalyze, estimate: fakeEstimate }), { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {} });
    port = Number(new URL(server.address).port);
  });
  afterAll(async () => {
    await server.close();
  });

  protocolCases(() => port);

  it("Expect: 100-continue: `100 Continue`, then the app's answer once the body is sent", async () => {
    const socket = await openSocket({ port });
    const answer = readAll(socket, 5_000);
    const body = JSON.stringify({ model: "Qwen/Qwen3-8B" });
    socket.write(`POST /api/v1/estimate HTTP/1.1\r\nhost: localhost\r\nexpect: 100-continue\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`);
    let seen = "";
    socket.on("data", (c: string) => (seen += c));
    const deadline = Date.now() + 2_000;
    while (!seen.includes("\r\n\r\n") && Date.now() < deadline) await sleep(5);
    expect(seen).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    socket.write(body);
    const text = await answer;
    const final = parseAnswer(text.slice("HTTP/1.1 100 Continue\r\n\r\n".length));
    expect(final.status).toBe(200);
    expect(JSON.parse(final.body)).toMatchObject({ model: { name: "Qwen/Qwen3-8B" } });
    expect(final.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("Expect: 100-continue on a request refused before its body: the refusal, no 100", async () => {
    const text = await rawExchange({ port }, "POST /nope HTTP/1.1\r\nexpect: 100-continue\r\ncontent-length: 10\r\n\r\n");
    expect(text.startsWith("HTTP/1.1 100")).toBe(false);
    expectJsonError(text, 400, /^missing Host header/);
  });

  it("counts each in the metrics as an unmatched route", async () => {
    const metrics = parseAnswer(await rawExchange({ port }, "GET /metrics HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")).body;
    expect(metrics).toMatch(/^nodefit_http_requests_total\{route="unmatched",method="POST",status="417"\} 3$/m);
    expect(metrics).toMatch(/^nodefit_http_requests_total\{route="unmatched",method="other",status="405"\} 1$/m);
    expect(metrics).toMatch(/^nodefit_http_requests_total\{route="unmatched",method="GET",status="400"\} 1$/m);
  });
});

describe("the listener's socket before the app takes over", () => {
  let listener: Listener;
  let port = 0;
  beforeAll(async () => {
    listener = await Listener.open({ target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {}, identity: { name: "early", os: "linux" } });
    port = Number(new URL(listener.address).port);
  });
  afterAll(async () => {
    await listener.close(0);
  });

  protocolCases(() => port);
});
