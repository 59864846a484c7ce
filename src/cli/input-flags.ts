// Runtime and store flags: `--runtime-endpoint NAME=URL` and `--models-dir DIR` (both repeatable), with their
// environment variables, parsed before a command opens its service.
import type { Command } from "commander";
import { parseModelsDirs, MODELS_DIRS_ENV } from "../installed/stores.js";
import { parseRuntimeEndpoints, RUNTIME_ENDPOINTS_ENV } from "../runtimes/endpoints.js";
import { RUNTIME_KINDS } from "../runtimes/types.js";
import type { NodeInputSettings } from "../service/local-inputs.js";

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
      `probe this runtime here instead of its default address, repeatable (name: ${RUNTIME_KINDS.join("|")}; url or off; env ${RUNTIME_ENDPOINTS_ENV}, comma-separated)`,
      collect,
    )
    .option("--models-dir <dir>", `also read GGUF files and model folders under this folder, repeatable (env ${MODELS_DIRS_ENV}, separated as PATH is)`, collect);
}

/** Parses the flags and their environment variables; throws `invalid_argument` naming the flag or variable. */
export function parseInputFlags(flags: InputFlags, env: Readonly<Record<string, string | undefined>>, cwd: string = process.cwd()): NodeInputSettings {
  const envEndpoints = env[RUNTIME_ENDPOINTS_ENV];
  return {
    runtimeEndpoints: {
      flags: parseRuntimeEndpoints(flags.runtimeEndpoint ?? [], "runtime-endpoint", "flag"),
      env: parseRuntimeEndpoints(envEndpoints === undefined ? [] : [envEndpoints], RUNTIME_ENDPOINTS_ENV, "env"),
    },
    modelsDirs: parseModelsDirs(flags.modelsDir ?? [], env[MODELS_DIRS_ENV], cwd),
  };
}
