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

/** A time-bounded RAM read-bandwidth measurement (see measure-ram-bandwidth.ts): every timed round's figure. */
export interface RamBandwidthMeasurement {
  /** Each timed round, GB/s, all threads together, in the order they ran (see measure-ram-bandwidth.ts passFigures). */
  passesGBps: number[];
  /** Each round's bytes over its wall-clock window (a descheduled thread counted idle); absent when not known. */
  windowGBps?: number[] | undefined;
  /** How long, in each round, every thread was reading at once (ms); absent when not known. */
  togetherMs?: number[] | undefined;
  /** The warm-up round's figure (not used: caches, page tables and clocks settle in it); null when it gave none. */
  warmupGBps: number | null;
  /** Length of each round. */
  passMs: number;
  threads: number;
  bytesPerThread: number;
  /** The whole probe, worker start and buffer fill included. */
  durationMs: number;
  /** The share of the CPUs' time that other work took during the probe, in %; null or absent when not known. */
  otherCpuPct?: number | null | undefined;
}

/**
 * A small file that keeps a probe's result for the rest of this boot (the RAM bandwidth figure), so later starts and
 * one-shot CLI runs reuse one figure instead of remeasuring with noise. Reads and writes never throw past detection:
 * a failure is a warning.
 */
export interface ProbeCacheIO {
  /** Where the file is (for doctor and warnings). */
  readonly path: string;
  /** Why the cache is not used ("NODEFIT_PROBE_CACHE=off"); null when it is. */
  readonly disabledBy: string | null;
  /** This boot's identity (Linux: /proc/sys/kernel/random/boot_id; elsewhere the boot time); null when not known. */
  bootId(): Promise<string | null>;
  /** The file's text; null when there is none. Throws when it exists and cannot be read (not a regular file, too large). */
  read(): Promise<string | null>;
  /** Replaces the file (a temporary file renamed over it). Throws when it cannot be written. */
  write(text: string): Promise<void>;
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
  /** Measures RAM read bandwidth: a warm-up and `passes` rounds of `passMs`; absent where it cannot be measured (fixtures). */
  measureRamBandwidth?: ((options: { maxTotalBytes: number; passes: number; passMs: number }) => Promise<RamBandwidthMeasurement | null>) | undefined;
  /** Where a measured RAM bandwidth is kept for the rest of the boot; absent: never kept (fixtures). */
  probeCache?: ProbeCacheIO | undefined;
}

/** "nvidia-smi -L" as a person would type it (for traces and warnings). */
export function commandLine(command: string, args: readonly string[]): string {
  const quote = (s: string): string => (/^[\w@%+=:,./\\-]+$/.test(s) ? s : `"${s.replace(/"/g, '\\"')}"`);
  return [command, ...args].map(quote).join(" ");
}
