// Ollama: a streamed /api/generate, timed by Ollama's own counters (eval_count / eval_duration for decode,
// prompt_eval_count / prompt_eval_duration for the prompt) and, for the time to the first token, as it arrives.
import { NodefitError } from "../../domain/errors.js";
import { apiBase } from "./openai.js";
import { getJson, streamLines, type BenchDeadline, type FetchFn } from "./http-stream.js";
import { benchPrompt, type BenchRunner, type RunMeasurement, type RunnerInfo } from "./types.js";

export interface OllamaRunnerOptions {
  endpoint: string;
  /** The tag to run (`qwen3:8b`). */
  tag: string;
  /** num_ctx to ask for; null = Ollama's own choice. */
  context: number | null;
  promptWords: number;
  fetch: FetchFn;
  idleTimeoutMs: number;
  /** When the bench must be over; none: no limit but the idle timeout. */
  deadline?: BenchDeadline | null;
}

interface GenerateLine {
  response?: string;
  thinking?: string;
  done?: boolean;
  error?: string;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

export class OllamaRunner implements BenchRunner {
  readonly via = "ollama" as const;
  readonly endpoint: string;
  readonly #o: OllamaRunnerOptions;

  constructor(options: OllamaRunnerOptions) {
    this.#o = options;
    this.endpoint = apiBase(options.endpoint);
  }

  async prepare(): Promise<RunnerInfo> {
    const version = (await getJson("asking Ollama's version", `${this.endpoint}/api/version`, this.#o)) as { version?: unknown };
    const show = (await getJson("reading the model's details", `${this.endpoint}/api/show`, this.#o, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: this.#o.tag }),
    })) as { details?: { quantization_level?: unknown } };
    const quant = show.details?.quantization_level;
    return {
      servedModel: this.#o.tag,
      quant: typeof quant === "string" ? quant : null,
      runtimeVersion: typeof version.version === "string" ? `ollama ${version.version}` : null,
      context: this.#o.context,
      threads: null,
    };
  }

  async generate(run: number, maxTokens: number): Promise<RunMeasurement> {
    const url = `${this.endpoint}/api/generate`;
    const body = {
      model: this.#o.tag,
      prompt: benchPrompt(run, this.#o.promptWords),
      stream: true,
      options: { num_predict: maxTokens, temperature: 0, ...(this.#o.context !== null ? { num_ctx: this.#o.context } : {}) },
    };
    const start = performance.now();
    let firstAt: number | null = null;
    let final: GenerateLine | null = null;
    const init: RequestInit = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
    for await (const { line, at } of streamLines("generating with Ollama", url, init, this.#o)) {
      if (line.trim() === "") continue;
      let obj: GenerateLine;
      try {
        obj = JSON.parse(line) as GenerateLine;
      } catch {
        throw new NodefitError("probe_failed", `generating with Ollama: ${url} sent a line that is not JSON: ${line.slice(0, 120)}`);
      }
      if (obj.error) throw new NodefitError("probe_failed", `generating with Ollama: ${url}: ${obj.error}`);
      if ((obj.response ?? "") !== "" || (obj.thinking ?? "") !== "") firstAt ??= at;
      if (obj.done) {
        final = obj;
        break;
      }
    }
    if (final === null) throw new NodefitError("probe_failed", `generating with Ollama: ${url} ended the stream without its final counters (done: true)`);
    const evalCount = final.eval_count ?? 0;
    const evalNs = final.eval_duration ?? 0;
    const promptCount = final.prompt_eval_count ?? 0;
    const promptNs = final.prompt_eval_duration ?? 0;
    return {
      decodeTps: evalCount > 0 && evalNs > 0 ? evalCount / (evalNs / 1e9) : 0,
      prefillTps: promptCount > 0 && promptNs > 0 ? promptCount / (promptNs / 1e9) : null,
      ttftMs: firstAt === null ? null : firstAt - start,
      promptTokens: promptCount,
      generatedTokens: evalCount,
    };
  }

  async close(): Promise<void> {}
}
