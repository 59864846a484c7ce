// Safety by default: security headers everywhere, the access token and where it comes from, CORS, limits, timeouts.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance, InjectOptions } from "fastify";
import { Settings, type SettingFlags } from "../../src/cli/settings.js";
import { resolveAccessToken } from "../../src/http/access-token.js";
import { buildApp } from "../../src/http/app.js";
import { corsPolicy } from "../../src/http/cors.js";
import { startServer } from "../../src/http/server.js";
import { SECURITY_HEADERS } from "../../src/http/security-headers.js";
import { fakeAnalyze, fakeEstimate } from "../http/support/fake-analysis.js";
import { testService, whenReady } from "../http/support/service.js";
import { openSocket, parseAnswer, rawExchange, readAll } from "./support/raw-http.js";

const fastService = () => testService({ analyze: fakeAnalyze, estimate: fakeEstimate });

const expectSecurityHeaders = (headers: Record<string, unknown>, label: string): void => {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(headers[k], `${label}: ${k}`).toBe(v);
  expect(headers["x-request-id"], label).toEqual(expect.any(String));
};

describe("security headers", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildApp(fastService(), { accessToken: "s3cret" });
    await app.ready();
    await whenReady(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it("on answers and on every kind of error", async () => {
    const auth = { authorization: "Bearer s3cret" };
    const cases: Array<[string, InjectOptions, number]> = [
      ["200", { url: "/api/v1/models/top", headers: auth }, 200],
      ["health", { url: "/health" }, 200],
      ["metrics", { url: "/metrics", headers: auth }, 200],
      ["400", { url: "/api/v1/models?sort=name", headers: auth }, 400],
      ["401", { url: "/api/v1/system" }, 401],
      ["404", { url: "/nope" }, 404],
      ["405", { method: "DELETE", url: "/api/v1/system" }, 405],
      ["413 url", { url: `/api/v1/models?search=${"x".repeat(9000)}`, headers: auth }, 413],
      ["413 body", { method: "POST", url: "/api/v1/estimate", headers: { ...auth, "content-type": "application/json" }, payload: JSON.stringify({ model: "x".repeat(70_000) }) }, 413],
      ["415", { method: "POST", url: "/api/v1/estimate", headers: { ...auth, "content-type": "text/plain" }, payload: "x" }, 415],
      ["bad URL", { url: "/api/v1/models/%ZZ", headers: auth }, 400],
    ];
    for (const [label, request, status] of cases) {
      const res = await app.inject(request);
      expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBe(status);
      expectSecurityHeaders(res.headers, label);
      if (status >= 400) {
        expect(res.headers["content-type"], label).toMatch(/^application\/json/);
        expect(Object.keys(res.json()), label).toEqual(["error"]);
      }
    }
  });

  it("5xx answers say `server error: ...` and carry no internals", async () => {
    const broken = buildApp(
      testService({
        analyze: () => {
          throw new Error("ENOENT: /home/agent/secret/catalog.json at Object.readFileSync (node:fs:441:20)");
        },
      }),
    );
    try {
      const res = await broken.inject("/api/v1/models/top");
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: "server error: internal" });
      expectSecurityHeaders(res.headers, "500");
    } finally {
      await broken.close();
    }
  });
});

describe("access token", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = buildApp(fastService(), { accessToken: "s3cret" });
    await app.ready();
    await whenReady(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it("guards every route but /health and /ready", async () => {
    for (const url of ["/health", "/ready"]) expect((await app.inject(url)).statusCode, url).toBe(200);
    for (const url of ["/", "/metrics", "/api/v1/openapi.json", "/api/v1/system", "/api/v1/models", "/api/v1/models/top", "/api/v1/models/qwen"]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(401);
      expect(res.headers["www-authenticate"]).toBe('Bearer realm="nodefit"');
      expect((await app.inject({ url, headers: { authorization: "Bearer s3cret" } })).statusCode, url).toBe(200);
      expect((await app.inject({ url, headers: { authorization: "bearer  s3cret " } })).statusCode, url).toBe(200);
    }
    const post = await app.inject({ method: "POST", url: "/api/v1/estimate", payload: { model: "Qwen/Qwen3-8B" } });
    expect(post.statusCode).toBe(401);
  });

  it("rejects near misses", async () => {
    for (const authorization of ["Bearer s3cre", "Bearer s3cret2", "Basic s3cret", "s3cret", "Bearer", "Bearer S3CRET", ""]) {
      const res = await app.inject({ url: "/api/v1/system", headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  describe("where it comes from", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "nodefit-token-"));
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    const file = (name: string, text: string, mode = 0o600): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      chmodSync(p, mode);
      return p;
    };

    /** The token as serve gets it: chosen by the settings (flags, then the environment), then read. */
    const tokenOf = async (flags: SettingFlags, env: Record<string, string> = {}) => resolveAccessToken(new Settings({ flags, env }).token().value);

    it("a file, trimmed; the environment; a flag with a warning; none", async () => {
      expect(await tokenOf({ tokenFile: file("t", "abc123\n") })).toEqual({ token: "abc123", warnings: [] });
      expect(await tokenOf({}, { NODEFIT_TOKEN_FILE: file("t2", "  xyz \n") })).toEqual({ token: "xyz", warnings: [] });
      expect(await tokenOf({}, { NODEFIT_TOKEN: "envtok" })).toEqual({ token: "envtok", warnings: [] });
      const flag = await tokenOf({ token: "flagtok" }, { NODEFIT_TOKEN: "envtok" });
      expect(flag.token).toBe("flagtok");
      expect(flag.warnings[0]).toMatch(/process list/);
      expect(await tokenOf({}, { NODEFIT_TOKEN: "" })).toEqual({ token: null, warnings: [] });
      expect(await tokenOf({}, { NODEFIT_TOKEN: "  " })).toEqual({ token: null, warnings: [] });
      const shared = await tokenOf({ tokenFile: file("shared", "tok", 0o644) });
      expect(shared.warnings[0]).toMatch(/may be read by other users \(mode 644\)/);
    });

    it("errors a person can act on", async () => {
      await expect(tokenOf({ token: "a", tokenFile: "/x" })).rejects.toMatchObject({ code: "invalid_argument", message: "--token and --token-file cannot be combined: give one" });
      await expect(tokenOf({}, { NODEFIT_TOKEN: "a", NODEFIT_TOKEN_FILE: "/x" })).rejects.toMatchObject({ code: "invalid_argument" });
      await expect(resolveAccessToken({ kind: "file", path: file("empty", "\n") })).rejects.toThrow(/is empty/);
      await expect(resolveAccessToken({ kind: "file", path: file("two", "a\nb\n") })).rejects.toThrow(/several lines/);
      await expect(resolveAccessToken({ kind: "file", path: join(dir, "missing") })).rejects.toThrow(/cannot read the token file/);
    });
  });
});

describe("CORS", () => {
  it("off by default: no Access-Control header, OPTIONS is a 405", async () => {
    const app = buildApp(fastService());
    try {
      const res = await app.inject({ url: "/api/v1/models/top", headers: { origin: "https://dash.example.com" } });
      expect(Object.keys(res.headers).filter((h) => h.startsWith("access-control"))).toEqual([]);
      const pre = await app.inject({ method: "OPTIONS", url: "/api/v1/models/top", headers: { origin: "https://dash.example.com", "access-control-request-method": "GET" } });
      expect(pre.statusCode).toBe(405);
    } finally {
      await app.close();
    }
  });

  it("listed origins may read answers and get a preflight answer without the token; others get nothing", async () => {
    const app = buildApp(fastService(), { cors: corsPolicy(["https://dash.example.com, http://localhost:3000"]), accessToken: "s3cret" });
    try {
      const pre = await app.inject({
        method: "OPTIONS",
        url: "/api/v1/estimate",
        headers: { origin: "https://dash.example.com", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
      });
      expect(pre.statusCode).toBe(204);
      expect(pre.headers).toMatchObject({
        "access-control-allow-origin": "https://dash.example.com",
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "authorization, content-type",
        vary: "Origin",
      });
      const get = await app.inject({ url: "/api/v1/system", headers: { origin: "http://localhost:3000", authorization: "Bearer s3cret" } });
      expect(get.statusCode).toBe(200);
      expect(get.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
      const denied401 = await app.inject({ url: "/api/v1/system", headers: { origin: "http://localhost:3000" } });
      expect(denied401.statusCode).toBe(401);
      expect(denied401.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
      const other = await app.inject({ url: "/api/v1/system", headers: { origin: "https://evil.example", authorization: "Bearer s3cret" } });
      expect(other.headers["access-control-allow-origin"]).toBeUndefined();
      const otherPre = await app.inject({ method: "OPTIONS", url: "/api/v1/system", headers: { origin: "https://evil.example", "access-control-request-method": "GET" } });
      expect(otherPre.statusCode).toBe(405);
    } finally {
      await app.close();
    }
  });

  it("`*` answers any origin with *", async () => {
    const app = buildApp(fastService(), { cors: corsPolicy(["*"]) });
    try {
      const res = await app.inject({ url: "/health", headers: { origin: "https://anything.example" } });
      expect(res.headers["access-control-allow-origin"]).toBe("*");
      expect(res.headers["vary"]).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it("origins are validated", () => {
    expect(corsPolicy([])).toBeNull();
    expect(corsPolicy([" , "])).toBeNull();
    expect(corsPolicy(["https://A.example.com:443"])?.origins).toEqual(new Set(["https://a.example.com"]));
    for (const bad of ["dash.example.com", "ftp://x.example", "https://x.example/path", "https://user@x.example", "https://x.example?q=1"])
      expect(() => corsPolicy([bad]), bad).toThrow(/invalid cors-origin value/);
  });
});

describe("limits and timeouts on a real socket", () => {
  it("oversized headers: 431 JSON; a slow client: 408 JSON, within the timeouts", async () => {
    const server = await startServer(fastService(), {
      target: { kind: "tcp", host: "127.0.0.1", port: 0 },
      warn: () => {},
      maxHeaderBytes: 4096,
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
    });
    const port = Number(new URL(server.address).port);
    try {
      const big = parseAnswer(await rawExchange({ port }, `GET /health HTTP/1.1\r\nhost: x\r\nx-big: ${"a".repeat(5000)}\r\n\r\n`));
      expect(big.status).toBe(431);
      expect(JSON.parse(big.body)).toEqual({ error: "request line and headers are too large: send at most 4096 bytes" });
      expect(big.headers["x-content-type-options"]).toBe("nosniff");

      const started = Date.now();
      const socket = await openSocket({ port });
      const answer = readAll(socket, 5_000);
      socket.write("GET /health HTTP/1.1\r\nhost: x\r\n"); // and never the blank line
      const slow = parseAnswer(await answer);
      expect(slow.status).toBe(408);
      expect(JSON.parse(slow.body)).toEqual({ error: expect.stringMatching(/^request timed out/) });
      expect(Date.now() - started).toBeLessThan(2_500);

      const garbage = parseAnswer(await rawExchange({ port }, "NOT HTTP AT ALL\r\n\r\n"));
      expect(garbage.status).toBe(400);
      expect(JSON.parse(garbage.body)).toEqual({ error: "malformed HTTP request" });
    } finally {
      await server.close();
    }
  });

  it("a loud warning when reachable from other machines without a token (or with CORS * and no token)", async () => {
    const warnings: string[] = [];
    const open = await startServer(fastService(), { target: { kind: "tcp", host: "0.0.0.0", port: 0 }, warn: (m) => warnings.push(m), cors: corsPolicy(["*"]) });
    await open.close();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^WARNING: listening on 0\.0\.0\.0, reachable from other machines, without an access token/);
    expect(warnings[1]).toMatch(/^WARNING: --cors-origin \*/);
    const quiet: string[] = [];
    const guarded = await startServer(fastService(), { target: { kind: "tcp", host: "0.0.0.0", port: 0 }, warn: (m) => quiet.push(m), accessToken: "t" });
    await guarded.close();
    expect(quiet).toEqual([]);
  });
});
