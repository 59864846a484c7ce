// `nodefit serve` as a child process (the built CLI): its address, its resident memory, plain GETs against it.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { FIXTURE_MACHINE, MAIN } from "../../cli/run-cli.js";

export interface AgentProcess {
  child: ChildProcessWithoutNullStreams;
  address: string;
  port: number;
  stderr: () => string;
  /** Resident memory in bytes (/proc/PID/status VmRSS: Linux only). */
  rss: () => number;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts `nodefit serve --port 0` on the fixture machine (silent logs) with `args`, once it prints its address. */
export function startAgentProcess(args: readonly string[] = [], env: Record<string, string | undefined> = {}): Promise<AgentProcess> {
  return spawnServe(["--port", "0", "--machine", FIXTURE_MACHINE, "--log-level", "silent", ...args], env);
}

/** Starts `nodefit serve` with exactly `argv` (and `env` over this process's), once it prints its address (TCP or unix). */
export async function spawnServe(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<AgentProcess> {
  const child = spawn(process.execPath, [MAIN, "serve", ...argv], { env: { ...process.env, ...env } });
  let err = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const address = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /nodefit listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return {
    child,
    address,
    port: address.startsWith("unix:") ? 0 : Number(new URL(address).port),
    stderr: () => err,
    rss: () => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? NaN) * 1024,
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

/** GET on a fresh connection: status, body and milliseconds to the last byte. */
export function timedGet(port: number, path: string, host = "127.0.0.1"): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: "127.0.0.1", port, path, agent: false, headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }));
    });
    req.on("error", reject);
    req.end();
  });
}
