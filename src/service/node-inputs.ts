// Node inputs: the runtimes on this node and the models on its disks, each taken in the background and kept. The agent
// starts them once it listens and refreshes them on their own timers; a request never waits for them (it answers from
// the last snapshot, or says none was taken yet). A one-shot command waits for its one look, which every bound keeps
// short (probe timeouts, the scan's budget).
import { catalogWithInstalled } from "../installed/scan.js";
import type { Inventory } from "../installed/types.js";
import type { ModelSpec } from "../catalog/schema.js";
import { installedIndex, rowWithInstalled, type InstalledIndex } from "../contract/installed.js";
import type { ModelRowJson } from "../contract/row.js";
import { runtimesJson, type RuntimesJson } from "../contract/runtimes.js";
import { messageOf } from "../domain/errors.js";
import type { NodeIdentity } from "../domain/machine.js";
import type { RuntimeSnapshot } from "../runtimes/types.js";

export interface RuntimeProbeSource {
  probe(): Promise<RuntimeSnapshot>;
  /** Milliseconds between probe rounds; 0 = only the first. */
  intervalMs: number;
}

export interface InstalledScanSource {
  /** Reads the stores, identifying what they hold against this catalog. */
  scan(catalog: readonly ModelSpec[]): Promise<Inventory>;
  /** Milliseconds between scans; 0 = only the first. */
  intervalMs: number;
}

export interface NodeInputsOptions {
  runtimes: RuntimeProbeSource;
  installed: InstalledScanSource;
  /** One-shot commands: rows and the runtimes object wait for the first look. The agent and MCP never wait. */
  waitForFirst: boolean;
  onBackgroundError?: (message: string) => void;
}

/** A value taken in the background: the last one kept, one take at a time, again on a timer once started. */
class Periodic<T> {
  value: T | null = null;
  #running: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(
    private readonly take: () => Promise<T>,
    private readonly intervalMs: number,
    private readonly onValue: (value: T) => void,
    private readonly onError: (e: unknown) => void,
  ) {}

  get started(): boolean {
    return this.#running !== null || this.value !== null || this.#timer !== null;
  }

  /** The first take now (if none ran), then one every interval. */
  start(): void {
    if (this.#closed) return;
    if (this.value === null && this.#running === null) void this.run();
    if (this.intervalMs > 0 && this.#timer === null) {
      this.#timer = setInterval(() => void this.run(), this.intervalMs);
      this.#timer.unref();
    }
  }

  /** Takes the value again (a take already running is shared). */
  run(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#running ??= this.take()
      .then(
        (v) => {
          if (this.#closed) return;
          this.value = v;
          this.onValue(v);
        },
        (e: unknown) => this.onError(e),
      )
      .finally(() => {
        this.#running = null;
      });
    return this.#running;
  }

  /** Resolves once a first value exists (or its take failed). */
  async first(): Promise<void> {
    if (this.value !== null) return;
    await (this.#running ?? this.run());
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

/** What rows are made from and checked against: every installed copy, the stores' completeness, the catalog it extends. */
interface RowsInventory {
  inventory: Inventory;
  index: InstalledIndex;
  fingerprint: string;
}

const fingerprintOf = (inv: Inventory): string =>
  JSON.stringify([inv.complete, inv.models.map((m) => [m.modelId, m.path, m.bytes, m.quant, m.identifiedBy, m.tag, m.revision]), inv.extraModels.map((m) => [m.id, m.gguf_files])]);

export class NodeInputs {
  readonly #runtimes: Periodic<RuntimeSnapshot>;
  readonly #installed: Periodic<Inventory>;
  readonly #wait: boolean;
  #catalog: () => readonly ModelSpec[] = () => [];
  #onRowsChange: () => void = () => {};
  #rows: RowsInventory | null = null;
  /** The catalog with the installed models' own entries, per catalog and inventory (the resolver indexes it once). */
  #merged: { catalog: readonly ModelSpec[]; rows: RowsInventory | null; models: readonly ModelSpec[] } | null = null;

  constructor(options: NodeInputsOptions) {
    const onError = options.onBackgroundError ?? (() => {});
    this.#wait = options.waitForFirst;
    this.#runtimes = new Periodic(() => options.runtimes.probe(), options.runtimes.intervalMs, () => {}, (e) => onError(`runtime probe failed: ${messageOf(e)}`));
    this.#installed = new Periodic(
      () => options.installed.scan(this.#catalog()),
      options.installed.intervalMs,
      (inv) => this.#installedScanned(inv),
      (e) => onError(`installed-model scan failed, keeping the previous one: ${messageOf(e)}`),
    );
  }

  /** Ties the inputs to their service: the catalog installed models are identified against, and what to do when the
   *  rows' inventory changes (drop the analyses, start a new snapshot). */
  attach(catalog: () => readonly ModelSpec[], onRowsChange: () => void): void {
    this.#catalog = catalog;
    this.#onRowsChange = onRowsChange;
  }

  /** Starts both looks and their timers (the agent, once it listens; a one-shot command, when it opens). */
  start(): void {
    this.#runtimes.start();
    this.#installed.start();
  }

  /** Before rows are made: a one-shot command waits for the first scan of the stores; anyone else only starts it. */
  async beforeRows(): Promise<void> {
    if (!this.#wait) return void (this.#installed.started || this.#installed.start());
    await this.#installed.first();
  }

  /** The catalog plus the entries of installed models it lacks (the same array while neither changes). */
  models(catalog: readonly ModelSpec[]): readonly ModelSpec[] {
    const rows = this.#rows;
    if (this.#merged?.catalog !== catalog || this.#merged.rows !== rows) this.#merged = { catalog, rows, models: catalogWithInstalled(catalog, rows?.inventory ?? null) };
    return this.#merged.models;
  }

  /** Rows with `installed` and `installed_as` from the last scan (unchanged before the first). */
  overlay(rows: ModelRowJson[]): ModelRowJson[] {
    const index = this.#rows?.index ?? null;
    return index === null ? rows : rows.map((r) => rowWithInstalled(r, index));
  }

  /** The runtimes object from the last snapshots (a one-shot command waits for its first look). */
  async runtimesJson(node: NodeIdentity): Promise<RuntimesJson> {
    if (this.#wait) await Promise.all([this.#runtimes.first(), this.#installed.first()]);
    else if (!this.#runtimes.started) this.start();
    return runtimesJson(node, true, this.#runtimes.value, this.#installed.value);
  }

  close(): void {
    this.#runtimes.close();
    this.#installed.close();
  }

  #installedScanned(inv: Inventory): void {
    const fingerprint = fingerprintOf(inv);
    if (this.#rows?.fingerprint === fingerprint) return;
    this.#rows = { inventory: inv, index: installedIndex(inv), fingerprint };
    this.#onRowsChange();
  }
}

/** The runtimes object of a service that looks at no runtime or store (a described machine, or a service opened
 *  without these inputs). */
export const notProbedRuntimesJson = (node: NodeIdentity): RuntimesJson =>
  runtimesJson(node, false, null, null, ["runtimes and model stores are not looked at: this service answers for a described machine (--machine) or was opened without them"]);
