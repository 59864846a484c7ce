#!/usr/bin/env node
// nodefit's executable: runs the CLI with this process's streams and sets the exit code.
import { processIo } from "./cli-io.js";
import { runCli } from "./run.js";

const code = await runCli(process.argv.slice(2), processIo());
if (code !== null) process.exitCode = code;
