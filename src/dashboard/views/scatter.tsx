// Speed vs memory: every model of the catalog that runs on this node, a point at its memory and its speed, coloured by
// fit; hover names it, a click opens it, and the table below lists the same points for keyboards and screen readers.
import { useEffect, useState } from "preact/hooks";
import { api, type Envelope } from "../api.js";
import { Scatter, type ScatterPoint } from "../components/chart.js";
import { ErrorBox, Loading } from "../components/common.js";
import { FIT_LABELS, gb, RUNTIMES, RUNTIME_LABELS, tokens, tps } from "../format.js";
import { href, navigate, query, withParams } from "../route.js";
import { CONTEXTS, USE_CASES } from "./models.js";

export const SCATTER_GROUPS = ["perfect", "good", "marginal"] as const;

/** The points' table: the fastest first. */
export function PointsTable({ points, caption }: { points: readonly ScatterPoint[]; caption: string }) {
  const sorted = [...points].sort((a, b) => b.y - a.y);
  return (
    <details>
      <summary>The {points.length} points as a table</summary>
      <div class="scroll" tabIndex={0} role="region" aria-label={caption}>
        <table class="compact">
          <caption class="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" class="num">Memory</th>
              <th scope="col" class="num">tok/s</th>
              <th scope="col">Fit</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={p.id}>{p.label}</a>
                </td>
                <td class="num">{gb(p.x)}</td>
                <td class="num">{tps(p.y)}</td>
                <td>{FIT_LABELS[p.group] ?? p.group}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function ScatterView({ params }: { params: URLSearchParams }) {
  const [data, setData] = useState<Envelope | null>(null);
  const [error, setError] = useState<unknown>(null);
  const q = { include_too_tight: "false", use_case: params.get("use_case"), runtime: params.get("runtime"), max_context: params.get("max_context") };
  const url = `/api/v1/models${query(q)}`;
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api<Envelope>(url, { signal: controller.signal }).then(setData, (e: unknown) => !controller.signal.aborted && setError(e));
    return () => controller.abort();
  }, [url]);
  const set = (changes: Record<string, string>): void => navigate(href("scatter", withParams(params, changes)));
  const points: ScatterPoint[] = (data?.models ?? [])
    .filter((r) => r.estimated_tps > 0)
    .map((r) => ({
      x: r.memory_required_gb,
      y: r.estimated_tps,
      group: r.fit_level,
      label: r.name,
      detail: `${r.best_quant} · ${gb(r.memory_required_gb)} · ${tps(r.estimated_tps)} tok/s · ${FIT_LABELS[r.fit_level] ?? r.fit_level}`,
      id: href("model", { context: params.get("max_context") }, r.name),
    }));
  return (
    <>
      <h1 tabIndex={-1}>Speed vs memory</h1>
      <p class="lede">Each model that runs on {data?.node.name ?? "this node"}, at the quant it would use: the memory it needs and the speed it gets. Up and to the left is better.</p>
      <form class="filters" aria-label="Which models" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="s-use">Use case</label>
          <select id="s-use" value={params.get("use_case") ?? ""} onChange={(e) => set({ use_case: (e.target as HTMLSelectElement).value })}>
            <option value="">Any</option>
            {USE_CASES.map((u) => (
              <option key={u} value={u}>
                {u[0]!.toUpperCase() + u.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="s-runtime">Runtime</label>
          <select id="s-runtime" value={params.get("runtime") ?? ""} onChange={(e) => set({ runtime: (e.target as HTMLSelectElement).value })}>
            <option value="">Any</option>
            {RUNTIMES.map((r) => (
              <option key={r} value={r}>
                {RUNTIME_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="s-ctx">Context</label>
          <select id="s-ctx" value={params.get("max_context") ?? ""} onChange={(e) => set({ max_context: (e.target as HTMLSelectElement).value })}>
            <option value="">Default (8K)</option>
            {CONTEXTS.map((c) => (
              <option key={c} value={String(c)}>
                {tokens(c)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error !== null && <ErrorBox error={error} what="the models" />}
      {data ? (
        <section class="panel" aria-labelledby="scatter-h">
          <h2 id="scatter-h">{points.length} models that run here</h2>
          <Scatter
            points={points}
            groups={SCATTER_GROUPS}
            groupLabels={FIT_LABELS}
            xLabel="memory required (GB, log)"
            yLabel="tok/s (log)"
            label={`Scatter of ${points.length} models: memory required against decode speed, coloured by fit. The table below lists every point.`}
            onSelect={(p) => navigate(p.id)}
          />
          <PointsTable points={points} caption="Models by speed" />
        </section>
      ) : (
        error === null && <Loading what="the catalog" />
      )}
    </>
  );
}
