// Test helper: runs the built CLI (dist/cli/main.js) as a child process and collects what it printed.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
export const FIXTURE_MACHINE = fileURLToPath(new URL("./fixtures/rtx4090.json", import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The test process's environment without a developer's Hugging Face token (variables, HF_HOME's login file): a CLI run
 * must not send it to a test Hub, nor fail on it. The login file's path points nowhere.
 */
function hermetic(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODEFIT_HUB_TOKEN: _a, HF_TOKEN: _b, HUGGING_FACE_HUB_TOKEN: _c, HF_HOME: _d, ...rest } = env;
  return { ...rest, HF_TOKEN_PATH: "/nonexistent/nodefit-test/hf-token" };
}

export function runCli(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  if (!existsSync(MAIN)) return Promise.reject(new Error(`${MAIN} is missing: run npm run build first (npm test does)`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { ...hermetic(process.env), NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
