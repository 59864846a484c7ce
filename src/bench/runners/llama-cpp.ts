// llama.cpp in this process, through node-llama-cpp (an optional dependency, pinned to 3.21.1): a local GGUF file
// loaded and run token by token, each token timed as the evaluation yields it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { NodefitError, messageOf } from "../../domain/errors.js";
import { benchPrompt, decodeRate, type BenchRunner, type RunMeasurement, type RunnerInfo } from "./types.js";

/** The version the project pins (package.json's optionalDependencies) and tests against. */
export const NODE_LLAMA_CPP_VERSION = "3.21.1";

/** The parts of node-llama-cpp's API the runner uses (typed here, so nodefit type-checks without the package). */
interface LlamaModule {
  getLlama(options: {
    gpu: "auto" | false;
    build: "never";
    maxThreads: number;
    logLevel: string;
    logger: (level: string, message: string) => void;
    progressLogs: false;
  }): Promise<Llama>;
  LlamaLogLevel: Record<string, string>;
}
interface Llama {
  readonly gpu: string | false;
  readonly llamaCppRelease: { release: string };
  loadModel(options: { modelPath: string; useMmap?: boolean }): Promise<LlamaModel>;
  dispose(): Promise<void>;
}
interface LlamaModel {
  tokenize(text: string): number[];
  createContext(options: { contextSize: number; threads: number; sequences: number }): Promise<LlamaContext>;
  dispose(): Promise<void>;
}
interface LlamaContext {
  getSequence(): LlamaSequence;
  dispose(): Promise<void>;
}
interface LlamaSequence {
  clearHistory(): Promise<void>;
  evaluate(tokens: number[], options: { temperature: number }): AsyncGenerator<number>;
}

/** node-llama-cpp, imported on first use; a clear error when it is not installed. */
export async function loadNodeLlamaCpp(): Promise<{ module: LlamaModule; version: string }> {
  const specifier = "node-llama-cpp";
  let module: LlamaModule;
  try {
    module = (await import(specifier)) as LlamaModule;
  } catch (e) {
    throw new NodefitError(
      "probe_failed",
      `running a GGUF file in process needs node-llama-cpp ${NODE_LLAMA_CPP_VERSION} (an optional dependency of nodefit), which did not load: ${messageOf(e)}. ` +
        `Install it with \`npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION}\`, or bench a running runtime with --endpoint URL`,
      {},
      { cause: e },
    );
  }
  return { module, version: installedVersion() ?? NODE_LLAMA_CPP_VERSION };
}

/** The installed package's version, read from its package.json. */
function installedVersion(): string | null {
  try {
    let dir = path.dirname(fileURLToPath(import.meta.resolve("node-llama-cpp")));
    for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
        if (pkg.name === "node-llama-cpp") return pkg.version ?? null;
      } catch {
        // not the package's root yet
      }
    }
  } catch {
    // resolved elsewhere: the pinned version stands
  }
  return null;
}

export interface LlamaCppRunnerOptions {
  file: string;
  context: number;
  threads: number;
  /** "auto": node-llama-cpp's choice (CUDA, Metal or Vulkan when its prebuilt binary runs here), false: CPU. */
  gpu: "auto" | false;
  /** Prompt tokens per generation, exactly. */
  promptTokens: number;
}

export class LlamaCppRunner implements BenchRunner {
  readonly via = "node-llama-cpp" as const;
  readonly endpoint = null;
  readonly #o: LlamaCppRunnerOptions;
  #llama: Llama | null = null;
  #model: LlamaModel | null = null;
  #context: LlamaContext | null = null;
  #sequence: LlamaSequence | null = null;
  readonly #errors: string[] = [];

  constructor(options: LlamaCppRunnerOptions) {
    this.#o = options;
  }

  async prepare(): Promise<RunnerInfo> {
    const { module, version } = await loadNodeLlamaCpp();
    const o = this.#o;
    const level = module.LlamaLogLevel["error"] ?? "error";
    try {
      this.#llama = await module.getLlama({
        gpu: o.gpu,
        // Never download or compile llama.cpp: the prebuilt binaries npm installed, or a clear failure.
        build: "never",
        maxThreads: o.threads,
        logLevel: level,
        logger: (_level, message) => void (this.#errors.length < 20 && this.#errors.push(message.trim())),
        progressLogs: false,
      });
      this.#model = await this.#llama.loadModel({ modelPath: o.file });
      this.#context = await this.#model.createContext({ contextSize: o.context, threads: o.threads, sequences: 1 });
      this.#sequence = this.#context.getSequence();
    } catch (e) {
      await this.close();
      const said = this.#errors.length > 0 ? ` (llama.cpp: ${this.#errors.slice(-3).join("; ")})` : "";
      throw new NodefitError("probe_failed", `node-llama-cpp could not run ${o.file}: ${messageOf(e)}${said}`, { path: o.file }, { cause: e });
    }
    const gpu = this.#llama.gpu === false ? "CPU" : this.#llama.gpu;
    return {
      servedModel: o.file,
      quant: null,
      runtimeVersion: `node-llama-cpp ${version} (llama.cpp ${this.#llama.llamaCppRelease.release}, ${gpu})`,
      context: o.context,
      threads: o.threads,
    };
  }

  async generate(run: number, maxTokens: number): Promise<RunMeasurement> {
    const model = this.#model;
    const sequence = this.#sequence;
    if (model === null || sequence === null) throw new Error("LlamaCppRunner: prepare() first");
    const want = this.#o.promptTokens;
    // Enough words for the prompt's tokens (a word is one token or more), cut to the exact count.
    const prompt = model.tokenize(benchPrompt(run, want)).slice(0, want);
    await sequence.clearHistory();
    const start = performance.now();
    let firstAt: number | null = null;
    let lastAt: number | null = null;
    let n = 0;
    for await (const _token of sequence.evaluate(prompt, { temperature: 0 })) {
      const at = performance.now();
      firstAt ??= at;
      lastAt = at;
      if (++n >= maxTokens) break;
    }
    const ttftMs = firstAt === null ? null : firstAt - start;
    return {
      decodeTps: decodeRate(n, firstAt, lastAt),
      prefillTps: ttftMs !== null && ttftMs > 0 ? prompt.length / (ttftMs / 1000) : null,
      ttftMs,
      promptTokens: prompt.length,
      generatedTokens: n,
    };
  }

  async close(): Promise<void> {
    const steps = [this.#context, this.#model, this.#llama];
    this.#context = null;
    this.#model = null;
    this.#sequence = null;
    this.#llama = null;
    for (const s of steps) {
      try {
        await s?.dispose();
      } catch {
        // disposing what failed to load
      }
    }
  }
}
