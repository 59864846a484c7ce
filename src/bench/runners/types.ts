// Bench runners: one way each of running a model and timing it (a runtime's streaming API, or node-llama-cpp in this
// process). A runner times one generation at a time; run-bench.ts does the warm-up, the runs and the statistics.

/** What one generation measured. */
export interface RunMeasurement {
  /** Generated tokens per second after the first token (the first one's time is the prompt's). */
  decodeTps: number;
  /** Prompt tokens per second: the runtime's own prompt timing when it reports one, else prompt tokens / TTFT. */
  prefillTps: number | null;
  /** From sending the request (or starting the evaluation) to the first generated token. */
  ttftMs: number | null;
  promptTokens: number;
  generatedTokens: number;
}

/** What a runner knows of what it runs, once it is ready. */
export interface RunnerInfo {
  /** The model's name as the runtime knows it (a served model id, an Ollama tag, the GGUF path). */
  servedModel: string;
  /** The quant the runtime reports, as it writes it (Ollama's `quantization_level`); null when it does not say. */
  quant: string | null;
  runtimeVersion: string | null;
  /** The context the model runs with; null when the runtime chose it and does not say. */
  context: number | null;
  threads: number | null;
}

export interface BenchRunner {
  readonly via: "node-llama-cpp" | "openai" | "ollama";
  readonly endpoint: string | null;
  /** Loads or finds the model; called once, before the warm-up. */
  prepare(): Promise<RunnerInfo>;
  /**
   * Times one generation of `maxTokens` tokens from a prompt. `run` numbers the generations (warm-up included), so the
   * prompt can differ from the previous one's first token on and no runtime answers it from a prompt cache.
   */
  generate(run: number, maxTokens: number): Promise<RunMeasurement>;
  close(): Promise<void>;
}

/**
 * The bench's prompt: plain words (every tokenizer splits them into about one token per word), `words` of them after
 * a first line that differs per run. Runtimes that keep a prompt cache (llama.cpp's server, Ollama) reuse a prompt's
 * longest cached prefix: a different first token makes each run process its whole prompt.
 */
export function benchPrompt(run: number, words: number): string {
  const text = "the quick brown fox jumps over the lazy dog while the cat sleeps on a warm mat near the door".split(" ");
  const body = Array.from({ length: Math.max(0, words) }, (_, i) => text[i % text.length]).join(" ");
  return `Run ${run}: ${body}`;
}

/** Generated tokens per second from the first and last token's arrival: n tokens are n - 1 intervals. */
export function decodeRate(tokens: number, firstAt: number | null, lastAt: number | null): number {
  if (tokens < 2 || firstAt === null || lastAt === null || lastAt <= firstAt) return 0;
  return (tokens - 1) / ((lastAt - firstAt) / 1000);
}
