// `npm run calibrate`: fits the decode constants on the dev set (test/fixtures/reference) and prints, per device
// class and overall, the in-sample and leave-one-device-out cross-validated errors beside llmfit's naive formula.
// `-- --write` writes src/estimate/data/decode-fit.json (what the estimator reads); `-- --rows` prints every row.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { classKeyOf, evaluate, median, prepare, type Evaluation } from "./calibrate/fit.js";
import { memoryChecks } from "./calibrate/memory.js";

const args = process.argv.slice(2);
const { samples, skipped } = prepare();
const { table, evaluations } = evaluate(samples);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const within = (xs: number[], bound: number): string => `${((xs.filter((x) => Math.abs(x) <= bound).length / Math.max(1, xs.length)) * 100).toFixed(0)}%`;

function line(label: string, es: readonly Evaluation[]): string {
  const cv = es.map((e) => e.crossValidated);
  return [
    label.padEnd(34),
    String(es.length).padStart(5),
    String(new Set(es.map((e) => e.sample.row.device)).size).padStart(4),
    pct(median(es.map((e) => Math.abs(e.inSample)))).padStart(9),
    pct(median(cv.map(Math.abs))).padStart(9),
    within(cv, 0.25).padStart(7),
    pct(median(es.map((e) => Math.abs(e.naive)))).padStart(9),
  ].join(" ");
}

const usable = samples.length + skipped.filter((s) => !s.row.excluded).length;
console.log(`dev set: ${samples.length + skipped.length} rows; ${skipped.filter((s) => s.row.excluded).length} left out by rule, ${usable} usable, ${samples.length} estimated`);
const reasons = new Map<string, number>();
for (const s of skipped) reasons.set(s.why, (reasons.get(s.why) ?? 0) + 1);
for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${why}`);
// Resolution: of the usable rows, those whose model and quant strings the resolver and the request parser accept.
const unresolved = skipped.filter((s) => !s.row.excluded && (s.why.startsWith("model") || s.why.startsWith("request"))).length;
console.log(`resolution: ${usable - unresolved} of ${usable} usable rows name a model and quant nodefit resolves (${pct((usable - unresolved) / usable)}); \`--unresolved\` lists the rest`);
console.log("");
console.log(`${"class (runtime/class)".padEnd(34)}  rows  dev  in-sample  LODO-cv  cv<=25%  naive 0.55xBW`);
const byClass = new Map<string, Evaluation[]>();
for (const e of evaluations) byClass.set(classKeyOf(e.sample.keys[0]!), [...(byClass.get(classKeyOf(e.sample.keys[0]!)) ?? []), e]);
for (const [k, es] of [...byClass].sort()) console.log(line(k, es));
for (const source of ["public", "community"] as const) console.log(line(`all ${source}`, evaluations.filter((e) => e.sample.row.source === source)));
console.log(line("all", evaluations));
console.log("");
console.log("entries (the estimator uses the most specific one a device has):");
for (const [k, p] of Object.entries(table).sort())
  console.log(`  ${k.padEnd(34)} eff ${p.bandwidthEfficiency.toFixed(3)}  layer ${String(p.perLayerMicros).padStart(6)} us  moe ${String(p.perMoeLayerMicros).padStart(6)} us  linear ${String(p.perLinearLayerMicros).padStart(6)} us  ${String(p.rows).padStart(4)} rows ${String(p.devices).padStart(3)} dev  answers: in ${p.inSampleMedianErrorPct ?? "-"}%  cv ${p.cvMedianErrorPct ?? "-"}%  range ${p.rangePct}%`);

if (args.includes("--rows")) {
  console.log("");
  for (const e of [...evaluations].sort((a, b) => Math.abs(b.crossValidated) - Math.abs(a.crossValidated))) {
    const r = e.sample.row;
    console.log(`${pct(e.crossValidated).padStart(8)} ${pct(e.inSample).padStart(8)}  ${r.device.slice(0, 28).padEnd(28)} ${String(r.request["model"]).slice(0, 40).padEnd(40)} ${String(r.request["quant"] ?? "").padEnd(8)} ${r.runtime.padEnd(8)} ${r.measuredTps.toFixed(1).padStart(7)}  ${e.cvKey}`);
  }
}

if (args.includes("--write")) {
  const out = fileURLToPath(new URL("../src/estimate/data/decode-fit.json", import.meta.url));
  const fit = { generated: "npm run calibrate -- --write (scripts/calibrate.ts) from test/fixtures/reference; do not edit", rows: samples.length, devices: new Set(samples.map((s) => s.row.device)).size, entries: table };
  writeFileSync(out, `${JSON.stringify(fit, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}

if (args.includes("--unresolved")) {
  console.log("\nrows whose model or quant does not resolve:");
  const counts = new Map<string, number>();
  for (const s of skipped)
    if (!s.row.excluded && (s.why.startsWith("model") || s.why.startsWith("request"))) {
      const k = `${String(s.row.request["model"])}  [quant ${String(s.row.request["quant"] ?? "-")}]  ${s.why}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(4)}  ${k}`);
}

{
  const { checks, skipped: memSkipped } = memoryChecks();
  const errs = checks.map((c) => c.err);
  console.log(`\nmemory: ${checks.length} rows of measured peak VRAM; median |error| ${pct(median(errs.map(Math.abs)))}, within 10% ${within(errs, 0.1)}, median signed ${pct(median(errs))} (estimate / peak - 1)`);
  for (const [why, n] of [...memSkipped].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  left out: ${why}`);
  if (args.includes("--rows")) for (const c of [...checks].sort((a, b) => Math.abs(b.err) - Math.abs(a.err))) console.log(`${pct(c.err).padStart(8)}  ${c.device.padEnd(28)} ${c.model.padEnd(44)} ${c.quant.padEnd(8)} est ${c.estimatedGib.toFixed(2)} / peak ${c.measuredGib.toFixed(2)}`);
}
