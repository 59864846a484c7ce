// Runtimes: the LLM servers nodefit looks for on this node (their HTTP endpoints and their processes), as values.

/** The runtimes nodefit detects, in the order it reports them. */
export const RUNTIME_KINDS = ["ollama", "llamacpp", "lmstudio", "vllm", "mlx"] as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

export const RUNTIME_KIND_LABELS: Readonly<Record<RuntimeKind, string>> = {
  ollama: "Ollama",
  llamacpp: "llama.cpp server",
  lmstudio: "LM Studio",
  vllm: "vLLM",
  mlx: "MLX (mlx_lm.server)",
};

/** Where an endpoint to probe came from: a runtime's default, `OLLAMA_HOST`, NODEFIT_RUNTIME_ENDPOINTS, the flag, the
 *  configuration file's `runtime_endpoints`, or a runtime process's command line (`--port`). */
export const ENDPOINT_SOURCES = ["default", "OLLAMA_HOST", "env", "flag", "config", "process"] as const;
export type EndpointSource = (typeof ENDPOINT_SOURCES)[number];

export interface RuntimeEndpoint {
  kind: RuntimeKind;
  /** The base URL, without a trailing slash: `http://127.0.0.1:11434`. */
  url: string;
  source: EndpointSource;
}

/**
 * What probing an endpoint gave: `answered` (it is that runtime), `refused` (nothing listens: not running), `timeout`
 * (it did not answer in time: a warning), `error` (another network failure), `other` (something answered, but not as
 * that runtime does).
 */
export const ENDPOINT_STATUSES = ["answered", "refused", "timeout", "error", "other"] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

export interface EndpointOutcome {
  endpoint: RuntimeEndpoint;
  status: EndpointStatus;
  /** The slowest of the requests the probe made (they run in parallel). */
  latencyMs: number;
  /** Why it is not `answered`, in a few words; null when it is. */
  error: string | null;
}

/** A model a runtime holds in memory now (or serves, for servers that load one model). */
export interface LoadedModel {
  /** As the runtime names it: an Ollama tag, a served model id, a file path. */
  name: string;
  /** Memory the runtime reports for it, bytes (Ollama: weights, cache and buffers; llama.cpp: the weights); null when
   *  it reports none. */
  sizeBytes: number | null;
  /** Of that, in GPU memory (Ollama's size_vram); null when not reported. */
  vramBytes: number | null;
  contextLength: number | null;
  quant: string | null;
  /** When the runtime unloads it if idle (Ollama's expires_at); null when not reported. */
  expiresAt: string | null;
}

export interface RuntimeProcess {
  pid: number;
  kind: RuntimeKind;
  /** The command line, cut to a few hundred characters. */
  command: string;
  /** Resident memory, bytes; null when the process list does not give it. */
  rssBytes: number | null;
  /** The port its command line gives (`--port 8081`), else null (the runtime's default applies). */
  port: number | null;
  /** The model its command line names (`-m FILE`, `--model ID`, `vllm serve ID`), else null. */
  model: string | null;
}

export interface DetectedRuntime {
  kind: RuntimeKind;
  /** The endpoint that answered; null for a runtime seen only as a process. */
  endpoint: RuntimeEndpoint | null;
  /** `running`: its endpoint answered; `process_only`: a process runs but no endpoint tried answered. */
  status: "running" | "process_only";
  version: string | null;
  loaded: LoadedModel[];
  /** Models it can serve without a download (Ollama's tags, LM Studio's downloaded models, a server's model list);
   *  null when not known. */
  available: number | null;
  processes: RuntimeProcess[];
  /** Other facts the runtime reported (llama.cpp's slots, vLLM's KV cache use), by name. */
  details: Readonly<Record<string, string | number | boolean | null>>;
}

export interface RuntimeSnapshot {
  checkedAt: Date;
  durationMs: number;
  runtimes: DetectedRuntime[];
  endpoints: EndpointOutcome[];
  /** Whether the process list was read (null: not tried, as on a described machine). */
  processesListed: boolean | null;
  warnings: string[];
}
