// Probe tracing: every command and file a detection touched, with its raw output and what was decided from it.
import { commandLine, type CommandResult, type HardwareIO } from "./io.js";
import type { RamBandwidthReport } from "./ram-bandwidth-probe.js";

export interface TraceEntry {
  kind: "command" | "file" | "dir";
  /** Command line, or the path read. */
  target: string;
  command: string | null;
  args: readonly string[] | null;
  durationMs: number;
  exitCode: number | null;
  timedOut: boolean;
  spawnError: string | null;
  /** The whole raw output (stdout, or the file's text); null when nothing was read. */
  stdout: string | null;
  stderr: string | null;
  /** Directory entries, for `dir`. */
  entries: string[] | null;
  /** True when the run was skipped because the same tool hung earlier in this detection. */
  skipped: boolean;
  /** What detection concluded from it ("2 GPUs", "no limit", "ignored: display-only adapter"). */
  decision: string | null;
}

/** Collects trace entries; pass one to `detectMachine` to get them (for `nodefit doctor`). */
export class ProbeTrace {
  readonly entries: TraceEntry[] = [];
  /** What detection decided about each device it saw ("RTX 4090: 23.99 GiB ...", "... dropped"). */
  readonly devices: string[] = [];
  /** The RAM bandwidth probe: its passes, the figure chosen and why, the platform's bound, the cache; null when it did not run. */
  ramBandwidth: RamBandwidthReport | null = null;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

/**
 * The probes' view of the I/O: times every command out, records every read, and runs a tool that hung
 * once no more (a hanging tool costs one timeout per detection, not one per query).
 */
export class ProbeRunner {
  readonly io: HardwareIO;
  readonly timeoutMs: number;
  private readonly trace: ProbeTrace;
  private readonly byResult = new WeakMap<CommandResult, TraceEntry>();
  private readonly hung = new Set<string>();

  constructor(io: HardwareIO, trace: ProbeTrace | null | undefined, timeoutMs: number = DEFAULT_PROBE_TIMEOUT_MS) {
    this.io = io;
    this.trace = trace ?? new ProbeTrace();
    this.timeoutMs = timeoutMs;
  }

  async run(command: string, args: readonly string[], timeoutMs: number = this.timeoutMs): Promise<CommandResult> {
    if (this.hung.has(command)) {
      const result: CommandResult = {
        command,
        args,
        stdout: "",
        stderr: "",
        exitCode: null,
        timedOut: true,
        spawnError: null,
        durationMs: 0,
      };
      this.record(result, true);
      return result;
    }
    const result = await this.io.run(command, args, { timeoutMs });
    if (result.timedOut) this.hung.add(command);
    this.record(result, false);
    return result;
  }

  async readFile(path: string): Promise<string | null> {
    const started = performance.now();
    const text = await this.io.readFile(path);
    this.trace.entries.push({
      ...blank("file", path),
      durationMs: Math.round(performance.now() - started),
      stdout: text,
    });
    return text;
  }

  async readDir(path: string): Promise<string[] | null> {
    const started = performance.now();
    const entries = await this.io.readDir(path);
    this.trace.entries.push({ ...blank("dir", path), durationMs: Math.round(performance.now() - started), entries });
    return entries;
  }

  /** Notes what was decided about a device (kept, dropped, why). */
  deviceDecision(text: string): void {
    this.trace.devices.push(text);
  }

  /** Keeps the RAM bandwidth probe's report (the object itself: the probe fills it in as it goes). */
  reportRamBandwidth(report: RamBandwidthReport): void {
    this.trace.ramBandwidth = report;
  }

  /** Notes what was concluded from a command's result or a file (by path). */
  decide(source: CommandResult | string, decision: string): void {
    const entry =
      typeof source === "string"
        ? this.trace.entries.findLast((e) => e.kind !== "command" && e.target === source)
        : this.byResult.get(source);
    if (!entry) return;
    entry.decision = entry.decision ? `${entry.decision}; ${decision}` : decision;
  }

  private record(result: CommandResult, skipped: boolean): void {
    const entry: TraceEntry = {
      ...blank("command", commandLine(result.command, result.args)),
      command: result.command,
      args: result.args,
      durationMs: result.durationMs,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      spawnError: result.spawnError,
      stdout: result.stdout,
      stderr: result.stderr,
      skipped,
      decision: skipped ? "skipped: this tool timed out earlier in this detection" : null,
    };
    this.trace.entries.push(entry);
    this.byResult.set(result, entry);
  }
}

function blank(kind: TraceEntry["kind"], target: string): TraceEntry {
  return {
    kind,
    target,
    command: null,
    args: null,
    durationMs: 0,
    exitCode: null,
    timedOut: false,
    spawnError: null,
    stdout: null,
    stderr: null,
    entries: null,
    skipped: false,
    decision: null,
  };
}

/** True when the command ran and exited 0. */
export const succeeded = (r: CommandResult): boolean => r.exitCode === 0 && !r.timedOut && r.spawnError === null;

/** True when the tool is simply not installed (not a failure worth a warning on its own). */
export const notInstalled = (r: CommandResult): boolean => r.spawnError === "ENOENT";

/** One line saying why a command gave no usable answer, for warnings. */
export function failureText(r: CommandResult): string {
  const line = commandLine(r.command, r.args);
  if (r.spawnError === "ENOENT") return `${line}: not found`;
  if (r.spawnError) return `${line}: could not start (${r.spawnError})`;
  if (r.timedOut) return r.durationMs === 0 ? `${line}: skipped (timed out earlier)` : `${line}: timed out after ${r.durationMs} ms`;
  const said = firstLine(r.stderr) || firstLine(r.stdout);
  return `${line}: exit ${r.exitCode ?? "?"}${said ? `: ${said}` : ""}`;
}

function firstLine(text: string): string {
  for (const l of text.split(/\r?\n/)) {
    const t = l.trim();
    if (t) return t.length > 200 ? `${t.slice(0, 200)}…` : t;
  }
  return "";
}
