import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FIXTURE_MACHINE, MAIN } from "./run-cli.js";

function startServe(args: string[], env: Record<string, string> = {}): { child: ChildProcessWithoutNullStreams; address: Promise<string>; stderr: () => string } {
  const child = spawn(process.execPath, [MAIN, "serve", "--log-level", "silent", "--machine", FIXTURE_MACHINE, ...args], { env: { ...process.env, ...env } });
  let err = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
  const address = new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /nodefit listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  return { child, address, stderr: () => err };
}

function get(target: { socketPath?: string; url?: string }, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const opts = target.url ? new URL(path, target.url) : { socketPath: target.socketPath, path };
    const req = request(opts, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const exited = (child: ChildProcessWithoutNullStreams): Promise<number | null> => new Promise((r) => child.once("exit", (code) => r(code)));

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe("nodefit serve", () => {
  it("port 0: prints the real address, answers, exits 0 on SIGTERM", async () => {
    const s = startServe(["--port", "0"], { NODEFIT_NODE_NAME: "served" });
    const address = await s.address;
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(address.endsWith(":0")).toBe(false);
    expect(await get({ url: address }, "/health")).toEqual({ status: 200, body: { status: "ok", node: { name: "served", os: "linux" } } });
    const top = await get({ url: address }, "/api/v1/models/top?limit=2");
    expect(top.status).toBe(200);
    expect((top.body as { returned_models: number }).returned_models).toBeLessThanOrEqual(2);
    const done = exited(s.child);
    s.child.kill("SIGTERM");
    expect(await done).toBe(0);
  });

  it("unix socket from the environment: mode 0660, removed on SIGINT", async () => {
    dir = mkdtempSync(join(tmpdir(), "nodefit-serve-"));
    const path = join(dir, "agent.sock");
    const s = startServe([], { NODEFIT_UNIX_SOCKET: path });
    expect(await s.address).toBe(`unix:${path}`);
    expect(statSync(path).mode & 0o777).toBe(0o660);
    expect((await get({ socketPath: path }, "/api/v1/system")).status).toBe(200);
    const done = exited(s.child);
    s.child.kill("SIGINT");
    expect(await done).toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it("warns on stderr when binding a non-loopback address without a token", async () => {
    const s = startServe(["--host", "0.0.0.0", "--port", "0"]);
    await s.address;
    expect(s.stderr()).toMatch(/without an access token/);
    const done = exited(s.child);
    s.child.kill("SIGTERM");
    await done;
  });
});

describe("nodefit serve: liveness first", () => {
  it("checks its flags before binding: a typo never shows as a started agent", async () => {
    for (const args of [["--ram", "abc"], ["--node-name", " "], ["--memory", "8", "--vram", "16"]]) {
      const child = spawn(process.execPath, [MAIN, "serve", "--port", "0", "--log-level", "silent", ...args]);
      let out = "";
      let err = "";
      child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
      child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
      expect(await exited(child), args.join(" ")).toBe(2);
      expect(out).not.toMatch(/listening/);
      expect(err).toMatch(/invalid|same option/);
    }
  });

  it("the modules loaded before binding import no framework, schema library or catalog", () => {
    // Walk the static imports (dynamic import() calls load later, once the socket answers) of the built entry.
    const root = join(MAIN, "..", "..");
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["'];?$/gm)) {
        const spec = m[1]!;
        if (spec.startsWith(".")) visit(join(dirname(file), spec));
        else packages.add(spec);
      }
    };
    visit(join(root, "cli/main.js"));
    visit(join(root, "cli/commands/serve.js"));
    expect([...packages].filter((p) => !p.startsWith("node:")).sort()).toEqual(["commander"]);
    expect([...seen].some((f) => f.includes("/catalog/data") || f.endsWith("catalog/schema.js"))).toBe(false);
    expect(seen.size).toBeGreaterThan(10);
  });
});
