import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { NodefitError } from "../../src/domain/errors.js";
import { errorReply } from "../../src/http/error-reply.js";
import { testService } from "./support/service.js";

describe("5xx answers hide details", () => {
  it("an unexpected error is 'server error: internal', never a stack", async () => {
    const app = buildApp(
      testService({
        analyze: () => {
          throw new TypeError("cannot read properties of undefined (reading 'secret')");
        },
      }),
    );
    const res = await app.inject({ method: "GET", url: "/api/v1/models" });
    expect(res.statusCode).toBe(500);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ error: "server error: internal" });
    await app.close();
  });

  it("a failed first hardware scan is a 503 naming the failure", async () => {
    const app = buildApp(testService({ source: { initial: () => Promise.reject(new Error("probe timed out")), refresh: null } }));
    const res = await app.inject({ method: "GET", url: "/api/v1/system" });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: "server error: hardware scan failed: probe timed out" });
    expect((await app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
    await app.close();
  });

  it("maps every code once", () => {
    expect(errorReply(new NodefitError("invalid_argument", "bad"))).toEqual({ status: 400, body: { error: "bad" } });
    expect(errorReply(new NodefitError("model_not_found", "none"))).toEqual({ status: 404, body: { error: "none" } });
    expect(errorReply(new NodefitError("internal", "secret"))).toEqual({ status: 500, body: { error: "server error: internal" } });
    expect(errorReply("a string")).toEqual({ status: 500, body: { error: "server error: internal" } });
    expect(errorReply({ statusCode: 418, message: "short and stout" })).toEqual({ status: 418, body: { error: "short and stout" } });
  });
});

describe("access token", () => {
  it("guards every route but /health", async () => {
    const app = buildApp(testService(), { accessToken: "s3cret" });
    expect((await app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
    const denied = await app.inject({ method: "GET", url: "/api/v1/models/top" });
    expect(denied.statusCode).toBe(401);
    expect(denied.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(denied.json()).toEqual({ error: expect.stringContaining("access token") });
    const wrong = await app.inject({ method: "GET", url: "/api/v1/system", headers: { authorization: "Bearer nope" } });
    expect(wrong.statusCode).toBe(401);
    const ok = await app.inject({ method: "GET", url: "/api/v1/system", headers: { authorization: "Bearer s3cret" } });
    expect(ok.statusCode).toBe(200);
    await app.close();
  });
});
