// Node service: the hardware snapshot (first scan at start, background refresh on a TTL) and the answers built on it.
import { NodeMeasurements } from "../bench/node-measurements.js";
import { resolveModel } from "../catalog/resolve.js";
import type { ModelSpec } from "../catalog/schema.js";
import {
  healthJson,
  modelsEnvelopeJson,
  resolvedFromJson,
  systemResponseJson,
  type HealthJson,
  type ModelsEnvelopeJson,
  type SystemResponseJson,
} from "../contract/envelope.js";
import { benchmarksResponseJson, type BenchmarkJson, type BenchmarksResponseJson } from "../contract/benchmarks.js";
import type { EstimateResultJson } from "../contract/estimate.js";
import type { EstimateRequestInput } from "../contract/estimate-request.js";
import type { PlanResultJson } from "../contract/plan.js";
import type { PlanRequestInput } from "../contract/plan-request.js";
import type { ModelRowJson } from "../contract/row.js";
import { NodefitError, messageOf } from "../domain/errors.js";
import type { Machine, NodeIdentity } from "../domain/machine.js";
import { DEFAULT_CONTEXT_TOKENS } from "../estimate/estimate.js";
import type { Runtime } from "../estimate/types.js";
import { filtersJson } from "../query/filters-json.js";
import type { ModelQuery } from "../query/model-query.js";
import { selectRows } from "../query/select-rows.js";
import { AnalysisCache } from "./analysis-cache.js";
import { AnalysisQueue, analyzeInSlices } from "./analysis-queue.js";
import type { ExternalLookup } from "./estimate-request.js";
import type { MachineSource } from "./machine-source.js";
import { notProbedRuntimesJson, type NodeInputs } from "./node-inputs.js";
import type { RuntimesJson } from "../contract/runtimes.js";
import { runPlanRequest } from "./plan-request.js";

/**
 * The catalog analysis (`analyzeCatalog` in analyze.ts): every model estimated and scored on a machine; `node`: what
 * this node's benchmarks measured (rows' measured_tps, the node's correction), given only for this node's own machine.
 */
export type AnalyzeFn = (
  models: readonly ModelSpec[],
  machine: Machine,
  options: { contextTokens: number | null; forceRuntime: Runtime | null },
  node?: NodeMeasurements | null,
) => ModelRowJson[];

/** One estimate request (`runEstimateRequest` in estimate-request.ts); `node` as for AnalyzeFn, for this node's machine. */
export type EstimateFn = (
  request: EstimateRequestInput,
  ctx: { models: readonly ModelSpec[]; machine: Machine; external?: ExternalLookup | null; node?: NodeMeasurements | null },
) => EstimateResultJson;

/** This node's benchmarks store, as the service reads it (bench/store.ts: BenchmarkStoreReader). */
export interface BenchmarkSource {
  /** Whether results were added since the last read; reads no rows (cheap). */
  changed(): Promise<boolean>;
  /** The latest results, newest first. */
  read(): Promise<readonly BenchmarkJson[]>;
  close(): void;
}

/** Models outside the catalog (the Hugging Face Hub: src/hub/), looked up for estimate and plan requests only. */
export interface ExternalModels {
  /**
   * What a reference the catalog does not know names there; null when it is no reference this source can look up.
   * `signal`: the request asking; a lookup nobody waits for any more may stop.
   */
  lookup(reference: string, signal?: AbortSignal): Promise<ExternalLookup | null>;
}

export interface NodeServiceOptions {
  /** The catalog, or a function that loads it on first use (so the agent listens before parsing it). */
  models: readonly ModelSpec[] | (() => readonly ModelSpec[]);
  source: MachineSource;
  /** Answered by `/health` until the first snapshot exists; the snapshot's node is used after that. */
  identity: NodeIdentity;
  /** Milliseconds between background refreshes of the dynamic values (free memory); 0 = never. */
  refreshIntervalMs: number;
  /** Analyze the default query (each model's default context, automatic runtime) as soon as a snapshot changes,
   *  in the background, so a scheduler's poll finds it ready (the agent sets this; one-shot commands do not). */
  warmDefaultAnalysis?: boolean;
  /** Distinct (context, runtime) analyses kept per snapshot. */
  cacheEntries?: number;
  /** Where background failures go (a refresh that failed keeps the previous snapshot). */
  onBackgroundError?: (message: string) => void;
  analyze: AnalyzeFn;
  estimate: EstimateFn;
  /** Where references the catalog does not know are looked up (estimate and plan requests; never the name route). */
  external?: ExternalModels | null;
  /** This node's benchmarks (`nodefit bench` results): read on first use, again only when the store changed. */
  benchmarks?: BenchmarkSource | null;
  /** This node's runtimes and model stores, looked at in the background (node-inputs.ts); null: not at all (a
   *  described machine): rows keep `installed: null` and the runtimes object says `not_probed`. */
  inputs?: NodeInputs | null;
}

const DEFAULT_CACHE_ENTRIES = 32;

/**
 * Free memory moves by megabytes between refreshes; analyses are redone only when it moves by more than this, so a
 * node does not re-rank its catalog every refresh. The system object always shows the latest figures.
 */
export const FREE_MEMORY_GRANULE_BYTES = 256 * 2 ** 20;

const granule = (bytes: number | null): number | null => (bytes === null ? null : Math.round(bytes / FREE_MEMORY_GRANULE_BYTES));

/** A machine's fingerprint: everything but its snapshot time, with free memory to the granule. */
const fingerprint = (m: Machine): string =>
  JSON.stringify({
    ...m,
    snapshotAt: null,
    warnings: null,
    memory: { ...m.memory, availableBytes: granule(m.memory.availableBytes) },
    gpus: m.gpus.map((g) => ({ ...g, memoryFreeBytes: granule(g.memoryFreeBytes) })),
  });

export class NodeService {
  #models: readonly ModelSpec[] | (() => readonly ModelSpec[]);
  readonly #source: MachineSource;
  readonly #identity: NodeIdentity;
  readonly #cache: AnalysisCache;
  readonly #queue = new AnalysisQueue();
  readonly #analyze: AnalyzeFn;
  readonly #estimate: EstimateFn;
  readonly #external: ExternalModels | null;
  readonly #onBackgroundError: (message: string) => void;
  #warm: boolean;
  #machine: Machine | null = null;
  #fingerprint = "";
  #version = 0;
  #first: Promise<Machine> | null;
  #refreshing: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #largestContext: number | null = null;
  readonly #benchSource: BenchmarkSource | null;
  /** What the benchmarks say; null until first read. */
  #measured: NodeMeasurements | null = null;
  #measuring: Promise<NodeMeasurements> | null = null;
  #benchFailed = false;
  /** Why the store could not be read last time; null when it was (or there is none). */
  #benchError: string | null = null;
  readonly #inputs: NodeInputs | null;

  constructor(options: NodeServiceOptions) {
    this.#models = options.models;
    this.#source = options.source;
    this.#identity = options.identity;
    this.#cache = new AnalysisCache(options.cacheEntries ?? DEFAULT_CACHE_ENTRIES);
    this.#analyze = options.analyze;
    this.#estimate = options.estimate;
    this.#external = options.external ?? null;
    this.#onBackgroundError = options.onBackgroundError ?? (() => {});
    this.#warm = options.warmDefaultAnalysis ?? false;
    this.#benchSource = options.benchmarks ?? null;
    this.#inputs = options.inputs ?? null;
    // A new inventory of the stores changes rows as new measurements do: the analyses and cached answers are redone.
    this.#inputs?.attach(() => this.#catalog(), () => this.#measurementsChanged());
    this.#first = this.#scan();
    if (options.refreshIntervalMs > 0 && this.#source.refresh !== null) {
      this.#timer = setInterval(() => void this.refresh(), options.refreshIntervalMs);
      this.#timer.unref();
    }
  }

  /** The catalog this service answers from, loaded on first use when given as a loader, with the entries of installed
   *  models it lacks (built from their GGUF headers). */
  get models(): readonly ModelSpec[] {
    const catalog = this.#catalog();
    return this.#inputs === null ? catalog : this.#inputs.models(catalog);
  }

  #catalog(): readonly ModelSpec[] {
    if (typeof this.#models === "function") this.#models = this.#models();
    return this.#models;
  }

  /** Liveness: answers at once, even while the first hardware scan runs. */
  health(): HealthJson {
    return healthJson(this.#machine?.node ?? this.#identity);
  }

  /** The current snapshot, waiting for the first one if needed. */
  async machine(): Promise<Machine> {
    if (this.#machine) return this.#machine;
    this.#first ??= this.#scan();
    return this.#first;
  }

  /** Snapshot version: bumped each time a refresh changes the machine. */
  get version(): number {
    return this.#version;
  }

  async system(): Promise<SystemResponseJson> {
    return systemResponseJson(await this.machine());
  }

  /**
   * Every catalog model analyzed on this machine at a context and runtime, cached per snapshot. A new analysis waits
   * its turn in a bounded queue and runs in slices that let other requests (liveness first) through; when the queue is
   * full it is refused with `overloaded`. The default analysis, what schedulers poll, goes first and is never refused.
   */
  async rows(contextTokens: number | null, forceRuntime: Runtime | null): Promise<readonly ModelRowJson[]> {
    // A one-shot command waits for its scan of the model stores (beside the hardware's); the agent never does.
    const [awaited] = await Promise.all([this.machine(), this.#inputs?.beforeRows()]);
    contextTokens = this.#sameAnalysisContext(contextTokens);
    // The snapshot installed now, whose analyses the cache holds (a refresh may have replaced the awaited one).
    const machine = this.#machine ?? awaited;
    const key = { contextTokens, forceRuntime };
    const isDefault = contextTokens === null && forceRuntime === null;
    // This node's measurements: read once, then only when a bench added results (checked on refresh, never per request).
    const node = machine.origin === "detected" ? (this.#measured ?? (await this.#readBenchmarks())) : null;
    const analyze: AnalyzeFn = (models, m, options) => this.#analyze(models, m, options, node);
    const installed = (rows: ModelRowJson[]): ModelRowJson[] => this.#inputs?.overlay(rows) ?? rows;
    return this.#cache.getOrCompute(key, () => this.#queue.run(() => analyzeInSlices(this.models, machine, key, analyze), isDefault).then(installed));
  }

  /**
   * Contexts that give the same analysis share one: each model is estimated at min(context, its native window), so a
   * context past the catalog's largest window is that window, and one that gives every model its default
   * (min(8192, native)) is the default (null).
   */
  #sameAnalysisContext(contextTokens: number | null): number | null {
    if (contextTokens === null) return null;
    this.#largestContext ??= Math.max(0, ...this.models.map((m) => m.context_length));
    const capped = Math.min(contextTokens, this.#largestContext);
    return capped === Math.min(DEFAULT_CONTEXT_TOKENS, this.#largestContext) ? null : capped;
  }

  /**
   * The models envelope for a parsed query: the analysis is cached, so a request only filters, sorts and slices.
   * On the name route the name is also resolved (an Ollama tag, a Hugging Face id, a GGUF file name, loose words):
   * the model it names is kept beside the substring matches, and `resolved_from` says how it was found.
   * `machine`: the snapshot the caller already read (so its answer cache and the envelope agree).
   */
  async modelsEnvelope(query: ModelQuery, snapshot?: Machine): Promise<ModelsEnvelopeJson> {
    const machine = snapshot ?? (await this.machine());
    const rows = await this.rows(query.maxContext, query.forceRuntime);
    const resolution = query.route === "name" && query.search !== null ? resolveModel(this.models, query.search) : null;
    // A model the name describes rather than finds (an expert-pruned derivative sized from the name) is not a row of
    // the cached analysis: it is analyzed alone, with the same options, in the analysis queue (which a flood of such
    // names fills, then refuses as overloaded), and marked installed or not like every row.
    const own = resolution?.model && !this.models.includes(resolution.model) ? resolution.model : null;
    const all = own ? [...rows, ...(await this.#analyzeOne(own, machine, query))] : rows;
    const selection = selectRows(all, query, resolution?.model?.id ?? null);
    return modelsEnvelopeJson(machine, selection, filtersJson(query), resolution && resolvedFromJson(resolution));
  }

  /** The row of one model outside the catalog, as `rows()` makes the catalog's (options, measurements, installed). */
  #analyzeOne(model: ModelSpec, machine: Machine, query: ModelQuery): Promise<ModelRowJson[]> {
    const node = machine.origin === "detected" ? this.#measured : null;
    const options = { contextTokens: this.#sameAnalysisContext(query.maxContext), forceRuntime: query.forceRuntime };
    return this.#queue.run(async () => {
      const rows = this.#analyze([model], machine, options, node);
      return this.#inputs?.overlay(rows) ?? rows;
    }, false);
  }

  /**
   * One parsed estimate request (`parseEstimateRequest`). A request without a machine uses this node (waiting for its
   * first snapshot); one that describes a machine never waits for this node's hardware. `signal`: the request's end
   * (its client gone), which stops a Hub lookup made for it alone.
   */
  async estimate(request: EstimateRequestInput, options: { signal?: AbortSignal } = {}): Promise<EstimateResultJson> {
    const machine = request.machine ?? (await this.machine());
    const external = await this.#lookUp(request.model, options.signal);
    const node = request.machine === null && machine.origin === "detected" ? (this.#measured ?? (await this.#readBenchmarks())) : null;
    return this.#estimate(request, { models: this.models, machine, external, node });
  }

  /**
   * The runtimes on this node and what they hold in memory, the endpoints tried and the model stores read
   * (`GET /api/v1/runtimes`): the last snapshots, never waited for (a one-shot command waits for its one look).
   */
  async runtimes(): Promise<RuntimesJson> {
    const node = this.#machine?.node ?? this.#identity;
    return this.#inputs === null ? notProbedRuntimesJson(node) : this.#inputs.runtimesJson(node);
  }

  /** The benchmarks stored on this node and the corrections they give (`GET /api/v1/benchmarks`). */
  async benchmarks(): Promise<BenchmarksResponseJson> {
    const machine = await this.machine();
    const m = this.#measured === null || (await this.#benchmarksChanged()) ? await this.#readBenchmarks() : this.#measured;
    if (this.#benchError !== null) throw new NodefitError("probe_failed", `benchmarks store unreadable: ${this.#benchError}`);
    return benchmarksResponseJson(machine.node, m.results, m.corrections.list);
  }

  /** Whether a bench stored results since the last read (a store that cannot say is read again). */
  async #benchmarksChanged(): Promise<boolean> {
    if (this.#benchSource === null) return false;
    try {
      return await this.#benchSource.changed();
    } catch (e) {
      // Read again: the read's outcome says whether the store is readable.
      this.#benchmarksFailed(e);
      return true;
    }
  }

  /** Reads the store; results that change what rows say empty the analysis cache and start a new snapshot. */
  #readBenchmarks(): Promise<NodeMeasurements> {
    const source = this.#benchSource;
    if (source === null) return Promise.resolve((this.#measured ??= NodeMeasurements.EMPTY));
    this.#measuring ??= source
      .read()
      .then(
        (results) => {
          this.#benchError = null;
          return new NodeMeasurements(results);
        },
        (e: unknown) => {
          this.#benchmarksFailed(e);
          return this.#measured ?? NodeMeasurements.EMPTY;
        },
      )
      .then((next) => {
        const before = this.#measured;
        this.#measured = next;
        if (before !== null && before !== next) this.#measurementsChanged();
        return next;
      })
      .finally(() => {
        this.#measuring = null;
      });
    return this.#measuring;
  }

  #benchmarksFailed(e: unknown): void {
    this.#benchError = messageOf(e);
    if (this.#benchFailed) return;
    this.#benchFailed = true;
    this.#onBackgroundError(`benchmarks store unreadable, rows go without measured_tps: ${messageOf(e)}`);
  }

  /** New measurements: analyses made without them are dropped, and the snapshot is new, so cached answers are too. */
  #measurementsChanged(): void {
    this.#version += 1;
    this.#cache.clear();
    if (this.#machine !== null) this.#machine = { ...this.#machine };
    if (this.#warm) this.#warmDefault();
  }

  /**
   * One parsed plan request (`parsePlanRequest`): every quant's memory, bandwidth and the known machines that meet its
   * target. It never waits for this node's hardware; it runs in the analysis queue, yielding between quants.
   */
  async plan(request: PlanRequestInput, options: { signal?: AbortSignal } = {}): Promise<PlanResultJson> {
    const external = await this.#lookUp(request.model, options.signal);
    return this.#queue.run(() => runPlanRequest(request, { models: this.models, external }, () => new Promise((resolve) => setImmediate(resolve))));
  }

  /**
   * A reference the catalog does not know, looked up outside it (the Hub) when a source is configured: one nothing in
   * the catalog names, or a derivative it only guesses the size of from a name (the Hub's answer is exact; without one
   * the guess stands).
   */
  async #lookUp(model: EstimateRequestInput["model"], signal: AbortSignal | undefined): Promise<ExternalLookup | null> {
    if (this.#external === null || !("reference" in model)) return null;
    const r = resolveModel(this.models, model.reference);
    if (r.status !== "not_found" && r.matchedBy !== "derivative") return null;
    return this.#external.lookup(model.reference, signal);
  }

  /** Re-reads the dynamic values now (the background timer calls this); concurrent calls share one refresh. */
  refresh(): Promise<void> {
    const refreshOf = this.#source.refresh;
    if (this.#closed || refreshOf === null || this.#machine === null) return this.#refreshing ?? Promise.resolve();
    if (this.#refreshing) return this.#refreshing;
    this.#refreshing = refreshOf()
      .then(async (next) => {
        if (!this.#closed) this.#install(next);
        // A bench run by another process since: read its results with this snapshot.
        if (!this.#closed && this.#measured !== null && (await this.#benchmarksChanged())) await this.#readBenchmarks();
      })
      .catch((e: unknown) => this.#onBackgroundError(`hardware refresh failed, keeping the previous snapshot: ${messageOf(e)}`))
      .finally(() => {
        this.#refreshing = null;
      });
    return this.#refreshing;
  }

  /**
   * From now on, analyze the default query in the background whenever the snapshot changes, starting now. The agent
   * calls this once it listens, so the first analysis never delays the first answer to `/health`.
   */
  startWarming(): void {
    // The runtime probes and the store scan start here too: after the agent listens, in the background.
    this.#inputs?.start();
    if (this.#warm) return;
    this.#warm = true;
    if (this.#machine !== null) this.#warmDefault();
  }

  /** Stops the background refresh. Idempotent. */
  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#benchSource?.close();
    this.#inputs?.close();
  }

  /** Runs a first scan; a failed one is forgotten, so the next request starts a new scan. */
  #scan(): Promise<Machine> {
    const scan = this.#source.initial().then(
      (machine) => {
        this.#install(machine);
        return machine;
      },
      (e: unknown) => {
        this.#first = null;
        throw e instanceof NodefitError ? e : new NodefitError("probe_failed", `hardware scan failed: ${messageOf(e)}`, {}, { cause: e });
      },
    );
    // Nobody may be waiting yet (only /health was asked): whoever asks next gets the error.
    scan.catch(() => {});
    return scan;
  }

  #warmDefault(): void {
    setImmediate(() => {
      if (this.#closed) return;
      this.rows(null, null).catch((e: unknown) => this.#onBackgroundError(`catalog analysis failed: ${messageOf(e)}`));
    }).unref();
  }

  #install(machine: Machine): void {
    const fp = fingerprint(machine);
    if (this.#machine === null || fp !== this.#fingerprint) {
      this.#version += 1;
      this.#fingerprint = fp;
      this.#cache.clear();
      if (this.#warm) this.#warmDefault();
    }
    this.#machine = machine;
  }
}
