// A stored result survives kill -9: the built CLI killed in the middle of a bench leaves the store sound with every
// result stored before, and a writer killed while it stores results in a loop keeps every one it had acknowledged.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BenchmarkStore } from "../../src/bench/store.js";
import { BenchmarkSchema } from "../../src/contract/schemas-benchmarks.js";
import { MAIN, runCli } from "../cli/run-cli.js";
import { sampleBenchmark, tempDataDir } from "../support/benchmarks.js";

const STORE_MODULE = pathToFileURL(path.join(path.dirname(MAIN), "..", "bench", "store.js")).href;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** An OpenAI-compatible server that takes its time: a token every 10 ms. */
let server: http.Server;
let url = "";
let requests = 0;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
  server = http.createServer((req, res) => {
    if (req.url === "/v1/models") return void res.end('{"data":[{"id":"slow-model"}]}');
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", async () => {
      requests++;
      const max = Number((JSON.parse(raw) as { max_tokens: number }).max_tokens);
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (let i = 0; i < max && !res.destroyed; i++) {
        await sleep(10);
        res.write('data: {"choices":[{"delta":{"content":"a"}}]}\n\n');
      }
      res.write(`data: {"choices":[],"usage":{"prompt_tokens":30,"completion_tokens":${max}}}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const waitFor = async (what: string, ok: () => boolean, ms = 30_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
};

describe("kill -9", () => {
  it("the CLI killed mid-bench: the store is sound, the results stored before are all there, the next bench stores as usual", async () => {
    const dir = tempDataDir();
    const file = path.join(dir, "benchmarks.db");
    const first = await runCli(["bench", "--endpoint", url, "--runs", "1", "--max-tokens", "8", "--data-dir", dir, "--json"]);
    expect(first.code, first.stderr).toBe(0);
    const stored = BenchmarkSchema.parse(JSON.parse(first.stdout));

    const before = requests;
    const child = spawn(process.execPath, [MAIN, "bench", "--endpoint", url, "--runs", "50", "--max-tokens", "40", "--data-dir", dir], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_code, signal) => r(signal)));
    // The warm-up and the first timed run are done and the second is streaming: mid-run.
    await waitFor("the bench's third request", () => requests >= before + 3);
    await sleep(100);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const store = await BenchmarkStore.open(file);
    try {
      expect(store.integrity()).toBe("ok");
      expect(store.list()).toEqual([stored]);
    } finally {
      store.close();
    }
    const next = await runCli(["bench", "--endpoint", url, "--runs", "1", "--max-tokens", "8", "--data-dir", dir, "--json"]);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ id: 2 });
  }, 60_000);

  it("a writer killed while it stores result after result keeps every result it had acknowledged", async () => {
    const file = path.join(tempDataDir(), "benchmarks.db");
    const script = `
      const { BenchmarkStore } = await import(${JSON.stringify(STORE_MODULE)});
      const store = await BenchmarkStore.open(${JSON.stringify(file)});
      const result = JSON.parse(process.env.RESULT);
      for (;;) process.stdout.write("stored " + store.add(result).id + "\\n");
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RESULT: JSON.stringify(sampleBenchmark()) } });
    let out = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_code, signal) => r(signal)));
    await waitFor(`40 stored results (stderr: ${stderr})`, () => /stored 40\n/.test(out));
    // Killed while it goes on storing: most likely in the middle of a transaction.
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const acknowledged = [...out.matchAll(/stored (\d+)\n/g)].map((m) => Number(m[1]));
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);

    const store = await BenchmarkStore.open(file);
    try {
      expect(store.integrity()).toBe("ok");
      const ids = store.list(100_000).map((r) => r.id);
      // Every acknowledged result, and at most the one that was committed when the kill came before its line.
      console.info(`killed after ${acknowledged.length} acknowledged results; the store holds ${ids.length}`);
      for (const id of acknowledged) expect(ids).toContain(id);
      expect(ids.length - acknowledged.length).toBeLessThanOrEqual(1);
      expect(Math.max(...ids)).toBe(ids.length);
    } finally {
      store.close();
    }
  }, 60_000);
});
