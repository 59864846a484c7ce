// The ranked models: every filter and sort of the API as controls whose state is the URL (shareable), and a search
// that goes through the name route, so the resolver's match (an Ollama tag, a GGUF file, loose words) comes with it.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError, type Envelope, type ResolvedFrom } from "../api.js";
import { ErrorBox, Loading } from "../components/common.js";
import { lineOfRow, RowsTable } from "../components/rows-table.js";
import { FIT_LEVELS, FIT_LABELS, RUNTIMES, RUNTIME_LABELS, tokens } from "../format.js";
import { href, navigate, query, withParams, type Params } from "../route.js";

export const USE_CASES = ["general", "coding", "reasoning", "chat", "multimodal", "embedding"] as const;
export const SORTS: ReadonlyArray<[string, string]> = [
  ["score", "Score"],
  ["tps", "Speed (tok/s)"],
  ["params", "Parameters"],
  ["mem", "Memory"],
  ["ctx", "Context"],
  ["date", "Release date"],
  ["use_case", "Use case"],
];
export const CONTEXTS = [2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576];
const LIMITS = ["10", "25", "50", "100", "all"];
/** Rows shown when the URL names no limit: the table is read, not scrolled through 348 lines. */
export const DEFAULT_LIMIT = "50";

/** The API's query keys the view passes through (the URL's `search` goes to the name route instead). */
const API_KEYS = ["perfect", "min_fit", "runtime", "use_case", "provider", "sort", "include_too_tight", "max_context", "force_runtime"] as const;

/** The request URL for a view's params. */
export function modelsUrl(params: URLSearchParams): string {
  const q: Params = {};
  for (const k of API_KEYS) q[k] = params.get(k);
  const limit = params.get("limit") ?? DEFAULT_LIMIT;
  if (limit !== "all") q["limit"] = limit;
  const search = (params.get("search") ?? "").trim();
  const path = search === "" ? "/api/v1/models" : `/api/v1/models/${encodeURIComponent(search)}`;
  return `${path}${query(q)}`;
}

function Resolved({ r, params }: { r: ResolvedFrom; params: URLSearchParams }) {
  if (r.status === "matched" && r.name)
    return (
      <p class="resolved" role="status">
        “{r.input}” is <a href={href("model", {}, r.name)}>{r.name}</a>
        {r.matched_by ? `, matched by ${r.matched_by.replace(/_/g, " ")}` : ""}
        {typeof r.confidence === "number" ? ` (confidence ${Math.round(r.confidence * 100)}%)` : ""}
        {r.quant ? `, quant ${r.quant}` : ""}
        {r.note ? `. ${r.note}` : ""}
      </p>
    );
  if (r.status === "ambiguous")
    return (
      <div class="resolved" role="status">
        “{r.input}” could be several models:{" "}
        <ul class="inline-list">
          {(r.candidates ?? []).map((c) => (
            <li key={c}>
              <a href={href("models", withParams(params, { search: c }))}>{c}</a>
            </li>
          ))}
        </ul>
      </div>
    );
  return null;
}

function Select({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: ReadonlyArray<[string, string]>; onChange: (v: string) => void }) {
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

export function ModelsView({ params }: { params: URLSearchParams }) {
  const url = modelsUrl(params);
  const [data, setData] = useState<{ url: string; envelope: Envelope } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [search, setSearch] = useState(params.get("search") ?? "");
  const [provider, setProvider] = useState(params.get("provider") ?? "");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api<Envelope>(url, { signal: controller.signal }).then(
      (envelope) => setData({ url, envelope }),
      (e: unknown) => {
        if (!controller.signal.aborted) setError(e);
      },
    );
    return () => controller.abort();
  }, [url]);

  // Typing changes the URL after a pause, without a history entry per key.
  const set = (changes: Params, replace = false): void => navigate(href("models", withParams(params, changes)), replace);
  const typed = (key: string, value: string): void => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => set({ [key]: value.trim() }, true), 350);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  // Back, forward and links change the URL: the text boxes follow it, unless a person is typing in them.
  const urlSearch = params.get("search") ?? "";
  const urlProvider = params.get("provider") ?? "";
  useEffect(() => {
    if (document.activeElement?.id !== "f-search") setSearch(urlSearch);
  }, [urlSearch]);
  useEffect(() => {
    if (document.activeElement?.id !== "f-provider") setProvider(urlProvider);
  }, [urlProvider]);

  const envelope = data?.envelope;
  const sort = params.get("sort") ?? "score";
  const includeTooTight = params.get("include_too_tight") !== "false";
  const notFound = error instanceof ApiError && error.status === 404;
  const providers = [...new Set(envelope?.models.map((m) => m.provider) ?? [])].sort();

  return (
    <>
      <h1 tabIndex={-1}>Models</h1>
      <form class="filters" role="search" aria-label="Filter the models" onSubmit={(e) => e.preventDefault()}>
        <div class="field wide">
          <label for="f-search">Search</label>
          <input
            id="f-search"
            type="search"
            value={search}
            placeholder="name, HF id, Ollama tag, GGUF file"
            autocomplete="off"
            onInput={(e) => {
              const v = (e.target as HTMLInputElement).value;
              setSearch(v);
              typed("search", v);
            }}
          />
        </div>
        <Select id="f-use" label="Use case" value={params.get("use_case") ?? ""} options={[["", "Any"], ...USE_CASES.map((u): [string, string] => [u, u[0]!.toUpperCase() + u.slice(1)])]} onChange={(v) => set({ use_case: v })} />
        <Select id="f-fit" label="Fit at least" value={params.get("min_fit") ?? ""} options={[["", "Any"], ...FIT_LEVELS.map((f): [string, string] => [f, FIT_LABELS[f]!])]} onChange={(v) => set({ min_fit: v })} />
        <Select id="f-runtime" label="Runtime" value={params.get("runtime") ?? ""} options={[["", "Any"], ...RUNTIMES.map((r): [string, string] => [r, RUNTIME_LABELS[r]!])]} onChange={(v) => set({ runtime: v })} />
        <Select id="f-force" label="Force runtime" value={params.get("force_runtime") ?? ""} options={[["", "No"], ...RUNTIMES.map((r): [string, string] => [r, RUNTIME_LABELS[r]!])]} onChange={(v) => set({ force_runtime: v })} />
        <Select id="f-ctx" label="Context" value={params.get("max_context") ?? ""} options={[["", "Default (8K)"], ...CONTEXTS.map((c): [string, string] => [String(c), tokens(c)])]} onChange={(v) => set({ max_context: v })} />
        <div class="field">
          <label for="f-provider">Provider</label>
          <input
            id="f-provider"
            list="f-providers"
            value={provider}
            autocomplete="off"
            onInput={(e) => {
              const v = (e.target as HTMLInputElement).value;
              setProvider(v);
              typed("provider", v);
            }}
          />
          <datalist id="f-providers">
            {providers.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </div>
        <Select id="f-sort" label="Sort by" value={sort} options={SORTS} onChange={(v) => set({ sort: v === "score" ? "" : v })} />
        <Select id="f-limit" label="Show" value={params.get("limit") ?? DEFAULT_LIMIT} options={LIMITS.map((l): [string, string] => [l, l === "all" ? "All" : l])} onChange={(v) => set({ limit: v === DEFAULT_LIMIT ? "" : v })} />
        <div class="field check">
          <input id="f-perfect" type="checkbox" checked={params.get("perfect") === "true"} onChange={(e) => set({ perfect: (e.target as HTMLInputElement).checked ? "true" : "" })} />
          <label for="f-perfect">Perfect fits only</label>
        </div>
        <div class="field check">
          <input id="f-tight" type="checkbox" checked={includeTooTight} onChange={(e) => set({ include_too_tight: (e.target as HTMLInputElement).checked ? "" : "false" })} />
          <label for="f-tight">Include models that do not fit</label>
        </div>
        <div class="field actions">
          <a href={href("models")}>Reset</a>
          <a href={href("scatter", { use_case: params.get("use_case"), runtime: params.get("runtime"), max_context: params.get("max_context") })}>Speed vs memory →</a>
        </div>
      </form>

      {error !== null && (notFound ? (
        <div class="error" role="alert">
          {(error as ApiError).message}
        </div>
      ) : (
        <ErrorBox error={error} what="the models" />
      ))}
      {envelope && error === null && envelope.resolved_from && <Resolved r={envelope.resolved_from} params={params} />}
      {envelope && error === null ? (
        <>
          <p class="count" role="status">
            {data?.url === url ? "" : "Updating… "}
            Showing {envelope.returned_models} of {envelope.total_models} models
            {params.get("search") ? ` matching “${params.get("search")}”` : ""} on {envelope.node.name}.
          </p>
          <RowsTable
            lines={envelope.models.map((r) => lineOfRow(r, href("model", { context: params.get("max_context"), runtime: params.get("force_runtime") }, r.name)))}
            caption={`Models on ${envelope.node.name}, sorted by ${SORTS.find(([k]) => k === sort)?.[1] ?? sort}`}
            sort={sort}
            sortable={["score", "tps", "params", "mem", "ctx", "use_case"]}
            onSort={(s) => set({ sort: s === "score" ? "" : s })}
          />
        </>
      ) : (
        error === null && <Loading what="the models" />
      )}
    </>
  );
}
