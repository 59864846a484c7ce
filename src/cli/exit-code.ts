// Exit codes: the one place an error becomes the process's exit status (0 ok, 1 failure, 2 usage error).
import { CommanderError } from "commander";
import { isNodefitError, type ErrorCode } from "../domain/errors.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

const BY_CODE: Record<ErrorCode, number> = {
  invalid_argument: EXIT_USAGE,
  invalid_input_file: EXIT_FAILURE,
  model_not_found: EXIT_FAILURE,
  not_found: EXIT_FAILURE,
  method_not_allowed: EXIT_FAILURE,
  invalid_catalog: EXIT_FAILURE,
  probe_failed: EXIT_FAILURE,
  unauthorized: EXIT_FAILURE,
  overloaded: EXIT_FAILURE,
  payload_too_large: EXIT_FAILURE,
  internal: EXIT_FAILURE,
};

export function exitCodeOf(e: unknown): number {
  // Commander: --help and --version end with 0, every parse error (unknown option, missing value) is usage.
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (isNodefitError(e)) return BY_CODE[e.code];
  return EXIT_FAILURE;
}
