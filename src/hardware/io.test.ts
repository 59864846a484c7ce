// I/O tests: real child processes (exit, ENOENT, timeout kill), fixture replay, and the probe runner's hang memory.
import { mkdtemp, mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureIO } from "./fixture-io.js";
import { commandLine } from "./io.js";
import { runCommand } from "./real-io.js";
import { ProbeRunner, ProbeTrace, failureText } from "./trace.js";

async function fixture(manifest: object, files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "nodefit-fx-"));
  await writeFile(path.join(dir, "machine.json"), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

/**
 * True once `pid` is dead: `kill(pid, 0)` says ESRCH, or (Linux) the process is a zombie, killed but not yet reaped
 * (an orphan's new parent reaps it; some sandboxes' init never does). Polls briefly: SIGKILL is asynchronous.
 */
async function processGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ESRCH") return true;
    }
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
    if (stat !== null && /^\d+ \(.*\) [ZX] /.test(stat)) return true;
    await new Promise((res) => setTimeout(res, 20));
  }
  return false;
}

describe("runCommand (real processes, no shell)", () => {
  it("returns output and exit status", async () => {
    const r = await runCommand(process.execPath, ["-e", "process.stdout.write('out'); process.stderr.write('err'); process.exit(3)"], { timeoutMs: 10000 });
    expect(r).toMatchObject({ stdout: "out", stderr: "err", exitCode: 3, timedOut: false, spawnError: null });
  });

  it("reports a missing tool as ENOENT", async () => {
    const r = await runCommand("nodefit-no-such-tool", [], { timeoutMs: 1000 });
    expect(r).toMatchObject({ spawnError: "ENOENT", exitCode: null, timedOut: false });
    expect(failureText(r)).toBe("nodefit-no-such-tool: not found");
  });

  it("kills a hanging tool at its timeout and answers then", async () => {
    const started = performance.now();
    const r = await runCommand(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { timeoutMs: 300 });
    expect(r).toMatchObject({ timedOut: true, exitCode: null });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it.skipIf(process.platform === "win32")(
    "a tool whose grandchild keeps the pipe: settles at the deadline, and the whole tree is killed",
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "nodefit-hang-"));
      const script = path.join(dir, "wedged-tool");
      // Forks a holder of stdout, says its pid, then hangs itself.
      await writeFile(script, '#!/bin/sh\nsleep 60 &\necho "holder $!"\nsleep 60\n', { mode: 0o755 });
      const started = performance.now();
      const r = await runCommand(script, [], { timeoutMs: 500 });
      const ms = performance.now() - started;
      expect(r).toMatchObject({ timedOut: true, exitCode: null, spawnError: null });
      expect(ms).toBeLessThan(500 + 400);
      const holder = Number(/holder (\d+)/.exec(r.stdout)?.[1]);
      expect(holder).toBeGreaterThan(0);
      expect(await processGone(holder)).toBe(true);
    },
  );

  it.skipIf(process.platform === "win32")("a tool that exits while its child keeps the pipe: answered after a short grace with its own exit", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "nodefit-daemon-"));
    const script = path.join(dir, "forking-tool");
    await writeFile(script, '#!/bin/sh\nsleep 60 &\necho "done"\nexit 0\n', { mode: 0o755 });
    const started = performance.now();
    const r = await runCommand(script, [], { timeoutMs: 5000 });
    expect(r).toMatchObject({ timedOut: false, exitCode: 0, stdout: "done\n" });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("passes arguments as they are (no shell to expand them)", async () => {
    const r = await runCommand(process.execPath, ["-e", "console.log(process.argv[1])", "$HOME;*"], { timeoutMs: 10000 });
    expect(r.stdout.trim()).toBe("$HOME;*");
  });
});

describe("fixtureIO", () => {
  it("replays outputs by command and exact arguments, files from fs/, and answers ENOENT for the rest", async () => {
    const dir = await fixture(
      {
        description: "t",
        platform: "linux",
        arch: "x64",
        hostname: "h",
        commands: [
          { command: "tool", args: ["-a"], stdout: "a.txt", exitCode: 0 },
          { command: "tool", stdout: "any.txt", stderr: "err.txt", exitCode: 2 },
          { command: "gone", missing: true },
        ],
      },
      { "a.txt": "A\n", "any.txt": "ANY\n", "err.txt": "E\n", "fs/proc/meminfo": "MemTotal: 1 kB\n", "fs/sys/x/.keep": "" },
    );
    const io = await fixtureIO(dir);
    expect((await io.run("tool", ["-a"], { timeoutMs: 10 })).stdout).toBe("A\n");
    expect(await io.run("tool", ["-b"], { timeoutMs: 10 })).toMatchObject({ stdout: "ANY\n", stderr: "E\n", exitCode: 2 });
    expect((await io.run("gone", [], { timeoutMs: 10 })).spawnError).toBe("ENOENT");
    expect((await io.run("other", [], { timeoutMs: 10 })).spawnError).toBe("ENOENT");
    expect(await io.readFile("/proc/meminfo")).toBe("MemTotal: 1 kB\n");
    expect(await io.readFile("/proc/../../machine.json")).toBeNull();
    expect(await io.readDir("/sys")).toEqual(["x"]);
    expect(await io.readDir("/sys/x")).toEqual([]);
    expect(io.hostname()).toBe("h");
  });

  it("replays a hang as a timeout at the caller's limit", async () => {
    const io = await fixtureIO(await fixture({ description: "t", platform: "linux", arch: "x64", hostname: "h", commands: [{ command: "nvidia-smi", hang: true }] }));
    const started = performance.now();
    expect(await io.run("nvidia-smi", [], { timeoutMs: 50 })).toMatchObject({ timedOut: true, exitCode: null });
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("refuses a manifest that names an output file it lacks", async () => {
    const dir = await fixture({ description: "t", platform: "linux", arch: "x64", hostname: "h", commands: [{ command: "x", stdout: "nope.txt" }] });
    await expect(fixtureIO(dir)).rejects.toMatchObject({ code: "invalid_input_file" });
    await expect(fixtureIO(await fixture({ platform: "linux" }))).rejects.toMatchObject({ code: "invalid_input_file" });
  });
});

describe("ProbeRunner", () => {
  it("runs a tool that hung once no more in the same detection, and traces both", async () => {
    const io = await fixtureIO(await fixture({ description: "t", platform: "linux", arch: "x64", hostname: "h", commands: [{ command: "nvidia-smi", hang: true }] }));
    const trace = new ProbeTrace();
    const runner = new ProbeRunner(io, trace, 30);
    const first = await runner.run("nvidia-smi", ["-L"]);
    // Not run again (its trace says skipped, below), so not waited on: no timing needed to tell.
    const second = await runner.run("nvidia-smi", ["-q"]);
    expect(first.timedOut && second.timedOut).toBe(true);
    expect(failureText(second)).toBe("nvidia-smi -q: skipped (timed out earlier)");
    expect(trace.entries.map((e) => [e.target, e.skipped])).toEqual([
      ["nvidia-smi -L", false],
      ["nvidia-smi -q", true],
    ]);
  });

  it("records decisions against the command or file they came from", async () => {
    const io = await fixtureIO(await fixture({ description: "t", platform: "linux", arch: "x64", hostname: "h" }, { "fs/etc/x": "1" }));
    const trace = new ProbeTrace();
    const runner = new ProbeRunner(io, trace);
    const r = await runner.run("tool", []);
    await runner.readFile("/etc/x");
    runner.decide(r, "absent");
    runner.decide("/etc/x", "one");
    runner.decide("/etc/x", "two");
    expect(trace.entries.map((e) => e.decision)).toEqual(["absent", "one; two"]);
  });

  it("writes command lines a person can paste", () => {
    expect(commandLine("nvidia-smi", ["--format=csv,noheader,nounits", "-L"])).toBe("nvidia-smi --format=csv,noheader,nounits -L");
    expect(commandLine("C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe", ["-L"])).toBe('"C:\\Program Files\\NVIDIA Corporation\\NVSMI\\nvidia-smi.exe" -L');
  });
});
