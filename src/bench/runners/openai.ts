// OpenAI-compatible runtimes (llama.cpp's server, vLLM, LM Studio, MLX's server, Ollama's /v1): a streamed chat or
// text completion with usage, timed as its tokens arrive.
import { NodefitError } from "../../domain/errors.js";
import { redactUrl } from "../../domain/redact.js";
import { getJson, streamLines, type BenchDeadline, type FetchFn } from "./http-stream.js";
import { benchPrompt, decodeRate, type BenchRunner, type RunMeasurement, type RunnerInfo } from "./types.js";

export interface OpenAiRunnerOptions {
  /** The server's base URL (`http://127.0.0.1:8080`, with or without `/v1`). */
  endpoint: string;
  /** The model id to ask for; null = the one the server lists (or the one matching `hint`). */
  servedModel: string | null;
  /** Words that pick a model among several the server lists (the bench's --model). */
  hint: string | null;
  api: "chat" | "completions";
  promptWords: number;
  fetch: FetchFn;
  idleTimeoutMs: number;
  /** When the bench must be over; none: no limit but the idle timeout. */
  deadline?: BenchDeadline | null;
}

/**
 * The base URL without a trailing slash or `/v1`. Credentials, a query or a fragment are refused (fetch refuses
 * credentials in a URL anyway, and a path is added after it); the error echoes the value with them masked.
 */
export function apiBase(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new NodefitError("invalid_argument", `invalid --endpoint value: use an http(s) URL such as http://127.0.0.1:8080 (got ${JSON.stringify(redactUrl(endpoint))})`, { key: "endpoint" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new NodefitError("invalid_argument", `invalid --endpoint value: use an http(s) URL (got ${url.protocol})`, { key: "endpoint" });
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "")
    throw new NodefitError("invalid_argument", `invalid --endpoint value: use an http(s) URL without credentials, query or fragment (got ${JSON.stringify(redactUrl(endpoint))})`, {
      key: "endpoint",
    });
  return url.href.replace(/\/+$/, "").replace(/\/v1$/, "");
}

interface StreamChunk {
  choices?: Array<{ delta?: { content?: string | null; reasoning_content?: string | null; reasoning?: string | null }; text?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  /** llama.cpp's server: its own timing of the request. */
  timings?: { prompt_n?: number; prompt_ms?: number; predicted_n?: number; predicted_ms?: number };
  system_fingerprint?: string;
  error?: { message?: string } | string;
}

const textOf = (c: StreamChunk): string => {
  const choice = c.choices?.[0];
  if (!choice) return "";
  return (choice.delta?.content ?? "") + (choice.delta?.reasoning_content ?? "") + (choice.delta?.reasoning ?? "") + (choice.text ?? "");
};

/** Picks the served model: the one asked for, else the one matching the hint, else the only one. */
export function pickServedModel(ids: readonly string[], asked: string | null, hint: string | null, endpoint: string): string {
  if (asked !== null) return asked;
  if (ids.length === 1) return ids[0]!;
  const words = (hint ?? "").toLowerCase().split(/[^a-z0-9.]+/).filter((w) => w.length > 0);
  const matching = words.length === 0 ? [] : ids.filter((id) => words.every((w) => id.toLowerCase().includes(w)));
  if (matching.length === 1) return matching[0]!;
  if (ids.length === 0) throw new NodefitError("probe_failed", `${endpoint} lists no model at /v1/models: load one, or name it with --served-model`);
  throw new NodefitError("invalid_argument", `${endpoint} serves ${ids.length} models (${ids.slice(0, 6).join(", ")}${ids.length > 6 ? ", ..." : ""}): name one with --served-model`);
}

export class OpenAiRunner implements BenchRunner {
  readonly via = "openai" as const;
  readonly endpoint: string;
  readonly #o: OpenAiRunnerOptions;
  #model: string | null = null;
  #version: string | null = null;

  constructor(options: OpenAiRunnerOptions) {
    this.#o = options;
    this.endpoint = apiBase(options.endpoint);
  }

  async prepare(): Promise<RunnerInfo> {
    let model = this.#o.servedModel;
    if (model === null) {
      const list = (await getJson("listing the served models", `${this.endpoint}/v1/models`, this.#o)) as { data?: Array<{ id?: unknown }> };
      const ids = (list.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === "string");
      model = pickServedModel(ids, null, this.#o.hint, this.endpoint);
    }
    this.#model = model;
    return { servedModel: model, quant: null, runtimeVersion: null, context: null, threads: null };
  }

  /** The runtime's build as its answers name it (llama.cpp's `system_fingerprint`), once a generation has run. */
  get runtimeVersion(): string | null {
    return this.#version;
  }

  async generate(run: number, maxTokens: number): Promise<RunMeasurement> {
    const model = this.#model ?? (await this.prepare()).servedModel;
    const prompt = benchPrompt(run, this.#o.promptWords);
    const chat = this.#o.api === "chat";
    const url = `${this.endpoint}/v1/${chat ? "chat/completions" : "completions"}`;
    const body = {
      model,
      ...(chat ? { messages: [{ role: "user", content: prompt }] } : { prompt }),
      max_tokens: maxTokens,
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
      // llama.cpp's server and vLLM: generate all max_tokens even past an end-of-sequence token (others ignore it).
      ignore_eos: true,
    };
    const start = performance.now();
    let firstAt: number | null = null;
    let lastAt: number | null = null;
    let chunks = 0;
    let usage: StreamChunk["usage"] = null;
    let timings: StreamChunk["timings"] | undefined;
    let done = false;
    const init: RequestInit = { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify(body) };
    for await (const { line, at } of streamLines("streaming a completion", url, init, this.#o)) {
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") {
        done = true;
        break;
      }
      let chunk: StreamChunk;
      try {
        chunk = JSON.parse(data) as StreamChunk;
      } catch {
        throw new NodefitError("probe_failed", `streaming a completion: ${url} sent an event that is not JSON: ${data.slice(0, 120)}`);
      }
      if (chunk.error !== undefined) {
        const message = typeof chunk.error === "string" ? chunk.error : (chunk.error.message ?? JSON.stringify(chunk.error));
        throw new NodefitError("probe_failed", `streaming a completion: ${url}: ${message}`);
      }
      if (chunk.system_fingerprint) this.#version = chunk.system_fingerprint;
      if (chunk.usage) usage = chunk.usage;
      if (chunk.timings) timings = chunk.timings;
      if (textOf(chunk) !== "") {
        chunks++;
        firstAt ??= at;
        lastAt = at;
      }
    }
    if (!done && chunks === 0) throw new NodefitError("probe_failed", `streaming a completion: ${url} ended the stream before any token`);
    const generated = usage?.completion_tokens ?? chunks;
    const promptTokens = usage?.prompt_tokens ?? timings?.prompt_n ?? 0;
    const ttftMs = firstAt === null ? null : firstAt - start;
    const prefillTps =
      timings?.prompt_n && timings.prompt_ms && timings.prompt_ms > 0
        ? timings.prompt_n / (timings.prompt_ms / 1000)
        : promptTokens > 0 && ttftMs !== null && ttftMs > 0
          ? promptTokens / (ttftMs / 1000)
          : null;
    return { decodeTps: decodeRate(generated, firstAt, lastAt), prefillTps, ttftMs, promptTokens, generatedTokens: generated };
  }

  async close(): Promise<void> {}
}
