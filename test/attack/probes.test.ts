// Attack: tools that never end and tools that print without end. A fake nvidia-smi on PATH forks a child that keeps its
// stdout open and then hangs (an nvidia-smi wedged in the driver, a wrapper script with a daemon): `nodefit system` must
// still exit, `nodefit serve` must stop on the first SIGTERM, and nothing the tool started may outlive them. A fake
// nvidia-smi printing a 10 MB line must not make the system object large. The built CLI runs as its own process.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PROBE_TIMEOUT_MS } from "../../src/hardware/trace.js";
import { MAIN } from "../cli/run-cli.js";

/** What the CLI may take beyond the probe's own timeout (start-up, the other probes, a loaded CI machine). */
const MARGIN_MS = 5_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-probes-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes an executable `nvidia-smi` into the temp dir. */
function fakeNvidiaSmi(script: string): void {
  writeFileSync(join(dir, "nvidia-smi"), `#!/bin/sh\n${script}`, { mode: 0o755 });
}

/** An nvidia-smi that forks a holder of its stdout (its pid appended to `holders`), then hangs itself. */
function wedgedNvidiaSmi(): void {
  fakeNvidiaSmi(`sleep 60 &\necho $! >> '${join(dir, "holders")}'\nsleep 60\n`);
}

const holders = (): number[] =>
  existsSync(join(dir, "holders"))
    ? readFileSync(join(dir, "holders"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map(Number)
    : [];

/** True once `pid` is dead: ESRCH, or a zombie not reaped yet (some sandboxes' init never reaps). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ESRCH") return true;
    }
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : null;
    if (stat !== null && /^\d+ \(.*\) [ZX] /.test(stat)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs the built CLI with the temp dir first on PATH; `onStdout` may act on what it printed so far. Killed (and the
 * test failed by its checks) when it outlives `limitMs`.
 */
function cli(args: readonly string[], limitMs: number, onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  if (!existsSync(MAIN)) return Promise.reject(new Error(`${MAIN} is missing: run npm run build first (npm test does)`));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { ...process.env, NO_COLOR: "1", PATH: `${dir}${delimiter}${process.env.PATH ?? ""}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const limit = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
      onStdout?.(stdout, child);
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

describe.skipIf(process.platform === "win32")("a probe whose grandchild keeps its pipes", () => {
  it("nodefit system --json exits 0 soon after the probe's timeout, says so in a warning, and leaves no holder behind", async () => {
    wedgedNvidiaSmi();
    const run = await cli(["system", "--json"], DEFAULT_PROBE_TIMEOUT_MS + 15_000);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(run.ms).toBeLessThan(DEFAULT_PROBE_TIMEOUT_MS + MARGIN_MS);
    const { system } = JSON.parse(run.stdout) as { system: { warnings: string[]; devices: unknown[] } };
    expect(system.warnings.some((w) => /^nvidia-smi .*timed out after \d+ ms$/.test(w))).toBe(true);
    expect(system.devices).toEqual([]);
    expect(holders().length).toBeGreaterThan(0);
    for (const pid of holders()) expect(await gone(pid), `holder ${pid} still alive`).toBe(true);
  }, 30_000);

  it("nodefit serve stops on the first SIGTERM while the probe hangs", async () => {
    wedgedNvidiaSmi();
    let signalled = 0;
    const run = await cli(["serve", "--port", "0", "--log-level", "silent"], DEFAULT_PROBE_TIMEOUT_MS + 20_000, (out, child) => {
      if (signalled > 0 || !/listening on /.test(out)) return;
      // Once the agent listens, wait for the hanging probe to have started (its holder written), then one SIGTERM.
      signalled = -1;
      const poll = setInterval(() => {
        if (holders().length === 0) return;
        clearInterval(poll);
        signalled = performance.now();
        child.kill("SIGTERM");
      }, 20);
    });
    expect(signalled, run.stderr).toBeGreaterThan(0);
    const afterSignal = performance.now() - signalled;
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/SIGTERM received: closing/);
    // Bounded by the probe's own timeout (the scan it waits on), never by the hanging tool.
    expect(afterSignal).toBeLessThan(DEFAULT_PROBE_TIMEOUT_MS + MARGIN_MS);
    for (const pid of holders()) expect(await gone(pid), `holder ${pid} still alive`).toBe(true);
  }, 40_000);
});

describe.skipIf(process.platform === "win32")("a probe that prints a 10 MB line", () => {
  it("the system object stays small: each warning one short line", async () => {
    const line = join(dir, "line.txt");
    writeFileSync(line, `${"x".repeat(10 * 1024 * 1024)}\n`);
    fakeNvidiaSmi(`cat '${line}'\n`);
    const run = await cli(["system", "--json"], DEFAULT_PROBE_TIMEOUT_MS + 15_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.length).toBeLessThan(50 * 1024);
    const { system } = JSON.parse(run.stdout) as { system: { warnings: string[] } };
    expect(system.warnings.some((w) => w.startsWith("nvidia-smi: line not understood: xxx") && w.endsWith("…"))).toBe(true);
    for (const w of system.warnings) expect(w.length).toBeLessThanOrEqual(300);
  }, 30_000);
});
