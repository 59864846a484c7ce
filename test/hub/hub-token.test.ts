// Gated and private repositories: a Hugging Face token is sent to the Hub's own origin alone (never to the CDN a file
// is redirected to), a missing or refused token is said in words, and the CLI's settings find the token where people
// keep it, while the agent takes only the one set for it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Settings } from "../../src/cli/settings.js";
import { HubClient } from "../../src/hub/client.js";
import { HubModels, type HubLookup } from "../../src/hub/hub.js";
import { fsHubCache } from "../../src/hub/real-io.js";
import { hubSettings, hubToken, hubTokenFile } from "../../src/hub/settings.js";
import { writeTinyGguf } from "../support/gguf-writer.js";
import { startTestHub, type TestHub } from "../support/hub-server.js";

const TOKEN = "hf_testtoken0123456789abcdefghijklmn";
let dir = "";
let hub: TestHub;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-hub-token-"));
  const gguf = writeTinyGguf(join(dir, "tiny-Q4_0.gguf"), "Gated Tiny");
  hub = await startTestHub({
    "test-org/Gated-Tiny-GGUF": { files: { "tiny-Q4_0.gguf": { path: gguf } }, token: TOKEN, cdn: true },
  });
});

afterAll(async () => {
  await hub?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const lookup = (token: string | null, cacheDir: string | null = null): Promise<HubLookup | null> =>
  new HubModels(
    { ...hubSettings({ NODEFIT_HUB_URL: hub.url }), cacheDir, timeoutMs: 3000, token },
    { fetch: (url, init) => fetch(url, init), cache: cacheDir === null ? null : fsHubCache(cacheDir), now: () => Date.parse("2026-01-01T00:00:00Z") },
  ).lookup("test-org/Gated-Tiny-GGUF");

/** A client against a Hub answered by `answer` (url, headers -> Response), recording what each request carried. */
function fakeHub(baseUrl: string, token: string, answer: (url: string) => Response) {
  const seen: Array<{ url: string; authorization: string | null }> = [];
  const client = new HubClient({
    baseUrl,
    timeoutMs: 1000,
    token,
    fetch: async (url, init) => {
      seen.push({ url, authorization: init.headers?.["authorization"] ?? null });
      return answer(url);
    },
  });
  return { client, seen };
}

describe("a gated repository", () => {
  it("without a token: refused, and the answer says how to give one", async () => {
    const r = await lookup(null);
    expect(r && "failure" in r ? r.failure.reason : r).toContain("a gated or private repository: give nodefit a Hugging Face token with access to it (HF_TOKEN, or huggingface-cli login)");
  });

  it("with a token the Hub refuses: said so", async () => {
    const r = await lookup("hf_not_the_right_one");
    expect(r && "failure" in r ? r.failure.reason : r).toContain("a gated or private repository the token given has no access to");
  });

  it("with its token: read, the token sent to the Hub and never to the CDN its file is redirected to", async () => {
    hub.requests.length = 0;
    const r = await lookup(TOKEN);
    expect(r && "found" in r ? r.found.model.architecture.layers : r).toBe(4);
    const onHub = hub.requests.filter((q) => !q.url.startsWith("/cdn/"));
    const onCdn = hub.requests.filter((q) => q.url.startsWith("/cdn/"));
    expect(onHub.length).toBeGreaterThan(1);
    expect(onCdn.length).toBeGreaterThan(0);
    expect(onHub.every((q) => q.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(onCdn.every((q) => q.authorization === null)).toBe(true);
  });
});

describe("the token stays the Hub's", () => {
  it("an answer read with a token is never served from the shared disk cache to a lookup without one", async () => {
    const cache = join(dir, "shared-cache");
    expect(await lookup(TOKEN, cache)).toMatchObject({ found: expect.anything() });
    hub.requests.length = 0;
    const agent = await lookup(null, cache);
    expect(agent && "failure" in agent ? agent.failure.reason : agent).toContain("a gated or private repository");
    expect(hub.requests.length).toBeGreaterThan(0);
    // With the token again: from the cache, no request.
    hub.requests.length = 0;
    expect(await lookup(TOKEN, cache)).toMatchObject({ found: expect.anything() });
    expect(hub.requests).toEqual([]);
  });

  it("is never sent in clear text to a Hub over plain http on another host, and the refusal says why", async () => {
    const { client, seen } = fakeHub("http://mirror.example", TOKEN, () => new Response("{}", { status: 401 }));
    await expect(client.request("http://mirror.example/api/models/a/b")).rejects.toThrow("401, a gated or private repository: the token is sent over https alone, and http://mirror.example is plain http");
    expect(seen.map((s) => s.authorization)).toEqual([null]);
  });

  it("a refusal where the token did not go (the CDN's signed URL) is the download's, not the token's; https never drops to http", async () => {
    const cdn = fakeHub("https://hub.example", TOKEN, (url) =>
      url.startsWith("https://hub.example") ? new Response(null, { status: 302, headers: { location: "https://cdn.example/signed?x=1" } }) : new Response("expired", { status: 403 }),
    );
    await expect(cdn.client.request("https://hub.example/a/b/resolve/main/f.gguf")).rejects.toThrow("403, the download was refused where it was redirected");
    expect(cdn.seen.map((s) => [new URL(s.url).host, s.authorization])).toEqual([["hub.example", `Bearer ${TOKEN}`], ["cdn.example", null]]);
    const plain = fakeHub("https://hub.example", TOKEN, () => new Response(null, { status: 302, headers: { location: "http://cdn.example/f" } }));
    await expect(plain.client.request("https://hub.example/a/b/resolve/main/f.gguf")).rejects.toThrow("a redirect from https to plain http");
    expect(plain.seen).toHaveLength(1);
  });
});

describe("where the token comes from", () => {
  it("a token is one word of printable characters; the error never echoes it", () => {
    expect(hubToken("  hf_abc \n", "HF_TOKEN")).toBe("hf_abc");
    expect(hubToken("", "HF_TOKEN")).toBeNull();
    expect(() => hubToken("hf_a b", "HF_TOKEN")).toThrow(/^invalid HF_TOKEN: a Hugging Face token is one word/);
    expect(() => hubToken("hf_secret\nline2", "HF_TOKEN")).toThrow(expect.objectContaining({ message: expect.not.stringContaining("hf_secret") }));
  });

  it("the login file as huggingface_hub finds it: HF_TOKEN_PATH, else HF_HOME/token, else XDG_CACHE_HOME's or ~/.cache's huggingface/token", () => {
    expect(hubTokenFile({ HF_TOKEN_PATH: "/t/tok" }, "/home/a", "linux")).toBe("/t/tok");
    expect(hubTokenFile({ HF_HOME: "/hf" }, "/home/a", "linux")).toBe("/hf/token");
    expect(hubTokenFile({ XDG_CACHE_HOME: "/xdg" }, "/home/a", "linux")).toBe("/xdg/huggingface/token");
    expect(hubTokenFile({}, "/home/a", "linux")).toBe("/home/a/.cache/huggingface/token");
    expect(hubTokenFile({}, null, "linux")).toBeNull();
  });

  it("the CLI: NODEFIT_HUB_TOKEN, then HF_TOKEN, then the login file; none is no token", () => {
    const home = join(dir, "home");
    mkdirSync(join(home, ".cache", "huggingface"), { recursive: true });
    const hub = (env: Record<string, string>) => new Settings({ flags: {}, env: { HOME: home, ...env } }).hub().token;
    expect(hub({})).toBeNull();
    writeFileSync(join(home, ".cache", "huggingface", "token"), "hf_from_login\n", { mode: 0o600 });
    expect(hub({})).toBe("hf_from_login");
    expect(hub({ HF_TOKEN: "hf_from_env" })).toBe("hf_from_env");
    expect(hub({ HF_TOKEN: "hf_from_env", NODEFIT_HUB_TOKEN: "hf_for_nodefit" })).toBe("hf_for_nodefit");
  });

  it("another program's bad token or unreadable login file is passed over with a note, never a failed command; nodefit's own is refused", () => {
    const home = join(dir, "home-bad");
    mkdirSync(join(home, ".cache", "huggingface", "token"), { recursive: true }); // a folder where the file should be
    const settings = (env: Record<string, string>) => new Settings({ flags: {}, env: { HOME: home, ...env } });
    const unreadable = settings({}).hub();
    expect(unreadable.token).toBeNull();
    expect(unreadable.tokenAdvice).toMatch(/^HF_TOKEN, or huggingface-cli login; the login file was passed over: cannot read the token file .*: a directory, not a regular file$/);
    expect(settings({ HF_TOKEN: "hf bad" }).hub().tokenAdvice).toContain("HF_TOKEN passed over: invalid HF_TOKEN");
    expect(() => settings({ NODEFIT_HUB_TOKEN: "hf bad" }).hub()).toThrow(/^invalid NODEFIT_HUB_TOKEN/);
    // Hugging Face's switch against implicit tokens: HF_TOKEN and the file unused, NODEFIT_HUB_TOKEN still taken.
    expect(settings({ HF_TOKEN: "hf_x", HF_HUB_DISABLE_IMPLICIT_TOKEN: "1" }).hub().token).toBeNull();
    expect(settings({ NODEFIT_HUB_TOKEN: "hf_y", HF_HUB_DISABLE_IMPLICIT_TOKEN: "1" }).hub().token).toBe("hf_y");
    // Offline, no token is looked for.
    expect(settings({ HF_TOKEN: "hf_x", NODEFIT_OFFLINE: "1" }).hub().token).toBeNull();
  });

  it("nodefit config says whether a token is set and where from, never the token", () => {
    const home = join(dir, "home");
    const report = (env: Record<string, string>) => new Settings({ flags: {}, env: { HOME: home, ...env } }).describe().hub_token;
    expect(report({ HF_TOKEN: "hf_from_env" })).toEqual({ value: "set", source: "env", from: "HF_TOKEN" });
    expect(report({})).toEqual({ value: "set", source: "default", from: join(home, ".cache", "huggingface", "token") });
    expect(report({ HF_TOKEN_PATH: join(dir, "nowhere") })).toEqual({ value: null, source: "default", from: "default" });
    expect(JSON.stringify(new Settings({ flags: {}, env: { HOME: home, HF_TOKEN: "hf_from_env" } }).describe())).not.toContain("hf_from_env");
  });

  it("the agent takes NODEFIT_HUB_TOKEN alone: a person's HF_TOKEN or login file would answer anyone its API lets in", () => {
    const home = join(dir, "home");
    const agent = (env: Record<string, string>) => new Settings({ flags: {}, env: { HOME: home, ...env } }).hub({ agent: true }).token;
    expect(agent({ HF_TOKEN: "hf_from_env" })).toBeNull();
    expect(agent({ NODEFIT_HUB_TOKEN: "hf_for_nodefit" })).toBe("hf_for_nodefit");
    expect(new Settings({ flags: {}, env: { HOME: home } }).hub({ agent: true }).tokenAdvice).toBe("NODEFIT_HUB_TOKEN, the one token the agent reads");
  });
});
