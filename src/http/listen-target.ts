// Listen target: the host/port or unix socket the agent binds, from what the settings chose (the CLI's resolver picks
// between the flags, the environment and the config file), the defaults filled in and a socket path checked.
import { invalidValue } from "../domain/errors.js";
import { checkSocketPath } from "./unix-socket.js";

export type ListenTarget = { kind: "tcp"; host: string; port: number } | { kind: "unix"; path: string };

/** What the settings chose: a unix socket, or TCP with the host and port given (null: the default). */
export type ListenChoice = { kind: "unix"; path: string } | { kind: "tcp"; host: string | null; port: number | null };

export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 8787;

/** A TCP port as a flag, a variable or the config file gives it: 0 to 65535. `key` names where it came from. */
export function parsePort(raw: string, key: string): number {
  const text = raw.trim();
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw invalidValue(key, "an integer from 0 to 65535 (0 = any free port)");
  return Number(text);
}

/** Where to listen: the defaults where nothing was chosen; a socket path the kernel would cut short is refused. */
export function listenTarget(choice: ListenChoice): ListenTarget {
  if (choice.kind === "unix") {
    checkSocketPath(choice.path);
    return { kind: "unix", path: choice.path };
  }
  return { kind: "tcp", host: choice.host ?? DEFAULT_HOST, port: choice.port ?? DEFAULT_PORT };
}

