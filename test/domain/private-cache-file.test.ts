import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, mkdirSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPrivateCacheFile, writePrivateCacheFile } from "../../src/domain/private-cache-file.js";
import { fsHubCache } from "../../src/hub/real-io.js";

const posix = process.platform !== "win32";
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "nodefit-private-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("private cache files", () => {
  it("round trip: folder created 0700, file 0600, no temporary file left", async () => {
    const file = path.join(dir, "a", "b", "cache.json");
    await writePrivateCacheFile(file, '{"x":1}');
    expect(await readPrivateCacheFile(file, 1024)).toBe('{"x":1}');
    if (posix) {
      expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(readdirSync(path.dirname(file))).toEqual(["cache.json"]);
  });

  it("no file is null; a larger file than the cap, a directory, a link are refused in words", async () => {
    expect(await readPrivateCacheFile(path.join(dir, "none.json"), 10)).toBeNull();
    writeFileSync(path.join(dir, "big.json"), "x".repeat(11));
    await expect(readPrivateCacheFile(path.join(dir, "big.json"), 10)).rejects.toThrow(/11 bytes, more than the 10/);
    mkdirSync(path.join(dir, "d"));
    await expect(readPrivateCacheFile(path.join(dir, "d"), 10)).rejects.toThrow(/not a regular file/);
    if (posix) {
      symlinkSync(path.join(dir, "big.json"), path.join(dir, "link.json"));
      await expect(readPrivateCacheFile(path.join(dir, "link.json"), 100)).rejects.toThrow(/symbolic link/);
    }
  });

  it.skipIf(!posix)("a FIFO in the cache file's place is refused at once, not waited on", async () => {
    const fifo = path.join(dir, "fifo.json");
    execFileSync("mkfifo", [fifo]);
    const started = Date.now();
    await expect(readPrivateCacheFile(fifo, 100)).rejects.toThrow(/not a regular file/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("concurrent writers of one file each write whole: the file is one of their texts", async () => {
    const file = path.join(dir, "c.json");
    const texts = Array.from({ length: 8 }, (_, i) => JSON.stringify({ writer: i, pad: "y".repeat(10_000 * (i + 1)) }));
    await Promise.all(texts.map((t) => writePrivateCacheFile(file, t)));
    expect(texts).toContain(await readPrivateCacheFile(file, 1e6));
    expect(readdirSync(dir)).toEqual(["c.json"]);
  });

  it.skipIf(!posix || process.getuid?.() === 0)("a folder that cannot be written: the write throws and leaves nothing", async () => {
    const ro = path.join(dir, "ro");
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    await expect(writePrivateCacheFile(path.join(ro, "x.json"), "x")).rejects.toThrow();
    chmodSync(ro, 0o700);
    expect(readdirSync(ro)).toEqual([]);
  });

  it.skipIf(!posix)("the Hub cache reads a link or a FIFO as no entry and keeps working", async () => {
    const cache = fsHubCache(dir);
    await cache.write("model.json", "{}");
    expect(await cache.read("model.json")).toBe("{}");
    symlinkSync(path.join(dir, "model.json"), path.join(dir, "linked.json"));
    expect(await cache.read("linked.json")).toBeNull();
    execFileSync("mkfifo", [path.join(dir, "fifo.json")]);
    expect(await cache.read("fifo.json")).toBeNull();
  });
});
