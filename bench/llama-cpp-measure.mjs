// Child process of llama-cpp-real.mjs: loads one GGUF with node-llama-cpp on the CPU, decodes, prints one JSON line.
// Runs alone in its process so its memory figures are its own.
import os from "node:os";
import { createRequire } from "node:module";

const [file, ctxArg, runtimeDir, probeModule] = process.argv.slice(2);
const require = createRequire(`${runtimeDir}/package.json`);
const { getLlama, LlamaLogLevel } = await import(require.resolve("node-llama-cpp"));

const buffers = { model: 0, kv: 0, compute: 0, output: 0 };
const logger = (_level, message) => {
  const m = /(\S+)\s+(model|KV|compute|output) buffer size =\s+([\d.]+) MiB/.exec(message);
  if (!m) return;
  const key = m[2] === "KV" ? "kv" : m[2];
  buffers[key] += Number(m[3]);
};
const threads = os.availableParallelism();
const contextSize = Number(ctxArg);
const llama = await getLlama({ gpu: false, maxThreads: threads, logLevel: LlamaLogLevel.info, logger });
const rssBefore = process.memoryUsage().rss;
const model = await llama.loadModel({ modelPath: file, useMmap: false });
const ctx = await model.createContext({ contextSize, threads });
const seq = ctx.getSequence();
// nodefit's RAM bandwidth probe, run right before decoding, so the estimate sees the memory this run sees.
const { measureRamBandwidth } = await import(probeModule);
const probe = await measureRamBandwidth({ budgetMs: 400, threads });
// A prompt of PROMPT_TOKENS tokens: the time to the first generated token measures prompt processing.
const PROMPT_TOKENS = 256;
const words = model.tokenize("the quick brown fox jumps over the lazy dog while the cat sleeps on a warm mat ");
const prompt = Array.from({ length: PROMPT_TOKENS }, (_, i) => words[i % words.length]);
const WARMUP = 8;
const TOKENS = 72;
let n = 0;
let t0 = 0;
const start = performance.now();
let firstAt = 0;
for await (const _ of seq.evaluate(prompt, { temperature: 0 })) {
  n++;
  if (n === 1) firstAt = performance.now();
  if (n === WARMUP) t0 = performance.now();
  if (n >= TOKENS) break;
}
const seconds = (performance.now() - t0) / 1000;
const prefillTokensPerSecond = PROMPT_TOKENS / ((firstAt - start) / 1000);
const rssAfter = process.memoryUsage().rss;
console.log(JSON.stringify({
  file, contextSize, threads, tokensPerSecond: (TOKENS - WARMUP) / seconds, prefillTokensPerSecond, ramBandwidthGBps: probe?.bandwidthGBps ?? null,
  buffersMiB: buffers, rssGrowthMiB: (rssAfter - rssBefore) / 2 ** 20, modelBytes: model.size,
}));
await ctx.dispose();
await model.dispose();
