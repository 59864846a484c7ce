// The Host allow-list: a token-less agent on loopback answers only loopback names, IP addresses and the names it is
// given, so a DNS-rebinding page (whose requests carry its own name) reads nothing; --allowed-host,
// NODEFIT_ALLOWED_HOSTS and the config file's allowed_hosts widen it, `*` turns it off; a token or a non-loopback address leaves it off unless names are given.
import type { FastifyInstance } from "fastify";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Settings } from "../../src/cli/settings.js";
import { startAgent } from "../../src/http/agent.js";
import { hostAllowed, hostPolicy, type HostPolicy } from "../../src/http/allowed-hosts.js";
import { buildApp } from "../../src/http/app.js";
import { Listener } from "../../src/http/listener.js";
import { startServer } from "../../src/http/server.js";
import { SECURITY_HEADERS } from "../../src/http/security-headers.js";
import { parseAnswer, rawExchange } from "../agent/support/raw-http.js";
import { startAgentProcess, timedGet } from "../http/support/agent-process.js";
import { fakeAnalyze, fakeEstimate } from "../http/support/fake-analysis.js";
import { testService } from "../http/support/service.js";

const fastService = () => testService({ analyze: fakeAnalyze, estimate: fakeEstimate });
const LOOPBACK = { kind: "tcp", host: "127.0.0.1", port: 8787 } as const;
const loopbackPolicy = (allowed: string[] = []): HostPolicy => hostPolicy({ target: LOOPBACK, tokenSet: false, allowed })!;

const get = async (port: number, path: string, host: string, headers = ""): Promise<ReturnType<typeof parseAnswer>> =>
  parseAnswer(await rawExchange({ port }, `GET ${path} HTTP/1.1\r\nhost: ${host}\r\nconnection: close\r\n${headers}\r\n`));

describe("hostPolicy: when the check is on", () => {
  it("on for a loopback address without a token; off with a token, on a unix socket, off a loopback address, or with *", () => {
    expect(hostPolicy({ target: LOOPBACK, tokenSet: false, allowed: [] })).not.toBeNull();
    expect(hostPolicy({ target: { kind: "tcp", host: "localhost", port: 0 }, tokenSet: false, allowed: [] })).not.toBeNull();
    expect(hostPolicy({ target: { kind: "tcp", host: "::1", port: 0 }, tokenSet: false, allowed: [] })).not.toBeNull();
    expect(hostPolicy({ target: LOOPBACK, tokenSet: true, allowed: [] })).toBeNull();
    expect(hostPolicy({ target: { kind: "unix", path: "/run/n.sock" }, tokenSet: false, allowed: ["a.internal"] })).toBeNull();
    expect(hostPolicy({ target: { kind: "tcp", host: "0.0.0.0", port: 0 }, tokenSet: false, allowed: [] })).toBeNull();
    expect(hostPolicy({ target: LOOPBACK, tokenSet: false, allowed: ["*"] })).toBeNull();
    expect(hostPolicy({ target: LOOPBACK, tokenSet: false, allowed: ["a.internal, *"] })).toBeNull();
  });

  it("names given turn it on anywhere, a token or not", () => {
    expect(hostPolicy({ target: { kind: "tcp", host: "0.0.0.0", port: 0 }, tokenSet: false, allowed: ["a.internal"] })?.names).toEqual(new Set(["a.internal"]));
    expect(hostPolicy({ target: LOOPBACK, tokenSet: true, allowed: ["a.internal"] })).not.toBeNull();
  });

  it("values: comma-separated, repeatable, a port ignored, .suffix for a domain; anything else refused", () => {
    const p = hostPolicy({ target: LOOPBACK, tokenSet: false, allowed: [" A.internal:8787, b.internal ", "[fd00::1]", ".Example.com"] })!;
    expect(p.names).toEqual(new Set(["a.internal", "b.internal", "fd00::1"]));
    expect(p.suffixes).toEqual(["example.com"]);
    for (const bad of ["http://a.internal", "a.internal/x", "user@a.internal", "a b", ".10.0.0.1", "a.internal:http", "[::1"])
      expect(() => hostPolicy({ target: LOOPBACK, tokenSet: false, allowed: [bad] }), bad).toThrow(/^invalid allowed-host value/);
  });
});

describe("hostAllowed", () => {
  it("loopback names and IP addresses, with or without port; no Host (HTTP/1.0)", () => {
    const p = loopbackPolicy();
    for (const host of ["localhost", "localhost:8787", "LOCALHOST.", "app.localhost:3000", "127.0.0.1", "127.0.0.1:8787", "127.9.9.9", "[::1]", "[::1]:8787", "10.0.0.5:8787", "[fe80::1]:80", undefined])
      expect(hostAllowed(p, host), String(host)).toBe(true);
  });

  it("any other name, and anything that is not a host: refused", () => {
    const p = loopbackPolicy();
    for (const host of ["evil.example", "evil.example:8787", "localhost.evil.example", "127.0.0.1.nip.io", "", " ", "a b", "x@localhost", "localhost:port", "[::1", "localhost/x"])
      expect(hostAllowed(p, host), host).toBe(false);
  });

  it("names and suffixes given", () => {
    const p = loopbackPolicy(["nodefit.internal", ".example.com"]);
    for (const host of ["nodefit.internal", "NODEFIT.internal:9000", "example.com", "a.b.example.com:443"]) expect(hostAllowed(p, host), host).toBe(true);
    for (const host of ["other.internal", "badexample.com", "example.com.evil"]) expect(hostAllowed(p, host), host).toBe(false);
  });

  it("no policy: everything", () => {
    expect(hostAllowed(null, "evil.example")).toBe(true);
  });
});

describe("the app (inject)", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildApp(fastService(), { hostPolicy: loopbackPolicy() });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it("a foreign Host: 403 JSON with the security headers, naming the fix, on every route (the probes too)", async () => {
    for (const url of ["/health", "/ready", "/api/v1/system", "/api/v1/models/top", "/nope", "/metrics"]) {
      const res = await app.inject({ url, headers: { host: "evil.example:8787" } });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toEqual({
        error:
          'host "evil.example" is not allowed (this agent answers only the names it is given, against DNS rebinding): start the agent with --allowed-host evil.example (or NODEFIT_ALLOWED_HOSTS=evil.example, or allowed_hosts in its config file), or set an access token',
      });
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(res.headers[k], k).toBe(v);
      expect(res.headers["x-request-id"]).toEqual(expect.any(String));
    }
    const post = await app.inject({ method: "POST", url: "/api/v1/estimate", headers: { host: "evil.example" }, payload: { model: "Qwen/Qwen3-8B" } });
    expect(post.statusCode).toBe(403);
    const garbage = await app.inject({ url: "/health", headers: { host: "a b" } });
    expect(garbage.statusCode).toBe(403);
    expect(garbage.json().error).toMatch(/^this Host header is not allowed/);
  });

  it("loopback names and addresses: answered", async () => {
    for (const host of ["localhost", "localhost:8787", "127.0.0.1:8787", "[::1]:8787"]) {
      const res = await app.inject({ url: "/api/v1/models/top", headers: { host } });
      expect(res.statusCode, host).toBe(200);
    }
  });

  it("with a name given: that name is answered, the hint says where to add others", async () => {
    const named = buildApp(fastService(), { hostPolicy: loopbackPolicy(["nodefit.internal"]) });
    try {
      expect((await named.inject({ url: "/api/v1/system", headers: { host: "nodefit.internal" } })).statusCode).toBe(200);
      const other = await named.inject({ url: "/api/v1/system", headers: { host: "other.internal" } });
      expect(other.statusCode).toBe(403);
      expect(other.json().error).toMatch(/: add other\.internal to --allowed-host \(or NODEFIT_ALLOWED_HOSTS, or allowed_hosts in the config file\)$/);
    } finally {
      await named.close();
    }
  });
});

describe("on a real socket", () => {
  it("startServer on loopback without a token: a rebinding page's Host is refused, loopback names are answered", async () => {
    const server = await startServer(fastService(), { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {} });
    const port = Number(new URL(server.address).port);
    try {
      const refused = await get(port, "/api/v1/models/top", `evil.example:${port}`);
      expect(refused.status).toBe(403);
      expect(refused.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(refused.headers["x-frame-options"]).toBe("DENY");
      expect(JSON.parse(refused.body).error).toMatch(/--allowed-host evil\.example/);
      expect((await get(port, "/api/v1/models/top", `localhost:${port}`)).status).toBe(200);
      expect((await get(port, "/health", `127.0.0.1:${port}`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("with a token the check is off (the token guards); names given turn it back on", async () => {
    const guarded = await startServer(fastService(), { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {}, accessToken: "s3cret" });
    let port = Number(new URL(guarded.address).port);
    try {
      expect((await get(port, "/health", "evil.example")).status).toBe(200);
      expect((await get(port, "/api/v1/system", "evil.example")).status).toBe(401);
      expect((await get(port, "/api/v1/system", "evil.example", "authorization: Bearer s3cret\r\n")).status).toBe(200);
    } finally {
      await guarded.close();
    }
    const named = await startServer(fastService(), { target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {}, accessToken: "s3cret", allowedHosts: ["dash.internal"] });
    port = Number(new URL(named.address).port);
    try {
      expect((await get(port, "/health", "dash.internal")).status).toBe(200);
      expect((await get(port, "/health", "evil.example")).status).toBe(403);
    } finally {
      await named.close();
    }
  });

  it("the listener refuses a foreign Host before the app has loaded", async () => {
    const listener = await Listener.open({ target: { kind: "tcp", host: "127.0.0.1", port: 0 }, warn: () => {}, identity: { name: "early", os: "linux" }, hostPolicy: loopbackPolicy() });
    const port = Number(new URL(listener.address).port);
    try {
      const refused = await get(port, "/health", "evil.example");
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body).error).toMatch(/^host "evil\.example" is not allowed/);
      expect(refused.headers["x-content-type-options"]).toBe("nosniff");
      expect((await get(port, "/health", "localhost")).status).toBe(200);
    } finally {
      await listener.close(0);
    }
  });
});

describe("startAgent: NODEFIT_ALLOWED_HOSTS and --allowed-host", () => {
  // As serve starts it: the settings resolve the names (flags, then the environment), the agent takes them parsed.
  const agentWith = async (allowedHost: string[] | undefined, env: Record<string, string>) =>
    startAgent({
      listen: { kind: "tcp", host: null, port: 0 },
      token: null,
      cors: null,
      allowedHosts: new Settings({ flags: { allowedHost }, env }).allowedHosts().value,
      logLevel: "silent",
      logStream: new Writable({ write: (_c, _e, done) => done() }),
      log: () => {},
      identity: { name: "agent", os: "linux" },
      onListening: () => {},
      openService: async () => fastService(),
    });

  it("the environment names hosts; a flag replaces it", async () => {
    const fromEnv = await agentWith(undefined, { NODEFIT_ALLOWED_HOSTS: "dash.internal,ops.internal" });
    let port = Number(new URL(fromEnv.address).port);
    try {
      expect((await get(port, "/api/v1/system", "ops.internal")).status).toBe(200);
      expect((await get(port, "/api/v1/system", "flag.internal")).status).toBe(403);
    } finally {
      await fromEnv.close();
    }
    const fromFlag = await agentWith(["flag.internal"], { NODEFIT_ALLOWED_HOSTS: "dash.internal" });
    port = Number(new URL(fromFlag.address).port);
    try {
      expect((await get(port, "/api/v1/system", "flag.internal")).status).toBe(200);
      expect((await get(port, "/api/v1/system", "dash.internal")).status).toBe(403);
    } finally {
      await fromFlag.close();
    }
  });

  it("a bad value is refused before anything binds", async () => {
    await expect(agentWith(["http://dash.internal"], {})).rejects.toThrow(/^invalid allowed-host value "http:\/\/dash.internal"/);
    await expect(agentWith(undefined, { NODEFIT_ALLOWED_HOSTS: "dash.internal,a b" })).rejects.toThrow(/^invalid NODEFIT_ALLOWED_HOSTS value "a b"/);
  });
});

describe.runIf(process.platform === "linux")("nodefit serve --allowed-host", () => {
  it("repeatable and comma-separated; other names refused", async () => {
    const agent = await startAgentProcess(["--allowed-host", "a.internal,b.internal", "--allowed-host", "c.internal"]);
    try {
      for (const host of ["a.internal", "b.internal:8787", "c.internal", "localhost", "127.0.0.1"]) expect((await timedGet(agent.port, "/health", host)).status, host).toBe(200);
      const refused = await timedGet(agent.port, "/health", "d.internal");
      expect(refused.status).toBe(403);
      expect(JSON.parse(refused.body).error).toMatch(/add d\.internal to --allowed-host/);
    } finally {
      expect(await agent.stop()).toBe(0);
    }
  });
});
