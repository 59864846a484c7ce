// The dashboard's files through the app (inject), from a built folder the test writes: GET / is the page to a browser
// and the JSON index to API clients, neither the page nor its files need the token (the API does), the page's CSP,
// immutable hashed assets, gzip when asked, 304 on a matching ETag, no path outside the built files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/http/app.js";
import { DASHBOARD_CSP, wantsHtml } from "../../src/http/dashboard.js";
import { SECURITY_HEADERS } from "../../src/http/security-headers.js";
import { testService } from "./support/service.js";

const TOKEN = "t0ken-for-the-dashboard";
const PAGE = '<!doctype html><html lang="en"><head><script type="module" src="/assets/index-abc123.js"></script></head><body></body></html>';
const SCRIPT = `console.log(${JSON.stringify("x".repeat(2000))});`;

let dir: string;
let open: FastifyInstance;
let guarded: FastifyInstance;
let off: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-dashboard-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), PAGE);
  writeFileSync(join(dir, "assets", "index-abc123.js"), SCRIPT);
  writeFileSync(join(dir, "assets", "index-abc123.js.gz"), gzipSync(SCRIPT));
  writeFileSync(join(dir, "secret.txt"), "not served");
  open = buildApp(testService(), { dashboardDir: dir });
  guarded = buildApp(testService(), { dashboardDir: dir, accessToken: TOKEN });
  off = buildApp(testService(), { dashboardDir: null, accessToken: TOKEN });
  await Promise.all([open.ready(), guarded.ready(), off.ready()]);
});

afterAll(async () => {
  await Promise.all([open.close(), guarded.close(), off.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

describe("GET /", () => {
  it("answers the page to a browser, with its CSP, revalidated, varying by Accept", async () => {
    const res = await open.inject({ url: "/", headers: { accept: BROWSER } });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.body).toBe(PAGE);
    expect(res.headers["content-security-policy"]).toBe(DASHBOARD_CSP);
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["vary"]).toBe("Accept, Accept-Encoding");
    for (const k of ["x-content-type-options", "x-frame-options", "referrer-policy"]) expect(res.headers[k]).toBe(SECURITY_HEADERS[k]);
    const again = await open.inject({ url: "/", headers: { accept: BROWSER, "if-none-match": String(res.headers["etag"]) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
  });

  it("keeps the JSON index for API clients", async () => {
    for (const accept of [undefined, "*/*", "application/json", "text/html;q=0"]) {
      const res = await open.inject({ url: "/", headers: accept === undefined ? {} : { accept } });
      expect(res.headers["content-type"], String(accept)).toMatch(/^application\/json/);
      expect(res.json<{ name: string }>().name).toBe("nodefit");
      expect(res.headers["vary"]).toBe("Accept");
      expect(res.headers["cache-control"]).toBe("no-store");
    }
  });

  it("needs no token for the page and its files; the index and the API still do", async () => {
    expect((await guarded.inject({ url: "/", headers: { accept: BROWSER } })).statusCode).toBe(200);
    expect((await guarded.inject("/assets/index-abc123.js")).statusCode).toBe(200);
    expect((await guarded.inject("/")).statusCode).toBe(401);
    expect((await guarded.inject({ url: "/api/v1/system", headers: { accept: BROWSER } })).statusCode).toBe(401);
    expect((await guarded.inject({ url: "/", headers: { accept: "application/json", authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
  });

  it("without a dashboard, / is the guarded JSON index for every client and /assets/ is no route", async () => {
    const res = await off.inject({ url: "/", headers: { accept: BROWSER } });
    expect(res.statusCode).toBe(401);
    expect((await off.inject("/assets/index-abc123.js")).statusCode).toBe(404);
    const signed = await off.inject({ url: "/", headers: { accept: BROWSER, authorization: `Bearer ${TOKEN}` } });
    expect(signed.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("says how to build a dashboard that is not there", async () => {
    const missing = buildApp(testService(), { dashboardDir: join(dir, "nope") });
    const res = await missing.inject({ url: "/", headers: { accept: BROWSER } });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ error: string }>().error).toMatch(/not built .* run npm run build/);
    await missing.close();
  });
});

describe("/assets/", () => {
  it("serves a hashed file immutable, gzipped when the client takes gzip, and HEAD with its length", async () => {
    const plain = await open.inject("/assets/index-abc123.js");
    expect(plain.statusCode).toBe(200);
    expect(plain.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
    const gz = await open.inject({ url: "/assets/index-abc123.js", headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers["vary"]).toBe("Accept-Encoding");
    expect(gz.rawPayload.length).toBeLessThan(SCRIPT.length / 4);
    const head = await open.inject({ method: "HEAD", url: "/assets/index-abc123.js" });
    expect(head.statusCode).toBe(200);
    expect(head.headers["content-length"]).toBe(String(SCRIPT.length));
    expect(head.body).toBe("");
  });

  it("serves nothing else: unknown names, other folders and other methods", async () => {
    for (const url of ["/assets/nope.js", "/assets/../secret.txt", "/assets/%2e%2e%2fsecret.txt", "/assets/..%2Fsecret.txt", "/assets/index-abc123.js.gz"]) {
      const res = await open.inject(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain("not served");
    }
    const post = await open.inject({ method: "POST", url: "/assets/index-abc123.js" });
    expect(post.statusCode).toBe(405);
    expect(post.headers["allow"]).toBe("GET, HEAD");
  });
});

describe("wantsHtml", () => {
  it("is a browser's navigation, not any type or JSON", () => {
    expect(wantsHtml(BROWSER)).toBe(true);
    expect(wantsHtml("text/html")).toBe(true);
    expect(wantsHtml("TEXT/HTML; q=0.5")).toBe(true);
    expect(wantsHtml("text/html;q=0")).toBe(false);
    expect(wantsHtml("*/*")).toBe(false);
    expect(wantsHtml("application/json")).toBe(false);
    expect(wantsHtml(undefined)).toBe(false);
  });
});
