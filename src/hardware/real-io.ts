// Real hardware I/O: child processes (no shell, killed at their timeout) and file reads on this host.
import { spawn } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import os from "node:os";
import type { CommandResult, HardwareIO, NodeOsFacts, RunOptions } from "./io.js";
import { measureRamBandwidth } from "./measure-ram-bandwidth.js";

/** Output beyond this is dropped (the largest real output, `nvidia-smi -q` on 8 GPUs, is a few hundred KiB). */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/**
 * Runs a program with `spawn` (what `execFile` wraps), never through a shell. The timer is ours rather than
 * execFile's: execFile answers only when the child's pipes close, and a tool stuck in the kernel (an
 * `nvidia-smi` waiting on a wedged driver) can keep them open after SIGKILL. Here the promise settles at the
 * deadline whatever the child does.
 */
export function runCommand(command: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    const finish = (exitCode: number | null, timedOut: boolean, spawnError: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
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
    const env = process.platform === "win32" ? process.env : { ...process.env, LC_ALL: "C", LANG: "C" };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, [...args], { shell: false, windowsHide: true, stdio: ["ignore", "pipe", "pipe"], env });
    } catch (e) {
      err.push(Buffer.from(String(e)));
      finish(null, false, (e as NodeJS.ErrnoException).code ?? "ESPAWN");
      return;
    }
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(null, true, null);
    }, options.timeoutMs);
    child.stdout?.on("data", (b: Buffer) => {
      if (outBytes < MAX_OUTPUT_BYTES) out.push(b);
      outBytes += b.length;
    });
    child.stderr?.on("data", (b: Buffer) => {
      if (errBytes < MAX_OUTPUT_BYTES) err.push(b);
      errBytes += b.length;
    });
    child.on("error", (e: NodeJS.ErrnoException) => finish(null, false, e.code ?? "ESPAWN"));
    child.on("close", (code) => finish(code, false, null));
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

/** The host's I/O. */
export function realIO(): HardwareIO {
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
    measureRamBandwidth: ({ budgetMs, maxTotalBytes }) =>
      measureRamBandwidth({ budgetMs, maxTotalBytes, threads: os.availableParallelism() }),
  };
}
