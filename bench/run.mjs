#!/usr/bin/env node
// HTTP benchmarks of the node agent (`npm run bench`): throughput against plain node:http serving the same bytes,
// p99 at 32 connections, cold start, memory after 100k requests, a 60 s soak, synthetic 1k / 10k-model catalogs,
// and `nodefit estimate --batch` of 1,000 lines. Ratios are measured in one run, interleaved, with the same load
// generator (autocannon, in this process; each server in its own process). Prints a summary and writes
// bench/report.json. Loopback only; every run is bounded in time or count.
// Usage: npm run build && node bench/run.mjs [--quick] [--only=ratio,cold,rss,soak,catalog,batch]
import autocannon from "autocannon";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, get, request } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const MAIN = path.join(root, "dist/cli/main.js");
const MACHINE = path.join(root, "test/cli/fixtures/rtx4090.json");
const args = process.argv.slice(2);
/**
 * The Node flags the agent runs with, as `npm start` gives them (package.json's start script): the bench measures the
 * agent as it is served. `--max-semi-space-size=2` keeps V8's young generation small (README, Serving: memory).
 */
const AGENT_NODE_FLAGS = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/cli\/main\.js serve\b/.exec(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts.start)?.[1]?.trim().split(/\s+/) ?? [];
const QUICK = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",") ?? null;
const runs = (section) => only === null || only.includes(section);
const tmp = mkdtempSync(path.join(os.tmpdir(), "nodefit-bench-"));

/** Seconds per measured autocannon run (ratio rounds, catalog runs). */
const RUN_S = QUICK ? 3 : 6;
const ROUNDS = QUICK ? 1 : 2;
const CONNECTIONS = 32;
const SOAK_S = QUICK ? 15 : 60;
const COLD_STARTS = QUICK ? 3 : 7;
const SOAK_SAMPLE_MS = 2_000;

const TARGETS = {
  ratio: { top: 0.7, models: 0.5 },
  p99TopMs: 5,
  coldStartMs: 500,
  rssMb: 150,
  soakRssGrowth: 0.1,
};

// ---------- helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** Spawns a server process and resolves with its base URL once it prints "listening on URL". */
function spawnServer(argv, label) {
  const child = spawn(process.execPath, argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.setEncoding("utf8").on("data", (c) => (err += c));
  const url = new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (c) => {
      out += c;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`${label} exited ${code}: ${err}`)));
  });
  return { child, url, output: () => out, errors: () => err };
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(6_000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

function fetchBytes(url) {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

async function waitFor(url, status = 200, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetchBytes(url)).status === status) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** Resident memory of a process, MB (Linux /proc; null elsewhere). */
function rssMb(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
    return round(kb / 1024);
  } catch {
    return null;
  }
}

/** One connection, one request at a time, each timed with the high-resolution clock: latency without queueing. */
async function sequential(base, paths, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const ms = [];
  let errors = 0;
  const once = (p) =>
    new Promise((resolve) => {
      const t = process.hrtime.bigint();
      request(new URL(p, base), { agent }, (res) => {
        res.on("data", () => {});
        res.on("end", () => {
          ms.push(Number(process.hrtime.bigint() - t) / 1e6);
          if (res.statusCode !== 200) errors += 1;
          resolve();
        });
      })
        .on("error", () => ((errors += 1), resolve()))
        .end();
    });
  for (let i = 0; i < count; i++) await once(paths[i % paths.length]);
  agent.destroy();
  ms.sort((a, b) => a - b);
  const at = (q) => round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))], 2);
  return { requests: count, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: round(ms.at(-1), 2), errors };
}

async function load(options) {
  const r = await autocannon({ connections: CONNECTIONS, pipelining: 1, timeout: 10, ...options });
  return {
    reqPerSec: round(r.requests.average),
    total: r.requests.total,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    mbPerSec: round(r.throughput.average / 1e6),
  };
}

const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? "?"}`,
  loadAverage: os.loadavg().map((x) => round(x, 2)),
  quick: QUICK,
  targets: TARGETS,
  results: {},
};
const lines = [];
const say = (line) => {
  lines.push(line);
  console.log(line);
};

// ---------- cold start: spawn the built CLI and poll /health

async function coldStart() {
  const healthy = [];
  const ready = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const t0 = performance.now();
    // The production path: this machine's hardware detected (a --machine file without --node-name would make /health
    // wait for the app, as only the file knows the node's name).
    const s = spawnServer([...AGENT_NODE_FLAGS, MAIN, "serve", "--port", "0", "--log-level", "silent"], "serve");
    const url = await s.url;
    await waitFor(`${url}/health`);
    healthy.push(performance.now() - t0);
    await waitFor(`${url}/ready`);
    ready.push(performance.now() - t0);
    await stop(s.child);
  }
  const r = { healthyMs: { median: round(median(healthy), 0), min: round(Math.min(...healthy), 0), max: round(Math.max(...healthy), 0) }, readyMs: { median: round(median(ready), 0) }, runs: COLD_STARTS };
  report.results.coldStart = r;
  say(`cold start to first healthy /health: median ${r.healthyMs.median} ms (min ${r.healthyMs.min}, max ${r.healthyMs.max}); to /ready ${r.readyMs.median} ms  [target <= ${TARGETS.coldStartMs} ms]`);
}

// ---------- throughput ratio against plain node:http serving the same bytes

async function ratio(agentUrl) {
  const paths = { top: "/api/v1/models/top", models: "/api/v1/models" };
  const files = [];
  for (const [name, p] of Object.entries(paths)) {
    const { body } = await fetchBytes(`${agentUrl}${p}`);
    const file = path.join(tmp, `${name}.json`);
    writeFileSync(file, body);
    files.push(`${p}=${file}`);
  }
  const plain = spawnServer([path.join(root, "bench/plain-server.mjs"), ...files], "plain server");
  const plainUrl = await plain.url;
  try {
    const out = {};
    for (const [name, p] of Object.entries(paths)) {
      // Warm both (JIT, caches), then alternate plain and agent runs.
      await load({ url: `${plainUrl}${p}`, duration: 1 });
      await load({ url: `${agentUrl}${p}`, duration: 1 });
      const plainRuns = [];
      const agentRuns = [];
      for (let round_ = 0; round_ < ROUNDS; round_++) {
        plainRuns.push(await load({ url: `${plainUrl}${p}`, duration: RUN_S }));
        agentRuns.push(await load({ url: `${agentUrl}${p}`, duration: RUN_S }));
      }
      const mean = (rs, k) => rs.reduce((s, r) => s + r[k], 0) / rs.length;
      const bytes = readFileSync(files.find((f) => f.startsWith(`${p}=`)).split("=")[1]).length;
      const r = {
        bytes,
        plainReqPerSec: round(mean(plainRuns, "reqPerSec")),
        agentReqPerSec: round(mean(agentRuns, "reqPerSec")),
        ratio: round(mean(agentRuns, "reqPerSec") / mean(plainRuns, "reqPerSec"), 2),
        agentP99Ms: Math.max(...agentRuns.map((x) => x.p99Ms)),
        plainP99Ms: Math.max(...plainRuns.map((x) => x.p99Ms)),
        agentErrors: agentRuns.reduce((s, x) => s + x.errors + x.timeouts + x.non2xx, 0),
        target: TARGETS.ratio[name],
      };
      out[name] = r;
      say(
        `${p} (${r.bytes} B): agent ${r.agentReqPerSec} req/s vs plain node:http ${r.plainReqPerSec} req/s = ${r.ratio}x [target >= ${r.target}x]; ` +
          `p99 at ${CONNECTIONS} connections ${r.agentP99Ms} ms (plain ${r.plainP99Ms} ms); errors ${r.agentErrors}`,
      );
    }
    report.results.ratio = out;
  } finally {
    await stop(plain.child);
  }
}

// ---------- memory after 100k requests

async function rss100k(agentUrl, pid) {
  const before = rssMb(pid);
  const requests = [
    { path: "/api/v1/models/top" },
    { path: "/api/v1/models/top?limit=10&min_fit=good" },
    { path: "/api/v1/models/top?use_case=coding" },
    { path: "/api/v1/system" },
    { path: "/health" },
    { path: "/api/v1/models/qwen?limit=5" },
    { path: "/api/v1/models/top?sort=tps&limit=20" },
    { path: "/metrics" },
  ];
  const amount = QUICK ? 30_000 : 100_000;
  const r = await load({ url: agentUrl, amount, requests });
  const after = rssMb(pid);
  report.results.rssAfterRequests = { requests: r.total, rssBeforeMb: before, rssAfterMb: after, errors: r.errors + r.timeouts + r.non2xx, reqPerSec: r.reqPerSec, target: TARGETS.rssMb };
  say(`RSS after ${r.total} mixed requests: ${after} MB (before ${before} MB) at ${r.reqPerSec} req/s, errors ${r.errors + r.timeouts + r.non2xx}  [target <= ${TARGETS.rssMb} MB]`);
}

// ---------- soak: steady mixed load, RSS sampled

async function soak(agentUrl, pid) {
  const requests = [
    { path: "/api/v1/models/top" },
    { path: "/api/v1/models/top?limit=10&min_fit=good&use_case=coding" },
    { path: "/api/v1/system" },
    { path: "/health" },
    { path: "/ready" },
    { path: "/api/v1/models?limit=50&sort=mem" },
    { path: "/api/v1/models/llama?runtime=llamacpp" },
    { method: "POST", path: "/api/v1/estimate", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "Qwen/Qwen3-8B", context: 16384 }) },
  ];
  const samples = [];
  const t0 = performance.now();
  const sampler = setInterval(() => samples.push({ s: round((performance.now() - t0) / 1000, 0), rssMb: rssMb(pid) }), SOAK_SAMPLE_MS);
  const r = await load({ url: agentUrl, duration: SOAK_S, requests, connections: 16 });
  clearInterval(sampler);
  // RSS saw-tooths with garbage collection (the estimate requests allocate); a leak shows as rising troughs, so the
  // lowest sample of the first window after warm-up is compared with the lowest of the last window.
  const windowS = Math.min(20, SOAK_S / 3);
  const first = samples.filter((x) => x.s >= 10 && x.s < 10 + windowS).map((x) => x.rssMb);
  const last = samples.filter((x) => x.s > SOAK_S - windowS).map((x) => x.rssMb);
  const baseline = Math.min(...first);
  const end = Math.min(...last);
  const peak = Math.max(...samples.map((x) => x.rssMb));
  const growth = round((end - baseline) / baseline, 3);
  const errors = r.errors + r.timeouts + r.non2xx;
  report.results.soak = { seconds: SOAK_S, requests: r.total, reqPerSec: r.reqPerSec, errors, p99Ms: r.p99Ms, rssTroughFirstMb: baseline, rssTroughLastMb: end, rssPeakMb: peak, rssTroughGrowth: growth, rssSamples: samples, target: TARGETS.soakRssGrowth };
  say(
    `soak ${SOAK_S} s: ${r.total} requests (${r.reqPerSec} req/s), errors ${errors}, p99 ${r.p99Ms} ms; RSS troughs ${baseline} MB (from 10 s) -> ${end} MB (last ${windowS} s), ` +
      `growth ${round(growth * 100)}%, peak ${peak} MB  [target: 0 errors, flat within ${TARGETS.soakRssGrowth * 100}%]`,
  );
}

// ---------- synthetic catalogs

async function catalogs() {
  const out = {};
  const queries = [];
  for (const useCase of ["coding", "general", "chat", "reasoning"])
    for (const minFit of ["good", "marginal"]) for (const sort of ["score", "tps", "params"]) queries.push({ path: `/api/v1/models/top?use_case=${useCase}&min_fit=${minFit}&sort=${sort}` });
  for (const n of [1_000, 10_000]) {
    const entry = {};
    for (const cached of [true, false]) {
      const s = spawnServer([path.join(root, "bench/catalog-server.mjs"), "--models", String(n), ...(cached ? [] : ["--no-envelope-cache"])], "catalog server");
      const url = await s.url;
      const t0 = performance.now();
      await waitFor(`${url}/ready`, 200, 300_000);
      const readyMs = performance.now() - t0;
      try {
        await load({ url: `${url}/api/v1/models/top`, duration: 1 });
        const sequentialCount = cached ? (QUICK ? 2_000 : 5_000) : QUICK ? 100 : 300;
        const single = await sequential(url, ["/api/v1/models/top"], sequentialCount);
        const varied = await sequential(url, queries.map((q) => q.path), sequentialCount);
        const many = await load({ url: `${url}/api/v1/models/top`, duration: RUN_S });
        entry[cached ? "cached" : "uncached"] = {
          analysisMs: Number(/analyzed \d+ models in (\d+) ms/.exec(s.output())?.[1] ?? NaN) || round(readyMs, 0),
          top1Connection: single,
          varied1Connection: { queries: queries.length, ...varied },
          top32Connections: { reqPerSec: many.reqPerSec, p50Ms: many.p50Ms, p99Ms: many.p99Ms },
          errors: single.errors + varied.errors + many.errors + many.non2xx,
          rssMb: rssMb(s.child.pid),
        };
      } finally {
        await stop(s.child);
      }
      const e = entry[cached ? "cached" : "uncached"];
      say(
        `${n} models, envelope cache ${cached ? "on" : "off"}: analysis ${e.analysisMs} ms; /top at 1 connection p50 ${e.top1Connection.p50Ms} ms, p99 ${e.top1Connection.p99Ms} ms; ` +
          `${queries.length} varied /top queries p99 ${e.varied1Connection.p99Ms} ms; at ${CONNECTIONS} connections ${e.top32Connections.reqPerSec} req/s, p99 ${e.top32Connections.p99Ms} ms; ` +
          `errors ${e.errors}; RSS ${e.rssMb} MB  [target /top p99 <= ${TARGETS.p99TopMs} ms]`,
      );
    }
    out[n] = entry;
  }
  report.results.catalogs = out;
}

// ---------- nodefit estimate --batch of 1,000 lines

function batch() {
  const models = ["Qwen/Qwen3-8B", "qwen3:30b-a3b", "meta-llama/Llama-3.1-8B-Instruct", "Qwen3-32B-Q4_K_M.gguf", "llama 3.3 70b", "no-such-model-at-all"];
  const machines = [undefined, { ram_gb: 32, cpu_cores: 8 }, { ram_gb: 256, gpus: [{ name: "NVIDIA H100 80GB HBM3", count: 4 }] }, { ram_gb: 48, gpus: [{ name: "Apple M4 Pro" }] }];
  const contexts = [undefined, 4096, 32768, 131072];
  const jsonl = Array.from({ length: 1000 }, (_, i) => {
    const req = { model: models[i % models.length] };
    const machine = machines[i % machines.length];
    const context = contexts[Math.floor(i / 7) % contexts.length];
    if (machine) req.machine = machine;
    if (context) req.context = context;
    return JSON.stringify(req);
  }).join("\n");
  const file = path.join(tmp, "batch.jsonl");
  writeFileSync(file, `${jsonl}\n`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [MAIN, "estimate", "--batch", file, "--machine", MACHINE], { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - t0;
  const out = r.stdout.split("\n").filter((l) => l !== "");
  const errors = out.filter((l) => l.startsWith('{"error"')).length;
  report.results.estimateBatch = { lines: 1000, outputLines: out.length, errorLines: errors, exitCode: r.status, ms: round(ms, 0), perLineMs: round(ms / 1000, 2) };
  say(`nodefit estimate --batch 1000 lines: ${round(ms, 0)} ms (${round(ms / 1000, 2)} ms/line, process start included); ${out.length} results, ${errors} {"error"} lines (the unknown model), exit ${r.status}`);
}

// ---------- run

const started = performance.now();
try {
  if (runs("cold")) await coldStart();
  if (runs("ratio") || runs("rss") || runs("soak")) {
    const agent = spawnServer([...AGENT_NODE_FLAGS, MAIN, "serve", "--port", "0", "--machine", MACHINE, "--log-level", "warn"], "agent");
    const agentUrl = await agent.url;
    try {
      await waitFor(`${agentUrl}/ready`);
      if (runs("ratio")) await ratio(agentUrl);
      if (runs("rss")) await rss100k(agentUrl, agent.child.pid);
      if (runs("soak")) await soak(agentUrl, agent.child.pid);
      const stderr = agent.errors().trim();
      if (stderr !== "") say(`agent stderr: ${stderr.slice(0, 500)}`);
    } finally {
      await stop(agent.child);
    }
  }
  if (runs("catalog")) await catalogs();
  if (runs("batch")) batch();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
report.totalSeconds = round((performance.now() - started) / 1000, 0);
report.summary = lines;
writeFileSync(path.join(root, "bench/report.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(`bench done in ${report.totalSeconds} s: bench/report.json`);
