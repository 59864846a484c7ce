// Another machine: a form and presets that describe a machine, then the same views for it, from the estimator
// (POST /api/v1/estimate with the machine, once per model): the figures it completed, the models ranked by fit and
// speed, and speed vs memory. Every model links to its page on that machine.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, pool, type Envelope, type Estimate, type EstimateRequest, type Row } from "../api.js";
import { Scatter, type ScatterPoint } from "../components/chart.js";
import { ErrorBox, Loading, Panel } from "../components/common.js";
import { lineOfEstimate, RowsTable, type Line } from "../components/rows-table.js";
import { FIT_LABELS, FIT_LEVELS, gb, RUNTIMES, RUNTIME_LABELS, tokens, tps } from "../format.js";
import { describe, EMPTY_FORM, formFromParams, hasMachine, machineParams, paramsOfForm, PRESETS, summary, type MachineForm } from "../machine.js";
import { href, navigate, query, withParams, type Params } from "../route.js";
import { cachedEstimate } from "./model.js";
import { CONTEXTS, USE_CASES } from "./models.js";
import { PointsTable, SCATTER_GROUPS } from "./scatter.js";

const SORTS: ReadonlyArray<[string, string]> = [
  ["fit", "Fit, then quality"],
  ["fit_tps", "Fit, then speed"],
  ["tps", "Speed (tok/s)"],
  ["mem", "Memory"],
  ["params", "Parameters"],
  ["ctx", "Usable context"],
  ["score", "Quality"],
];
/** The model's quality index (0-100, from published benchmarks: README "Quality"), as this node's row states it. */
const qualityOf = (row: Row): number | null => {
  const q = (row["score_components"] as Record<string, unknown> | undefined)?.["quality"];
  return typeof q === "number" ? q : null;
};
const FIT_RANK: Readonly<Record<string, number>> = Object.fromEntries(FIT_LEVELS.map((f, i) => [f, i]));
const SHOWN = 50;

function sortLines(lines: Line[], sort: string): Line[] {
  const by: Record<string, (a: Line, b: Line) => number> = {
    fit: (a, b) => (FIT_RANK[a.fit_level] ?? 9) - (FIT_RANK[b.fit_level] ?? 9) || (b.score ?? 0) - (a.score ?? 0),
    fit_tps: (a, b) => (FIT_RANK[a.fit_level] ?? 9) - (FIT_RANK[b.fit_level] ?? 9) || b.tps - a.tps,
    tps: (a, b) => b.tps - a.tps,
    mem: (a, b) => b.required_gb - a.required_gb,
    params: (a, b) => (b.params_b ?? 0) - (a.params_b ?? 0),
    ctx: (a, b) => b.usable_context - a.usable_context,
    score: (a, b) => (b.score ?? 0) - (a.score ?? 0),
  };
  const cmp = by[sort] ?? by["fit"]!;
  // As the API sorts: models that do not fit last, whatever the column.
  return lines.sort((a, b) => Number(a.fit_level === "too_tight") - Number(b.fit_level === "too_tight") || cmp(a, b) || a.name.localeCompare(b.name));
}

function Input({ id, label, value, onInput, hint, ...rest }: { id: string; label: string; value: string; onInput: (v: string) => void; hint?: string } & Record<string, unknown>) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} value={value} onInput={(e) => onInput((e.target as HTMLInputElement).value)} aria-describedby={hint ? `${id}-hint` : undefined} {...rest} />
      {hint && (
        <span id={`${id}-hint`} class="hint">
          {hint}
        </span>
      )}
    </div>
  );
}

function MachineFormView({ initial, filters }: { initial: MachineForm; filters: Params }) {
  const [form, setForm] = useState(initial);
  useEffect(() => setForm(initial), [JSON.stringify(initial)]);
  const field = (k: keyof MachineForm) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const go = (f: MachineForm): void => navigate(href("machine", { ...filters, ...paramsOfForm(f) }));
  return (
    <>
      <div class="presets" role="group" aria-label="Presets">
        {PRESETS.map((p) => (
          <button key={p.id} type="button" class="preset" onClick={() => go({ ...EMPTY_FORM, ...p.form })}>
            {p.label}
          </button>
        ))}
      </div>
      <form
        class="machine-form"
        aria-label="Describe a machine"
        onSubmit={(e) => {
          e.preventDefault();
          go(form);
        }}
      >
        <fieldset>
          <legend>GPU (leave the name empty for none)</legend>
          <Input id="mf-gpu" label="GPU name" value={form.gpu} onInput={field("gpu")} list="mf-gpus" autocomplete="off" hint="as the vendor names it; known cards fill in the rest" />
          <datalist id="mf-gpus">
            {[...new Set(PRESETS.map((p) => p.form.gpu).filter((g): g is string => Boolean(g)))].map((g) => (
              <option key={g} value={g} />
            ))}
          </datalist>
          <Input id="mf-vram" label="Memory per GPU (GB)" value={form.vram} onInput={field("vram")} inputMode="decimal" />
          <Input id="mf-count" label="Number of GPUs" value={form.gpus} onInput={field("gpus")} inputMode="numeric" />
          <Input id="mf-gbw" label="GPU bandwidth (GB/s)" value={form.gpu_bw} onInput={field("gpu_bw")} inputMode="decimal" hint="optional" />
          <div class="field check">
            <input id="mf-unified" type="checkbox" checked={form.unified} onChange={(e) => setForm((f) => ({ ...f, unified: (e.target as HTMLInputElement).checked }))} />
            <label for="mf-unified">Unified memory (Apple, Strix Halo)</label>
          </div>
        </fieldset>
        <fieldset>
          <legend>System</legend>
          <Input id="mf-ram" label="RAM (GB)" value={form.ram} onInput={field("ram")} inputMode="decimal" required />
          <Input id="mf-avail" label="Available RAM (GB)" value={form.avail} onInput={field("avail")} inputMode="decimal" hint="optional" />
          <Input id="mf-cores" label="CPU cores" value={form.cores} onInput={field("cores")} inputMode="numeric" hint="optional" />
          <Input id="mf-cpu" label="CPU name" value={form.cpu} onInput={field("cpu")} autocomplete="off" hint="optional: sets the RAM bandwidth" />
          <Input id="mf-rbw" label="RAM bandwidth (GB/s)" value={form.ram_bw} onInput={field("ram_bw")} inputMode="decimal" hint="optional" />
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="primary">
            Estimate on this machine
          </button>
        </div>
      </form>
    </>
  );
}

/** This node's catalog rows (names, providers, use cases) for a filter: the models to estimate. */
function candidatesUrl(params: URLSearchParams): string {
  const search = (params.get("search") ?? "").trim();
  const path = search === "" ? "/api/v1/models" : `/api/v1/models/${encodeURIComponent(search)}`;
  // In this node's order (its score): the models people look at first are estimated first.
  return `${path}${query({ include_too_tight: "true", use_case: params.get("use_case") })}`;
}

interface Result {
  row: Row;
  e: Estimate;
}

const BASIS_SHOWN: ReadonlyArray<[string, string]> = [
  ["gpu_bandwidth_gbps", "GPU bandwidth (GB/s)"],
  ["gpu_bandwidth_source", "from"],
  ["gpu_pool_gib", "GPU pool (GiB)"],
  ["ram_bandwidth_gbps", "RAM bandwidth (GB/s)"],
  ["ram_bandwidth_source", "from"],
  ["ram_available_gib", "RAM available (GiB)"],
  ["device_class", "device class"],
  ["calibration", "calibration"],
];

export function MachineView({ params }: { params: URLSearchParams }) {
  const described = hasMachine(params);
  const form = formFromParams(params);
  const machine = described ? describe(form) : null;
  const machineKey = JSON.stringify(machine);
  const context = params.get("max_context");
  const forced = params.get("force_runtime");
  const candidates = candidatesUrl(params);
  const workKey = `${machineKey}|${context}|${forced}|${candidates}`;

  const results = useRef(new Map<string, Result>());
  const [version, setVersion] = useState(0);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    results.current = new Map();
    setVersion((v) => v + 1);
    setTotal(null);
    setError(null);
    setDone(false);
    if (!machine) return;
    const controller = new AbortController();
    let pending = false;
    const flush = (): void => {
      if (pending) return;
      pending = true;
      setTimeout(() => {
        pending = false;
        if (!controller.signal.aborted) setVersion((v) => v + 1);
      }, 250);
    };
    (async () => {
      const env = await api<Envelope>(candidates, { signal: controller.signal });
      setTotal(env.models.length);
      await pool(
        env.models,
        4,
        (row) => {
          const request: EstimateRequest = { model: row.name, machine };
          if (context) request.context = Number(context);
          if (forced) request.runtime = forced;
          return cachedEstimate(request);
        },
        (row, r) => {
          if (r instanceof ApiError && r.status === 400) {
            // The description is wrong: every model would say so. Stop at the first.
            setError(r);
            controller.abort();
            return;
          }
          if (!(r instanceof Error)) results.current.set(row.name, { row, e: r });
          flush();
        },
        controller.signal,
      );
      if (!controller.signal.aborted) {
        setDone(true);
        setVersion((v) => v + 1);
      }
    })().catch((e: unknown) => {
      if (!controller.signal.aborted) setError(e);
    });
    return () => controller.abort();
  }, [workKey]);

  const filters: Params = { use_case: params.get("use_case"), search: params.get("search"), max_context: context, force_runtime: forced, sort: params.get("sort"), limit: params.get("limit") };
  const set = (changes: Params): void => navigate(href("machine", withParams(params, changes)));
  const sort = params.get("sort") ?? "fit";
  const all = [...results.current.values()];
  const link = (name: string): string => href("model", { ...machineParams(params), context, runtime: forced }, name);
  const lines = sortLines(
    all.map(({ row, e }) => ({
      ...lineOfEstimate(e, { name: row.name, provider: row.provider, params_b: row.params_b, use_case: row.use_case }, link(e.model?.name ?? row.name)),
      score: qualityOf(row),
    })),
    sort,
  );
  const shown = params.get("limit") === "all" ? lines : lines.slice(0, SHOWN);
  const points: ScatterPoint[] = all
    .filter(({ e }) => e.estimated_tps > 0 && e.fit_level !== "too_tight")
    .map(({ row, e }) => ({
      x: e.memory.required_gb,
      y: e.estimated_tps,
      group: e.fit_level,
      label: row.name,
      detail: `${e.quant} · ${gb(e.memory.required_gb)} · ${tps(e.estimated_tps)} tok/s · ${FIT_LABELS[e.fit_level] ?? e.fit_level}`,
      id: link(row.name),
    }));
  const basis = all[0]?.e.estimate_basis;
  const fits = all.filter(({ e }) => e.fit_level !== "too_tight").length;

  return (
    <>
      <h1 tabIndex={-1}>Another machine</h1>
      <p class="lede">Describe a machine, or pick a preset: every model is estimated for it by this agent, without the machine.</p>
      <MachineFormView initial={described ? form : EMPTY_FORM} filters={filters} />
      {error !== null && <ErrorBox error={error} what="estimates for this machine" />}
      {described && error === null && (
        <>
          <Panel title={summary(form)} id="desc-h">
            {basis ? (
              <dl class="facts">
                {BASIS_SHOWN.filter(([k]) => basis[k] !== undefined && basis[k] !== null).map(([k, t]) => (
                  <div key={k} class={t === "from" ? "source-row" : ""}>
                    <dt>{t}</dt>
                    <dd>{String(basis[k])}</dd>
                  </div>
                ))}
              </dl>
            ) : (
              <Loading what="the machine's figures" />
            )}
          </Panel>
          <form class="filters" aria-label="Which models" onSubmit={(e) => e.preventDefault()}>
            <div class="field">
              <label for="mm-use">Use case</label>
              <select id="mm-use" value={params.get("use_case") ?? ""} onChange={(e) => set({ use_case: (e.target as HTMLSelectElement).value })}>
                <option value="">Any</option>
                {USE_CASES.map((u) => (
                  <option key={u} value={u}>
                    {u[0]!.toUpperCase() + u.slice(1)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="mm-search">Search</label>
              <input
                id="mm-search"
                type="search"
                defaultValue={params.get("search") ?? ""}
                autocomplete="off"
                onChange={(e) => set({ search: (e.target as HTMLInputElement).value.trim() })}
              />
            </div>
            <div class="field">
              <label for="mm-ctx">Context</label>
              <select id="mm-ctx" value={context ?? ""} onChange={(e) => set({ max_context: (e.target as HTMLSelectElement).value })}>
                <option value="">Default (8K)</option>
                {CONTEXTS.map((c) => (
                  <option key={c} value={String(c)}>
                    {tokens(c)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="mm-runtime">Force runtime</label>
              <select id="mm-runtime" value={forced ?? ""} onChange={(e) => set({ force_runtime: (e.target as HTMLSelectElement).value })}>
                <option value="">No</option>
                {RUNTIMES.map((r) => (
                  <option key={r} value={r}>
                    {RUNTIME_LABELS[r]}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="mm-sort">Sort by</label>
              <select id="mm-sort" value={sort} onChange={(e) => set({ sort: (e.target as HTMLSelectElement).value === "fit" ? "" : (e.target as HTMLSelectElement).value })}>
                {SORTS.map(([k, t]) => (
                  <option key={k} value={k}>
                    {t}
                  </option>
                ))}
              </select>
            </div>
          </form>
          <p class="count" role="status" aria-live="polite" data-version={version}>
            {total === null ? "Finding the models…" : done ? `Estimated ${all.length} models: ${fits} run on this machine.` : `Estimating ${all.length} of ${total} models…`}
          </p>
          {total !== null && total > 0 && !done && <progress max={total} value={all.length} aria-label="Models estimated" />}
          {lines.length > 0 && (
            <Panel title="Models on this machine" id="mlist-h">
              <RowsTable
                lines={shown}
                caption={`Models on ${summary(form)}, by ${SORTS.find(([k]) => k === sort)?.[1] ?? sort}`}
                sort={sort}
                sortable={["fit", "tps", "mem", "params", "ctx", "score"]}
                onSort={(s) => set({ sort: s === "fit" ? "" : s })}
                scoreTitle="Quality"
              />
              {shown.length < lines.length && (
                <p>
                  <a href={href("machine", withParams(params, { limit: "all" }))}>Show all {lines.length}</a>
                </p>
              )}
            </Panel>
          )}
          {done && points.length > 0 && (
            <Panel title="Speed vs memory on this machine" id="mscatter-h">
              <Scatter
                points={points}
                groups={SCATTER_GROUPS}
                groupLabels={FIT_LABELS}
                xLabel="memory required (GB, log)"
                yLabel="tok/s (log)"
                label={`Scatter of ${points.length} models on ${summary(form)}: memory required against decode speed, coloured by fit. The table below lists every point.`}
                onSelect={(p) => navigate(p.id)}
              />
              <PointsTable points={points} caption="Models by speed on this machine" />
            </Panel>
          )}
        </>
      )}
    </>
  );
}
