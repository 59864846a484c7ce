// Runtime and store flags: `--runtime-endpoint NAME=URL` and `--models-dir DIR` (both repeatable). Their values, with
// NODEFIT_RUNTIME_ENDPOINTS / NODEFIT_MODELS_DIRS and the config file's runtime_endpoints / models_dirs, are resolved
// by the settings (settings.ts) before a command opens its service.
import type { Command } from "commander";
import { MODELS_DIRS_ENV } from "../installed/stores.js";
import { RUNTIME_ENDPOINTS_ENV } from "../runtimes/endpoints.js";
import { RUNTIME_KINDS } from "../runtimes/types.js";

export interface InputFlags {
  runtimeEndpoint?: string[];
  modelsDir?: string[];
}

const collect = (v: string, all: string[] = []): string[] => [...all, v];

/** The options of the commands that look at runtimes or installed models. */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .option(
      "--runtime-endpoint <name=url>",
      `probe this runtime here instead of its default address, repeatable (name: ${RUNTIME_KINDS.join("|")}; url or off; env ${RUNTIME_ENDPOINTS_ENV}, comma-separated; config runtime_endpoints)`,
      collect,
    )
    .option("--models-dir <dir>", `also read GGUF files and model folders under this folder, repeatable (env ${MODELS_DIRS_ENV}, separated as PATH is; config models_dirs)`, collect);
}
