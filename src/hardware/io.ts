// Hardware I/O: the one interface through which detection runs commands and reads /proc, /sys and /etc.

/** What one command run gave back. Never thrown: a missing tool, a hang and a crash are all results. */
export interface CommandResult {
  command: string;
  args: readonly string[];
  stdout: string;
  stderr: string;
  /** Exit status; null when the process did not exit on its own (spawn error, timeout, signal). */
  exitCode: number | null;
  timedOut: boolean;
  /** The spawn error code ("ENOENT" when the tool is not installed, "EACCES", ...); null when it started. */
  spawnError: string | null;
  durationMs: number;
}

export interface RunOptions {
  /** Wall-clock limit; past it the process is killed and the result says `timedOut`. */
  timeoutMs: number;
}

/** Facts Node's `os` module knows about the host: the last resort when no probe answers. */
export interface NodeOsFacts {
  totalMemBytes: number;
  freeMemBytes: number;
  cpuModel: string | null;
  logicalCpus: number;
}

/** A time-bounded RAM read-bandwidth measurement (see measure-ram-bandwidth.ts). */
export interface RamBandwidthMeasurement {
  bandwidthGBps: number;
  threads: number;
  bytesPerThread: number;
  durationMs: number;
}

export interface HardwareIO {
  /** Runs a program directly (never through a shell). */
  run(command: string, args: readonly string[], options: RunOptions): Promise<CommandResult>;
  /** A file's text, or null when it does not exist or cannot be read. */
  readFile(path: string): Promise<string | null>;
  /** A directory's entry names (sorted), or null when it does not exist or cannot be read. */
  readDir(path: string): Promise<string[] | null>;
  env(name: string): string | undefined;
  readonly platform: NodeJS.Platform;
  /** `process.arch` values: "x64", "arm64", ... */
  readonly arch: string;
  hostname(): string;
  now(): Date;
  /** Logical CPUs this process may use (`os.availableParallelism()`); null when not known (fixtures). */
  availableParallelism(): number | null;
  /** Node's own view of the host; null on fixtures that do not describe it. */
  nodeOs(): NodeOsFacts | null;
  /** Measures RAM read bandwidth within about `budgetMs`; absent where it cannot be measured (fixtures). */
  measureRamBandwidth?: ((options: { budgetMs: number; maxTotalBytes: number }) => Promise<RamBandwidthMeasurement | null>) | undefined;
}

/** "nvidia-smi -L" as a person would type it (for traces and warnings). */
export function commandLine(command: string, args: readonly string[]): string {
  const quote = (s: string): string => (/^[\w@%+=:,./\\-]+$/.test(s) ? s : `"${s.replace(/"/g, '\\"')}"`);
  return [command, ...args].map(quote).join(" ");
}
