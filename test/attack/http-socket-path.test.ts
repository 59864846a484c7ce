// A unix socket path longer than the kernel's sun_path holds is refused before anything binds: Node would bind it cut
// short, at a path nobody asked for, and leave that file behind.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Settings, type SettingFlags } from "../../src/cli/settings.js";
import { Listener } from "../../src/http/listener.js";
import { startServer } from "../../src/http/server.js";
import { checkSocketPath, maxSocketPathBytes } from "../../src/http/unix-socket.js";
import { FIXTURE_MACHINE, MAIN } from "../cli/run-cli.js";
import { testService } from "../http/support/service.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-path-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A path in the test's folder of exactly `bytes` bytes. */
const pathOf = (bytes: number): string => {
  const prefix = join(dir, "s");
  return prefix + "x".repeat(bytes - Buffer.byteLength(prefix) - 5) + ".sock";
};

describe("the socket path's length", () => {
  it("the limits: 107 bytes on Linux, 103 on macOS and the BSDs (sun_path less its NUL), none for Windows pipes", () => {
    expect(maxSocketPathBytes("linux")).toBe(107);
    expect(maxSocketPathBytes("darwin")).toBe(103);
    expect(() => checkSocketPath("/r/" + "x".repeat(104), "linux")).not.toThrow();
    expect(() => checkSocketPath("/r/" + "x".repeat(105), "linux")).toThrow("unix socket path is too long: 108 bytes, and Linux allows 107");
    expect(() => checkSocketPath("/r/" + "x".repeat(100), "darwin")).not.toThrow();
    expect(() => checkSocketPath("/r/" + "x".repeat(101), "darwin")).toThrow("unix socket path is too long: 104 bytes, and this system allows 103");
    expect(() => checkSocketPath("\\\\.\\pipe\\" + "x".repeat(300), "win32")).not.toThrow();
    // Bytes, not characters.
    expect(() => checkSocketPath("/r/" + "é".repeat(60), "linux")).toThrow(/123 bytes/);
  });

  it("flags, the environment and the config file: refused where they are read, with the fix", () => {
    const long = pathOf(maxSocketPathBytes() + 1);
    const listen = (flags: SettingFlags, env: Record<string, string> = {}, file: string | null = null) =>
      new Settings({ flags, env, config: { file: { path: join(dir, "config.json"), from: "--config", found: true }, values: file === null ? {} : { unix_socket: file } } }).listen().value;
    expect(() => listen({ unixSocket: long })).toThrow(/unix socket path is too long: .*choose a shorter --unix-socket path/);
    expect(() => listen({}, { NODEFIT_UNIX_SOCKET: long })).toThrow(/unix socket path is too long/);
    expect(() => listen({}, {}, long)).toThrow(/unix socket path is too long/);
    expect(listen({ unixSocket: pathOf(maxSocketPathBytes()) })).toEqual({ kind: "unix", path: pathOf(maxSocketPathBytes()) });
  });

  it("the listener and startServer refuse before binding: nothing is left in the folder", async () => {
    const long = pathOf(maxSocketPathBytes() + 1);
    await expect(Listener.open({ target: { kind: "unix", path: long }, warn: () => {}, identity: null })).rejects.toThrow(/unix socket path is too long/);
    await expect(startServer(testService(), { target: { kind: "unix", path: long }, warn: () => {} })).rejects.toMatchObject({ code: "invalid_argument" });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("the longest path allowed binds where it says", async () => {
    const path = pathOf(maxSocketPathBytes());
    const listener = await Listener.open({ target: { kind: "unix", path }, warn: () => {}, identity: null });
    expect(existsSync(path)).toBe(true);
    await listener.close(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("nodefit serve --unix-socket with a long path exits 2 with the message and binds nothing", async () => {
    const long = pathOf(maxSocketPathBytes() + 20);
    const child = spawn(process.execPath, [MAIN, "serve", "--unix-socket", long, "--machine", FIXTURE_MACHINE, "--log-level", "silent"]);
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    expect(code, err).toBe(2);
    expect(err).toMatch(/unix socket path is too long/);
    expect(out).not.toMatch(/listening/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
