// A model's page, on this node or a described machine: the estimate (fit, speed with its range, memory as stacked
// bars), the context-vs-memory curve and the quant ladder (each point an estimate of its own), the other options the
// estimator tried, notes, estimate_basis, and the command that measures the same figure.
import { useEffect, useState } from "preact/hooks";
import type uPlot from "uplot";
import { GGUF_LADDER, MLX_LADDER, VLLM_LADDER } from "../../domain/quants.js";
import { api, estimate, pool, type Envelope, type Estimate, type EstimateRequest, type Row } from "../api.js";
import { axis, Chart, type ChartColors } from "../components/chart.js";
import { CopyCommand, ErrorBox, FitBadge, Fields, Loading, MoreFields, ObjectTable, Panel, Value } from "../components/common.js";
import { MemoryBars } from "../components/memory-bar.js";
import { FIT_LABELS, gb, isNum, KV_CACHE_TYPES, ms, params as paramsText, range, RUN_MODE_LABELS, RUNTIMES, RUNTIME_LABELS, tokens, tps } from "../format.js";
import { describe, formFromParams, hasMachine, machineParams, summary } from "../machine.js";
import { href, navigate, withParams, type Params } from "../route.js";
import { CONTEXTS } from "./models.js";

/** The quants tried per runtime, best quality first: the estimator's own ladders. */
const LADDERS: Readonly<Record<string, readonly string[]>> = { llamacpp: GGUF_LADDER, mlx: MLX_LADDER, vllm: VLLM_LADDER };

/** Estimates already answered in this tab, by request (the same request is not sent twice). */
const answered = new Map<string, Promise<Estimate>>();
const ANSWERS_KEPT = 2000;

export function cachedEstimate(request: EstimateRequest): Promise<Estimate> {
  const key = JSON.stringify(request);
  let hit = answered.get(key);
  if (hit === undefined) {
    hit = estimate(request);
    hit.catch(() => answered.delete(key));
    answered.set(key, hit);
    if (answered.size > ANSWERS_KEPT) answered.delete(answered.keys().next().value!);
  }
  return hit;
}

const KNOWN_ESTIMATE = [
  "model", "resolved_from", "quant", "weights_repo", "context", "kv_cache_type", "runtime", "run_mode", "fit_level", "memory",
  "estimated_tps", "tps_range", "prefill_tps", "ttft_ms", "usable_context", "concurrent_sessions", "estimate_basis", "notes",
  "verify_command", "alternatives",
];

/** Powers of two from 1K to the model's native context (at most a dozen points), and the native context itself. */
export function curveContexts(native: number): number[] {
  const out: number[] = [];
  for (let c = 1024; c < native; c *= 2) out.push(c);
  out.push(native);
  while (out.length > 12) out.splice(1, 1);
  return out;
}

function SpeedRange({ e }: { e: Estimate }) {
  const [lo, hi] = e.tps_range ?? [e.estimated_tps, e.estimated_tps];
  const scale = Math.max(hi, e.estimated_tps, 0.1) * 1.1;
  return (
    <div class="speed">
      <p class="big">
        {tps(e.estimated_tps)} <span class="unit">tok/s</span>
      </p>
      {e.estimated_tps > 0 && (
        <>
          <div class="range-track" aria-hidden="true">
            <div class="range-band" style={{ left: `${(lo / scale) * 100}%`, width: `${((hi - lo) / scale) * 100}%` }} />
            <div class="range-dot" style={{ left: `${(e.estimated_tps / scale) * 100}%` }} />
          </div>
          <p class="muted">
            Likely between {range(e.tps_range)} tok/s (the calibration's measured error{isNum(e.estimate_basis["bandwidth_assumed_pct"]) && (e.estimate_basis["bandwidth_assumed_pct"] as number) > 0 ? ", widened by an assumed bandwidth" : ""}).
          </p>
        </>
      )}
    </div>
  );
}

interface CurvePoint {
  context: number;
  e: Estimate;
}

function ContextCurve({ points, current }: { points: readonly CurvePoint[]; current: number }) {
  const [at, setAt] = useState<number | null>(null);
  const xs = points.map((p) => p.context);
  const data: uPlot.AlignedData = [
    xs,
    points.map((p) => p.e.memory.required_gb),
    points.map((p) => p.e.memory.kv_cache_gb),
    points.map((p) => p.e.memory.available_gb),
    points.map((p) => (p.e.estimated_tps > 0 ? p.e.estimated_tps : null)),
  ];
  const build = (width: number, c: ChartColors): uPlot.Options => ({
    width,
    height: 260,
    legend: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false }, points: { size: 7 } },
    scales: { x: { time: false, distr: 3, log: 2 }, gb: { range: (_u, _min, max) => [0, max * 1.08] }, tps: { range: (_u, _min, max) => [0, max * 1.15] } },
    axes: [
      axis(c, { values: (_u, vals) => vals.map((v) => (v === null || v === undefined ? "" : tokens(v))), label: "context (tokens)", size: 40 }),
      axis(c, { scale: "gb", label: "GB", size: 52 }),
      axis(c, { scale: "tps", side: 1, label: "tok/s", size: 52, grid: { show: false } }),
    ],
    series: [
      {},
      { label: "Required", scale: "gb", stroke: c.accent, width: 2, points: { show: true, size: 5, fill: c.accent } },
      { label: "KV cache", scale: "gb", stroke: c.accent2, width: 2, points: { show: true, size: 4, fill: c.accent2 } },
      { label: "Available", scale: "gb", stroke: c.muted, width: 1.5, dash: [6, 4], points: { show: false } },
      { label: "tok/s", scale: "tps", stroke: c.warn, width: 1.5, dash: [2, 3], points: { show: true, size: 4, fill: c.warn } },
    ],
    hooks: { setCursor: [(u) => setAt(u.cursor.idx ?? null)] },
  });
  const shown = points[at ?? points.findIndex((p) => p.context === current)] ?? points[points.length - 1];
  return (
    <>
      <Chart
        build={build}
        data={data}
        version={points.map((p) => `${p.context}:${p.e.memory.required_gb}:${p.e.estimated_tps}`).join(",")}
        label={`Memory required from ${tokens(xs[0])} to ${tokens(xs[xs.length - 1])} tokens of context: ${gb(points[0]?.e.memory.required_gb)} to ${gb(points[points.length - 1]?.e.memory.required_gb)}; the table below lists every point.`}
      >
        <ul class="legend" aria-hidden="true">
          <li><span class="swatch line-required" /> Required</li>
          <li><span class="swatch line-kv" /> KV cache</li>
          <li><span class="swatch line-available" /> Available</li>
          <li><span class="swatch line-tps" /> tok/s (right axis)</li>
        </ul>
      </Chart>
      {shown && (
        <p class="readout">
          At {tokens(shown.context)} tokens: {gb(shown.e.memory.required_gb)} required (KV cache {gb(shown.e.memory.kv_cache_gb)}) of {gb(shown.e.memory.available_gb)},{" "}
          {tps(shown.e.estimated_tps)} tok/s, {FIT_LABELS[shown.e.fit_level] ?? shown.e.fit_level} ({RUN_MODE_LABELS[shown.e.run_mode] ?? shown.e.run_mode}).
        </p>
      )}
      <details>
        <summary>Every point as a table</summary>
        <div class="scroll" tabIndex={0} role="region" aria-label="Context vs memory">
          <table class="compact">
            <thead>
              <tr>
                <th scope="col">Context</th>
                <th scope="col" class="num">Required</th>
                <th scope="col" class="num">KV cache</th>
                <th scope="col" class="num">Available</th>
                <th scope="col" class="num">tok/s</th>
                <th scope="col">Fit</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.context} aria-current={p.context === current ? "true" : undefined}>
                  <td>{tokens(p.context)}</td>
                  <td class="num">{gb(p.e.memory.required_gb)}</td>
                  <td class="num">{gb(p.e.memory.kv_cache_gb)}</td>
                  <td class="num">{gb(p.e.memory.available_gb)}</td>
                  <td class="num">{tps(p.e.estimated_tps)}</td>
                  <td>
                    <FitBadge level={p.e.fit_level} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

function QuantLadder({ rungs, current, onPick }: { rungs: readonly Estimate[]; current: string; onPick: (quant: string) => void }) {
  const scaleGb = Math.max(...rungs.map((r) => Math.max(r.memory.required_gb, r.memory.available_gb)), 0.01);
  const scaleTps = Math.max(...rungs.map((r) => r.estimated_tps), 0.01);
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label="Quant ladder">
      <table class="ladder">
        <thead>
          <tr>
            <th scope="col">Quant</th>
            <th scope="col">Memory</th>
            <th scope="col">tok/s</th>
            <th scope="col">Fit</th>
            <th scope="col">Runs on</th>
          </tr>
        </thead>
        <tbody>
          {rungs.map((r) => {
            const active = r.quant === current;
            return (
              <tr key={r.quant} class={active ? "current" : ""} aria-current={active ? "true" : undefined}>
                <th scope="row">
                  <button type="button" class="link" onClick={() => onPick(r.quant)} aria-label={`Use ${r.quant}`} disabled={active}>
                    {r.quant}
                  </button>
                </th>
                <td>
                  <div class="cell-bar" aria-hidden="true">
                    <div class={`cell-fill fit-${r.fit_level}`} style={{ width: `${(r.memory.required_gb / scaleGb) * 100}%` }} />
                  </div>
                  {gb(r.memory.required_gb)}
                </td>
                <td>
                  <div class="cell-bar" aria-hidden="true">
                    <div class="cell-fill tps-fill" style={{ width: `${(r.estimated_tps / scaleTps) * 100}%` }} />
                  </div>
                  {tps(r.estimated_tps)}
                </td>
                <td>
                  <FitBadge level={r.fit_level} />
                </td>
                <td>
                  {RUN_MODE_LABELS[r.run_mode] ?? r.run_mode} · {RUNTIME_LABELS[r.runtime] ?? r.runtime}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Control({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: ReadonlyArray<[string, string]>; onChange: (v: string) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
        {options.map(([v, t]) => (
          <option key={v} value={v}>
            {t}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ModelView({ name, params }: { name: string; params: URLSearchParams }) {
  const onMachine = hasMachine(params);
  const form = formFromParams(params);
  const machine = onMachine ? describe(form) : undefined;
  const contextParam = Number(params.get("context") ?? "");
  const context = Number.isInteger(contextParam) && contextParam > 0 ? contextParam : undefined;
  const quant = params.get("quant") || undefined;
  const runtime = params.get("runtime") || undefined;
  const kv = params.get("kv") || undefined;
  const request: EstimateRequest = { model: name };
  if (machine) request.machine = machine;
  if (context) request.context = context;
  if (quant) request.quant = quant;
  if (runtime) request.runtime = runtime;
  if (kv) request.kv_cache_type = kv;
  const key = JSON.stringify(request);

  const [est, setEst] = useState<{ key: string; e: Estimate } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [curve, setCurve] = useState<CurvePoint[] | null>(null);
  const [ladder, setLadder] = useState<Estimate[] | null>(null);
  const [row, setRow] = useState<Row | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    cachedEstimate(request).then(
      (e) => live && setEst({ key, e }),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const e = est?.e ?? null;
  const resolved = e?.model?.name ?? null;
  // The curve and the ladder: the chosen quant and runtime held, one estimate per point.
  const shapeKey = e ? JSON.stringify([resolved, e.quant, e.runtime, e.kv_cache_type, e.context, machine ?? null]) : null;
  useEffect(() => {
    if (!e || !resolved) return;
    const controller = new AbortController();
    const base: EstimateRequest = { model: resolved, runtime: e.runtime, kv_cache_type: e.kv_cache_type };
    if (machine) base.machine = machine;
    const contexts = curveContexts(e.model?.context_length ?? e.context);
    if (!contexts.includes(e.context)) contexts.push(e.context);
    contexts.sort((a, b) => a - b);
    const points: CurvePoint[] = [];
    setCurve(null);
    setLadder(null);
    void pool(contexts, 4, (c) => cachedEstimate({ ...base, quant: e.quant, context: c }), (c, r) => {
      if (!(r instanceof Error)) points.push({ context: c, e: r });
    }, controller.signal).then(() => {
      if (!controller.signal.aborted) setCurve(points.sort((a, b) => a.context - b.context));
    });
    const quants = [...(LADDERS[e.runtime] ?? [])];
    if (!quants.includes(e.quant)) quants.unshift(e.quant);
    const rungs = new Map<string, Estimate>();
    void pool(quants, 4, (q) => cachedEstimate({ ...base, quant: q, context: e.context }), (_q, r) => {
      if (!(r instanceof Error) && !rungs.has(r.quant)) rungs.set(r.quant, r);
    }, controller.signal).then(() => {
      if (!controller.signal.aborted) setLadder([...rungs.values()].sort((a, b) => b.memory.required_gb - a.memory.required_gb));
    });
    return () => controller.abort();
  }, [shapeKey]);

  // This node's row of the model: the score and the verify command the API gives rows.
  useEffect(() => {
    if (onMachine || !resolved || !e) return;
    let live = true;
    const q = new URLSearchParams({ max_context: String(e.context), force_runtime: e.runtime, include_too_tight: "true" });
    api<Envelope>(`/api/v1/models/${encodeURIComponent(resolved)}?${q}`).then(
      (env) => live && setRow(env.models.find((m) => m.name === resolved) ?? null),
      () => live && setRow(null),
    );
    return () => {
      live = false;
    };
  }, [onMachine, resolved, e?.context, e?.runtime]);

  const set = (changes: Params): void => navigate(href("model", withParams(params, changes), name));
  const machineLink = onMachine ? href("machine", machineParams(params)) : null;

  if (error !== null)
    return (
      <>
        <h1 tabIndex={-1}>{name}</h1>
        <ErrorBox error={error} what="this model's estimate" />
        <p>
          <a href={href("models", { search: name })}>Search the models for “{name}”</a>
        </p>
      </>
    );
  if (!e) return (
    <>
      <h1 tabIndex={-1}>{name}</h1>
      <Loading what="the estimate" />
    </>
  );

  const native = e.model?.context_length ?? e.context;
  const contextOptions = [...new Set([...CONTEXTS.filter((c) => c <= native), native, e.context])].sort((a, b) => a - b);
  const verify = typeof e.verify_command === "string" ? e.verify_command : row && row.best_quant === e.quant && row.runtime === e.runtime ? row.verify_command : null;
  const alternatives = Array.isArray(e["alternatives"]) ? (e["alternatives"] as Array<Record<string, unknown>>) : [];

  return (
    <>
      <h1 tabIndex={-1}>{resolved ?? name}</h1>
      <p class="lede">
        {e.model && (
          <>
            {e.model.provider} · {paramsText(e.model.params_b)} parameters
            {e.model.is_moe && isNum(e.model.active_params_b) ? ` (${paramsText(e.model.active_params_b)} active, MoE)` : ""} · {e.model.category} · native context {tokens(native)}
          </>
        )}
      </p>
      {onMachine ? (
        <p class="machine-banner">
          On another machine: <strong>{summary(form)}</strong> · <a href={machineLink!}>Change machine</a> ·{" "}
          <a href={href("model", { context: params.get("context"), quant, runtime, kv }, resolved ?? name)}>This node instead</a>
        </p>
      ) : null}
      {e.resolved_from && e.resolved_from.input !== resolved && (
        <p class="resolved">
          “{e.resolved_from.input}” resolved to {resolved}
          {e.resolved_from.matched_by ? `, by ${String(e.resolved_from.matched_by).replace(/_/g, " ")}` : ""}
          {isNum(e.resolved_from.confidence) ? ` (confidence ${Math.round(e.resolved_from.confidence * 100)}%)` : ""}.
        </p>
      )}

      <form class="filters controls" aria-label="Estimate settings" onSubmit={(ev) => ev.preventDefault()}>
        <Control id="m-context" label="Context" value={String(context ?? "")} options={[["", `Default (${tokens(e.context)})`], ...contextOptions.map((c): [string, string] => [String(c), tokens(c)])]} onChange={(v) => set({ context: v })} />
        <Control
          id="m-quant"
          label="Quant"
          value={quant ?? ""}
          options={[["", `Best that fits (${e.quant})`], ...[...new Set([...(LADDERS[runtime ?? e.runtime] ?? []), ...Object.values(LADDERS).flat()])].map((q): [string, string] => [q, q])]}
          onChange={(v) => set({ quant: v })}
        />
        <Control id="m-runtime" label="Runtime" value={runtime ?? ""} options={[["", `Automatic (${RUNTIME_LABELS[e.runtime] ?? e.runtime})`], ...RUNTIMES.map((r): [string, string] => [r, RUNTIME_LABELS[r]!])]} onChange={(v) => set({ runtime: v, quant: "" })} />
        <Control id="m-kv" label="KV cache" value={kv ?? ""} options={[["", `Default (${e.kv_cache_type})`], ...KV_CACHE_TYPES.map((k): [string, string] => [k, k])]} onChange={(v) => set({ kv: v })} />
      </form>
      <p class="count" role="status">
        {est?.key === key ? "" : "Updating… "}
        {FIT_LABELS[e.fit_level]} at {e.quant} with {tokens(e.context)} tokens of context: {tps(e.estimated_tps)} tok/s, {gb(e.memory.required_gb)}.
      </p>

      <div class="grid two">
        <Panel title="Fit and speed" id="fit-h">
          <p>
            <FitBadge level={e.fit_level} /> {RUN_MODE_LABELS[e.run_mode] ?? e.run_mode} · {RUNTIME_LABELS[e.runtime] ?? e.runtime} · <strong>{e.quant}</strong> · KV {e.kv_cache_type}
          </p>
          <SpeedRange e={e} />
          <dl class="facts">
            <div>
              <dt>Prompt speed</dt>
              <dd>{isNum(e.prefill_tps) ? `${tps(e.prefill_tps)} tok/s` : "–"}</dd>
            </div>
            <div>
              <dt>First token</dt>
              <dd>{ms(e.ttft_ms)}</dd>
            </div>
            <div>
              <dt>Usable context</dt>
              <dd>{tokens(e.usable_context)}</dd>
            </div>
            <div>
              <dt>Sessions at once</dt>
              <dd>{e.concurrent_sessions}</dd>
            </div>
            {row && (
              <div>
                <dt>Score here</dt>
                <dd>{row.score.toFixed(1)}</dd>
              </div>
            )}
            {row && row.installed !== null && row.installed !== undefined && (
              <div>
                <dt>Installed here</dt>
                <dd>
                  <Value value={row.installed} />
                </dd>
              </div>
            )}
            {row && isNum(row.measured_tps) && (
              <div>
                <dt>Measured here</dt>
                <dd>{tps(row.measured_tps)} tok/s</dd>
              </div>
            )}
            <div>
              <dt>Weights</dt>
              <dd>{e.weights_repo ?? "no repository in this format"}</dd>
            </div>
          </dl>
        </Panel>
        <Panel title="Memory" id="mem-h">
          <MemoryBars memory={e.memory} required={e.memory.required_gb} available={e.memory.available_gb} />
        </Panel>
      </div>

      <Panel title="Context vs memory" id="curve-h">
        <p class="muted">
          {e.quant} on {RUNTIME_LABELS[e.runtime] ?? e.runtime}, one estimate per context.
        </p>
        {curve ? curve.length > 0 ? <ContextCurve points={curve} current={e.context} /> : <p>No point could be estimated.</p> : <Loading what="the curve" />}
      </Panel>

      <Panel title="Quant ladder" id="ladder-h">
        <p class="muted">
          Every quant {RUNTIME_LABELS[e.runtime] ?? e.runtime} tries, at {tokens(e.context)} tokens. Pick one to see its estimate.
        </p>
        {ladder ? <QuantLadder rungs={ladder} current={e.quant} onPick={(q) => set({ quant: q, runtime: e.runtime })} /> : <Loading what="the ladder" />}
      </Panel>

      {alternatives.length > 0 && (
        <Panel title="Other options tried" id="alt-h">
          <ObjectTable rows={alternatives} caption="Other options the estimator tried" />
        </Panel>
      )}

      <Panel title="Notes" id="notes-h">
        {e.notes.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <ul class="notes">
            {e.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        )}
      </Panel>

      <Panel title="Measure it" id="verify-h">
        {verify ? (
          <>
            <p class="muted">A command that measures the same figure on the machine:</p>
            <CopyCommand command={verify} name="Verify command" />
          </>
        ) : row ? (
          <>
            <p class="muted">
              The command for this node's choice ({row.best_quant} on {row.runtime_label}); run it with {e.quant} to measure this estimate:
            </p>
            <CopyCommand command={row.verify_command} name="Verify command" />
          </>
        ) : (
          <p class="muted">{onMachine ? "Open this model on this node for its command." : "Loading…"}</p>
        )}
      </Panel>

      <section class="panel" aria-labelledby="basis-h">
        <h2 id="basis-h">Estimate basis</h2>
        <details>
          <summary>Every input and intermediate figure ({Object.keys(e.estimate_basis).length})</summary>
          <Fields object={e.estimate_basis} />
        </details>
      </section>

      <MoreFields object={e} known={KNOWN_ESTIMATE} title="More from the estimate" />
    </>
  );
}
