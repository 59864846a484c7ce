// User catalog: finds the user's catalog file (config directory or --catalog), validates it and merges it over the bundled one.
import { homedir as osHomedir } from "node:os";
import { posix, win32 } from "node:path";
import { userConfigDir } from "../domain/config-dir.js";
import { NodefitError, messageOf } from "../domain/errors.js";
import { InputFileError, readInputFileSync } from "../domain/read-input-file.js";
import { bundledModels } from "./bundled.js";
import { mergeCatalogs, parseCatalogFile } from "./load.js";
import type { ModelSpec } from "./schema.js";

export interface LoadCatalogOptions {
  /** `--catalog FILE`: must exist and be valid. null/undefined = the default location, if a file is there. */
  catalogFile?: string | null;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  homedir?: string;
  /**
   * Reads a file as UTF-8 (tests inject one); defaults to the file system, a regular file of at most 64 MiB
   * (MAX_CATALOG_FILE_BYTES), opened without blocking: a FIFO, a device or a directory is refused before it is read.
   */
  readFile?: (path: string) => string;
}

export interface LoadedCatalog {
  models: ModelSpec[];
  /** Where the models came from: "bundled", then the user catalog file's path when one was merged. */
  sources: string[];
  /** Problems that did not stop loading (an invalid file at the default location). */
  warnings: string[];
}

/**
 * The default user catalog path: `%APPDATA%\nodefit\catalog.json` on Windows, else
 * `$XDG_CONFIG_HOME/nodefit/catalog.json` (when set to an absolute path) or `~/.config/nodefit/catalog.json`.
 */
export function defaultCatalogPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, homedir: string): string {
  return (platform === "win32" ? win32 : posix).join(userConfigDir(env, platform, homedir), "catalog.json");
}

const readUtf8 = (path: string): string => readInputFileSync(path, "catalog").text;
const isMissing = (e: unknown): boolean => (e instanceof InputFileError ? e.errno : (e as NodeJS.ErrnoException | null)?.code) === "ENOENT";

/**
 * The bundled catalog with the user's entries merged over it (same id = replaced, case-insensitive). An explicit
 * `catalogFile` that is missing or unreadable throws `invalid_input_file`, one that is invalid `invalid_catalog`
 * (the message names the file and the entry). At the default location a missing file is normal and an invalid
 * one only a warning, so the agent still starts.
 */
export function loadCatalog(options: LoadCatalogOptions = {}): LoadedCatalog {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const read = options.readFile ?? readUtf8;
  const bundled = bundledModels();
  const explicit = options.catalogFile ?? null;

  if (explicit !== null) {
    let text: string;
    try {
      text = read(explicit);
    } catch (e) {
      const why = e instanceof InputFileError ? e.why : isMissing(e) ? "no such file" : messageOf(e);
      throw new NodefitError("invalid_input_file", `catalog file ${explicit}: ${why}`, { path: explicit }, { cause: e });
    }
    const user = parseCatalogFile(text, `catalog file ${explicit}`);
    return { models: mergeCatalogs(bundled, user), sources: ["bundled", explicit], warnings: [] };
  }

  const path = defaultCatalogPath(env, platform, options.homedir ?? osHomedir());
  let text: string;
  try {
    text = read(path);
  } catch (e) {
    if (isMissing(e)) return { models: mergeCatalogs(bundled, []), sources: ["bundled"], warnings: [] };
    return { models: mergeCatalogs(bundled, []), sources: ["bundled"], warnings: [`user catalog ${path} ignored: ${messageOf(e)}`] };
  }
  try {
    const user = parseCatalogFile(text, `user catalog ${path}`);
    return { models: mergeCatalogs(bundled, user), sources: ["bundled", path], warnings: [] };
  } catch (e) {
    return { models: mergeCatalogs(bundled, []), sources: ["bundled"], warnings: [`${messageOf(e)} (file ignored; the bundled catalog is used)`] };
  }
}
