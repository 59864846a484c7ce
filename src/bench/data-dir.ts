// Where this node keeps its data: the benchmarks store, under the user's data directory.
import os from "node:os";
import path from "node:path";

export const BENCHMARKS_DB_FILE = "benchmarks.db";

/**
 * The data directory: `--data-dir`, else NODEFIT_DATA_DIR, else the default (defaultDataDir). Relative paths are taken
 * from the working directory. For embedders; the CLI resolves its flag, the environment and the config file first
 * (src/cli/settings.ts) and asks only for the default.
 */
export function dataDir(flag: string | null | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const given = flag ?? nonEmpty(env["NODEFIT_DATA_DIR"]);
  return given !== null ? path.resolve(given) : defaultDataDir(env);
}

/** `$XDG_DATA_HOME/nodefit`, else `~/.local/share/nodefit` (the XDG default, on every OS). */
export function defaultDataDir(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = nonEmpty(env["XDG_DATA_HOME"]);
  // The XDG spec ignores a relative XDG_DATA_HOME.
  if (xdg !== null && path.isAbsolute(xdg)) return path.join(xdg, "nodefit");
  return path.join(nonEmpty(env["HOME"]) ?? os.homedir(), ".local", "share", "nodefit");
}

export const benchmarksDbPath = (dir: string): string => path.join(dir, BENCHMARKS_DB_FILE);

const nonEmpty = (v: string | undefined): string | null => (v === undefined || v.trim() === "" ? null : v);
