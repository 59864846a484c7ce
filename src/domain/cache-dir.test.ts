// The cache folder per platform: NODEFIT_CACHE_DIR, else the platform's user cache folder; the Hub's under it.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cacheDir, hubCacheIn, userCacheDir } from "./cache-dir.js";

describe("userCacheDir", () => {
  it("Linux and the other Unixes: an absolute $XDG_CACHE_HOME, else ~/.cache", () => {
    expect(userCacheDir({ XDG_CACHE_HOME: "/var/cache/x" }, "linux", "/home/u")).toBe("/var/cache/x/nodefit");
    expect(userCacheDir({ XDG_CACHE_HOME: "rel/cache" }, "linux", "/home/u")).toBe("/home/u/.cache/nodefit");
    expect(userCacheDir({}, "freebsd", "/home/u")).toBe("/home/u/.cache/nodefit");
    expect(userCacheDir({ XDG_CACHE_HOME: "/x" }, "linux", null)).toBe("/x/nodefit");
    expect(userCacheDir({}, "linux", null)).toBeNull();
  });

  it("macOS: ~/Library/Caches, whatever $XDG_CACHE_HOME says", () => {
    expect(userCacheDir({ XDG_CACHE_HOME: "/x" }, "darwin", "/Users/u")).toBe("/Users/u/Library/Caches/nodefit");
    expect(userCacheDir({}, "darwin", null)).toBeNull();
  });

  it("Windows: %LOCALAPPDATA%\\nodefit\\cache, else the home folder's AppData\\Local", () => {
    expect(userCacheDir({ LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, "win32", "C:\\Users\\u")).toBe("C:\\Users\\u\\AppData\\Local\\nodefit\\cache");
    expect(userCacheDir({}, "win32", "C:\\Users\\u")).toBe("C:\\Users\\u\\AppData\\Local\\nodefit\\cache");
    expect(userCacheDir({ LOCALAPPDATA: "" }, "win32", null)).toBeNull();
  });
});

describe("cacheDir", () => {
  it("NODEFIT_CACHE_DIR first (resolved), an empty one not set; the Hub's answers under hub/", () => {
    expect(cacheDir({ NODEFIT_CACHE_DIR: "/srv/nf", XDG_CACHE_HOME: "/x" }, "linux", "/home/u")).toBe(path.resolve("/srv/nf"));
    expect(cacheDir({ NODEFIT_CACHE_DIR: "rel" }, "linux", "/home/u")).toBe(path.resolve("rel"));
    expect(cacheDir({ NODEFIT_CACHE_DIR: "" }, "darwin", "/Users/u")).toBe("/Users/u/Library/Caches/nodefit");
    expect(hubCacheIn("/home/u/.cache/nodefit", "linux")).toBe("/home/u/.cache/nodefit/hub");
    expect(hubCacheIn("C:\\Users\\u\\AppData\\Local\\nodefit\\cache", "win32")).toBe("C:\\Users\\u\\AppData\\Local\\nodefit\\cache\\hub");
  });
});
