#!/usr/bin/env node
// Real-runtime check: GGUFs of real model shapes (random weights) run by llama.cpp through node-llama-cpp on this
// CPU, compared with nodefit's estimate for this machine (its measured RAM bandwidth). Prints a table and writes
// bench/report-llama-cpp.json. Installs node-llama-cpp 3.21.1 into bench/runtime/ on first use. The GGUFs come from the
// project's writer (test/support/gguf-writer.ts, TypeScript: hence tsx).
// Usage: npm run build && node --import tsx bench/llama-cpp-real.mjs [--quick]   (npm run bench:llama-cpp -- --quick)
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { estimate } from "../dist/estimate/estimate.js";
import { ArchitectureSchema } from "../dist/catalog/schema.js";
import { paramBreakdown } from "../dist/catalog/params.js";
import { measureRamBandwidth } from "../dist/hardware/measure-ram-bandwidth.js";
import { HOST_RUNTIME_BYTES } from "../dist/estimate/overhead.js";
import { llamaShape, writeGguf } from "../test/support/gguf-writer.ts";

const here = fileURLToPath(new URL(".", import.meta.url));
const runtimeDir = `${here}runtime`;
const modelsDir = `${here}.models`;
const NODE_LLAMA_CPP = "node-llama-cpp@3.21.1";

if (!existsSync(`${runtimeDir}/node_modules/node-llama-cpp`)) {
  mkdirSync(runtimeDir, { recursive: true });
  writeFileSync(`${runtimeDir}/package.json`, JSON.stringify({ name: "nodefit-bench-runtime", private: true }));
  console.error(`installing ${NODE_LLAMA_CPP} into ${runtimeDir} ...`);
  execFileSync("npm", ["install", "--no-audit", "--no-fund", NODE_LLAMA_CPP], { cwd: runtimeDir, stdio: "inherit" });
}
mkdirSync(modelsDir, { recursive: true });

/** Real shapes (config.json of each model), written as llama-architecture files (up to ~2 GB) with random weights. */
const SHAPES = [
  { name: "Qwen2.5-0.5B shape", type: "Q8_0", cfg: { nEmbd: 896, nLayer: 24, nHead: 14, nHeadKv: 2, nFf: 4864, nVocab: 151936 } },
  { name: "Llama-3.2-1B shape", type: "Q4_K", cfg: { nEmbd: 2048, nLayer: 16, nHead: 32, nHeadKv: 8, nFf: 8192, nVocab: 128256 } },
  { name: "TinyLlama-1.1B shape", type: "Q8_0", cfg: { nEmbd: 2048, nLayer: 22, nHead: 32, nHeadKv: 4, nFf: 5632, nVocab: 32000 } },
  { name: "Llama-3.2-3B shape", type: "Q4_K", cfg: { nEmbd: 3072, nLayer: 28, nHead: 24, nHeadKv: 8, nFf: 8192, nVocab: 128256 } },
];
const quick = process.argv.includes("--quick");
const shapes = quick ? SHAPES.slice(0, 2) : SHAPES;
const CONTEXT = 2048;

const threads = os.availableParallelism();
const bw = await measureRamBandwidth({ budgetMs: 400, threads });
if (!bw) throw new Error("RAM bandwidth probe failed");
console.error(`RAM read bandwidth (nodefit probe, ${threads} threads): ${bw.bandwidthGBps.toFixed(1)} GB/s`);

const machine = {
  node: { name: os.hostname(), os: "linux" },
  cpu: { name: os.cpus()[0]?.model ?? "cpu", cores: threads, threads, arch: "x86" },
  memory: {
    totalBytes: os.totalmem(), availableBytes: os.freemem(), hostTotalBytes: os.totalmem(), cgroupLimitBytes: null, swapTotalBytes: null,
    limitedBy: "host", bandwidthGBps: bw.bandwidthGBps, bandwidthSource: "measured (memchr probe)",
  },
  gpus: [], backend: "CPU (x86)", unifiedMemory: false, warnings: [], snapshotAt: null, origin: "detected",
};

const rows = [];
for (const s of shapes) {
  const file = `${modelsDir}/${s.name.replace(/[^\w.-]+/g, "_")}-${s.type}.gguf`;
  if (!existsSync(file)) {
    // Seeded random weights with finite, small values and block scales, so llama.cpp decodes real numbers; written
    // beside the cache and renamed, so an interrupted write is never taken for a finished file.
    const { metadata, tensors } = llamaShape({ ...s.cfg, ctx: 131072, type: s.type, name: s.name });
    writeGguf(`${file}.part`, metadata, tensors, { data: "random", seed: 1 });
    renameSync(`${file}.part`, file);
  }
  const probeModule = new URL("../dist/hardware/measure-ram-bandwidth.js", import.meta.url).href;
  const child = spawnSync(process.execPath, [`${here}llama-cpp-measure.mjs`, file, String(CONTEXT), runtimeDir, probeModule], { encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  const line = child.stdout.split("\n").find((l) => l.startsWith("{"));
  if (!line) throw new Error(`measurement failed for ${s.name}: ${child.stderr.slice(-2000)}`);
  const measured = JSON.parse(line);

  const headDim = s.cfg.nEmbd / s.cfg.nHead;
  const architecture = ArchitectureSchema.parse({
    type: "llama", layers: s.cfg.nLayer, hidden_size: s.cfg.nEmbd, ffn_size: s.cfg.nFf, attention_heads: s.cfg.nHead,
    kv_heads: s.cfg.nHeadKv, head_dim: headDim, vocab_size: s.cfg.nVocab, tied_embeddings: false, attention: { full_layers: s.cfg.nLayer },
  });
  const fileBytes = measured.modelBytes; // tensor bytes of the file, as llama.cpp reports them
  const model = {
    id: `bench/${s.name}`, provider: "bench", family: "bench", params_total: Math.round(paramBreakdown(architecture).total), params_active: null,
    context_length: 131072, architecture, license: "n/a", release_date: null, category: "general", capabilities: [], ollama: [],
    gguf_sources: [], gguf_files: [{ quant: "Q8_0", bytes: fileBytes, repo: file }], variants: [], aliases: [], sources: [], notes: null, caveats: [],
  };
  // The file's exact bytes stand in for the quant's (the writer uses one type throughout); the speed model is
  // nodefit's: bytes per token over the measured bandwidth.
  // The bandwidth nodefit measured in the same process just before this run's decode.
  const runMachine = { ...machine, memory: { ...machine.memory, bandwidthGBps: measured.ramBandwidthGBps ?? bw.bandwidthGBps } };
  const e = estimate({ model, machine: runMachine, quant: "Q8_0", contextTokens: CONTEXT });
  const allocatedMiB = measured.buffersMiB.model + measured.buffersMiB.kv + measured.buffersMiB.compute + measured.buffersMiB.output;
  // What llama.cpp itself allocates (model, KV, compute and output buffers) against the same part of the estimate:
  // the estimate's host-runtime allowance (process, tokenizer) has no llama.cpp counterpart and is left out.
  const estimatedMiB = (e.memory.requiredBytes - HOST_RUNTIME_BYTES) / 2 ** 20;
  rows.push({
    shape: s.name, type: s.type, fileMiB: fileBytes / 2 ** 20, ramBandwidthGBps: runMachine.memory.bandwidthGBps,
    streamedGBps: (measured.tokensPerSecond * e.basis.active_bytes_per_token_gib * 2 ** 30) / 1e9,
    measuredTps: measured.tokensPerSecond, estimatedTps: e.tokensPerSecond, speedErrorPct: (e.tokensPerSecond / measured.tokensPerSecond - 1) * 100,
    llamaCppAllocatedMiB: allocatedMiB, llamaCppBuffersMiB: measured.buffersMiB, rssGrowthMiB: measured.rssGrowthMiB,
    estimatedMiB, memoryErrorVsAllocatedPct: (estimatedMiB / allocatedMiB - 1) * 100,
    estimatedKvMiB: e.memory.kvCacheBytes / 2 ** 20,
    measuredPrefillTps: measured.prefillTokensPerSecond, estimatedPrefillTps: e.prefillTokensPerSecond,
    prefillErrorPct: e.prefillTokensPerSecond === null ? null : (e.prefillTokensPerSecond / measured.prefillTokensPerSecond - 1) * 100,
  });
}


const pad = (x, n) => String(x).padStart(n);
console.log(`\nllama.cpp (node-llama-cpp 3.21.1, CPU, ${threads} threads, context ${CONTEXT}) vs nodefit; RAM probe ${bw.bandwidthGBps.toFixed(1)} GB/s`);
console.log("shape                  type   file MiB  probe GB/s  streamed GB/s  tok/s meas  tok/s est  speed err  alloc MiB  est MiB  mem err  KV MiB est/llama.cpp");
for (const r of rows) {
  console.log(`${r.shape.padEnd(22)} ${r.type.padEnd(5)} ${pad(r.fileMiB.toFixed(0), 9)} ${pad(r.ramBandwidthGBps.toFixed(1), 11)} ${pad(r.streamedGBps.toFixed(1), 14)} ${pad(r.measuredTps.toFixed(1), 11)} ${pad(r.estimatedTps.toFixed(1), 10)} ${pad(r.speedErrorPct.toFixed(1) + "%", 10)} ${pad((r.llamaCppAllocatedMiB).toFixed(0), 10)} ${pad(r.estimatedMiB.toFixed(0), 8)} ${pad(r.memoryErrorVsAllocatedPct.toFixed(1) + "%", 8)} ${pad(r.estimatedKvMiB.toFixed(1), 8)}/${r.llamaCppBuffersMiB.kv.toFixed(1)}`);
}
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const speedMed = med(rows.map((r) => Math.abs(r.speedErrorPct)));
const memMed = med(rows.map((r) => Math.abs(r.memoryErrorVsAllocatedPct)));
console.log(`median |speed error| ${speedMed.toFixed(1)}% (target 25%); median |memory error| ${memMed.toFixed(1)}% (target 10%)`);
console.log("prefill (256-token prompt, time to the first token): " + rows.map((r) => `${r.shape} ${r.measuredPrefillTps.toFixed(0)} measured / ${r.estimatedPrefillTps?.toFixed(0) ?? "?"} estimated tok/s`).join("; "));
const prefillErrors = rows.filter((r) => r.prefillErrorPct !== null).map((r) => Math.abs(r.prefillErrorPct));
const prefillMed = prefillErrors.length ? med(prefillErrors) : null;
console.log(`median |prefill error| ${prefillMed === null ? "n/a" : prefillMed.toFixed(1) + "%"}`);
console.log("memory: estimate = weights + KV cache + compute buffer, against the buffers llama.cpp reports allocating;");
console.log("resident memory (RSS) is lower than allocated because llama.cpp's compute buffer is only partly touched at batch 1.");
writeFileSync(`${here}report-llama-cpp.json`, JSON.stringify({ date: new Date().toISOString(), threads, ramBandwidthGBps: bw.bandwidthGBps, context: CONTEXT, rows, speedMedianAbsErrorPct: speedMed, memoryMedianAbsErrorPct: memMed, prefillMedianAbsErrorPct: prefillMed }, null, 2));
