// Attack pass (issue 17; review findings 1 and 2) on the built agent, as in production: POST /api/v1/estimate naming
// hostile Hub repositories (the review's 45 MB header, a six-part split of it, 3,000 parts) without a token. Each is
// answered with a clear 404 naming the bound; /health keeps answering throughout; the agent's memory stays bounded and
// it keeps serving (the review: one such request took RSS from 163 MB to 1.1 GB, two killed the agent).
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llamaShape, writeGguf } from "../support/gguf-writer.js";
import { writeArraysGguf } from "../support/hostile-gguf.js";
import { startTestHub, type HubFile, type TestHub } from "../support/hub-server.js";
import { startAgentProcess, type AgentProcess } from "../http/support/agent-process.js";

/** The agent's RSS growth while the hostile lookups run: the header reader's 128 MiB heap and its buffers, loosely. */
const RSS_BOUND_MB = 300;

let dir = "";
let hub: TestHub;
let served: AgentProcess;
let base = "";
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-hub-agent-"));
  const arrays = join(dir, "arrays.gguf");
  writeArraysGguf(arrays);
  const tiny = join(dir, "tiny-Q4_0.gguf");
  const t = llamaShape({ nEmbd: 256, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 512, ctx: 4096, type: "Q4_0", name: "Brand New Sample" });
  writeGguf(tiny, t.metadata, t.tensors);
  const parts = (stem: string, count: number, file: HubFile): Record<string, HubFile> =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`${stem}-${String(i + 1).padStart(5, "0")}-of-${String(count).padStart(5, "0")}.gguf`, file]));
  hub = await startTestHub({
    "evil/Big-GGUF": { files: { "big-Q4_K_M.gguf": { path: arrays } } },
    "evil/Split-GGUF": { files: parts("big-Q4_K_M", 6, { path: arrays }) },
    "evil/Many-Parts-GGUF": { files: parts("m-Q4_K_M", 3000, { path: tiny }) },
    "new-lab/Brand-New-Sample-GGUF": { files: { "brand-new-sample-Q4_0.gguf": { path: tiny } } },
  });
  const env = { ...process.env, NODEFIT_HUB_URL: hub.url, NODEFIT_CACHE_DIR: join(dir, "cache"), NODEFIT_OFFLINE: "", HF_HUB_OFFLINE: "" };
  served = await startAgentProcess([], env);
  base = served.address;
  for (let i = 0; i < 100 && (await call("GET", "/ready")).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
}, 60_000);

afterAll(async () => {
  agent.destroy();
  served?.child.kill("SIGKILL");
  await hub?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function call(method: string, path: string, body?: object): Promise<{ status: number; body: string; ms: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { agent, method, headers: body ? { "content-type": "application/json" } : {} }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - start }));
    });
    req.on("error", reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** The agent's resident memory, MB (Linux; null elsewhere). */
function agentRssMb(): number | null {
  try {
    return served.rss() / 2 ** 20;
  } catch {
    return null;
  }
}

describe("hostile Hub repositories through POST /api/v1/estimate", () => {
  it("are refused with a clear 404 while /health keeps answering, in bounded memory; then the agent serves a real one", { timeout: 90_000 }, async () => {
    const rss0 = agentRssMb();
    let peak = rss0 ?? 0;
    const health: number[] = [];
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const r = await call("GET", "/health");
        expect(r.status).toBe(200);
        health.push(r.ms);
        peak = Math.max(peak, agentRssMb() ?? 0);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const estimate = (model: string) => call("POST", "/api/v1/estimate", { model });
    // Two at once (the Hub's turns), then the third.
    const answers = await Promise.all([estimate("hf.co/evil/Big-GGUF:Q4_K_M"), estimate("hf.co/evil/Split-GGUF:Q4_K_M")]);
    answers.push(await estimate("hf.co/evil/Many-Parts-GGUF:Q4_K_M"));
    polling = false;
    await poll;

    const errors = answers.map((a) => (JSON.parse(a.body) as { error: string }).error);
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404]);
    expect(errors[0]).toMatch(/the GGUF header of big-Q4_K_M\.gguf cannot be read: (reading its header takes more than the 128 MiB of memory the GGUF reader may use|its header runs past 24 MiB)/);
    expect(errors[1]).toMatch(/the GGUF header of big-Q4_K_M-00001-of-00006\.gguf cannot be read/);
    expect(errors[2]).toMatch(/m-Q4_K_M-00001-of-03000\.gguf is split into 3000 parts: nodefit reads the headers of at most 64 parts from the Hub/);
    // Liveness answered throughout, within a kubelet's default 1 s probe even on a loaded CI runner (as analysis-flood).
    expect(health.length).toBeGreaterThan(10);
    expect(Math.max(...health)).toBeLessThan(800);
    if (rss0 !== null) expect(peak - rss0).toBeLessThan(RSS_BOUND_MB);
    // The 3,000-part repository cost one request (its listing); no part was read.
    expect(hub.requests.filter((r) => r.url.includes("Many-Parts") && r.url.includes("/resolve/"))).toEqual([]);
    // And the agent still serves, a model from the Hub too.
    const real = await estimate("hf.co/new-lab/Brand-New-Sample-GGUF:Q4_0");
    expect(real.status, real.body).toBe(200);
    expect(JSON.parse(real.body)).toMatchObject({ resolved_from: { matched_by: "hub" }, quant: "Q4_0" });
  });
});
