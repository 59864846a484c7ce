// Store locations: where each store keeps its models on this platform, the environment variables the stores
// themselves read (OLLAMA_MODELS, HF_HUB_CACHE / HF_HOME, LLAMA_CACHE), and the folders a person names
// (`--models-dir`, repeatable; NODEFIT_MODELS_DIRS, separated as PATH is; `models_dirs` in the configuration file). One
// parser for every door; which door wins is the CLI's settings resolver's.
import path from "node:path";
import { NodefitError } from "../domain/errors.js";
import type { StoreRoot } from "./types.js";

export const MODELS_DIRS_ENV = "NODEFIT_MODELS_DIRS";

export interface StoreEnv {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  platform: NodeJS.Platform;
}

/** The door model folders came through: the flag, the environment variable, or the configuration file. */
export type ModelsDirsSource = "--models-dir" | typeof MODELS_DIRS_ENV | "config";

/** The folders of `--models-dir`, NODEFIT_MODELS_DIRS or the config file's `models_dirs` (one door's), absolute. */
export interface ModelsDirs {
  dirs: string[];
  source: ModelsDirsSource | null;
}

/** A list of folders separated as PATH is (`:`, `;` on Windows), empty entries left out: NODEFIT_MODELS_DIRS. */
export const splitPathList = (value: string, platform: NodeJS.Platform = process.platform): string[] =>
  value.split((platform === "win32" ? path.win32 : path.posix).delimiter).map((s) => s.trim()).filter((s) => s !== "");

/**
 * Parses the model folders one door gives, each value one folder (NODEFIT_MODELS_DIRS' value split by splitPathList
 * first), relative ones taken from `cwd`, duplicates dropped. Throws `invalid_argument` for an empty one.
 */
export function parseModelsDirs(values: readonly string[], source: ModelsDirsSource, cwd: string, platform: NodeJS.Platform = process.platform): ModelsDirs {
  const p = platform === "win32" ? path.win32 : path.posix;
  const key = source === "--models-dir" ? "models-dir" : source === "config" ? "models_dirs" : source;
  for (const v of values) if (v.trim() === "") throw new NodefitError("invalid_argument", `invalid ${key} value: use a folder path`, { key });
  return values.length === 0 ? { dirs: [], source: null } : { dirs: [...new Set(values.map((v) => p.resolve(cwd, v)))], source };
}

const set = (v: string | undefined): string | null => (v !== undefined && v.trim() !== "" ? v.trim() : null);

/**
 * Every store root to read on this node, in report order:
 * - Ollama: `OLLAMA_MODELS`, else `~/.ollama/models` (and, on Linux, the service install's
 *   `/usr/share/ollama/.ollama/models`);
 * - the Hugging Face cache: `HF_HUB_CACHE` (or the older `HUGGINGFACE_HUB_CACHE`), else `$HF_HOME/hub`, else
 *   `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub` (huggingface_hub's constants.py);
 * - LM Studio: `~/.lmstudio/models` (0.3 and later) and `~/.cache/lm-studio/models` (before);
 * - llama.cpp's download cache (`-hf`): `LLAMA_CACHE`, else `$XDG_CACHE_HOME/llama.cpp` or `~/.cache/llama.cpp`
 *   on Linux, `~/Library/Caches/llama.cpp` on macOS, `%LOCALAPPDATA%\llama.cpp` on Windows (common/common.cpp,
 *   fs_get_cache_directory);
 * - the folders given.
 */
export function storeRoots(e: StoreEnv, modelsDirs: ModelsDirs): StoreRoot[] {
  const p = e.platform === "win32" ? path.win32 : path.posix;
  const home = (...parts: string[]): string => p.join(e.home, ...parts);
  const roots: StoreRoot[] = [];
  const add = (kind: StoreRoot["kind"], dir: string, source: string): void => {
    const resolved = p.resolve(dir);
    if (!roots.some((r) => r.path === resolved)) roots.push({ kind, path: resolved, source });
  };

  const ollama = set(e.env["OLLAMA_MODELS"]);
  if (ollama !== null) add("ollama", ollama, "OLLAMA_MODELS");
  else {
    add("ollama", home(".ollama", "models"), "default");
    if (e.platform === "linux") add("ollama", "/usr/share/ollama/.ollama/models", "default");
  }

  const hubCache = set(e.env["HF_HUB_CACHE"]) ?? set(e.env["HUGGINGFACE_HUB_CACHE"]);
  const hfHome = set(e.env["HF_HOME"]);
  const xdgCache = set(e.env["XDG_CACHE_HOME"]);
  if (hubCache !== null) add("huggingface", hubCache, set(e.env["HF_HUB_CACHE"]) !== null ? "HF_HUB_CACHE" : "HUGGINGFACE_HUB_CACHE");
  else if (hfHome !== null) add("huggingface", p.join(hfHome, "hub"), "HF_HOME");
  else if (xdgCache !== null && p.isAbsolute(xdgCache)) add("huggingface", p.join(xdgCache, "huggingface", "hub"), "XDG_CACHE_HOME");
  else add("huggingface", home(".cache", "huggingface", "hub"), "default");

  add("lmstudio", home(".lmstudio", "models"), "default");
  add("lmstudio", home(".cache", "lm-studio", "models"), "default");

  const llamaCache = set(e.env["LLAMA_CACHE"]);
  if (llamaCache !== null) add("llamacpp", llamaCache, "LLAMA_CACHE");
  else if (e.platform === "darwin") add("llamacpp", home("Library", "Caches", "llama.cpp"), "default");
  else if (e.platform === "win32") add("llamacpp", p.join(set(e.env["LOCALAPPDATA"]) ?? home("AppData", "Local"), "llama.cpp"), "default");
  else add("llamacpp", xdgCache !== null && p.isAbsolute(xdgCache) ? p.join(xdgCache, "llama.cpp") : home(".cache", "llama.cpp"), "default");

  for (const dir of modelsDirs.dirs) add("models_dir", dir, modelsDirs.source ?? "--models-dir");
  return roots;
}
