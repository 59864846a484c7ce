// `nodefit bench`: a model timed on this node (a warm-up, then N runs) through a runtime's streaming API or in process
// with node-llama-cpp, the estimate beside it, the result stored in this node's benchmarks store.
import { basename } from "node:path";
import { planInstalled, type InstalledForBench, type InstalledLister } from "../../bench/installed.js";
import { benchQuant, benchResult, BENCH_DEFAULT_CONTEXT, runBench, type BenchSubject } from "../../bench/run-bench.js";
import type { BenchDeadline, FetchFn } from "../../bench/runners/http-stream.js";
import { LlamaCppRunner } from "../../bench/runners/llama-cpp.js";
import { OllamaRunner } from "../../bench/runners/ollama.js";
import { apiBase, OpenAiRunner } from "../../bench/runners/openai.js";
import type { BenchRunner } from "../../bench/runners/types.js";
import { BenchmarkStore } from "../../bench/store.js";
import { resolveModel, type Resolution } from "../../catalog/resolve.js";
import type { ModelSpec } from "../../catalog/schema.js";
import type { BenchmarkJson } from "../../contract/benchmarks.js";
import type { ModelRowJson } from "../../contract/row.js";
import { NodefitError, messageOf } from "../../domain/errors.js";
import type { Machine } from "../../domain/machine.js";
import type { Runtime } from "../../estimate/types.js";
import { writeJson, type CliIo } from "../cli-io.js";
import { parseMachineFlags } from "../machine-flags.js";
import type { OpenService } from "../open-service.js";
import { NO_CONFIG, Settings, type LoadedConfig } from "../settings.js";
import { DEFAULT_PORTS } from "../../runtimes/endpoints.js";
import { benchText } from "../render/bench-text.js";

/** The runtimes a bench talks to, and the engine each runs (what its estimate is for). */
export const BENCH_RUNTIMES = ["ollama", "llamacpp", "lmstudio", "vllm", "mlx"] as const;
export type BenchRuntime = (typeof BENCH_RUNTIMES)[number];
const ENGINE: Record<BenchRuntime, Runtime> = { ollama: "llamacpp", llamacpp: "llamacpp", lmstudio: "llamacpp", vllm: "vllm", mlx: "mlx" };
/** Each runtime's usual address (its documentation's default port), where the runtime_endpoints setting gives none. */
const DEFAULT_ENDPOINT: Record<BenchRuntime, string> = {
  ollama: `http://127.0.0.1:${DEFAULT_PORTS.ollama}`,
  llamacpp: `http://127.0.0.1:${DEFAULT_PORTS.llamacpp}`,
  lmstudio: `http://127.0.0.1:${DEFAULT_PORTS.lmstudio}`,
  vllm: `http://127.0.0.1:${DEFAULT_PORTS.vllm}`,
  mlx: `http://127.0.0.1:${DEFAULT_PORTS.mlx}`,
};

/** The longest a bench may take by default (prepare, warm-up and runs), seconds: --max-time. */
export const DEFAULT_BENCH_MAX_TIME_S = 3600;
/** The longest --max-time: a day. */
export const MAX_BENCH_MAX_TIME_S = 86_400;

export interface BenchFlags {
  model?: string;
  allInstalled?: boolean;
  runtime?: string;
  endpoint?: string;
  servedModel?: string;
  api?: string;
  gguf?: string;
  quant?: string;
  runs?: string;
  warmup?: string;
  maxTokens?: string;
  promptTokens?: string;
  context?: string;
  threads?: string;
  cpu?: boolean;
  timeout?: string;
  maxTime?: string;
  dataDir?: string;
  catalog?: string;
  nodeName?: string;
  json?: boolean;
}

/** What a test may replace: the fetch runners use, and the installed models `--all-installed` benches. */
export interface BenchDeps {
  fetch?: FetchFn;
  installedModels?: InstalledLister;
}

interface BenchSettings {
  runs: number;
  warmup: number;
  maxTokens: number;
  promptTokens: number;
  context: number | null;
  threads: number;
  idleTimeoutMs: number;
  /** The longest one bench (one model) may take, ms (--max-time). */
  maxTimeMs: number;
  gpu: "auto" | false;
}

function wholeNumber(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new NodefitError("invalid_argument", `invalid ${flag} value: use a whole number from ${min} to ${max}`, { key: flag });
  return n;
}

/** Every flag parsed before anything runs, so a mistake never costs a model load. */
export function benchSettings(f: BenchFlags, availableParallelism: number): BenchSettings {
  return {
    runs: wholeNumber("--runs", f.runs, 3, 1, 100),
    warmup: wholeNumber("--warmup", f.warmup, 1, 0, 10),
    maxTokens: wholeNumber("--max-tokens", f.maxTokens, 128, 2, 8192),
    promptTokens: wholeNumber("--prompt-tokens", f.promptTokens, 256, 1, 131072),
    context: f.context === undefined ? null : wholeNumber("--context", f.context, 0, 256, 10_000_000),
    threads: wholeNumber("--threads", f.threads, availableParallelism, 1, 4096),
    idleTimeoutMs: wholeNumber("--timeout", f.timeout, 120, 1, 3600) * 1000,
    maxTimeMs: wholeNumber("--max-time", f.maxTime, DEFAULT_BENCH_MAX_TIME_S, 1, MAX_BENCH_MAX_TIME_S) * 1000,
    gpu: f.cpu ? false : "auto",
  };
}

const isRuntime = (r: string): r is BenchRuntime => (BENCH_RUNTIMES as readonly string[]).includes(r);

/** What to bench: a local file, the installed models, or a model on a runtime. */
type Target =
  | { kind: "gguf"; file: string }
  /** `ollama`: where Ollama's tags are run; null: Ollama is off in the runtime endpoints (its tags are skipped). */
  | { kind: "installed"; ollama: string | null }
  | { kind: "runtime"; runtime: BenchRuntime; endpoint: string; model: string | null };

/**
 * Where a runtime is, unless --endpoint says: the runtime_endpoints setting as every command resolves it
 * (NODEFIT_RUNTIME_ENDPOINTS, else the config file's runtime_endpoints; Ollama's from OLLAMA_HOST when neither names it;
 * the first URL where several are given), else the runtime's default port on 127.0.0.1.
 */
export function benchEndpoint(runtime: BenchRuntime, flag: string | undefined, settings: Settings): string {
  if (flag !== undefined) return flag;
  const resolved = settings.runtimeEndpoints().perRuntime[runtime];
  if (resolved.value === "off")
    throw new NodefitError("invalid_argument", `${runtime} is off in the runtime endpoints (${resolved.from}): give its address with --endpoint URL`, { key: "endpoint" });
  return resolved.value[0] ?? DEFAULT_ENDPOINT[runtime];
}

export function benchTarget(f: BenchFlags, env: Readonly<Record<string, string | undefined>>, config: LoadedConfig = NO_CONFIG): Target {
  const runtime = f.runtime === undefined ? null : f.runtime.trim().toLowerCase();
  if (runtime !== null && !isRuntime(runtime)) throw new NodefitError("invalid_argument", `invalid --runtime value: use ${BENCH_RUNTIMES.join("|")}`, { key: "runtime" });
  // Checked before anything runs; the error masks credentials and a query.
  if (f.endpoint !== undefined) apiBase(f.endpoint);
  if (f.gguf !== undefined) {
    const clash = (["model", "endpoint", "runtime", "servedModel"] as const).filter((k) => f[k] !== undefined);
    if (clash.length > 0 || f.allInstalled) throw new NodefitError("invalid_argument", "--gguf runs that file in process: leave out --model, --all-installed, --runtime, --endpoint and --served-model");
    return { kind: "gguf", file: f.gguf };
  }
  const settings = new Settings({ env, config });
  if (f.allInstalled) {
    if (f.model !== undefined || f.endpoint !== undefined || f.servedModel !== undefined)
      throw new NodefitError("invalid_argument", "--all-installed benches every installed model: leave out --model, --endpoint and --served-model");
    const ollama = settings.runtimeEndpoints().perRuntime.ollama;
    return { kind: "installed", ollama: ollama.value === "off" ? null : benchEndpoint("ollama", undefined, settings) };
  }
  const model = f.model !== undefined && f.model.trim() !== "" ? f.model.trim() : null;
  if (runtime === null && f.endpoint === undefined) {
    // A model named on its own is an Ollama tag: Ollama runs it (where the runtime endpoints say, else OLLAMA_HOST).
    if (model !== null) return { kind: "runtime", runtime: "ollama", endpoint: benchEndpoint("ollama", undefined, settings), model };
    throw new NodefitError(
      "invalid_argument",
      "say what to bench: --gguf FILE (in process), --endpoint URL [--runtime R] (a running runtime), --model TAG (an Ollama tag), or --all-installed",
    );
  }
  const r: BenchRuntime = runtime ?? "llamacpp";
  if (r === "ollama" && model === null) throw new NodefitError("invalid_argument", "--runtime ollama needs the tag to run: --model TAG (e.g. qwen3:8b)");
  return { kind: "runtime", runtime: r, endpoint: benchEndpoint(r, f.endpoint, settings), model };
}

/** References matched this way name the model itself (not loose words or a derivative sized as its base). */
const EXACT_MATCHES: ReadonlySet<string> = new Set(["hf_id", "alias", "gguf_repo", "ollama_tag", "gguf_file", "quantizer_repo"]);

/** The catalog's model for a reference, or null. */
function catalogMatch(models: readonly ModelSpec[], reference: string): Resolution | null {
  const r = resolveModel(models, reference);
  return r.model !== null && r.matchedBy !== null && EXACT_MATCHES.has(r.matchedBy) ? r : null;
}

/** The subject of a model run by a runtime: the catalog's entry when the reference names one. */
function runtimeSubject(models: readonly ModelSpec[], reference: string, runtime: BenchRuntime, quantFlag: string | undefined, runnerQuant: string | null): BenchSubject {
  const r = catalogMatch(models, reference);
  const quant = benchQuant(quantFlag ?? null) ?? r?.quant ?? benchQuant(runnerQuant) ?? (runtime === "ollama" && r !== null ? benchQuant("Q4_K_M") : null);
  return { model: r?.model ?? null, modelId: r?.model?.id ?? reference, modelRef: reference, inCatalog: r !== null, quant, runtime: ENGINE[runtime] };
}

/** The subject of a GGUF file: its header's entry (exact bytes), kept under the catalog's id when its name matches one. */
async function ggufSubject(models: readonly ModelSpec[], file: string, quantFlag: string | undefined, io: CliIo): Promise<{ subject: BenchSubject; contextLength: number }> {
  const { modelFromGguf } = await import("../../catalog/gguf/model-from-gguf.js");
  const imported = await modelFromGguf(file);
  for (const w of imported.warnings) io.stderr.write(`nodefit: warning: ${w}\n`);
  const r = catalogMatch(models, basename(file));
  return {
    subject: {
      model: imported.model,
      modelId: r?.model?.id ?? imported.model.id,
      modelRef: file,
      inCatalog: r !== null,
      quant: benchQuant(quantFlag ?? imported.quant),
      runtime: "llamacpp",
    },
    contextLength: imported.model.context_length,
  };
}

interface Ctx {
  io: CliIo;
  flags: BenchFlags;
  settings: BenchSettings;
  fetch: FetchFn;
  store: BenchmarkStore;
  /** Where Ollama's tags are run by --all-installed; null: Ollama is off in the runtime endpoints. */
  ollama: string | null;
  machine: Machine;
  models: readonly ModelSpec[];
  /** A new bench's deadline (--max-time from now): each model benched gets the whole limit. */
  deadline: () => BenchDeadline;
}

const progress = (io: CliIo, label: string) => (what: string) => void io.stderr.write(`nodefit: bench ${label}: ${what}\n`);

/** Benches one GGUF file in process. */
async function benchGguf(c: Ctx, file: string, quantFlag: string | undefined): Promise<BenchmarkJson> {
  const s = c.settings;
  const { subject, contextLength } = await ggufSubject(c.models, file, quantFlag, c.io);
  const context = Math.min(s.context ?? BENCH_DEFAULT_CONTEXT, contextLength);
  if (s.promptTokens + s.maxTokens > context)
    throw new NodefitError("invalid_argument", `--prompt-tokens ${s.promptTokens} and --max-tokens ${s.maxTokens} do not fit a ${context}-token context: lower them or raise --context`);
  const runner = new LlamaCppRunner({ file, context, threads: s.threads, gpu: s.gpu, promptTokens: s.promptTokens });
  return measure(c, runner, subject, context, () => subject, c.deadline());
}

/** Benches a model on a running runtime. */
async function benchRuntime(c: Ctx, runtime: BenchRuntime, endpoint: string, model: string | null, quantFlag: string | undefined): Promise<BenchmarkJson> {
  const s = c.settings;
  const io = { fetch: c.fetch, idleTimeoutMs: s.idleTimeoutMs, deadline: c.deadline() };
  const api = c.flags.api === undefined ? "chat" : c.flags.api;
  if (api !== "chat" && api !== "completions") throw new NodefitError("invalid_argument", "invalid --api value: use chat|completions", { key: "api" });
  const runner: BenchRunner =
    runtime === "ollama"
      ? new OllamaRunner({ endpoint, tag: model ?? "", context: s.context, promptWords: s.promptTokens, ...io })
      : new OpenAiRunner({ endpoint, servedModel: c.flags.servedModel ?? null, hint: model, api, promptWords: s.promptTokens, ...io });
  const context = s.context ?? BENCH_DEFAULT_CONTEXT;
  return measure(c, runner, null, context, (info) => runtimeSubject(c.models, model ?? info.servedModel, runtime, quantFlag, info.quant), io.deadline);
}

async function measure(
  c: Ctx,
  runner: BenchRunner,
  known: BenchSubject | null,
  context: number,
  subjectOf: (info: { servedModel: string; quant: string | null }) => BenchSubject,
  deadline: BenchDeadline,
): Promise<BenchmarkJson> {
  const label = known?.modelRef ?? runner.endpoint ?? "model";
  const outcome = await runBench(runner, { runs: c.settings.runs, warmup: c.settings.warmup, maxTokens: c.settings.maxTokens, deadline, onProgress: c.flags.json ? undefined : progress(c.io, label) });
  const subject = subjectOf(outcome.info);
  const version = runner instanceof OpenAiRunner ? runner.runtimeVersion : null;
  const result = benchResult(subject, outcome, c.machine, { context, maxTokens: c.settings.maxTokens, warmup: c.settings.warmup, endpoint: runner.endpoint, via: runner.via, runtimeVersion: version });
  return c.store.add(result);
}

export async function runBenchCommand(flags: BenchFlags, io: CliIo, open: OpenService, deps: BenchDeps = {}, config: LoadedConfig = NO_CONFIG): Promise<number> {
  const os = await import("node:os");
  const settings = benchSettings(flags, os.availableParallelism());
  const target = benchTarget(flags, io.env, config);
  // --catalog, --node-name and --data-dir with their variables and the config file's keys; no runtime_endpoints or
  // models_dirs flags (the installed models come from the settings' stores).
  const machineOptions = parseMachineFlags({}, new Settings({ flags: { catalog: flags.catalog, nodeName: flags.nodeName, dataDir: flags.dataDir }, env: io.env, config }));
  const storePath = machineOptions.benchmarksFile!;
  // The store first: a bench whose result could not be kept is not run.
  const store = await BenchmarkStore.open(storePath);
  // The model stores are read only for --all-installed (a one-shot look, waited for); other benches never start it.
  const service = await open(machineOptions, io, { inputsMode: target.kind === "installed" ? "one-shot" : "agent" });
  try {
    const c: Ctx = {
      io,
      flags,
      settings,
      fetch: deps.fetch ?? ((input, init) => fetch(input, init)),
      store,
      ollama: target.kind === "installed" ? target.ollama : DEFAULT_ENDPOINT.ollama,
      machine: await service.machine(),
      models: service.models,
      deadline: () => ({ at: performance.now() + settings.maxTimeMs, limitMs: settings.maxTimeMs }),
    };
    if (target.kind === "gguf") return done(c, [await benchGguf(c, target.file, flags.quant)]);
    if (target.kind === "runtime") return done(c, [await benchRuntime(c, target.runtime, target.endpoint, target.model, flags.quant)]);
    return await benchInstalled(c, deps.installedModels ?? (async () => installedOf(await service.rows(null, null))));
  } finally {
    service.close();
    store.close();
  }
}

function done(c: Ctx, results: BenchmarkJson[]): number {
  const r = results[0]!;
  if (c.flags.json) writeJson(c.io, r);
  else c.io.stdout.write(benchText(r, c.store.path));
  return 0;
}

/** The installed copies the rows say this node has (the inventory of its model stores), each with its catalog id. */
export const installedOf = (rows: readonly ModelRowJson[]): InstalledForBench[] =>
  rows.flatMap((r) => r.installed_as.map((c) => ({ modelId: r.name, quant: c.quant, runtime: c.runtime, format: c.format, tag: c.tag, path: c.path })));

/** Every installed model the bench can run, one after the other; a failure is reported and the others go on. */
async function benchInstalled(c: Ctx, lister: InstalledLister): Promise<number> {
  const plans = planInstalled(await lister());
  const results: BenchmarkJson[] = [];
  const skipped: Array<{ model: string; path: string; why: string }> = [];
  const failed: Array<{ model: string; path: string; error: string }> = [];
  for (const p of plans) {
    if (p.kind === "skip" || (p.kind === "ollama" && c.ollama === null)) {
      skipped.push({ model: p.model.modelId, path: p.model.path, why: p.kind === "skip" ? p.why : "Ollama is off in the runtime endpoints (ollama=off)" });
      continue;
    }
    try {
      const r =
        p.kind === "ollama"
          ? await benchRuntime(c, "ollama", c.ollama!, p.tag, p.model.quant ?? undefined)
          : await benchGguf(c, p.file, p.model.quant ?? undefined);
      results.push(r);
      if (!c.flags.json) c.io.stdout.write(benchText(r, c.store.path));
    } catch (e) {
      failed.push({ model: p.model.modelId, path: p.model.path, error: messageOf(e) });
      if (!c.flags.json) c.io.stderr.write(`nodefit: bench ${p.model.modelId}: ${messageOf(e)}\n`);
    }
  }
  if (c.flags.json) writeJson(c.io, { benchmarks: results, skipped, failed });
  else {
    for (const s of skipped) c.io.stdout.write(`skipped ${s.model} (${s.path}): ${s.why}\n`);
    if (plans.length === 0) c.io.stdout.write("no installed models found\n");
  }
  return failed.length > 0 ? 1 : 0;
}
