// Real hardware I/O: child processes (no shell, killed with everything they started at their timeout) and file reads
// on this host.
import { spawn, type ChildProcess } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { cacheDir, parseProbeCache } from "../domain/cache-dir.js";
import { homeOf } from "../domain/config-dir.js";
import { messageOf } from "../domain/errors.js";
import { readPrivateCacheFile, writePrivateCacheFile } from "../domain/private-cache-file.js";
import type { CommandResult, HardwareIO, NodeOsFacts, ProbeCacheIO, RunOptions } from "./io.js";
import { measureRamBandwidth } from "./measure-ram-bandwidth.js";
import { MAX_CACHE_FILE_BYTES } from "./ram-bandwidth-probe.js";

/** Output beyond this is dropped (the largest real output, `nvidia-smi -q` on 8 GPUs, is a few hundred KiB). */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/**
 * After the tool itself exits, how long its pipes may stay open (a daemon it started keeping them) before the result
 * is settled with what was read. Pipes of a tool that exits alone close within a millisecond or two.
 */
const PIPE_GRACE_MS = 250;

const IS_WINDOWS = process.platform === "win32";

/** Tools still running (their pids, each its own process group on POSIX): killed when this process exits. */
const live = new Set<number>();
let exitHookInstalled = false;

function killTree(pid: number): void {
  if (IS_WINDOWS) {
    // No process groups: taskkill walks the tree (/T) and forces (/F). Fire and forget, never waited on.
    try {
      const tk = spawn("taskkill", ["/pid", String(pid), "/T", "/F"], { stdio: "ignore", windowsHide: true, detached: true });
      tk.on("error", () => undefined);
      tk.unref();
    } catch {
      // taskkill missing: the child itself is still killed by the caller.
    }
    return;
  }
  try {
    // The negative pid is the process group the tool leads (spawned detached): the tool and whatever it forked.
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: the group is gone already; EPERM: a member changed its credentials (a setuid helper). Nothing to do.
  }
}

/** Makes sure a tool that outlives its answer (a driver wedged in the kernel) dies with this process. */
function track(pid: number): void {
  live.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const p of live) killTree(p);
  });
}

/**
 * Runs a program with `spawn` (what `execFile` wraps), never through a shell. The timer is ours rather than
 * execFile's: execFile answers only when the child's pipes close, and a tool stuck in the kernel (an
 * `nvidia-smi` waiting on a wedged driver), or a child it forked that keeps stdout open, can keep them open for
 * ever. Here the promise settles at the deadline whatever the child does, and nothing the tool leaves behind keeps
 * this process alive:
 * - on POSIX the tool leads its own process group (`detached`), and the deadline kills the whole group (SIGKILL),
 *   so its children and grandchildren die with it; on Windows `taskkill /T /F` kills the tree (a process that was
 *   re-parented away from the tree survives: Windows has no group to find it by);
 * - our ends of its pipes are destroyed and the child handle is unref'd, so a process that cannot die (stuck in
 *   uninterruptible sleep) or one that left the group (setsid) still holds nothing of ours;
 * - a tool whose own process exited but whose pipes a child keeps open is answered after a short grace with what
 *   it printed, and the leftovers are killed the same way.
 */
export function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let grace: NodeJS.Timeout | undefined;
    let child: ChildProcess | undefined;
    let exited: { code: number | null } | null = null;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    /** Kills what is left of the tool's tree and lets go of every handle it holds. */
    const release = (kill: boolean): void => {
      const c = child;
      if (c === undefined) return;
      if (c.pid !== undefined) {
        if (kill) killTree(c.pid);
        live.delete(c.pid);
      }
      if (kill) {
        try {
          c.kill("SIGKILL");
        } catch {
          // Already gone.
        }
      }
      c.stdout?.destroy();
      c.stderr?.destroy();
      c.unref();
    };
    const finish = (exitCode: number | null, timedOut: boolean, spawnError: string | null, kill: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      release(kill);
      resolve({
        command,
        args,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        exitCode,
        timedOut,
        spawnError,
        durationMs: Math.round(performance.now() - started),
      });
    };
    const env = IS_WINDOWS ? process.env : { ...process.env, LC_ALL: "C", LANG: "C" };
    try {
      child = spawn(command, [...args], {
        shell: false,
        windowsHide: true,
        // POSIX: its own process group (setsid), so the deadline can kill everything it started.
        detached: !IS_WINDOWS,
        stdio: ["ignore", "pipe", "pipe"],
        env,
      });
    } catch (e) {
      err.push(Buffer.from(String(e)));
      finish(null, false, (e as NodeJS.ErrnoException).code ?? "ESPAWN", false);
      return;
    }
    if (child.pid !== undefined) track(child.pid);
    timer = setTimeout(() => {
      // Exited but a child kept the pipes: the tool's own answer stands; otherwise it timed out.
      if (exited !== null) finish(exited.code, false, null, true);
      else finish(null, true, null, true);
    }, options.timeoutMs);
    child.stdout?.on("data", (b: Buffer) => {
      if (outBytes < MAX_OUTPUT_BYTES) out.push(b);
      outBytes += b.length;
    });
    child.stderr?.on("data", (b: Buffer) => {
      if (errBytes < MAX_OUTPUT_BYTES) err.push(b);
      errBytes += b.length;
    });
    // Destroyed streams may report errors (EPIPE, ECONNRESET) after we let go: nothing to do with them.
    child.stdout?.on("error", () => undefined);
    child.stderr?.on("error", () => undefined);
    child.on("error", (e: NodeJS.ErrnoException) => finish(null, false, e.code ?? "ESPAWN", false));
    child.on("exit", (code) => {
      exited = { code };
      // 'close' follows once the pipes close; a grandchild holding them must not delay the answer to the deadline.
      if (!settled) grace = setTimeout(() => finish(code, false, null, true), PIPE_GRACE_MS);
    });
    child.on("close", (code) => finish(code ?? exited?.code ?? null, false, null, false));
  });
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return null;
  }
}

async function listDir(path: string): Promise<string[] | null> {
  try {
    return (await readdir(path)).sort();
  } catch {
    return null;
  }
}

function nodeOsFacts(): NodeOsFacts {
  const cpus = os.cpus();
  return {
    totalMemBytes: os.totalmem(),
    freeMemBytes: os.freemem(),
    cpuModel: cpus[0]?.model.trim() || null,
    logicalCpus: os.availableParallelism(),
  };
}

/** The cache file's name in the cache directory. */
export const RAM_BANDWIDTH_CACHE_FILE = "ram-bandwidth.json";
/** `off` (or 0, false, no) disables the per-boot cache of the RAM bandwidth measurement (domain's parseProbeCache). */
export const PROBE_CACHE_ENV = "NODEFIT_PROBE_CACHE";
/** The user's cache directory for nodefit: $NODEFIT_CACHE_DIR, else the platform's (domain/cache-dir.ts), under HOME. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homeOf(env)): string {
  return cacheDir(env, platform, home);
}

/**
 * This boot's identity: Linux's random boot_id; elsewhere the boot time to the minute (now less the uptime; a clock
 * step of a minute or more reads as another boot, which only measures again).
 */
async function bootId(): Promise<string | null> {
  if (process.platform === "linux") {
    const text = await readText("/proc/sys/kernel/random/boot_id");
    const id = text?.trim() ?? "";
    return /^[0-9a-f-]{8,64}$/i.test(id) ? id : null;
  }
  const uptime = os.uptime();
  if (!(uptime > 0)) return null;
  return `boot-time:${new Date(Math.round((Date.now() - uptime * 1000) / 60_000) * 60_000).toISOString()}`;
}

export interface RealIOOptions {
  /**
   * The RAM bandwidth cache: a directory to keep it in, or none: false ("disabled by the caller"), or `{ off }` saying
   * which setting turned it off and where (`probe_cache: false in the config file F`), as `nodefit doctor` shows it.
   * Default: $NODEFIT_PROBE_CACHE=off disables it, $NODEFIT_CACHE_DIR moves it, else the user's cache directory
   * (defaultCacheDir).
   */
  probeCache?: string | false | { off: string } | undefined;
}

/** The per-boot cache of the RAM bandwidth probe on this host (see ProbeCacheIO). */
export function realProbeCache(options: RealIOOptions = {}, env: NodeJS.ProcessEnv = process.env): ProbeCacheIO {
  // The variable as every door reads it; a value it refuses turns the cache off, saying why (a probe never throws).
  const raw = env[PROBE_CACHE_ENV];
  let off: string | null = null;
  if (raw !== undefined && raw.trim() !== "") {
    try {
      if (!parseProbeCache(raw, PROBE_CACHE_ENV)) off = `${PROBE_CACHE_ENV}=${raw}`;
    } catch (e) {
      off = messageOf(e);
    }
  }
  let dir: string | null = null;
  let disabledBy: string | null = null;
  if (options.probeCache === false) disabledBy = "disabled by the caller";
  else if (typeof options.probeCache === "object") disabledBy = options.probeCache.off;
  else if (options.probeCache !== undefined) dir = path.resolve(options.probeCache);
  else if (off !== null) disabledBy = off;
  if (dir === null && disabledBy === null) {
    try {
      dir = defaultCacheDir(env);
    } catch (e) {
      disabledBy = `no cache directory (${(e as Error).message})`;
    }
  }
  const file = dir === null ? "" : path.join(dir, RAM_BANDWIDTH_CACHE_FILE);
  return {
    path: file,
    disabledBy,
    bootId,
    read: () => readPrivateCacheFile(file, MAX_CACHE_FILE_BYTES),
    write: (text) => writePrivateCacheFile(file, text),
  };
}

/** The host's I/O. */
export function realIO(options: RealIOOptions = {}): HardwareIO {
  return {
    run: runCommand,
    readFile: readText,
    readDir: listDir,
    env: (name) => process.env[name],
    platform: process.platform,
    arch: process.arch,
    hostname: () => os.hostname(),
    now: () => new Date(),
    availableParallelism: () => os.availableParallelism(),
    nodeOs: nodeOsFacts,
    measureRamBandwidth: ({ maxTotalBytes, passes, passMs }) => measureRamBandwidth({ maxTotalBytes, passes, passMs, threads: os.availableParallelism() }),
    probeCache: realProbeCache(options),
  };
}
