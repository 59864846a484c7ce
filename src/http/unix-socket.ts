// Unix socket path: a stale socket is replaced, a live one or any other file is an error; removed on shutdown.
import { lstatSync, unlinkSync } from "node:fs";
import { lstat, unlink } from "node:fs/promises";
import { connect } from "node:net";
import { NodefitError } from "../domain/errors.js";

/** Resolves true when a server answers on the socket, false when the socket is stale. */
function socketIsLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect({ path });
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}

/** Makes `path` free for a new socket: a stale socket is removed; anything else there is an error. */
export async function prepareSocketPath(path: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new NodefitError("invalid_argument", `cannot use unix socket path ${path}: ${(e as Error).message}`);
  }
  if (!stats.isSocket())
    throw new NodefitError("invalid_argument", `${path} exists and is not a socket: remove it or choose another --unix-socket path`);
  if (await socketIsLive(path))
    throw new NodefitError("invalid_argument", `another server is listening on ${path}: stop it or choose another --unix-socket path`);
  await unlink(path);
}

/** Removes the socket file if it is (still) a socket. */
export async function removeSocket(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSocket()) await unlink(path);
  } catch {
    // Already gone.
  }
}

/** The same, synchronously: for a process's `exit` event, where nothing asynchronous runs any more. */
export function removeSocketNow(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Already gone.
  }
}
