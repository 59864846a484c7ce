// The runners against runtimes that are not really there: Ollama's API replayed from its documented answers through an
// injected fetch, an OpenAI-compatible server written here (what it is asked, what is counted), hung endpoints that
// time out with a clear error (in process and through the built CLI), and `nodefit bench` from flags to stored result.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runBench } from "../../src/bench/run-bench.js";
import { getJson, MAX_JSON_BYTES, MAX_STREAM_LINE_CHARS, streamLines, type FetchFn } from "../../src/bench/runners/http-stream.js";
import { OllamaRunner } from "../../src/bench/runners/ollama.js";
import { OpenAiRunner, pickServedModel } from "../../src/bench/runners/openai.js";
import { BenchmarkStore } from "../../src/bench/store.js";
import { bundledModels } from "../../src/catalog/bundled.js";
import { runBenchCommand, benchTarget, benchSettings, installedOf } from "../../src/cli/commands/bench.js";
import type { ModelRowJson } from "../../src/contract/row.js";
import type { CliIo } from "../../src/cli/cli-io.js";
import type { LoadedConfig } from "../../src/cli/settings.js";
import { parseRuntimeEndpoints } from "../../src/runtimes/endpoints.js";
import type { OpenService } from "../../src/cli/open-service.js";
import { BenchmarkSchema } from "../../src/contract/schemas-benchmarks.js";
import type { Machine } from "../../src/domain/machine.js";
import { analyzeCatalog } from "../../src/service/analyze.js";
import { runEstimateRequest } from "../../src/service/estimate-request.js";
import { NodeService } from "../../src/service/node-service.js";
import { runCli } from "../cli/run-cli.js";
import { tempDataDir } from "../support/benchmarks.js";
import { machine } from "../support/machines.js";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/ollama/${name}`, import.meta.url), "utf8");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A body that arrives in parts, `delays[i]` ms before part i. */
function streamed(parts: readonly string[], delays: readonly number[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      for (const [i, p] of parts.entries()) {
        await sleep(delays[i] ?? 0);
        controller.enqueue(enc.encode(p));
      }
      controller.close();
    },
  });
}

/** Ollama, replayed: /api/version, /api/show and a streamed /api/generate from the recorded answers. */
function ollamaReplay(): { fetch: FetchFn; requests: Array<{ path: string; body: Record<string, unknown> | null }> } {
  const requests: Array<{ path: string; body: Record<string, unknown> | null }> = [];
  const fetchFn: FetchFn = async (input, init) => {
    const url = new URL(input);
    const body = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : null;
    requests.push({ path: url.pathname, body });
    if (url.pathname === "/api/version") return new Response(fixture("version.json"), { headers: { "content-type": "application/json" } });
    if (url.pathname === "/api/show") return new Response(fixture("show-llama3.2.json"), { headers: { "content-type": "application/json" } });
    if (url.pathname === "/api/generate") {
      const lines = fixture("generate-llama3.2.ndjson").trimEnd().split("\n").map((l) => `${l}\n`);
      // The first token after 40 ms (the prompt), then one every 2 ms; a line may arrive split.
      const parts = lines.flatMap((l, i) => (i === 3 ? [l.slice(0, 10), l.slice(10)] : [l]));
      return new Response(streamed(parts, parts.map((_, i) => (i === 0 ? 40 : 2))), { headers: { "content-type": "application/x-ndjson" } });
    }
    return new Response('{"error":"not found"}', { status: 404 });
  };
  return { fetch: fetchFn, requests };
}

describe("Ollama (replayed)", () => {
  it("decode and prefill from Ollama's own counters, TTFT as the first token arrived, the tag's quant and the version", async () => {
    const { fetch, requests } = ollamaReplay();
    const runner = new OllamaRunner({ endpoint: "http://127.0.0.1:11434", tag: "llama3.2", context: 8192, promptWords: 32, fetch, idleTimeoutMs: 5000 });
    const out = await runBench(runner, { runs: 3, warmup: 1, maxTokens: 64 });
    expect(out.info).toEqual({ servedModel: "llama3.2", quant: "Q4_K_M", runtimeVersion: "ollama 0.12.6", context: 8192, threads: null });
    expect(out.runs).toHaveLength(3);
    for (const r of out.runs) {
      expect(r.decodeTps).toBeCloseTo(259 / 4.23271, 6);
      expect(r.prefillTps).toBeCloseTo(26 / 0.130079, 6);
      expect(r.generatedTokens).toBe(259);
      expect(r.promptTokens).toBe(26);
      expect(r.ttftMs).toBeGreaterThanOrEqual(35);
    }
    const generated = requests.filter((r) => r.path === "/api/generate").map((r) => r.body!);
    expect(generated).toHaveLength(4);
    expect(generated[0]).toMatchObject({ model: "llama3.2", stream: true, options: { num_predict: 64, temperature: 0, num_ctx: 8192 } });
    // Each prompt starts differently, so Ollama's prompt cache never answers one from the previous.
    expect(new Set(generated.map((b) => String(b["prompt"]).split(" ").slice(0, 2).join(" "))).size).toBe(4);
  });

  it("an error line, or a stream that ends without its counters: a clear error", async () => {
    const error: FetchFn = async (input) =>
      new URL(input).pathname === "/api/generate" ? new Response('{"error":"model \\"nope\\" not found, try pulling it first"}\n') : new Response('{"version":"0.12.6","details":{}}');
    await expect(runBench(new OllamaRunner({ endpoint: "http://h:1", tag: "nope", context: null, promptWords: 8, fetch: error, idleTimeoutMs: 5000 }), { runs: 1, warmup: 0, maxTokens: 8 })).rejects.toThrow(
      'generating with Ollama: http://h:1/api/generate: model "nope" not found, try pulling it first',
    );
    const cut: FetchFn = async (input) =>
      new URL(input).pathname === "/api/generate" ? new Response('{"response":"a","done":false}\n') : new Response('{"version":"0.12.6","details":{}}');
    await expect(runBench(new OllamaRunner({ endpoint: "http://h:1", tag: "x", context: null, promptWords: 8, fetch: cut, idleTimeoutMs: 5000 }), { runs: 1, warmup: 0, maxTokens: 8 })).rejects.toThrow(
      /ended the stream without its final counters/,
    );
  });

  it("OLLAMA_HOST as Ollama reads it, unless --endpoint or the runtime endpoints setting says", () => {
    const ollama = (env: Record<string, string>, flags: { endpoint?: string } = {}) => benchTarget({ model: "qwen3:8b", runtime: "ollama", ...flags }, env);
    expect(ollama({})).toMatchObject({ endpoint: "http://127.0.0.1:11434" });
    expect(ollama({ OLLAMA_HOST: "0.0.0.0" })).toMatchObject({ endpoint: "http://127.0.0.1:11434" });
    expect(ollama({ OLLAMA_HOST: "gpu-box:9999" })).toMatchObject({ endpoint: "http://gpu-box:9999" });
    expect(ollama({ OLLAMA_HOST: "https://ollama.example" })).toMatchObject({ endpoint: "https://ollama.example" });
    expect(ollama({ OLLAMA_HOST: "y" }, { endpoint: "http://x:1" })).toMatchObject({ endpoint: "http://x:1" });
  });
});

/** An OpenAI-compatible server: each completion streams `tokens` chunks `gapMs` apart after `firstMs`. */
async function openAiServer(o: { tokens: number; firstMs: number; gapMs: number; models?: string[]; timings?: boolean }): Promise<{ url: string; bodies: Array<Record<string, unknown>> }> {
  const bodies: Array<Record<string, unknown>> = [];
  const url = await serve((req, res) => {
    if (req.url === "/v1/models") return void res.end(JSON.stringify({ data: (o.models ?? ["served-model"]).map((id) => ({ id })) }));
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", async () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      bodies.push({ ...body, path: req.url });
      res.writeHead(200, { "content-type": "text/event-stream" });
      const send = (obj: unknown): unknown => res.write(`data: ${JSON.stringify(obj)}\n\n`);
      // The role first, with no text (llama.cpp's server and vLLM send one): not a token.
      send({ choices: [{ delta: { role: "assistant", content: null } }] });
      await sleep(o.firstMs);
      for (let i = 0; i < o.tokens; i++) {
        if (i > 0) await sleep(o.gapMs);
        // Two tokens in one chunk now and then: the usage's count is what counts.
        send({ choices: [{ delta: { content: i % 5 === 4 ? "ab" : "a" } }], system_fingerprint: "b6000-test" });
      }
      send({ choices: [{ delta: {}, finish_reason: "length" }] });
      send({ choices: [], usage: { prompt_tokens: 100, completion_tokens: o.tokens, total_tokens: 100 + o.tokens }, ...(o.timings ? { timings: { prompt_n: 100, prompt_ms: 50, predicted_n: o.tokens, predicted_ms: 100 } } : {}) });
      res.end("data: [DONE]\n\n");
    });
  });
  return { url, bodies };
}

const globalFetch: FetchFn = (input, init) => fetch(input, init);

describe("OpenAI-compatible streams", () => {
  it("asks for a streamed completion with usage; counts the usage's tokens; times decode between the first and last token", async () => {
    const { url, bodies } = await openAiServer({ tokens: 12, firstMs: 60, gapMs: 20 });
    const runner = new OpenAiRunner({ endpoint: `${url}/v1/`, servedModel: null, hint: null, api: "chat", promptWords: 20, fetch: globalFetch, idleTimeoutMs: 5000 });
    const out = await runBench(runner, { runs: 2, warmup: 1, maxTokens: 12 });
    expect(out.info.servedModel).toBe("served-model");
    expect(runner.runtimeVersion).toBe("b6000-test");
    for (const r of out.runs) {
      expect(r.generatedTokens).toBe(12);
      expect(r.promptTokens).toBe(100);
      // 11 gaps of 20 ms: about 50 tok/s (a busy machine reads late, some tokens in bursts: a wide band).
      expect(r.decodeTps).toBeLessThan(100);
      expect(r.decodeTps).toBeGreaterThan(10);
      expect(r.ttftMs).toBeGreaterThanOrEqual(55);
      expect(r.prefillTps).toBeCloseTo(100 / (r.ttftMs! / 1000), 6);
    }
    expect(bodies[0]).toMatchObject({ path: "/v1/chat/completions", model: "served-model", max_tokens: 12, temperature: 0, stream: true, stream_options: { include_usage: true }, ignore_eos: true });
    expect((bodies[0]!["messages"] as Array<{ content: string }>)[0]!.content).toMatch(/^Run 1: the quick brown fox/);
    expect((bodies[1]!["messages"] as Array<{ content: string }>)[0]!.content).toMatch(/^Run 2: /);
  });

  it("the runtime's own prompt timing when it reports one (llama.cpp's `timings`); the completions route with `prompt`", async () => {
    const { url, bodies } = await openAiServer({ tokens: 4, firstMs: 5, gapMs: 5, timings: true });
    const runner = new OpenAiRunner({ endpoint: url, servedModel: "asked", hint: null, api: "completions", promptWords: 20, fetch: globalFetch, idleTimeoutMs: 5000 });
    const out = await runBench(runner, { runs: 1, warmup: 0, maxTokens: 4 });
    expect(out.runs[0]!.prefillTps).toBe(2000);
    expect(bodies[0]).toMatchObject({ path: "/v1/completions", model: "asked" });
    expect(String(bodies[0]!["prompt"])).toMatch(/^Run 1: /);
  });

  it("which served model: the one asked, the only one, the one the hint names; several: name one", () => {
    expect(pickServedModel(["a"], null, null, "E")).toBe("a");
    expect(pickServedModel(["a", "b"], "b", null, "E")).toBe("b");
    expect(pickServedModel(["qwen3-8b-q4_k_m", "llama-3.1-8b"], null, "qwen3-8b", "E")).toBe("qwen3-8b-q4_k_m");
    expect(() => pickServedModel(["a", "b"], null, null, "E")).toThrow("E serves 2 models (a, b): name one with --served-model");
    expect(() => pickServedModel([], null, null, "E")).toThrow(/lists no model/);
  });

  it("an error event, or a stream that ends before any token: a clear error", async () => {
    const url = await serve((req, res) => {
      if (req.url === "/v1/models") return void res.end('{"data":[{"id":"m"}]}');
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(req.url === "/v1/chat/completions" ? 'data: {"error":{"message":"the context is full"}}\n\n' : "");
    });
    const runner = (api: "chat" | "completions") => new OpenAiRunner({ endpoint: url, servedModel: null, hint: null, api, promptWords: 4, fetch: globalFetch, idleTimeoutMs: 5000 });
    await expect(runBench(runner("chat"), { runs: 1, warmup: 0, maxTokens: 4 })).rejects.toThrow(`streaming a completion: ${url}/v1/chat/completions: the context is full`);
    await expect(runBench(runner("completions"), { runs: 1, warmup: 0, maxTokens: 4 })).rejects.toThrow(/ended the stream before any token/);
  });
});

describe("a hung runtime", () => {
  it("no answer at all: fails after the timeout, saying so", async () => {
    const url = await serve(() => {});
    const runner = new OpenAiRunner({ endpoint: url, servedModel: null, hint: null, api: "chat", promptWords: 4, fetch: globalFetch, idleTimeoutMs: 300 });
    const start = performance.now();
    await expect(runBench(runner, { runs: 1, warmup: 0, maxTokens: 4 })).rejects.toThrow(
      `listing the served models: ${url}/v1/models did not answer for 0.3 s (a hung runtime, or one still loading the model: raise --timeout)`,
    );
    expect(performance.now() - start).toBeLessThan(3000);
  });

  it("silent mid-stream: fails once nothing arrived for the timeout", async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"choices":[{"delta":{"content":"a"}}]}\n\n');
    });
    const runner = new OpenAiRunner({ endpoint: url, servedModel: "m", hint: null, api: "chat", promptWords: 4, fetch: globalFetch, idleTimeoutMs: 300 });
    await expect(runBench(runner, { runs: 1, warmup: 0, maxTokens: 4 })).rejects.toThrow(`streaming a completion: ${url}/v1/chat/completions stopped answering mid-stream for 0.3 s`);
  });

  it("through the built CLI: exit 1 and the reason on stderr, in about the --timeout", async () => {
    const url = await serve(() => {});
    const start = performance.now();
    const r = await runCli(["bench", "--endpoint", url, "--served-model", "m", "--timeout", "1", "--data-dir", tempDataDir()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`nodefit: streaming a completion: ${url}/v1/chat/completions did not answer for 1 s (a hung runtime, or one still loading the model: raise --timeout)`);
    expect(r.stdout).toBe("");
    expect(performance.now() - start).toBeLessThan(15_000);
  }, 30_000);
});

/** A body made on demand, `chunk` after `chunk` (at most `total` bytes): how many were pulled says what was read. */
function pulled(chunk: string, total: number): { body: ReadableStream<Uint8Array>; bytes: () => number } {
  const bytes = new TextEncoder().encode(chunk);
  let sent = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += bytes.byteLength;
        controller.enqueue(bytes);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, bytes: () => sent };
}

describe("a hostile endpoint: bounded whatever it sends", () => {
  const TEN_MB = 10 * 1024 * 1024;

  it("a 10 MB line: refused once it passes 1 MiB, the rest never read", async () => {
    const stream = pulled(`data: ${"x".repeat(64 * 1024 - 6)}`, TEN_MB);
    const fetchFn: FetchFn = async () => new Response(stream.body);
    const lines = streamLines("streaming a completion", "http://h:1/v1/chat/completions", { method: "POST" }, { fetch: fetchFn, idleTimeoutMs: 5000 });
    await expect((async () => {
      for await (const _ of lines) void _;
    })()).rejects.toThrow("streaming a completion: http://h:1/v1/chat/completions: sent a line longer than 1 MiB: not a runtime's stream");
    expect(stream.bytes()).toBeLessThanOrEqual(MAX_STREAM_LINE_CHARS + 2 * 64 * 1024);
  });

  it("a JSON answer of 10 MB (a model list): refused past MAX_JSON_BYTES, the rest never read; a long line within it is fine", async () => {
    const stream = pulled(" ".repeat(64 * 1024), TEN_MB);
    await expect(getJson("listing the served models", "http://h:1/v1/models", { fetch: async () => new Response(stream.body), idleTimeoutMs: 5000 })).rejects.toThrow(
      "listing the served models: http://h:1/v1/models: an answer over 4 MiB: not a runtime's answer",
    );
    expect(stream.bytes()).toBeLessThanOrEqual(MAX_JSON_BYTES + 64 * 1024);
    const list = { data: Array.from({ length: 20_000 }, (_, i) => ({ id: `model-${i}` })) };
    expect(JSON.stringify(list).length).toBeGreaterThan(MAX_STREAM_LINE_CHARS / 4);
    expect(await getJson("listing", "http://h:1/v1/models", { fetch: async () => new Response(JSON.stringify(list)), idleTimeoutMs: 5000 })).toEqual(list);
  });

  it("an error status with an endless body: a few KB of it read for the message", async () => {
    const stream = pulled("e".repeat(1024), TEN_MB);
    const fetchFn: FetchFn = async () => new Response(stream.body, { status: 500 });
    await expect(getJson("listing", "http://h:1/v1/models", { fetch: fetchFn, idleTimeoutMs: 5000 })).rejects.toThrow(/^listing: http:\/\/h:1\/v1\/models: HTTP 500: e{300}$/);
    expect(stream.bytes()).toBeLessThanOrEqual(8 * 1024);
  });

  it("a never-ending drip of tokens (never idle): ends at the bench's time limit, saying so", async () => {
    const url = await serve((req, res) => {
      if (req.url === "/v1/models") return void res.end(JSON.stringify({ data: [{ id: "m" }] }));
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => res.write('data: {"choices":[{"delta":{"content":"a"}}]}\n\n'), 20);
      res.on("close", () => clearInterval(timer));
    });
    const runner = new OpenAiRunner({ endpoint: url, servedModel: "m", hint: null, api: "chat", promptWords: 4, fetch: globalFetch, idleTimeoutMs: 300, deadline: { at: performance.now() + 600, limitMs: 600 } });
    const start = performance.now();
    await expect(runBench(runner, { runs: 1, warmup: 0, maxTokens: 4 })).rejects.toThrow(
      `streaming a completion: ${url}/v1/chat/completions still running when the bench's time limit of 0.6 s ran out (raise --max-time)`,
    );
    expect(performance.now() - start).toBeLessThan(3000);
    // Between runs too (an in-process runner cannot be stopped mid-run): no run starts after the limit.
    await expect(runBench(runner, { runs: 1, warmup: 0, maxTokens: 4, deadline: { at: performance.now() - 1, limitMs: 600 } })).rejects.toThrow(
      "the bench's time limit of 0.6 s ran out before run 1/1 (raise --max-time)",
    );
  });

  it("nodefit bench --max-time: the whole bench bounded; the flag checked first", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => res.write('data: {"choices":[{"delta":{"content":"a"}}]}\n\n'), 20);
      res.on("close", () => clearInterval(timer));
    });
    const io = captureIo();
    const start = performance.now();
    await expect(runBenchCommand({ endpoint: url, servedModel: "m", maxTime: "1", timeout: "5", dataDir: tempDataDir() }, io, opener)).rejects.toThrow(/time limit of 1 s ran out \(raise --max-time\)$/);
    expect(performance.now() - start).toBeLessThan(5000);
    expect(() => benchSettings({ maxTime: "0" }, 2)).toThrow("invalid --max-time value: use a whole number from 1 to 86400");
    expect(benchSettings({}, 2).maxTimeMs).toBe(3_600_000);
  });
});

describe("credentials never echoed", () => {
  it("--endpoint with credentials or a query: refused before anything runs, masked in the error", async () => {
    for (const endpoint of ["http://user:secret@127.0.0.1:1", "http://127.0.0.1:1/?key=secret", "user:secret@host:1"]) {
      const io = captureIo();
      const err = await runBenchCommand({ endpoint, dataDir: tempDataDir() }, io, opener).catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^invalid --endpoint value: use an http\(s\) URL/);
      expect((err as Error).message).not.toContain("secret");
    }
  });

  it("a runtime's error that quotes a URL: its credentials and query masked", async () => {
    const fetchFn: FetchFn = async (input) => {
      throw new TypeError(`fetch failed for https://user:secret@proxy.example/x?sig=secret (${input})`);
    };
    await expect(getJson("listing", "http://h:1/v1/models", { fetch: fetchFn, idleTimeoutMs: 5000 })).rejects.toThrow(
      "listing: http://h:1/v1/models: fetch failed for https://***@proxy.example/x?*** (http://h:1/v1/models)",
    );
  });
});

/** The command with a test's service: this node's machine, detected. */
const DETECTED: Machine = { ...machine({ ramGib: 64 }), origin: "detected" };
const opener: OpenService = async () =>
  new NodeService({ models: bundledModels(), source: { initial: () => Promise.resolve(DETECTED), refresh: null }, identity: DETECTED.node, refreshIntervalMs: 0, analyze: analyzeCatalog, estimate: runEstimateRequest });

function captureIo(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: { write: (s: string) => (io.out += s) },
    stderr: { write: (s: string) => (io.err += s) },
    env,
    readStdin: async () => "",
  };
  return io;
}

describe("nodefit bench (the command, with injected runtimes)", () => {
  it("an Ollama tag: run by Ollama, resolved by the catalog, the tag's quant, estimated beside, stored and printed", async () => {
    const dir = tempDataDir();
    const io = captureIo();
    const code = await runBenchCommand({ model: "llama3.2", runs: "2", json: true, dataDir: dir }, io, opener, { fetch: ollamaReplay().fetch });
    expect(code).toBe(0);
    const r = BenchmarkSchema.parse(JSON.parse(io.out));
    expect(r).toMatchObject({ id: 1, node: "test-node", model: "meta-llama/Llama-3.2-3B-Instruct", model_ref: "llama3.2", in_catalog: true, quant: "Q4_K_M", runtime: "llamacpp", via: "ollama", endpoint: "http://127.0.0.1:11434", runtime_version: "ollama 0.12.6" });
    expect(r.decode_tps).toEqual({ median: 61.2, min: 61.2, max: 61.2, spread_pct: 0, runs: 2 });
    expect(r.estimate).toMatchObject({ quant: "Q4_K_M", runtime: "llamacpp", run_mode: "cpu_only", context: 4096, calibration: expect.stringMatching(/llamacpp\/cpu/), device: "cpu Test CPU" });
    expect(r.measured_vs_estimated).toBeCloseTo(61.2 / r.estimate!.estimated_tps, 2);
    const store = await BenchmarkStore.open(`${dir}/benchmarks.db`);
    expect(store.list()).toEqual([r]);
    store.close();
  });

  it("text for people: the figures with their spread, the estimate, where it is stored", async () => {
    const dir = tempDataDir();
    const io = captureIo({ OLLAMA_HOST: "127.0.0.1:11434" });
    expect(await runBenchCommand({ model: "llama3.2:3b", runtime: "ollama", dataDir: dir }, io, opener, { fetch: ollamaReplay().fetch })).toBe(0);
    expect(io.out).toMatch(/^meta-llama\/Llama-3\.2-3B-Instruct Q4_K_M on llama\.cpp, Ollama API at http:\/\/127\.0\.0\.1:11434, ollama 0\.12\.6\n/);
    expect(io.out).toContain("  3 runs after 1 warm-up: 26-token prompt, 128 tokens each\n");
    expect(io.out).toMatch(/  decode   61\.2 tok\/s \(61\.2-61\.2, spread 0%\)   estimate [\d.]+ tok\/s/);
    expect(io.out).toContain(`stored as benchmark #1 in ${dir}/benchmarks.db`);
    expect(io.err).toContain("nodefit: bench http://127.0.0.1:11434: run 3/3");
  });

  it("--all-installed: Ollama tags through Ollama, the rest said why; the installed copies are the rows' installed_as", async () => {
    const io = captureIo();
    const installed = async () => [
      { modelId: "meta-llama/Llama-3.2-3B-Instruct", quant: "Q4_K_M", runtime: "ollama" as const, format: "gguf" as const, tag: "llama3.2:latest", path: "/m/blobs/sha256-1" },
      { modelId: "Qwen/Qwen3-8B", quant: "MLX-4BIT", runtime: "mlx" as const, format: "mlx" as const, tag: "mlx-community/Qwen3-8B-4bit", path: "/hf/qwen" },
    ];
    expect(await runBenchCommand({ allInstalled: true, runs: "1", json: true, dataDir: tempDataDir() }, io, opener, { fetch: ollamaReplay().fetch, installedModels: installed })).toBe(0);
    const out = JSON.parse(io.out) as { benchmarks: unknown[]; skipped: Array<{ model: string; why: string }>; failed: unknown[] };
    expect(out.benchmarks).toHaveLength(1);
    expect(out.skipped).toEqual([{ model: "Qwen/Qwen3-8B", path: "/hf/qwen", why: "mlx model served by mlx: bench its server with --endpoint URL --model Qwen/Qwen3-8B" }]);
    expect(out.failed).toEqual([]);
    // Without an injected list, the service's rows say what is installed (none on this test's service).
    const none = captureIo();
    expect(await runBenchCommand({ allInstalled: true, dataDir: tempDataDir() }, none, opener)).toBe(0);
    expect(none.out).toBe("no installed models found\n");
    const rows = [
      { name: "a/B", installed_as: [{ runtime: "ollama", store: "ollama", tag: "b:1b", revision: null, path: "/o/blob", format: "gguf", quant: "Q4_K_M", bytes: 1, size_gb: 0, identified_by: "name" }] },
      { name: "c/D", installed_as: [] },
    ] as unknown as ModelRowJson[];
    expect(installedOf(rows)).toEqual([{ modelId: "a/B", quant: "Q4_K_M", runtime: "ollama", format: "gguf", tag: "b:1b", path: "/o/blob" }]);
  });

  it("an OpenAI-compatible endpoint: estimated only when the model and the quant measured are known", async () => {
    const { url } = await openAiServer({ tokens: 4, firstMs: 1, gapMs: 1 });
    const run = async (flags: Record<string, string>) => {
      const io = captureIo();
      expect(await runBenchCommand({ endpoint: url, runs: "1", warmup: "0", maxTokens: "4", json: true, dataDir: tempDataDir(), ...flags }, io, opener)).toBe(0);
      return BenchmarkSchema.parse(JSON.parse(io.out));
    };
    // The served model names nothing in the catalog: filed under its name, no estimate.
    expect(await run({})).toMatchObject({ model: "served-model", in_catalog: false, quant: null, via: "openai", runtime: "llamacpp", runtime_version: "b6000-test", estimate: null, measured_vs_estimated: null });
    // A catalog model whose quant nobody said: no estimate of some other quant.
    expect(await run({ model: "Qwen/Qwen3-8B" })).toMatchObject({ model: "Qwen/Qwen3-8B", in_catalog: true, quant: null, estimate: null });
    const known = await run({ model: "Qwen/Qwen3-8B", quant: "q4_k_m", runtime: "lmstudio" });
    expect(known).toMatchObject({ model: "Qwen/Qwen3-8B", quant: "Q4_K_M", runtime: "llamacpp", estimate: { quant: "Q4_K_M", runtime: "llamacpp", context: 4096 } });
    expect(known.measured_vs_estimated).toBeGreaterThan(0);
  });

  it("--model TAG finds Ollama where the runtime endpoints setting says (the config file, NODEFIT_RUNTIME_ENDPOINTS), before OLLAMA_HOST", async () => {
    const file = (entries: string[]): LoadedConfig => ({
      file: { path: "/etc/nodefit/config.json", from: "--config", found: true },
      values: { runtime_endpoints: parseRuntimeEndpoints(entries, "runtime_endpoints", "config") },
    });
    const config = file(["ollama=http://127.0.0.1:11500", "vllm=http://127.0.0.1:8001"]);
    expect(benchTarget({ model: "qwen3:8b" }, { OLLAMA_HOST: "127.0.0.1:9999" }, config)).toMatchObject({ runtime: "ollama", endpoint: "http://127.0.0.1:11500" });
    expect(benchTarget({ runtime: "vllm" }, {}, config)).toMatchObject({ endpoint: "http://127.0.0.1:8001" });
    expect(benchTarget({ model: "qwen3:8b" }, { NODEFIT_RUNTIME_ENDPOINTS: "ollama=http://127.0.0.1:11600" }, config)).toMatchObject({ endpoint: "http://127.0.0.1:11600" });
    expect(benchTarget({ model: "qwen3:8b", endpoint: "http://127.0.0.1:1" }, {}, config)).toMatchObject({ endpoint: "http://127.0.0.1:1" });
    // A runtime not named keeps its default; Ollama's from OLLAMA_HOST.
    expect(benchTarget({ runtime: "lmstudio" }, {}, config)).toMatchObject({ endpoint: "http://127.0.0.1:1234" });
    expect(benchTarget({ model: "qwen3:8b" }, { OLLAMA_HOST: "127.0.0.1:9999" }, file(["vllm=off"]))).toMatchObject({ endpoint: "http://127.0.0.1:9999" });
    expect(() => benchTarget({ model: "qwen3:8b" }, {}, file(["ollama=off"]))).toThrow(
      "ollama is off in the runtime endpoints (/etc/nodefit/config.json): give its address with --endpoint URL",
    );
    expect(benchTarget({ allInstalled: true }, {}, file(["ollama=off"]))).toEqual({ kind: "installed", ollama: null });
    // End to end: the bench asks the Ollama the config file names.
    const asked: string[] = [];
    const replay = ollamaReplay();
    const io = captureIo({ OLLAMA_HOST: "127.0.0.1:9999" });
    const fetchFn: FetchFn = (input, init) => (asked.push(new URL(input).origin), replay.fetch(input, init));
    expect(await runBenchCommand({ model: "llama3.2", runs: "1", json: true, dataDir: tempDataDir() }, io, opener, { fetch: fetchFn }, file(["ollama=http://127.0.0.1:11500"]))).toBe(0);
    expect(new Set(asked)).toEqual(new Set(["http://127.0.0.1:11500"]));
    expect(JSON.parse(io.out)).toMatchObject({ endpoint: "http://127.0.0.1:11500" });
  });

  it("flags are parsed before anything runs", () => {
    expect(() => benchSettings({ runs: "0" }, 2)).toThrow("invalid --runs value: use a whole number from 1 to 100");
    expect(() => benchSettings({ maxTokens: "1" }, 2)).toThrow("invalid --max-tokens value: use a whole number from 2 to 8192");
    expect(benchSettings({}, 8)).toMatchObject({ runs: 3, warmup: 1, maxTokens: 128, promptTokens: 256, context: null, threads: 8, idleTimeoutMs: 120_000, gpu: "auto" });
    expect(() => benchTarget({ runtime: "tgi" }, {})).toThrow("invalid --runtime value: use ollama|llamacpp|lmstudio|vllm|mlx");
    expect(() => benchTarget({ gguf: "f.gguf", endpoint: "http://x" }, {})).toThrow(/--gguf runs that file in process/);
    expect(() => benchTarget({}, {})).toThrow(/^say what to bench/);
    expect(() => benchTarget({ runtime: "ollama" }, {})).toThrow(/--runtime ollama needs the tag/);
    expect(() => benchTarget({ endpoint: "http://u:secret@h:1" }, {})).toThrow("invalid --endpoint value: use an http(s) URL without credentials, query or fragment (got \"http://***@h:1\")");
    expect(benchTarget({ model: "qwen3:8b" }, {})).toEqual({ kind: "runtime", runtime: "ollama", endpoint: "http://127.0.0.1:11434", model: "qwen3:8b" });
    expect(benchTarget({ runtime: "vllm" }, {})).toEqual({ kind: "runtime", runtime: "vllm", endpoint: "http://127.0.0.1:8000", model: null });
  });
});
