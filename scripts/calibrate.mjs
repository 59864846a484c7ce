#!/usr/bin/env node
// Calibration report: runs the built estimator on every usable row of the public decode speeds (the project's fixture
// test/fixtures/reference/decode-speeds.csv, written by scripts/reference-fixtures.ts) and prints the error per device
// class, plus the least-squares (efficiency, per-layer) fit the constants in src/estimate/calibration.ts come from.
// Usage: npm run calibrate [-- [path/to/decode-speeds.csv] [--rows]]
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { bundledModels } from "../dist/catalog/bundled.js";
import { estimate } from "../dist/estimate/estimate.js";
import { quantName } from "../dist/domain/quants.js";
import { appleEffectiveTflops, deviceClass } from "../dist/estimate/calibration.js";
import { lookupGpu } from "../dist/hardware/knowledge/lookup.js";

const csvPath = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? fileURLToPath(new URL("../test/fixtures/reference/decode-speeds.csv", import.meta.url));
if (!existsSync(csvPath)) {
  console.error(`dev set not found at ${csvPath}: pass its path`);
  process.exit(1);
}

/** The decode-speeds.csv columns this report reads. */
const COLUMNS = ["device", "gpu_count", "mem_bandwidth_gbps", "backend", "model", "quant", "decode_tps", "prefill_tps", "notes"];

function readDevSet(path) {
  const rows = parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true });
  const missing = COLUMNS.filter((c) => rows.length > 0 && !(c in rows[0]));
  if (missing.length > 0) {
    console.error(`${path} lacks column(s) ${missing.join(", ")}: pass a decode-speeds.csv (npm run fixtures:reference writes it)`);
    process.exit(1);
  }
  return rows;
}

/** Dev-set model names -> catalog ids (same tensor shapes). */
const MODEL_IDS = [
  [/^(Llama-2-7B|Llama-7B|CodeLlama-7B)/, "meta-llama/Llama-2-7b-chat-hf"],
  [/^Llama-2-13B/, "meta-llama/Llama-2-13b-chat-hf"],
  [/^Llama-2-70B/, "meta-llama/Llama-2-70b-chat-hf"],
  [/^Meta-Llama-3-8B/, "meta-llama/Meta-Llama-3-8B-Instruct"],
  [/^Llama-3\.1-8B/, "meta-llama/Llama-3.1-8B-Instruct"],
  [/^Meta-Llama-3-70B/, "meta-llama/Meta-Llama-3-70B-Instruct"],
  [/^Llama-3\.1-70B/, "meta-llama/Llama-3.1-70B-Instruct"],
  [/^Llama-3\.2-3B/, "meta-llama/Llama-3.2-3B-Instruct"],
  [/^DeepSeek-R1-Distill-Qwen-14B/, "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B"],
  [/^Qwen2\.5-14B/, "Qwen/Qwen2.5-14B-Instruct"],
  [/^Qwen3-4B/, "Qwen/Qwen3-4B"],
  [/^Mistral-7B-Instruct-v0\.2/, "mistralai/Mistral-7B-Instruct-v0.2"],
  [/^gpt-oss-20b/, "openai/gpt-oss-20b"],
  [/^TinyLlama/, "TinyLlama/TinyLlama-1.1B-Chat-v1.0"],
];

function machineFor(row) {
  const chip = row.device;
  const backendText = row.backend;
  const bw = Number(row.mem_bandwidth_gbps);
  const count = Number(row.gpu_count || 1);
  const apple = chip.startsWith("Apple");
  const backend = /vulkan/i.test(backendText) ? "Vulkan" : apple ? "Metal" : /rocm/i.test(backendText) ? "ROCm" : "CUDA";
  const vendor = apple ? "apple" : /AMD|Radeon|Ryzen/.test(chip) ? "amd" : "nvidia";
  const unified = apple || /GB10|Spark|Jetson|Ryzen AI/.test(chip);
  const cpuOnly = /^CPU/i.test(backendText);
  const vramGib = 512; // the dev set's rows all ran fully offloaded; memory is not what is being calibrated here
  const gpus = cpuOnly ? [] : Array.from({ length: count }, (_, index) => ({
    index, name: chip, vendor, backend, memoryTotalBytes: vramGib * 2 ** 30, memoryFreeBytes: vramGib * 2 ** 30,
    memoryBandwidthGBps: bw, fp16Tflops: null, unifiedMemory: unified, integrated: false, uuid: null, pciBusId: null,
    computeCapability: null, gpuCores: null, memorySource: "dev set", bandwidthSource: "dev set",
  }));
  return {
    node: { name: "dev-set", os: "linux" },
    cpu: { name: "dev set", cores: 16, threads: null, arch: "x86" },
    memory: { totalBytes: 1024 * 2 ** 30, availableBytes: 1024 * 2 ** 30, hostTotalBytes: 1024 * 2 ** 30, cgroupLimitBytes: null, swapTotalBytes: null, limitedBy: "description", bandwidthGBps: cpuOnly ? bw : 80, bandwidthSource: "dev set" },
    gpus, backend: cpuOnly ? "CPU (x86)" : backend, unifiedMemory: unified, warnings: [], snapshotAt: null, origin: "described",
  };
}

const EXCLUDE = /outlier|do not use|does not fit|larger than GPU|anomalous/i;
const rows = readDevSet(csvPath);
const models = new Map(bundledModels().map((m) => [m.id, m]));
const results = [];
const skipped = [];
for (const row of rows) {
  const tps = Number(row.decode_tps);
  const why =
    !tps ? "no decode figure" :
    !row.mem_bandwidth_gbps ? "no bandwidth (CPU row)" :
    EXCLUDE.test(row.notes) ? "marked as an outlier in the dev set" :
    /GPU\/CPU|split/i.test(row.backend) ? "partial offload row" :
    /unknown/i.test(row.backend) ? null : null;
  const id = MODEL_IDS.find(([re]) => re.test(row.model))?.[1];
  if (why || !id || !models.has(id)) { skipped.push(`${row.device} / ${row.model}: ${why ?? "model not in catalog"}`); continue; }
  const machine = machineFor(row);
  const quant = quantName(/UD-Q4_K_XL/.test(row.model) ? "Q4_K_M" : row.quant);
  if (quant === null) { skipped.push(`${row.device} / ${row.model}: quant ${row.quant} unknown`); continue; }
  const e = estimate({ model: models.get(id), machine, quant, contextTokens: 128, runtime: "llamacpp" });
  const gpu = machine.gpus[0] ?? null;
  const cls = deviceClass(gpu, machine.backend);
  const appleCores = Number(/\((\d+) GPU cores?\)/.exec(row.device)?.[1] ?? NaN);
  const appleTflops = cls === "apple" && appleCores > 0 ? appleEffectiveTflops(row.device, appleCores) : null;
  const spec = gpu ? lookupGpu({ name: row.device.replace(/\s*\(.*$/, "").replace(/\s+\d+GB.*$/, "") })?.spec ?? null : null;
  results.push({ row, cls, tflops: appleTflops ?? spec?.fp16Tflops ?? null, activeParams: e.basis.params_active_per_token, promptParams: e.basis.params_prompt_per_token, pp: Number(row.prefill_tps) || null, predicted: e.tokensPerSecond, measured: tps, err: e.tokensPerSecond / tps - 1,
    bytes: e.basis.active_bytes_per_token_gib * 2 ** 30, layers: e.basis.layers, bw: Number(row.mem_bandwidth_gbps), count: machine.gpus.length });
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const pct = (x) => `${(x * 100).toFixed(1)}%`;

/** Grid least squares on log error for t = bytes / (bw x eff x gpus-in-series...) + layers x perLayer. */
function fit(rs) {
  let best = null;
  for (let eff = 0.3; eff <= 1.0001; eff += 0.01) {
    for (let us = 0; us <= 200; us += 1) {
      let sse = 0;
      for (const r of rs) {
        const t = r.bytes / (r.bw * 1e9 * eff) + (r.layers * us) / 1e6 + (r.count > 1 ? ((r.count - 1) * 100) / 1e6 : 0);
        sse += Math.log(1 / t / r.measured) ** 2;
      }
      if (!best || sse < best.sse) best = { eff: Math.round(eff * 100) / 100, us, sse };
    }
  }
  return best;
}

console.log(`dev set: ${rows.length} rows; estimated ${results.length}; skipped ${skipped.length}\n`);
console.log("class            rows  median|err|  within25%  p80|err|  fit: efficiency  per-layer-us");
const classes = [...new Set(results.map((r) => r.cls))].sort();
for (const cls of classes) {
  const rs = results.filter((r) => r.cls === cls);
  const abs = rs.map((r) => Math.abs(r.err));
  const within = abs.filter((a) => a <= 0.25).length / abs.length;
  const sorted = [...abs].sort((a, b) => a - b);
  const p80 = sorted[Math.min(sorted.length - 1, Math.floor(0.8 * sorted.length))];
  const f = fit(rs.filter((r) => r.count === 1));
  console.log(`${cls.padEnd(16)} ${String(rs.length).padStart(4)}  ${pct(median(abs)).padStart(11)}  ${pct(within).padStart(9)}  ${pct(p80).padStart(8)}  ${f ? String(f.eff).padStart(15) : "".padStart(15)}  ${f ? String(f.us).padStart(12) : ""}`);
}
const all = results.map((r) => Math.abs(r.err));
console.log(`${"all".padEnd(16)} ${String(results.length).padStart(4)}  ${pct(median(all)).padStart(11)}  ${pct(all.filter((a) => a <= 0.25).length / all.length).padStart(9)}`);
if (process.argv.includes("--rows")) {
  console.log("\nper row (predicted / measured tok/s):");
  for (const r of results) console.log(`  ${r.cls.padEnd(14)} ${r.row.device.slice(0, 30).padEnd(30)} x${r.count} ${r.row.model.slice(0, 26).padEnd(26)} ${r.row.quant.padEnd(7)} ${r.predicted.toFixed(1).padStart(7)} / ${r.measured.toFixed(1).padStart(7)}  ${pct(r.err).padStart(7)}`);
  console.log("\nskipped:");
  for (const s of skipped) console.log(`  ${s}`);
}

// Prefill: share of the device's dense FP16 TFLOPS a 512-token prompt reached (2 FLOPs per prompt parameter per token:
// the LM head runs for the last token only).
const pp = results.filter((r) => r.pp && r.tflops && r.count === 1);
console.log(`\nprefill (pp512) rows with a known TFLOPS figure: ${pp.length}`);
console.log("class            rows  median efficiency  (measured pp tok/s x 2 x prompt params / TFLOPS)");
for (const cls of [...new Set(pp.map((r) => r.cls))].sort()) {
  const effs = pp.filter((r) => r.cls === cls).map((r) => (r.pp * 2 * r.promptParams) / (r.tflops * 1e12));
  console.log(`${cls.padEnd(16)} ${String(effs.length).padStart(4)}  ${median(effs).toFixed(2).padStart(17)}`);
}

