// The Hub lookup against a local stand-in of the Hub (test/support/hub-server.ts): config.json repositories, GGUF
// repositories read by byte range (split files too), the on-disk cache and its TTL, offline answers, and every failure
// (404, 401, 429, 500, a hung answer, a body cut short, a server without ranges, a refused config, a truncated header).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGgufHeader } from "../../src/catalog/gguf/read-gguf.js";
import { fsHubCache } from "../../src/hub/real-io.js";
import { HubModels, type HubLookup } from "../../src/hub/hub.js";
import { hubSettings, type HubSettings } from "../../src/hub/settings.js";
import { llamaShape, splitName, writeGguf, writeSplitGguf, writeTruncated } from "../support/gguf-writer.js";
import { startTestHub, type HubRepo, type TestHub } from "../support/hub-server.js";

const CONFIGS = new URL("../fixtures/hub/config/", import.meta.url);
const config = (name: string): unknown => JSON.parse(readFileSync(new URL(`${name}.json`, CONFIGS), "utf8"));

let dir = "";
let hub: TestHub;
/** A port nothing listens on (one a server had, then gave back). */
let closedPort = 0;
let clock = Date.parse("2026-01-01T00:00:00Z");

const tiny = { nEmbd: 256, nLayer: 4, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 512, ctx: 4096 } as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-hub-"));
  const q4 = llamaShape({ ...tiny, type: "Q4_0", name: "Tiny Test Llama" });
  const q8 = llamaShape({ ...tiny, type: "Q8_0", name: "Tiny Test Llama" });
  writeGguf(join(dir, "tiny-Q4_0.gguf"), q4.metadata, q4.tensors);
  const big = writeGguf(join(dir, "tiny-Q8_0.gguf"), q8.metadata, q8.tensors);
  writeSplitGguf(dir, "tiny-split", 3, q8.metadata, q8.tensors);
  writeTruncated(big, join(dir, "tiny-cut.gguf"), "tensor-info");
  // unsloth keeps the parts of a split quant in a folder named after it.
  const split = Object.fromEntries([0, 1, 2].map((i) => [`Q8_0/${splitName("tiny-split", i, 3)}`, { path: join(dir, splitName("tiny-split", i, 3)) }]));
  const repos: Record<string, HubRepo> = {
    "test-org/Qwen3-8B-Remix": {
      files: { "config.json": { json: config("Qwen__Qwen3-8B") }, "model.safetensors": { bytes: Buffer.alloc(16) } },
      listing: { safetensors: { total: 8_190_735_360 }, cardData: { license: "apache-2.0" }, createdAt: "2026-01-02T03:04:05.000Z" },
    },
    "test-org/Gemma3-Vision": { files: { "config.json": { json: config("google__gemma-3-12b-it") } }, listing: { safetensors: { total: 12_187_325_040 } } },
    "test-org/Tiny-GGUF": { files: { "tiny-Q4_0.gguf": { path: join(dir, "tiny-Q4_0.gguf") }, "tiny-Q8_0.gguf": { path: join(dir, "tiny-Q8_0.gguf") }, "README.md": { bytes: Buffer.from("# tiny") } } },
    "test-org/Tiny-Split-GGUF": { files: split },
    "test-org/Cut-GGUF": { files: { "tiny-cut.gguf": { path: join(dir, "tiny-cut.gguf") } } },
    "test-org/No-Ranges-GGUF": { files: { "tiny-Q4_0.gguf": { path: join(dir, "tiny-Q4_0.gguf") } }, fileFailure: "no-range" },
    "test-org/Llama4-Like": { files: { "config.json": { json: config("unsupported__llama4") } } },
    "test-org/Empty": { files: { "README.md": { bytes: Buffer.from("nothing") } } },
    "test-org/Gated": { files: {}, listingFailure: "401" },
    "test-org/Busy": { files: {}, listingFailure: "429" },
    "test-org/Broken": { files: {}, listingFailure: "500" },
    "test-org/Hung": { files: {}, listingFailure: "hang" },
    "test-org/Cut-Listing": { files: {}, listingFailure: "truncated" },
    "test-org/Hung-Config": { files: { "config.json": { json: config("Qwen__Qwen3-8B") } }, fileFailure: "hang" },
    // Listings whose license the catalog's schema refuses as it stands (empty, longer than a name may be).
    "test-org/Blank-License-GGUF": { files: { "tiny-Q4_0.gguf": { path: join(dir, "tiny-Q4_0.gguf") } }, listing: { cardData: { license: "" }, tags: ["license:"] } },
    "test-org/Long-License-GGUF": { files: { "tiny-Q4_0.gguf": { path: join(dir, "tiny-Q4_0.gguf") } }, listing: { cardData: { license: "x".repeat(2000) } } },
    "test-org/Blank-License": { files: { "config.json": { json: config("Qwen__Qwen3-8B") } }, listing: { cardData: { license: " " } } },
  };
  hub = await startTestHub(repos);
  const { createServer } = await import("node:net");
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

afterAll(async () => {
  await hub?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function lookup(options: Partial<HubSettings> & { cacheDir?: string | null } = {}): HubModels {
  const settings: HubSettings = { ...hubSettings({ NODEFIT_HUB_URL: hub.url }), cacheDir: null, timeoutMs: 1500, ...options };
  return new HubModels(settings, { fetch: (url, init) => fetch(url, init), cache: settings.cacheDir === null ? null : fsHubCache(settings.cacheDir), now: () => clock });
}

const found = (r: HubLookup | null) => {
  if (r === null || !("found" in r)) throw new Error(`expected a model, got ${JSON.stringify(r)}`);
  return r.found;
};
const failed = (r: HubLookup | null) => {
  if (r === null || !("failure" in r)) throw new Error(`expected a failure, got ${JSON.stringify(r && "found" in r ? r.found.note : r)}`);
  return r.failure;
};
/** Why there is no model, in words of its own. */
const failure = (r: HubLookup | null): string => failed(r).reason;
const requestsFor = (repo: string) => hub.requests.filter((r) => r.url.includes(repo));

describe("a repository with config.json", () => {
  it("becomes a catalog entry of its architecture, saying the revision it was read at", async () => {
    const f = found(await lookup().lookup("test-org/Qwen3-8B-Remix"));
    expect(f.matchedBy).toBe("hub");
    expect(f.note).toBe(`"test-org/Qwen3-8B-Remix" is not in the catalog: read from the Hugging Face Hub, ${hub.url}/test-org/Qwen3-8B-Remix at revision ${hub.shaOf("test-org/Qwen3-8B-Remix")} (config.json)`);
    expect(f.model).toMatchObject({ id: "test-org/Qwen3-8B-Remix", provider: "test-org", context_length: 40960, license: "apache-2.0", release_date: "2026-01-02", category: "general", caveats: [] });
    expect(f.model.architecture).toMatchObject({ type: "qwen3", layers: 36, hidden_size: 4096, kv_heads: 8, head_dim: 128 });
    expect(f.quant).toBeNull();
    // The listing, then config.json at the listed revision: nothing else.
    expect(requestsFor("Qwen3-8B-Remix").map((r) => r.url)).toEqual([
      "/api/models/test-org/Qwen3-8B-Remix?blobs=true",
      `/test-org/Qwen3-8B-Remix/resolve/${hub.shaOf("test-org/Qwen3-8B-Remix")}/config.json`,
    ]);
  });

  it("sizes a vision tower from the Hub's parameter count, and is multimodal", async () => {
    const f = found(await lookup().lookup("https://huggingface.co/test-org/Gemma3-Vision".replace("https://huggingface.co", "hf.co")));
    expect(f.model.category).toBe("multimodal");
    // The Hub's count less the text model's: the catalog's 421,290,864 within the norms config.json's sizes leave out.
    expect(Math.abs(f.model.architecture.vision_params - 421_290_864) / 421_290_864).toBeLessThan(0.005);
    expect(f.model.params_total).toBe(12_187_325_040);
  });

  it("a revision in a URL is the revision asked", async () => {
    const sha = hub.shaOf("test-org/Qwen3-8B-Remix");
    const f = found(await lookup().lookup(`https://huggingface.co/test-org/Qwen3-8B-Remix/tree/${sha}`));
    expect(f.note).toContain(`at revision ${sha}`);
    expect(hub.requests.some((r) => r.url === `/api/models/test-org/Qwen3-8B-Remix/revision/${sha}?blobs=true`)).toBe(true);
    expect(failure(await lookup().lookup("https://huggingface.co/test-org/Qwen3-8B-Remix/tree/no-such-branch"))).toMatch(/^the Hugging Face Hub does not have it .*404/);
  });
});

describe("a GGUF repository", () => {
  it("reads the header of the file the tag names with byte ranges, never the weights", async () => {
    const before = hub.requests.length;
    const f = found(await lookup().lookup("hf.co/test-org/Tiny-GGUF:Q8_0"));
    const local = await readGgufHeader(join(dir, "tiny-Q8_0.gguf"));
    expect(f.quant).toBe("Q8_0");
    expect(f.ollamaPull).toBe(true);
    expect(f.note).toContain("(the GGUF header of tiny-Q8_0.gguf)");
    expect(f.model.gguf_files).toEqual([{ quant: "Q8_0", bytes: local.tensorBytes, repo: "tiny-Q8_0.gguf" }]);
    expect(f.model.architecture).toMatchObject({ type: "llama", layers: 4, hidden_size: 256, kv_heads: 2 });
    const reads = hub.requests.slice(before).filter((r) => r.url.includes("/resolve/"));
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) expect(r.range).toMatch(/^bytes=\d+-\d+$/);
  });

  it("without a quant takes Q4_K_M, else the best of the ladder it has; a file it names, that file", async () => {
    expect(found(await lookup().lookup("test-org/Tiny-GGUF")).quant).toBe("Q8_0");
    expect(found(await lookup().lookup("https://huggingface.co/test-org/Tiny-GGUF/resolve/main/tiny-Q4_0.gguf")).quant).toBe("Q4_0");
    expect(failure(await lookup().lookup("hf.co/test-org/Tiny-GGUF:Q5_K_M"))).toMatch(/the Hugging Face Hub has it \(.*revision [0-9a-f]{40}\), but it has no Q5_K_M GGUF file \(it has Q4_0, Q8_0\)/);
  });

  it("reads every part of a split file, in its folder", async () => {
    const f = found(await lookup().lookup("hf.co/test-org/Tiny-Split-GGUF:Q8_0"));
    const local = await readGgufHeader(join(dir, splitName("tiny-split", 0, 3)));
    expect(f.model.gguf_files[0]?.bytes).toBe(local.tensorBytes);
    expect(requestsFor("Tiny-Split-GGUF").filter((r) => r.url.includes("-of-00003.gguf")).map((r) => r.url.match(/(\d{5})-of/)?.[1])).toEqual(expect.arrayContaining(["00001", "00002", "00003"]));
  });

  it("refuses a truncated header and a server that ignores byte ranges, without downloading the file", async () => {
    expect(failure(await lookup().lookup("test-org/Cut-GGUF"))).toMatch(/but the GGUF header of tiny-cut\.gguf cannot be read: .*truncated/);
    const before = hub.requests.length;
    expect(failure(await lookup().lookup("test-org/No-Ranges-GGUF"))).toMatch(/answered 200 to a byte-range request \(no range support\)/);
    // The stand-in sent the whole file, but the reader stopped at the status: a cancelled body.
    expect(hub.requests.slice(before).filter((r) => r.url.includes("/resolve/"))).toHaveLength(1);
  });
});

describe("the cache", () => {
  it("answers a lookup within its TTL from disk, without asking the Hub, and says when it was fetched", async () => {
    const cacheDir = join(dir, "cache");
    const first = found(await lookup({ cacheDir }).lookup("test-org/Qwen3-8B-Remix"));
    // One entry for what the listing resolved to, and the aliases file (the reference as written -> that entry).
    expect(readdirSync(cacheDir)).toEqual(expect.arrayContaining(["aliases.json", expect.stringMatching(/^[0-9a-f]{40}\.json$/)]));
    expect(readdirSync(cacheDir)).toHaveLength(2);
    const before = hub.requests.length;
    const again = found(await lookup({ cacheDir }).lookup("test-org/Qwen3-8B-Remix"));
    expect(hub.requests.length).toBe(before);
    expect(again.model).toEqual(first.model);
    expect(again.note).toMatch(/; cached 2026-01-01T00:00:00\.000Z$/);
  });

  it("asks again past the TTL; past it with the Hub failing, serves the old answer and says so", async () => {
    const cacheDir = join(dir, "cache-ttl");
    hub.repos.set("test-org/Flaky", { files: { "config.json": { json: config("Qwen__Qwen3-8B") } } });
    await lookup({ cacheDir, ttlMs: 1000 }).lookup("test-org/Flaky");
    clock += 5000;
    const before = hub.requests.length;
    found(await lookup({ cacheDir, ttlMs: 1000 }).lookup("test-org/Flaky"));
    // The listing again; it resolves to the commit and file already read, whose entry serves (config.json is not read again).
    expect(hub.requests.length).toBe(before + 1);
    clock += 5000;
    hub.repos.get("test-org/Flaky")!.listingFailure = "500";
    const stale = found(await lookup({ cacheDir, ttlMs: 1000 }).lookup("test-org/Flaky"));
    expect(stale.note).toMatch(/; cached 2026-01-01T00:00:\d\d\.000Z; the Hub could not be reached to refresh it: the Hub answered 500$/);
    // Gone from the Hub (404) is not a failure to reach it: the old answer does not serve.
    hub.repos.delete("test-org/Flaky");
    expect(failure(await lookup({ cacheDir, ttlMs: 1000 }).lookup("test-org/Flaky"))).toMatch(/^the Hugging Face Hub does not have it/);
  });

  it("ignores a file it did not write (another version, a truncated one) and rewrites it", async () => {
    const cacheDir = join(dir, "cache-bad");
    await lookup({ cacheDir }).lookup("test-org/Qwen3-8B-Remix");
    const [name] = readdirSync(cacheDir).filter((f) => f !== "aliases.json");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(cacheDir, name!), '{"version": 1, "key": "x", "found"');
    const before = hub.requests.length;
    found(await lookup({ cacheDir }).lookup("test-org/Qwen3-8B-Remix"));
    expect(hub.requests.length).toBe(before + 2);
    expect(JSON.parse(readFileSync(join(cacheDir, name!), "utf8")).version).toBe(1);
  });
});

describe("offline", () => {
  it("never asks the Hub: a cached answer serves, else the answer says it is offline", async () => {
    const cacheDir = join(dir, "cache-offline");
    await lookup({ cacheDir, ttlMs: 1000 }).lookup("test-org/Qwen3-8B-Remix");
    clock += 10_000;
    const before = hub.requests.length;
    const cached = found(await lookup({ cacheDir, ttlMs: 1000, offline: true }).lookup("test-org/Qwen3-8B-Remix"));
    expect(cached.note).toMatch(/; cached .*; offline, not refreshed$/);
    expect(failed(await lookup({ cacheDir, offline: true }).lookup("test-org/Tiny-GGUF"))).toEqual({
      reason: "nodefit is offline (--offline, NODEFIT_OFFLINE or HF_HUB_OFFLINE): the Hugging Face Hub was not asked",
      clause: ", and nodefit is offline (--offline, NODEFIT_OFFLINE or HF_HUB_OFFLINE): the Hugging Face Hub was not asked",
    });
    expect(hub.requests.length).toBe(before);
  });

  it("NODEFIT_OFFLINE, HF_HUB_OFFLINE and --offline set it; a value that is not a yes or a no is refused", () => {
    expect(hubSettings({ NODEFIT_OFFLINE: "1" }).offline).toBe(true);
    expect(hubSettings({ HF_HUB_OFFLINE: "true" }).offline).toBe(true);
    expect(hubSettings({}, { offline: true }).offline).toBe(true);
    expect(hubSettings({ NODEFIT_OFFLINE: "0" }).offline).toBe(false);
    // The first variable set decides, as in the CLI's settings.
    expect(hubSettings({ NODEFIT_OFFLINE: "0", HF_HUB_OFFLINE: "1" }).offline).toBe(false);
    expect(hubSettings({ NODEFIT_OFFLINE: "", HF_HUB_OFFLINE: "1" }).offline).toBe(true);
    expect(() => hubSettings({ NODEFIT_OFFLINE: "maybe" })).toThrow(/invalid NODEFIT_OFFLINE value: use 1\|true\|yes/);
    expect(() => hubSettings({ NODEFIT_HUB_URL: "ftp://x" })).toThrow(/invalid NODEFIT_HUB_URL value/);
    expect(() => hubSettings({ NODEFIT_HUB_CACHE_TTL: "-1" })).toThrow(/invalid NODEFIT_HUB_CACHE_TTL value/);
    expect(hubSettings({ NODEFIT_HUB_URL: "http://127.0.0.1:8080/" }).baseUrl).toBe("http://127.0.0.1:8080");
    expect(hubSettings({ XDG_CACHE_HOME: "/var/cache/x" }, {}, "linux").cacheDir).toBe("/var/cache/x/nodefit/hub");
    expect(hubSettings({ HOME: "/home/u" }, {}, "linux").cacheDir).toBe("/home/u/.cache/nodefit/hub");
    expect(hubSettings({}, {}, "linux").cacheDir).toBeNull();
  });
});

describe("failures", () => {
  // Each reason reads on its own; its clause continues `model "x" is not in the catalog` with ", and" or "; " (null: ", nor").
  it.each<[string, RegExp, string | null]>([
    ["test-org/Not-There", /^the Hugging Face Hub does not have it \(http:\/\/127\.0\.0\.1:\d+\/api\/models\/test-org\/Not-There\?blobs=true: 404, no such repository, revision or file\)$/, null],
    ["test-org/Gated", /^the Hugging Face Hub does not share it \(.*: 401, a gated or private repository: give nodefit a Hugging Face token with access to it \(HF_TOKEN, or huggingface-cli login\)\)$/, ", and "],
    ["test-org/Busy", /^the Hub could not be reached: 429, rate limited: retry in 30 s \(/, ", and "],
    ["test-org/Broken", /^the Hub could not be reached: the Hub answered 500 \(/, ", and "],
    ["test-org/Hung", /^the Hub could not be reached: no answer within 0\.3 s \(/, ", and "],
    ["test-org/Hung-Config", /^the Hub could not be reached: no answer within 0\.3 s \(.*config\.json\)$/, ", and "],
    // The socket closes inside the body: undici reports it with the headers or while the body is read.
    ["test-org/Cut-Listing", /^the Hub could not be reached: (?:the answer was cut short|fetch failed: other side closed)/, ", and "],
    ["test-org/Llama4-Like", /^the Hugging Face Hub has it \(.*\/test-org\/Llama4-Like, revision [0-9a-f]{40}\), but its config\.json describes a "llama4" \(Llama4ForConditionalGeneration\) model, which nodefit cannot size/, "; "],
    ["test-org/Empty", /^the Hugging Face Hub has it \(.*\), but it holds neither config\.json nor a GGUF file$/, "; "],
  ])("%s", async (reference, text, join) => {
    const { reason, clause } = failed(await lookup({ timeoutMs: 300 }).lookup(reference));
    expect(reason).toMatch(text);
    const nor = `, nor on the Hugging Face Hub (${hub.url}/api/models/test-org/Not-There?blobs=true: 404, no such repository, revision or file)`;
    expect(clause).toBe(join === null ? nor : `${join}${reason}`);
  });

  it("a Hub nobody answers at says why it could not be reached", async () => {
    const text = failure(await lookup({ baseUrl: `http://127.0.0.1:${closedPort}` }).lookup("test-org/Qwen3-8B-Remix"));
    expect(text).toMatch(/^the Hub could not be reached: fetch failed: .*ECONNREFUSED/);
    expect(text.endsWith(`(http://127.0.0.1:${closedPort}/api/models/test-org/Qwen3-8B-Remix?blobs=true)`)).toBe(true);
  });

  it("remembers a missing repository for a while, and a rate limit until its Retry-After, so a flood does not reach the Hub", async () => {
    const hubModels = lookup();
    await hubModels.lookup("test-org/Not-There-Either");
    await hubModels.lookup("test-org/Busy");
    const before = hub.requests.length;
    await Promise.all([hubModels.lookup("test-org/Not-There-Either"), hubModels.lookup("test-org/Busy"), hubModels.lookup("test-org/Busy")]);
    expect(hub.requests.length).toBe(before);
    clock += 31_000;
    await hubModels.lookup("test-org/Busy");
    expect(hub.requests.length).toBe(before + 1);
  });

  it("shares one lookup between requests that ask at once", async () => {
    const hubModels = lookup();
    const before = hub.requests.length;
    const answers = await Promise.all([1, 2, 3, 4].map(() => hubModels.lookup("test-org/Gemma3-Vision")));
    expect(answers.every((a) => a !== null && "found" in a)).toBe(true);
    expect(hub.requests.length).toBe(before + 2);
  });
});

describe("references", () => {
  it("only Hub forms are looked up: owner/name, Hugging Face URLs, hf.co pulls; never paths, files, tags or words", async () => {
    const hubModels = lookup();
    const before = hub.requests.length;
    for (const r of ["qwen3:8b", "some loose words", "/models/test-org/Qwen3-8B-Remix", "a/b/c", "./x/y", "Tiny-Q4_0.gguf", "test-org/Tiny-Q4_0.gguf"])
      expect(await hubModels.lookup(r), r).toBeNull();
    expect(hub.requests.length).toBe(before);
  });

  it("a Hugging Face URL with a malformed percent-encoding is no Hub reference (never a throw)", async () => {
    const hubModels = lookup();
    const before = hub.requests.length;
    for (const r of ["https://huggingface.co/test-org/Tiny-GGUF/tree/%E0", "https://huggingface.co/test-org/Tiny-GGUF/resolve/main/%E0%A4.gguf"])
      await expect(hubModels.lookup(r), r).resolves.toBeNull();
    expect(hub.requests.length).toBe(before);
  });
});

describe("a listing's license", () => {
  it("one the catalog cannot take (blank, too long) is unknown, never a failed lookup", async () => {
    for (const repo of ["test-org/Blank-License-GGUF", "test-org/Long-License-GGUF", "test-org/Blank-License"])
      expect(found(await lookup().lookup(repo)).model.license, repo).toBe("unknown");
  });
});
