// CLI I/O: the streams and environment a command writes to and reads from (the process's, or a test's).
import { NodefitError } from "../domain/errors.js";
import { formatBytes } from "../domain/read-input-file.js";

export interface OutStream {
  write(chunk: string): unknown;
  /** True when a person is looking at it (tables, colors); false for pipes and files. */
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Text of standard input, for `--batch -`: at most `maxBytes` (more is an error, and reading stops there). */
  readStdin(maxBytes: number): Promise<string>;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readStdin: async (maxBytes) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of process.stdin) {
        bytes += (chunk as Buffer).length;
        if (bytes > maxBytes) {
          process.stdin.destroy();
          throw new NodefitError("invalid_input_file", `cannot read the batch on stdin: more than a batch may hold (${formatBytes(maxBytes)})`);
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/** Data goes to stdout as one JSON document and a newline. */
export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Colors only for a terminal, and never when NO_COLOR is set. */
export function useColor(io: CliIo): boolean {
  const noColor = io.env["NO_COLOR"];
  return io.stdout.isTTY === true && (noColor === undefined || noColor === "") && io.env["TERM"] !== "dumb";
}

/** The narrowest width text is fitted to: below it a table would be all "…". */
export const MIN_OUTPUT_WIDTH = 40;
/** The width of a pipe, a file or a terminal that does not say: the classic terminal's 80 columns. */
export const DEFAULT_OUTPUT_WIDTH = 80;

/**
 * Columns the text for people is fitted to: COLUMNS when set to a number (what shells and `COLUMNS=120 nodefit ...`
 * say), else the terminal's width, else 80 (piped or redirected output, or a terminal that does not tell); never
 * less than 40.
 */
export function outputWidth(io: CliIo): number {
  const fromEnv = Number.parseInt(io.env["COLUMNS"] ?? "", 10);
  const tty = io.stdout.isTTY === true && typeof io.stdout.columns === "number" && io.stdout.columns > 0 ? io.stdout.columns : undefined;
  const width = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : (tty ?? DEFAULT_OUTPUT_WIDTH);
  return Math.max(MIN_OUTPUT_WIDTH, width);
}
