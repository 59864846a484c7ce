// Where the agent listens: the settings choose (flags, the environment, the config file; see test/cli/settings.test.ts
// for every door of every setting), listenTarget fills in the defaults.
import { describe, expect, it } from "vitest";
import { Settings, type ConfigValues, type SettingFlags } from "../../src/cli/settings.js";
import { listenTarget, type ListenTarget } from "../../src/http/listen-target.js";
import { isLoopbackHost } from "../../src/domain/loopback.js";

const FILE = "/etc/nodefit/config.json";
const target = (flags: SettingFlags, env: Record<string, string>, file: ConfigValues = {}): ListenTarget =>
  listenTarget(new Settings({ flags, env, config: { file: { path: FILE, from: "--config", found: true }, values: file } }).listen().value);

describe("where the agent listens", () => {
  const cases: Array<[string, SettingFlags, Record<string, string>, ConfigValues, ListenTarget]> = [
    ["defaults", {}, {}, {}, { kind: "tcp", host: "127.0.0.1", port: 8787 }],
    ["env", {}, { NODEFIT_HOST: "0.0.0.0", NODEFIT_PORT: "9000" }, {}, { kind: "tcp", host: "0.0.0.0", port: 9000 }],
    ["flags win", { host: "::1", port: "0" }, { NODEFIT_HOST: "0.0.0.0", NODEFIT_PORT: "9000" }, {}, { kind: "tcp", host: "::1", port: 0 }],
    ["flag port, env host", { port: "1234" }, { NODEFIT_HOST: "10.0.0.2" }, {}, { kind: "tcp", host: "10.0.0.2", port: 1234 }],
    ["socket flag", { unixSocket: "/tmp/n.sock" }, { NODEFIT_PORT: "9000" }, {}, { kind: "unix", path: "/tmp/n.sock" }],
    ["socket env", {}, { NODEFIT_UNIX_SOCKET: "/run/n.sock" }, {}, { kind: "unix", path: "/run/n.sock" }],
    ["tcp flag beats socket env", { port: "5" }, { NODEFIT_UNIX_SOCKET: "/run/n.sock" }, {}, { kind: "tcp", host: "127.0.0.1", port: 5 }],
    ["the file", {}, {}, { host: "10.1.1.1", port: 9100 }, { kind: "tcp", host: "10.1.1.1", port: 9100 }],
    ["env port over the file's, the file's host kept", {}, { NODEFIT_PORT: "9200" }, { host: "10.1.1.1", port: 9100 }, { kind: "tcp", host: "10.1.1.1", port: 9200 }],
    ["env host beats the file's socket", {}, { NODEFIT_HOST: "::1" }, { unix_socket: "/run/f.sock" }, { kind: "tcp", host: "::1", port: 8787 }],
    ["the file's socket", {}, {}, { unix_socket: "/run/f.sock" }, { kind: "unix", path: "/run/f.sock" }],
    ["an empty variable is not set", {}, { NODEFIT_PORT: "", NODEFIT_UNIX_SOCKET: "" }, { port: 9100 }, { kind: "tcp", host: "127.0.0.1", port: 9100 }],
  ];
  it.each(cases)("%s", (_l, flags, env, file, expected) => {
    expect(target(flags, env, file)).toEqual(expected);
  });

  const errors: Array<[SettingFlags, Record<string, string>, string]> = [
    [{ unixSocket: "/tmp/a", port: "1" }, {}, "--unix-socket cannot be combined with --host or --port"],
    [{}, { NODEFIT_UNIX_SOCKET: "/tmp/a", NODEFIT_HOST: "::" }, "NODEFIT_UNIX_SOCKET cannot be combined with NODEFIT_HOST or NODEFIT_PORT"],
    [{ port: "70000" }, {}, "invalid port value: use an integer from 0 to 65535 (0 = any free port)"],
    [{ port: "http" }, {}, "invalid port value: use an integer from 0 to 65535 (0 = any free port)"],
    [{}, { NODEFIT_PORT: "-1" }, "invalid NODEFIT_PORT value: use an integer from 0 to 65535 (0 = any free port)"],
    [{ host: " " }, {}, "invalid host value: use a host name or IP address to listen on"],
  ];
  it.each(errors)("rejects %j %j", (flags, env, message) => {
    expect(() => target(flags, env)).toThrow(message);
  });

  it("knows loopback addresses", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]", "::ffff:127.0.0.1", "LOCALHOST", "app.localhost", " 127.0.0.1 ", "0:0:0:0:0:0:0:1"]) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "example.com", "fe80::1%eth0", "::ffff:10.0.0.1", "127.example.com", "localhost.example.com"]) expect(isLoopbackHost(h), h).toBe(false);
  });
});
