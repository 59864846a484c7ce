// The installed-headers cache of the local inputs: where it is kept by default (NODEFIT_PROBE_CACHE by probe_cache's one
// parser, the cache folder by domain/cache-dir.ts), and that a setting it cannot read or a home folder the system
// cannot tell leaves the headers uncached with a warning instead of stopping the agent.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parseModelsDirs } from "../../src/installed/stores.js";
import { parseRuntimeEndpoints } from "../../src/runtimes/endpoints.js";
import { HEADER_CACHE_FILE, localNodeInputs } from "../../src/service/local-inputs.js";
import { llamaShape, writeGguf } from "../support/gguf-writer.js";
import { TINY } from "../installed/stores.js";
import { psIo } from "../installed/support.js";

let dir = "";
let modelsDir = "";

beforeAll(() => {
  dir = mkdtempSync(join(os.tmpdir(), "nodefit-local-inputs-"));
  modelsDir = join(dir, "models");
  mkdirSync(modelsDir);
  const { metadata, tensors } = llamaShape(TINY);
  writeGguf(join(modelsDir, "tiny-Q8_0.gguf"), metadata, tensors);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** One scan of a folder holding one GGUF file, with `env` and `home`; the warnings it gave. */
async function scanOnce(env: Record<string, string>, home?: string): Promise<string[]> {
  const warnings: string[] = [];
  const inputs = localNodeInputs({
    mode: "one-shot",
    refreshIntervalMs: 0,
    runtimeEndpoints: parseRuntimeEndpoints([], "runtime-endpoint", "flag"),
    modelsDirs: parseModelsDirs([modelsDir], "--models-dir", "/"),
    fetch: () => Promise.reject(new Error("no network in this test")),
    io: psIo(""),
    env,
    ...(home !== undefined ? { home } : {}),
    onBackgroundError: (m) => warnings.push(m),
  });
  inputs.attach(
    () => [],
    () => {},
  );
  await inputs.beforeRows();
  inputs.close();
  return warnings;
}

describe("the installed-headers cache file", () => {
  it("is the cache folder's by default, and none when NODEFIT_PROBE_CACHE says off", async () => {
    const cacheDir = join(dir, "cache-on");
    expect(await scanOnce({ NODEFIT_CACHE_DIR: cacheDir }, dir)).toEqual([]);
    expect(existsSync(join(cacheDir, HEADER_CACHE_FILE))).toBe(true);
    const offDir = join(dir, "cache-off");
    expect(await scanOnce({ NODEFIT_CACHE_DIR: offDir, NODEFIT_PROBE_CACHE: " OFF " }, dir)).toEqual([]);
    expect(existsSync(join(offDir, HEADER_CACHE_FILE))).toBe(false);
    // The home folder given, else HOME: ~/.cache/nodefit on Linux.
    expect(await scanOnce({}, join(dir, "home"))).toEqual([]);
    expect(existsSync(join(dir, "home", ".cache", "nodefit", HEADER_CACHE_FILE))).toBe(process.platform === "linux");
  });

  it("is none, with a warning, when NODEFIT_PROBE_CACHE holds what the setting's parser refuses", async () => {
    const cacheDir = join(dir, "cache-refused");
    const warnings = await scanOnce({ NODEFIT_CACHE_DIR: cacheDir, NODEFIT_PROBE_CACHE: "sometimes" }, dir);
    expect(warnings).toEqual([`GGUF header cache off: invalid NODEFIT_PROBE_CACHE value: use on|1|true|yes to keep the cache, off|0|false|no to keep nothing between runs (got "sometimes")`]);
    expect(existsSync(join(cacheDir, HEADER_CACHE_FILE))).toBe(false);
  });

  it("is none, with a warning, when no home folder can be told: the inputs still open and report the scan's failure", async () => {
    vi.spyOn(os, "homedir").mockImplementation(() => {
      throw new Error("no home folder for this account");
    });
    const warnings = await scanOnce({});
    expect(warnings[0]).toBe("GGUF header cache off: no home folder for this account");
    expect(warnings.slice(1)).toEqual(["installed-model scan failed, keeping the previous one: no home folder for this account"]);
  });
});
