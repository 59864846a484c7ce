// The agent's API as the dashboard calls it: the token kept for this tab only, JSON in and out, errors as ApiError.
// The wire types name the fields the views read; every answer may carry more (new fields are shown, not dropped).

export type FitLevel = "perfect" | "good" | "marginal" | "too_tight";

/** Fields the dashboard reads, plus whatever else the agent sends. */
type Open<T> = T & { [key: string]: unknown };

export type Device = Open<{
  index: number;
  name: string;
  vendor: string | null;
  vram_total_gb: number | null;
  vram_free_gb: number | null;
  memory_bandwidth_gbps: number | null;
  fp16_tflops: number | null;
  integrated: boolean;
  unified_memory: boolean;
  bandwidth_source: string | null;
  memory_source: string | null;
  bandwidth_assumed_pct?: number;
}>;

export type SystemInfo = Open<{
  total_ram_gb: number;
  available_ram_gb: number;
  cpu_cores: number;
  cpu_name: string | null;
  has_gpu: boolean;
  gpu_vram_gb: number | null;
  gpu_name: string | null;
  gpu_count: number;
  unified_memory: boolean;
  backend: string;
  devices: Device[];
  ram_bandwidth_gbps: number | null;
  ram_bandwidth_source: string | null;
  ram_bandwidth_assumed_pct?: number;
  host_ram_gb: number | null;
  memory_limit_gb: number | null;
  memory_limited_by: string;
  swap_total_gb: number | null;
  cpu_threads: number | null;
  warnings: string[];
  snapshot_at: string | null;
  origin: string;
}>;

export interface NodeInfo {
  name: string;
  os: string;
}

export interface SystemAnswer {
  node: NodeInfo;
  system: SystemInfo;
}

export type MemoryParts = Open<{ weights_gb: number; kv_cache_gb: number; overhead_gb: number; gpu_gb: number; ram_gb: number }>;

export type Row = Open<{
  name: string;
  provider: string;
  params_b: number;
  context_length: number;
  use_case: string;
  release_date: string | null;
  is_moe: boolean;
  fit_level: FitLevel;
  fit_label: string;
  run_mode: string;
  run_mode_label: string;
  score: number;
  estimated_tps: number;
  runtime: string;
  runtime_label: string;
  best_quant: string;
  memory_required_gb: number;
  memory_available_gb: number;
  utilization_pct: number;
  notes: string[];
  usable_context: number;
  effective_context_length: number;
  memory: MemoryParts;
  tps_range: [number, number];
  verify_command: string;
  installed: unknown;
  measured_tps: unknown;
}>;

export type ResolvedFrom = Open<{
  input: string;
  status?: "matched" | "ambiguous" | "not_found";
  name?: string | null;
  matched_by?: string | null;
  confidence?: number | null;
  quant?: string | null;
  candidates?: string[];
  note?: string | null;
}>;

export type Envelope = Open<{
  node: NodeInfo;
  system: SystemInfo;
  total_models: number;
  returned_models: number;
  filters: Record<string, unknown>;
  resolved_from?: ResolvedFrom | null;
  models: Row[];
}>;

export type Estimate = Open<{
  model: Open<{ name: string; provider: string; params_b: number; active_params_b: number | null; context_length: number; is_moe: boolean; category: string }> | null;
  resolved_from: ResolvedFrom;
  quant: string;
  weights_repo: string | null;
  context: number;
  kv_cache_type: string;
  runtime: string;
  run_mode: string;
  fit_level: FitLevel;
  memory: MemoryParts & { required_gb: number; available_gb: number };
  estimated_tps: number;
  tps_range: [number, number];
  prefill_tps: number | null;
  ttft_ms: number | null;
  usable_context: number;
  concurrent_sessions: number;
  estimate_basis: Record<string, string | number | boolean | null>;
  notes: string[];
  verify_command?: string;
}>;

/** A machine as the estimator takes it (README: a described machine). */
export interface MachineDescription {
  gpus?: Array<{ name: string; vram_gb?: number; count?: number; memory_bandwidth_gbps?: number; unified_memory?: boolean }>;
  ram_gb: number;
  available_ram_gb?: number;
  cpu_cores?: number;
  cpu_name?: string;
  ram_bandwidth_gbps?: number;
  node_name?: string;
}

export interface EstimateRequest {
  model: string;
  machine?: MachineDescription;
  quant?: string;
  context?: number;
  runtime?: string;
  kv_cache_type?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = "nodefit.token";
const listeners = new Set<() => void>();
let signInNeeded = false;

/** The token of this tab (sessionStorage: gone when the tab closes, never shared with other tabs). */
export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** The token the requests send (read once from this tab's storage, then kept here). */
let memoryToken: string | null = storedToken();

export function setToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage off: the token lasts until the page is left.
  }
  memoryToken = token;
  signInNeeded = false;
  notify();
}

/** Whether the agent refused the token (or none was given) since the last sign-in. */
export const needsSignIn = (): boolean => signInNeeded;

export function onAuthChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const l of listeners) l();
}

/** One API call: JSON, the token when there is one; a non-2xx answer throws ApiError with the agent's message. */
export async function api<T>(path: string, options: { body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (memoryToken !== null) headers["authorization"] = `Bearer ${memoryToken}`;
  const init: RequestInit = { headers, cache: "no-store" };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers["content-type"] = "application/json";
    init.method = "POST";
    init.body = JSON.stringify(options.body);
  }
  const res = await fetch(path, init);
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: unknown } | null;
    const message = typeof body?.error === "string" ? body.error : `${res.status} ${res.statusText}`;
    if (res.status === 401 && !signInNeeded) {
      signInNeeded = true;
      notify();
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

export const estimate = (request: EstimateRequest, signal?: AbortSignal): Promise<Estimate> =>
  api<Estimate>("/api/v1/estimate", signal ? { body: request, signal } : { body: request });

/**
 * Runs `task` over `items` with at most `limit` in flight, calling `onResult` as each settles (in completion order).
 * Stops starting new ones once `signal` aborts.
 */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
  onResult: (item: T, result: R | Error) => void,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++]!;
      try {
        onResult(item, await task(item));
      } catch (e) {
        if (signal?.aborted) return;
        onResult(item, e instanceof Error ? e : new Error(String(e)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
