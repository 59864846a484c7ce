// Store locations: where each store keeps its models on this platform, the environment variables the stores
// themselves read (OLLAMA_MODELS, HF_HUB_CACHE / HF_HOME, LLAMA_CACHE), and the folders a person names
// (`--models-dir`, repeatable; NODEFIT_MODELS_DIRS, separated as PATH is). One parser for both doors.
import path from "node:path";
import { NodefitError } from "../domain/errors.js";
import type { StoreRoot } from "./types.js";

export const MODELS_DIRS_ENV = "NODEFIT_MODELS_DIRS";

export interface StoreEnv {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  platform: NodeJS.Platform;
}

/** The folders of `--models-dir` (or NODEFIT_MODELS_DIRS), absolute; the flag's replace the environment's. */
export interface ModelsDirs {
  dirs: string[];
  source: "--models-dir" | typeof MODELS_DIRS_ENV | null;
}

/**
 * Parses model folders: each flag value one folder; the environment's value a list separated as PATH is (`:`, `;` on
 * Windows). Relative paths are taken from the current folder. Throws `invalid_argument` for an empty entry of a flag.
 */
export function parseModelsDirs(flagValues: readonly string[], envValue: string | undefined, cwd: string, platform: NodeJS.Platform = process.platform): ModelsDirs {
  const p = platform === "win32" ? path.win32 : path.posix;
  if (flagValues.length > 0) {
    for (const v of flagValues) if (v.trim() === "") throw new NodefitError("invalid_argument", "invalid models-dir value: use a folder path", { key: "models-dir" });
    return { dirs: [...new Set(flagValues.map((v) => p.resolve(cwd, v)))], source: "--models-dir" };
  }
  const entries = (envValue ?? "").split(p.delimiter).map((s) => s.trim()).filter((s) => s !== "");
  return entries.length === 0 ? { dirs: [], source: null } : { dirs: [...new Set(entries.map((v) => p.resolve(cwd, v)))], source: MODELS_DIRS_ENV };
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
