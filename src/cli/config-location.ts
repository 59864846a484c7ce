// The config file's lookup: `--config FILE`, else NODEFIT_CONFIG, else `config.json` in the user's config folder (a
// default that is not there is no file); read by config-file.ts, import()ed only when there is a file (it loads zod).
import { lstatSync } from "node:fs";
import path from "node:path";
import { homeOf, userConfigDir } from "../domain/config-dir.js";
import { invalidValue } from "../domain/errors.js";
import type { ConfigValues } from "./settings-table.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Where the config file is and who said so. */
export interface ConfigFileInfo {
  path: string;
  /** `--config`, `NODEFIT_CONFIG`, or `default` (the user's config folder). */
  from: "--config" | "NODEFIT_CONFIG" | "default";
  /** False for a default file that is not there (a named one that is not there is an error). */
  found: boolean;
}

export interface LoadedConfig {
  /** null: no config file was looked for (a test, an embedder). */
  file: ConfigFileInfo | null;
  values: ConfigValues;
}

export const NO_CONFIG: LoadedConfig = { file: null, values: {} };

export const CONFIG_ENV = "NODEFIT_CONFIG";
export const CONFIG_FILE_NAME = "config.json";

/** The home folder (domain/config-dir.ts), exported here for the CLI's settings. */
export { homeOf };

/** The default config file: `config.json` in the user's config folder (XDG_CONFIG_HOME, ~/.config, %APPDATA%). */
export const defaultConfigPath = (env: Env, platform: NodeJS.Platform = process.platform, home: string = homeOf(env)): string =>
  (platform === "win32" ? path.win32 : path.posix).join(userConfigDir(env, platform, home), CONFIG_FILE_NAME);

function absent(file: string): boolean {
  try {
    lstatSync(file);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" || code === "ENOTDIR";
  }
}

/**
 * Finds and reads the config file: `--config FILE`, else NODEFIT_CONFIG, else the default (a default that is not there
 * is no file; a named one that is not there is an error). Throws `invalid_input_file` when the file cannot be read
 * (exit 1, as for any file nodefit reads), `invalid_argument` for a mistake in it (exit 2, as for a bad flag).
 */
export async function loadConfig(flag: string | undefined, env: Env, platform: NodeJS.Platform = process.platform): Promise<LoadedConfig> {
  if (flag !== undefined && flag.trim() === "") throw invalidValue("config", "a config file's path");
  const fromEnv = env[CONFIG_ENV];
  const named: Omit<ConfigFileInfo, "found"> | null =
    flag !== undefined
      ? { path: path.resolve(flag), from: "--config" }
      : fromEnv !== undefined && fromEnv !== ""
        ? { path: path.resolve(fromEnv), from: CONFIG_ENV }
        : null;
  const where = named ?? { path: defaultConfigPath(env, platform), from: "default" as const };
  if (named === null && absent(where.path)) return { file: { ...where, found: false }, values: {} };
  const { readConfigFile } = await import("./config-file.js");
  return { file: { ...where, found: true }, values: await readConfigFile(where.path, where.from, platform) };
}
