#!/usr/bin/env node
// A small OpenAI-compatible streaming server over node-llama-cpp, for the bench's tests: a real llama.cpp runtime
// behind /v1/chat/completions (and /v1/completions) with `stream: true` and usage, like llama.cpp's own server.
// After each completion it asks llama.cpp for its own timings (llama_perf_context_print, through node-llama-cpp's
// printTimings) and keeps them with the time node-llama-cpp took between the first and the last token it yielded:
// GET /perf answers them, one entry per completion, for the tests to compare with.
// Usage: node llama-openai-server.mjs MODEL.gguf THREADS CONTEXT  -> prints "listening PORT", then "request N" per request.
import http from "node:http";
import { basename } from "node:path";

const [modelPath, threadsArg, contextArg] = process.argv.slice(2);
const threads = Number(threadsArg ?? 1);
const contextSize = Number(contextArg ?? 1024);
const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");

/** llama.cpp's own timings of each completion, parsed from its perf print. */
const perf = [];
let current = null;
const logger = (_level, message) => {
  const prompt = /prompt eval time =\s*([\d.]+) ms \/\s*(\d+) tokens/.exec(message);
  const evals = /(?<!prompt )eval time =\s*([\d.]+) ms \/\s*(\d+) runs/.exec(message);
  if (current && prompt) Object.assign(current, { promptMs: Number(prompt[1]), promptTokens: Number(prompt[2]) });
  if (current && evals) Object.assign(current, { evalMs: Number(evals[1]), evalRuns: Number(evals[2]) });
};

const llama = await getLlama({ gpu: false, build: "never", maxThreads: threads, logLevel: LlamaLogLevel.info, logger, progressLogs: false });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize, threads, sequences: 1, performanceTracking: true });
const sequence = context.getSequence();
// Counters start now: the load's own figures are printed and dropped.
await context.printTimings();

const id = basename(modelPath);
let requests = 0;
let busy = Promise.resolve();

async function complete(body, res) {
  const chat = Array.isArray(body.messages);
  const prompt = chat ? body.messages.map((m) => m.content).join("\n") : String(body.prompt ?? "");
  const max = Number(body.max_tokens ?? 16);
  const tokens = model.tokenize(prompt);
  await sequence.clearHistory();
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const base = { id: `cmpl-${requests}`, object: chat ? "chat.completion.chunk" : "text_completion", created: Math.floor(Date.now() / 1000), model: id, system_fingerprint: "node-llama-cpp-test" };
  const send = (obj) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
  let n = 0;
  let firstAt = 0;
  let lastAt = 0;
  for await (const token of sequence.evaluate(tokens, { temperature: 0 })) {
    lastAt = performance.now();
    if (n === 0) firstAt = lastAt;
    const text = model.detokenize([token]) || "·";
    send({ ...base, choices: [chat ? { index: 0, delta: { content: text }, finish_reason: null } : { index: 0, text, finish_reason: null }] });
    if (++n >= max) break;
  }
  // tokens: what node-llama-cpp yielded, and the time between the first and the last (what the server itself saw).
  current = { tokens: n, firstToLastMs: lastAt - firstAt, promptTokens: 0, promptMs: 0, evalRuns: 0, evalMs: 0 };
  await context.printTimings();
  perf.push(current);
  current = null;
  send({ ...base, choices: [chat ? { index: 0, delta: {}, finish_reason: "length" } : { index: 0, text: "", finish_reason: "length" }] });
  if (body.stream_options?.include_usage) send({ ...base, choices: [], usage: { prompt_tokens: tokens.length, completion_tokens: n, total_tokens: tokens.length + n } });
  res.end("data: [DONE]\n\n");
}

const server = http.createServer((req, res) => {
  const json = (status, obj) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(obj));
  if (req.method === "GET" && req.url === "/v1/models") return json(200, { object: "list", data: [{ id, object: "model", owned_by: "test" }] });
  if (req.method === "GET" && req.url === "/perf") return json(200, perf);
  if (req.method === "POST" && (req.url === "/v1/chat/completions" || req.url === "/v1/completions")) {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      requests++;
      process.stdout.write(`request ${requests}\n`);
      // One completion at a time, as a single-slot llama.cpp server runs them.
      busy = busy.then(() => complete(JSON.parse(raw), res)).catch((e) => {
        if (!res.headersSent) json(500, { error: { message: String(e) } });
        else res.end();
      });
    });
    return;
  }
  json(404, { error: { message: "not found" } });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${server.address().port}\n`));
