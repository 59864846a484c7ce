// Cache files nodefit writes for itself (the RAM bandwidth probe's result, GGUF headers of installed models, Hub
// lookups): read without following a link or blocking, within a size cap; written whole or not at all, private to the user.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, rename, unlink } from "node:fs/promises";
import path from "node:path";

/**
 * The file's text, or null when there is none. Opened without following a symbolic link and without blocking (a FIFO
 * put in its place opens at once and is refused by the fstat); throws, in words, for a link, anything but a regular
 * file, or more than `maxBytes` (not a file nodefit wrote: the caller treats it as no cache, with a warning).
 */
export async function readPrivateCacheFile(file: string, maxBytes: number): Promise<string | null> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    if (code === "ELOOP") throw new Error("a symbolic link, not a regular file");
    throw e;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error("not a regular file");
    if (st.size > maxBytes) throw new Error(`${st.size} bytes, more than the ${maxBytes} a cache file has`);
    // As many bytes as the fstat says, and one more to see a file that grew since; read on (within the cap) if it did.
    let buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > maxBytes) throw new Error(`more than the ${maxBytes} bytes a cache file has`);
      if (got === buf.length) {
        const more = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(more, 0, 0, got);
        buf = more;
      }
    }
    return buf.subarray(0, got).toString("utf8");
  } finally {
    await handle.close();
  }
}

/**
 * Writes the file whole or not at all: its folder created private (0700) when missing, the text written to a new
 * temporary file beside it (O_EXCL, never through a link, mode 0600) and renamed over it, so a reader sees the old
 * file or the new one and concurrent writers never share a temporary file. Throws when it cannot; the temporary file
 * is removed.
 */
export async function writePrivateCacheFile(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    try {
      await handle.writeFile(text, "utf8");
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}
