// Unix socket path: a stale socket is replaced, a live one or any other file is an error; our own removed on shutdown.
import { lstatSync, unlinkSync } from "node:fs";
import { lstat, unlink } from "node:fs/promises";
import { connect } from "node:net";
import { NodefitError } from "../domain/errors.js";

/**
 * Bytes a unix socket path may have: the kernel's `sun_path` holds 108 bytes on Linux and 104 on macOS and the BSDs,
 * the final NUL included. Node binds a longer path cut short, at a path nobody asked for, and leaves it behind.
 */
export const maxSocketPathBytes = (platform: NodeJS.Platform = process.platform): number => (platform === "linux" ? 107 : 103);

/** Refuses a path the kernel would truncate (Windows named pipes have no such limit). */
export function checkSocketPath(path: string, platform: NodeJS.Platform = process.platform): void {
  if (platform === "win32") return;
  const max = maxSocketPathBytes(platform);
  const bytes = Buffer.byteLength(path);
  if (bytes > max)
    throw new NodefitError(
      "invalid_argument",
      `unix socket path is too long: ${bytes} bytes, and ${platform === "linux" ? "Linux" : "this system"} allows ${max}: choose a shorter --unix-socket path (e.g. /run/nodefit.sock or /tmp/nodefit.sock)`,
      { key: "unix-socket" },
    );
}

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


/** Which file a socket is: a path may be rebound by another process once this one has let go of it. */
export interface SocketIdentity {
  path: string;
  dev: number;
  ino: number;
}

/** The identity of the socket now at `path` (call right after binding it). */
export function socketIdentity(path: string): SocketIdentity {
  const st = lstatSync(path);
  return { path, dev: st.dev, ino: st.ino };
}

/**
 * Removes the socket if it is still the one this process bound, synchronously (it also runs in a process's `exit`
 * event, where nothing asynchronous runs any more). A socket another agent bound at the same path since is left alone.
 */
export function removeOwnSocket(id: SocketIdentity): void {
  try {
    const st = lstatSync(id.path);
    if (st.isSocket() && st.dev === id.dev && st.ino === id.ino) unlinkSync(id.path);
  } catch {
    // Already gone.
  }
}
