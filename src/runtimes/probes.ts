// Runtime probes: the requests that tell each runtime at an endpoint, and pure parsers of its answers (tested on
// answers as each runtime writes them).
import { jsonOf, type HttpGetter, type HttpResult } from "./http-get.js";
import { asObject, type JsonObject } from "../domain/json.js";
import { redactShown, SHOWN_TEXT_MAX_CHARS } from "../domain/redact.js";
import type { EndpointStatus, LoadedModel, RuntimeKind } from "./types.js";

/** What a runtime at an endpoint said about itself. */
export interface RuntimeFacts {
  version: string | null;
  loaded: LoadedModel[];
  available: number | null;
  details: Record<string, string | number | boolean | null>;
}

export interface ProbeResult {
  status: EndpointStatus;
  latencyMs: number;
  error: string | null;
  /** Set when status is `answered`. */
  facts: RuntimeFacts | null;
}

/**
 * What one answer may add to the runtimes object, whatever a process on a runtime's port sends (within the 1 MB body
 * cap): 256 models per list (a node serving more is not a workstation), strings cut at 256 characters (a model path,
 * a version), URLs' credentials and queries masked.
 */
const MAX_LISTED = 256;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v.slice(0, MAX_LISTED) : []);
const str = (v: unknown): string | null => {
  if (typeof v !== "string" || v.trim() === "") return null;
  return redactShown(v.trim(), SHOWN_TEXT_MAX_CHARS);
};
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);
const int = (v: unknown): number | null => {
  const n = num(v);
  return n !== null && Number.isInteger(n) ? n : null;
};

/** The JSON object of a 200 answer, else null. */
const okJson = (r: HttpResult): JsonObject | null => (r.ok && r.status === 200 ? asObject(jsonOf(r.body)) : null);

const model = (name: string, extra: Partial<LoadedModel> = {}): LoadedModel => ({
  name,
  sizeBytes: null,
  vramBytes: null,
  contextLength: null,
  quant: null,
  expiresAt: null,
  ...extra,
});

// ---- Ollama (docs/api.md: GET /api/version, /api/tags, /api/ps)

/** `GET /api/version`: `{"version": "0.9.0"}`. */
export const parseOllamaVersion = (body: JsonObject | null): string | null => str(body?.["version"]);

/** `GET /api/tags`: `{"models": [{name, model, size, digest, details: {...}}]}`: the tags pulled. */
export const parseOllamaTags = (body: JsonObject | null): number | null => (body !== null && Array.isArray(body["models"]) ? body["models"].length : null);

/**
 * `GET /api/ps`: `{"models": [{name, model, size, digest, details: {quantization_level, ...}, expires_at, size_vram,
 * context_length}]}`: the models in memory now, with the bytes they take (weights, cache, buffers) and how many of
 * them are in GPU memory.
 */
export function parseOllamaPs(body: JsonObject | null): LoadedModel[] {
  return arr(body?.["models"]).flatMap((m) => {
    const o = asObject(m);
    const name = str(o?.["name"]) ?? str(o?.["model"]);
    if (o === null || name === null) return [];
    return [
      model(name, {
        sizeBytes: int(o["size"]),
        vramBytes: int(o["size_vram"]),
        contextLength: int(o["context_length"]),
        quant: str(asObject(o["details"])?.["quantization_level"]),
        expiresAt: str(o["expires_at"]),
      }),
    ];
  });
}

// ---- llama.cpp's llama-server (tools/server/README.md: GET /health, /props, /v1/models)

/** `GET /props`: llama-server's settings; it is llama.cpp's when it has the keys only that server writes. */
export const isLlamaCppProps = (body: JsonObject | null): boolean =>
  body !== null && ("default_generation_settings" in body || "total_slots" in body || ("build_info" in body && "chat_template" in body));

/**
 * `GET /v1/models`: `{"data": [{"id", "owned_by": "llamacpp", "meta": {"n_params", "size", "n_ctx_train", ...}}]}`; a
 * server in router mode lists every model it can load, each with `status.value` (`loaded`, `unloaded`, ...).
 */
export function parseLlamaCppModels(body: JsonObject | null, contextLength: number | null): { loaded: LoadedModel[]; available: number | null; ownedByLlamaCpp: boolean } {
  const data = arr(body?.["data"]).map(asObject).filter((o): o is JsonObject => o !== null);
  const routed = data.some((o) => asObject(o["status"]) !== null);
  const loaded = data
    .filter((o) => !routed || str(asObject(o["status"])?.["value"]) === "loaded")
    .flatMap((o) => {
      const id = str(o["id"]);
      if (id === null) return [];
      const meta = asObject(o["meta"]);
      return [model(id, { sizeBytes: int(meta?.["size"]), contextLength: routed ? null : contextLength })];
    });
  return { loaded, available: body === null ? null : data.length, ownedByLlamaCpp: data.some((o) => o["owned_by"] === "llamacpp") };
}

// ---- LM Studio (its REST API: GET /api/v0/models; the OpenAI-compatible /v1/models)

/**
 * `GET /api/v0/models`: `{"data": [{"id", "type", "publisher", "arch", "compatibility_type", "quantization", "state":
 * "loaded" | "not-loaded", "max_context_length", "loaded_context_length"}]}`: every downloaded model, the loaded ones
 * marked. LM Studio reports no memory per model.
 */
export function parseLmStudioModels(body: JsonObject | null): { loaded: LoadedModel[]; available: number } | null {
  if (body === null || !Array.isArray(body["data"])) return null;
  const data = body["data"].map(asObject).filter((o): o is JsonObject => o !== null);
  if (!data.every((o) => typeof o["state"] === "string")) return null;
  const loaded = data
    .filter((o) => o["state"] === "loaded")
    .flatMap((o) => {
      const id = str(o["id"]);
      return id === null ? [] : [model(id, { quant: str(o["quantization"]), contextLength: int(o["loaded_context_length"]) ?? int(o["max_context_length"]) })];
    });
  return { loaded, available: data.length };
}

// ---- vLLM (GET /version, /v1/models, /metrics)

/** `GET /v1/models` of vLLM: `{"data": [{"id", "owned_by": "vllm", "root", "max_model_len"}]}`: the models it serves. */
export function parseVllmModels(body: JsonObject | null): { loaded: LoadedModel[]; ownedByVllm: boolean } {
  const data = arr(body?.["data"]).map(asObject).filter((o): o is JsonObject => o !== null);
  return {
    loaded: data.flatMap((o) => {
      const id = str(o["id"]);
      return id === null ? [] : [model(id, { contextLength: int(o["max_model_len"]) })];
    }),
    ownedByVllm: data.some((o) => o["owned_by"] === "vllm"),
  };
}

/**
 * vLLM's Prometheus text: the KV cache in use (`vllm:kv_cache_usage_perc`, `vllm:gpu_cache_usage_perc` before v0.10;
 * a fraction), requests running and waiting, and `vllm:cache_config_info`'s labels (gpu_memory_utilization,
 * num_gpu_blocks, block_size). The first sample of each is taken (one engine).
 */
export function parseVllmMetrics(text: string): Record<string, string | number | boolean | null> | null {
  if (!/^vllm:/m.test(text)) return null;
  const sample = (name: string): number | null => {
    const m = new RegExp(`^${name.replace(/[.:]/g, "\\$&")}(?:\\{[^}]*\\})?\\s+([-+0-9.eE]+|NaN)`, "m").exec(text);
    const v = m ? Number(m[1]) : NaN;
    return Number.isFinite(v) ? v : null;
  };
  const out: Record<string, string | number | boolean | null> = {};
  const kv = sample("vllm:kv_cache_usage_perc") ?? sample("vllm:gpu_cache_usage_perc");
  if (kv !== null) out["kv_cache_usage_pct"] = Math.round(kv * 1000) / 10;
  const running = sample("vllm:num_requests_running");
  if (running !== null) out["requests_running"] = running;
  const waiting = sample("vllm:num_requests_waiting");
  if (waiting !== null) out["requests_waiting"] = waiting;
  const info = /^vllm:cache_config_info\{([^}]*)\}/m.exec(text);
  if (info) {
    const labels = new Map([...info[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const numeric = (k: string): number | null => {
      const v = Number(labels.get(k));
      return labels.has(k) && Number.isFinite(v) ? v : null;
    };
    for (const k of ["gpu_memory_utilization", "num_gpu_blocks", "block_size"]) {
      const v = numeric(k);
      if (v !== null) out[k] = v;
    }
    const dtype: unknown = labels.get("cache_dtype");
    const shownDtype = str(dtype);
    if (shownDtype !== null) out["cache_dtype"] = shownDtype;
  }
  return out;
}

// ---- probes

const fail = (r: HttpResult & { ok: false }): ProbeResult => ({ status: r.failure, latencyMs: r.ms, error: r.message, facts: null });
const other = (ms: number, why: string): ProbeResult => ({ status: "other", latencyMs: ms, error: why, facts: null });
const answered = (ms: number, facts: RuntimeFacts): ProbeResult => ({ status: "answered", latencyMs: ms, error: null, facts });
const slowest = (rs: readonly HttpResult[]): number => Math.max(0, ...rs.map((r) => r.ms));
const said = (path: string, r: HttpResult): string => (r.ok ? `GET ${path}: ${r.status}` : `GET ${path}: ${r.message}`);

type ProbeFn = (base: string, get: HttpGetter) => Promise<ProbeResult>;

async function probeOllama(base: string, get: HttpGetter): Promise<ProbeResult> {
  const [version, tags, ps] = await Promise.all([get(`${base}/api/version`), get(`${base}/api/tags`), get(`${base}/api/ps`)]);
  if (!version.ok) return fail(version);
  const v = parseOllamaVersion(okJson(version));
  if (v === null) return other(slowest([version]), `${said("/api/version", version)}, not Ollama's answer`);
  return answered(slowest([version, tags, ps]), { version: v, loaded: parseOllamaPs(okJson(ps)), available: parseOllamaTags(okJson(tags)), details: {} });
}

async function probeLlamaCpp(base: string, get: HttpGetter): Promise<ProbeResult> {
  const [health, props, models] = await Promise.all([get(`${base}/health`), get(`${base}/props`), get(`${base}/v1/models`)]);
  if (!props.ok) return fail(props);
  const p = okJson(props);
  const ctx = int(asObject(p?.["default_generation_settings"])?.["n_ctx"]) ?? int(p?.["n_ctx"]);
  const m = parseLlamaCppModels(okJson(models), ctx);
  // While loading a model, llama-server answers 503 to everything but /health's own {"status": "loading model"}.
  const loading = health.ok && health.status === 503 && /loading model/i.test(health.body);
  if (!isLlamaCppProps(p) && !m.ownedByLlamaCpp && !loading) return other(slowest([props, models]), `${said("/props", props)}, not llama.cpp's answer`);
  const details: Record<string, string | number | boolean | null> = { health: loading ? "loading" : health.ok && health.status === 200 ? "ok" : null };
  const slots = int(p?.["total_slots"]);
  if (slots !== null) details["total_slots"] = slots;
  const path = str(p?.["model_path"]);
  if (path !== null) details["model_path"] = path;
  return answered(slowest([health, props, models]), { version: str(p?.["build_info"]), loaded: m.loaded, available: m.available, details });
}

async function probeLmStudio(base: string, get: HttpGetter): Promise<ProbeResult> {
  const [v0, v1] = await Promise.all([get(`${base}/api/v0/models`), get(`${base}/v1/models`)]);
  if (!v0.ok) return fail(v0);
  const parsed = parseLmStudioModels(okJson(v0));
  if (parsed !== null) return answered(slowest([v0, v1]), { version: null, loaded: parsed.loaded, available: parsed.available, details: {} });
  // Before the v0 REST API (LM Studio 0.3.6), only the OpenAI-compatible list, whose owner LM Studio names this way.
  const list = arr(okJson(v1)?.["data"]).map(asObject);
  if (list.length > 0 && list.every((o) => o?.["owned_by"] === "organization_owner"))
    return answered(slowest([v0, v1]), { version: null, loaded: [], available: list.length, details: { api: "v1 only" } });
  return other(slowest([v0, v1]), `${said("/api/v0/models", v0)}, not LM Studio's answer`);
}

async function probeVllm(base: string, get: HttpGetter): Promise<ProbeResult> {
  const [version, models, metrics] = await Promise.all([get(`${base}/version`), get(`${base}/v1/models`), get(`${base}/metrics`)]);
  if (!version.ok) return fail(version);
  const v = str(okJson(version)?.["version"]);
  const m = parseVllmModels(okJson(models));
  const met = metrics.ok && metrics.status === 200 ? parseVllmMetrics(metrics.body) : null;
  if (v === null || (!m.ownedByVllm && met === null)) return other(slowest([version, models]), `${said("/version", version)}, ${said("/v1/models", models)}: not vLLM's answers`);
  return answered(slowest([version, models, metrics]), { version: v, loaded: m.loaded, available: m.loaded.length, details: met ?? {} });
}

/** mlx_lm.server answers the OpenAI model list (the MLX models of the Hugging Face cache); the model it serves is the
 *  one its command line names. Probed where an mlx_lm.server process runs, or where a person says one listens. */
async function probeMlx(base: string, get: HttpGetter): Promise<ProbeResult> {
  const [models, props] = await Promise.all([get(`${base}/v1/models`), get(`${base}/props`)]);
  if (!models.ok) return fail(models);
  const body = okJson(models);
  if (body === null || !Array.isArray(body["data"]) || isLlamaCppProps(okJson(props)) || body["data"].some((o) => asObject(o)?.["owned_by"] === "llamacpp" || asObject(o)?.["owned_by"] === "vllm"))
    return other(slowest([models]), `${said("/v1/models", models)}, not mlx_lm.server's answer`);
  return answered(slowest([models, props]), { version: null, loaded: [], available: body["data"].length, details: {} });
}

export const PROBES: Readonly<Record<RuntimeKind, ProbeFn>> = {
  ollama: probeOllama,
  llamacpp: probeLlamaCpp,
  lmstudio: probeLmStudio,
  vllm: probeVllm,
  mlx: probeMlx,
};
