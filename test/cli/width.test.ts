// Text for people fits the terminal: at 80, 100 and 160 columns no line of `models`, `info`, `estimate` or `system`
// is longer than the width (colors do not count); `--wide` shows every column whatever the width.
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import type { OpenService } from "../../src/cli/open-service.js";
import { runCli } from "../../src/cli/run.js";
import { openLocalService } from "../../src/service/local-service.js";
import type { NodeService } from "../../src/service/node-service.js";
import { FIXTURE_MACHINE } from "./run-cli.js";

const DESCRIBED = (name: string): string => fileURLToPath(new URL(`../fixtures/described/${name}`, import.meta.url));

/** One service per machine file, shared by every run (the CLI's opener replaced), so each analysis runs once. */
const services = new Map<string, NodeService>();
const open: OpenService = async (machine) => {
  const file = machine.machineFile ?? FIXTURE_MACHINE;
  let s = services.get(file);
  if (!s) {
    s = openLocalService({ machineFile: file, overrides: {}, nodeName: null, refreshIntervalMs: 0 });
    services.set(file, s);
  }
  return s;
};
afterAll(() => {
  for (const s of services.values()) s.close();
});

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Runs the CLI in this process; `tty`: a terminal of that width (colors on), else a pipe with COLUMNS set. */
async function run(args: string[], width: number, tty = false): Promise<{ code: number | null; lines: string[]; text: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: tty, columns: tty ? width : undefined },
    stderr: { write: (s: string) => (stderr += s) },
    env: tty ? {} : { COLUMNS: String(width) },
    readStdin: async () => "",
  };
  const code = await runCli(args, io, { openService: open });
  expect(code, stderr).toBe(0);
  const text = stdout.replace(ANSI, "");
  return { code, lines: text.split("\n"), text };
}

const COMMANDS: string[][] = [
  ["models"],
  ["models", "-n", "40", "--sort", "mem"],
  ["models", "--use-case", "coding", "--include-too-tight"],
  ["models", "--search", "Nemotron"],
  ["models", "--machine", DESCRIBED("h100x8.json"), "-n", "20"],
  ["info", "qwen3"],
  ["info", "deepseek-ai/DeepSeek-V3"],
  ["info", "Qwen3-8B-abliterated-Q4_K_M.gguf"],
  ["estimate", "--model", "llama3.1:8b"],
  ["estimate", "--model", "deepseek-ai/DeepSeek-V3"],
  ["estimate", "--model", "gpt-oss-120b", "--machine", DESCRIBED("h100x8.json")],
  ["system"],
  ["system", "--machine", DESCRIBED("m4-pro-48gb.json")],
  ["system", "--machine", DESCRIBED("h100x8.json")],
];

describe("output fitted to the terminal", () => {
  for (const width of [80, 100, 160]) {
    it.each(COMMANDS.map((args) => [args.join(" "), args] as const))(`%s at ${width} columns: no line longer`, async (_label, args) => {
      const { lines } = await run(args, width);
      const long = lines.filter((l) => [...l].length > width);
      expect(long, long.join("\n")).toEqual([]);
    });
  }

  it("a terminal's own width applies, with colors that take no room", async () => {
    const { lines } = await run(["models", "-n", "20"], 90, true);
    expect(lines.filter((l) => [...l].length > 90)).toEqual([]);
  });

  it("at 80 columns the table gives up columns and says so; --wide shows every one", async () => {
    const narrow = await run(["models", "--search", "Nemotron-Super"], 80);
    expect(narrow.text).toMatch(/^MODEL\s+QUANT\s+RUNTIME\s+MODE\s+FIT\s+GiB\s+TPS\s+SCORE$/m);
    // Cut in the middle, so the two versions stay apart; the mark of a qualified row kept.
    expect(narrow.text).toMatch(/^Llama-3_\S*…\S*-49B-v1 \*/m);
    expect(narrow.text).toMatch(/^Llama-3_\S*…\S*-49B-v1_5 \*/m);
    expect(narrow.text).toMatch(/--wide shows every column/);
    const wide = await run(["models", "--search", "Nemotron-Super", "--wide"], 80);
    expect(wide.text).toMatch(/^MODEL\s+PARAMS\s+QUANT\s+RUNTIME\s+MODE\s+FIT\s+MEM GiB\s+TPS\s+CTX\s+SCORE$/m);
    expect(wide.text).toMatch(/^nvidia\/Llama-3_3-Nemotron-Super-49B-v1 \*/m);
    expect(wide.text).not.toMatch(/--wide shows/);
    const roomy = await run(["models", "--search", "Nemotron-Super"], 160);
    expect(roomy.text).toMatch(/^MODEL\s+PARAMS\s+QUANT\s+RUNTIME\s+MODE\s+FIT\s+MEM GiB\s+TPS\s+CTX\s+SCORE$/m);
  });

  it("a long verify command is broken with ' \\' so it pastes as the same command", async () => {
    /** The command as a shell reads the lines: " \\" + newline + indent is one space, a bare "\\" + newline nothing. */
    const verifyOf = (text: string): string => {
      const lines = text.split("\n");
      let i = lines.findIndex((l) => /^ {2}verify /.test(l));
      let command = (lines[i] ?? "").replace(/^ {2}verify +/, "");
      while (command.endsWith("\\")) {
        i++;
        command = command.endsWith(" \\") ? `${command.slice(0, -1)}${(lines[i] ?? "").trimStart()}` : `${command.slice(0, -1)}${lines[i] ?? ""}`;
      }
      return command;
    };
    const name = "deepseek-ai/DeepSeek-V3.1-Terminus";
    const narrow = (await run(["info", name], 80)).text;
    const whole = verifyOf((await run(["info", name], 1000)).text);
    expect(whole).toMatch(/^llama-bench -hf \S+ -p 512 -n 128$/);
    expect(narrow).toMatch(/^ {2}verify +llama-bench .* \\$/m);
    expect(verifyOf(narrow)).toBe(whole);
  });
});
