// Listen target: host/port or unix socket from flags and NODEFIT_* environment (flags win), validated.
import { isIP } from "node:net";
import { NodefitError, invalidValue } from "../domain/errors.js";
import { checkSocketPath } from "./unix-socket.js";

export type ListenTarget = { kind: "tcp"; host: string; port: number } | { kind: "unix"; path: string };

export interface ListenFlags {
  host?: string | undefined;
  port?: string | undefined;
  unixSocket?: string | undefined;
}

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8787;

const nonEmpty = (s: string | undefined): string | undefined => (s === undefined || s.trim() === "" ? undefined : s.trim());

function parsePort(raw: string, key: string): number {
  if (!/^\d+$/.test(raw)) throw invalidValue(key, "an integer from 0 to 65535 (0 = any free port)");
  const port = Number(raw);
  if (port > 65535) throw invalidValue(key, "an integer from 0 to 65535 (0 = any free port)");
  return port;
}

/** A unix socket target, its path checked against the kernel's limit before anything binds it. */
function unix(path: string): ListenTarget {
  checkSocketPath(path);
  return { kind: "unix", path };
}

/**
 * Where to listen. `--unix-socket` excludes `--host`/`--port`; environment values fill in what flags leave
 * out, and a flag of one kind overrides an environment value of the other.
 */
export function resolveListenTarget(flags: ListenFlags, env: Readonly<Record<string, string | undefined>>): ListenTarget {
  const flagSocket = nonEmpty(flags.unixSocket);
  const flagHost = nonEmpty(flags.host);
  const flagPort = nonEmpty(flags.port);
  if (flagSocket !== undefined && (flagHost !== undefined || flagPort !== undefined))
    throw new NodefitError("invalid_argument", "--unix-socket cannot be combined with --host or --port");
  if (flagSocket !== undefined) return unix(flagSocket);

  const envSocket = nonEmpty(env["NODEFIT_UNIX_SOCKET"]);
  const envHost = nonEmpty(env["NODEFIT_HOST"]);
  const envPort = nonEmpty(env["NODEFIT_PORT"]);
  if (flagHost === undefined && flagPort === undefined && envSocket !== undefined) {
    if (envHost !== undefined || envPort !== undefined)
      throw new NodefitError("invalid_argument", "NODEFIT_UNIX_SOCKET cannot be combined with NODEFIT_HOST or NODEFIT_PORT");
    return unix(envSocket);
  }

  const host = flagHost ?? envHost ?? DEFAULT_HOST;
  const port =
    flagPort !== undefined ? parsePort(flagPort, "port") : envPort !== undefined ? parsePort(envPort, "NODEFIT_PORT") : DEFAULT_PORT;
  return { kind: "tcp", host, port };
}

/** True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  if (h.startsWith("::ffff:")) return h.slice(7).startsWith("127.");
  return false;
}
