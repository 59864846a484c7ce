#!/usr/bin/env node
// Agent over a synthetic catalog: N models made from the bundled catalog by renaming and perturbing entries, served
// by the same app and server code as `nodefit serve`, for a fixed described machine.
// Usage: node bench/catalog-server.mjs --models N [--no-envelope-cache]   (prints "listening on http://...")
import { readFileSync } from "node:fs";
import { bundledModels } from "../dist/catalog/bundled.js";
import { describeMachine } from "../dist/hardware/describe.js";
import { startServer } from "../dist/http/server.js";
import { analyzeCatalog } from "../dist/service/analyze.js";
import { runEstimateRequest } from "../dist/service/estimate-request.js";
import { fixedMachineSource } from "../dist/service/machine-source.js";
import { NodeService } from "../dist/service/node-service.js";

const args = process.argv.slice(2);
const count = Number(args[args.indexOf("--models") + 1]);
if (!Number.isInteger(count) || count < 1) throw new Error("usage: catalog-server.mjs --models N [--no-envelope-cache]");
const cache = !args.includes("--no-envelope-cache");

/** Entry i: bundled entry i mod n, renamed, with its own architecture object (no shared per-object caches),
 *  vocabulary and context perturbed so rows differ in size, speed and score. */
function syntheticCatalog(n) {
  const base = bundledModels();
  const contexts = [0.5, 1, 2];
  return Array.from({ length: n }, (_, i) => {
    const m = base[i % base.length];
    if (i < base.length) return m;
    const architecture = structuredClone(m.architecture);
    architecture.vocab_size += (i * 37) % 4096;
    const scale = 1 + ((i % 21) - 10) / 100;
    return {
      ...m,
      id: `${m.id}-syn${i}`,
      aliases: [],
      ollama: [],
      params_total: Math.round(m.params_total * scale),
      params_active: m.params_active === null ? null : Math.round(m.params_active * scale),
      context_length: Math.max(2048, Math.round(m.context_length * contexts[i % 3])),
      architecture,
    };
  });
}

const machine = describeMachine(JSON.parse(readFileSync(new URL("../test/cli/fixtures/rtx4090.json", import.meta.url), "utf8")));
const started = performance.now();
const service = new NodeService({
  models: syntheticCatalog(count),
  source: fixedMachineSource(machine),
  identity: machine.node,
  refreshIntervalMs: 0,
  warmDefaultAnalysis: true,
  analyze: analyzeCatalog,
  estimate: (body, ctx) => runEstimateRequest(body, { ...ctx, describeMachine: (d) => describeMachine(d) }),
});
const server = await startServer(service, {
  target: { kind: "tcp", host: "127.0.0.1", port: 0 },
  warn: (m) => console.error(m),
  ...(cache ? {} : { envelopeCache: { entries: 0, bytes: 0 } }),
});
console.log(`listening on ${server.address}`);
await service.rows(null, null);
console.log(`analyzed ${count} models in ${Math.round(performance.now() - started)} ms`);
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
