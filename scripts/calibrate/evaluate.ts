// First look: the current estimator on the dev set, by source and device (no fitting).
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { bundledModels } from "../../src/catalog/bundled.js";
import { runEstimateRequest } from "../../src/service/estimate-request.js";
import { describeMachine } from "../../src/hardware/describe.js";
import { communityRows, publicRows, type DevRow } from "./dev-set.js";

const models = bundledModels();
const here = describeMachine({ ram_gb: 16 });
const spec = process.argv.includes("--spec");
const rows = [...publicRows(), ...communityRows()];
const out: Array<{ row: DevRow; predicted: number | null; why: string | null }> = [];
for (const row of rows) {
  if (row.excluded) continue;
  try {
    const req = parseEstimateRequest(spec ? { ...row.request, machine: row.machineWithSpec } : row.request);
    const r = runEstimateRequest(req, { models, machine: here });
    out.push({ row, predicted: r.estimated_tps, why: r.estimated_tps > 0 ? null : `zero (${r.fit_level}, ${r.run_mode})` });
  } catch (e) {
    out.push({ row, predicted: null, why: (e as Error).message.slice(0, 90) });
  }
}
const med = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[s.length >> 1]! : NaN; };
for (const source of ["public", "community"] as const) {
  const mine = out.filter((o) => o.row.source === source);
  const ok = mine.filter((o) => o.predicted && o.predicted > 0);
  const errs = ok.map((o) => Math.abs(o.predicted! / o.row.measuredTps - 1));
  console.log(`${source}: ${rows.filter((r) => r.source === source).length} rows, ${mine.length} used, ${ok.length} estimated, median |err| ${(med(errs) * 100).toFixed(1)}%, within 25% ${((errs.filter((e) => e <= 0.25).length / Math.max(1, errs.length)) * 100).toFixed(0)}%`);
  const whys = new Map<string, number>();
  for (const o of mine) if (o.why) whys.set(o.why.replace(/"[^"]*"/g, '"…"'), (whys.get(o.why.replace(/"[^"]*"/g, '"…"')) ?? 0) + 1);
  for (const [w, n] of [...whys].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`   ${n} x ${w}`);
  const byDevice = new Map<string, number[]>();
  for (const o of ok) byDevice.set(o.row.device, [...(byDevice.get(o.row.device) ?? []), o.predicted! / o.row.measuredTps - 1]);
  for (const [d, e] of [...byDevice].sort()) console.log(`   ${d.padEnd(50)} ${String(e.length).padStart(4)}  median signed ${(med(e) * 100).toFixed(0)}%  median |err| ${(med(e.map(Math.abs)) * 100).toFixed(0)}%`);
}
const excl = new Map<string, number>();
for (const r of rows) if (r.excluded) excl.set(`${r.source}: ${r.excluded}`, (excl.get(`${r.source}: ${r.excluded}`) ?? 0) + 1);
console.log("excluded:", Object.fromEntries(excl));
if (process.argv.includes("--unresolved")) {
  const counts = new Map<string, number>();
  for (const o of out) if (o.predicted === null && o.why) {
    const k = `${String(o.row.request["model"])}  [quant ${String(o.row.request["quant"])}]  -> ${o.why.slice(0, 40)}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(3)}  ${k}`);
}
