// CLI run: parses argv, runs one command, and turns any error into a message and an exit code.
import { CommanderError } from "commander";
import { isNodefitError, messageOf } from "../domain/errors.js";
import type { CliIo } from "./cli-io.js";
import { exitCodeOf } from "./exit-code.js";
import { buildProgram, type CliDeps, type CliOutcome } from "./program.js";

/** Runs the CLI; resolves with the exit code, or null when the process must keep running (serve). */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps = {}): Promise<number | null> {
  const outcome: CliOutcome = { exitCode: 0, keepAlive: false };
  try {
    await buildProgram(io, outcome, deps).parseAsync([...argv], { from: "user" });
    return outcome.keepAlive ? null : outcome.exitCode;
  } catch (e) {
    // Commander has already printed its own message (or the help / version).
    if (e instanceof CommanderError) return exitCodeOf(e);
    const message = isNodefitError(e) ? e.message : `unexpected error: ${messageOf(e)}`;
    io.stderr.write(`nodefit: ${message}\n`);
    if (!isNodefitError(e) && io.env["NODEFIT_DEBUG"] && e instanceof Error && e.stack) io.stderr.write(`${e.stack}\n`);
    if (argv.includes("--json")) io.stdout.write(`${JSON.stringify({ error: message })}\n`);
    return exitCodeOf(e);
  }
}
