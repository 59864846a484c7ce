// Parse once, at the edge: every flag of a command is parsed before its service opens (no probe runs, no file is
// read), and a mistake has the text the API gives for the same mistake.
import { describe, expect, it, vi } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import type { OpenService } from "../../src/cli/open-service.js";
import { runCli } from "../../src/cli/run.js";
import { buildApp } from "../../src/http/app.js";
import { testService } from "../http/support/service.js";

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; opened: number }> {
  let stderr = "";
  const io: CliIo = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env, readStdin: async () => "" };
  const openService = vi.fn<OpenService>(() => Promise.reject(new Error("the service must not open")));
  const code = await runCli(args, io, { openService });
  return { code, stderr, opened: openService.mock.calls.length };
}

describe("flags are parsed before anything starts", () => {
  it.each([
    [["estimate", "--model", "qwen3:8b", "--quant", "Q9_Z"], /^nodefit: invalid quant value: use F32\|/],
    [["estimate", "--model", "qwen3:8b", "--runtime", "tgi"], /^nodefit: invalid runtime value: use llamacpp\|mlx\|vllm/],
    [["estimate", "--model", "qwen3:8b", "--context", "0"], /^nodefit: invalid context value: use an integer number of tokens from 1 to 16777216/],
    [["estimate", "--model", "qwen3:8b", "--kv-cache-type", "q2"], /^nodefit: invalid kv_cache_type value: use f16\|q8_0\|q4_0/],
    [["estimate", "--gguf", "/no/such/file.gguf", "--quant", "Q9_Z"], /^nodefit: invalid quant value/],
    [["estimate", "--model", "x", "--ram", "lots"], /^nodefit: invalid ram value: use a size in GiB/],
    [["models", "--min-fit", "best"], /^nodefit: invalid min_fit value: use perfect\|good\|marginal\|too_tight/],
    [["models", "--memory", "24000"], /for MiB write 24000M/],
    [["info", "qwen3", "--max-context", "-1"], /^nodefit: invalid max_context value: use an integer >= 1/],
    [["info", "qwen3", "--cpu-cores", "0"], /^nodefit: invalid cpu-cores value/],
    [["system", "--node-name", " "], /^nodefit: invalid node-name value: use a non-empty name/],
    [["system", "--memory", "8", "--vram", "16"], /^nodefit: --memory and --vram are the same option/],
  ])("%j", async (args, message) => {
    const r = await cli(args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    expect(r.opened).toBe(0);
  });

  it("NODEFIT_NODE_NAME is parsed with the flags, and named in its error", async () => {
    const r = await cli(["system"], { NODEFIT_NODE_NAME: "  " });
    expect(r.stderr).toMatch(/^nodefit: invalid NODEFIT_NODE_NAME value: use a non-empty name/);
    expect(r.code).toBe(2);
    expect(r.opened).toBe(0);
  });

  it("a request mistake reads the same from the CLI and from the API", async () => {
    const app = buildApp(testService());
    try {
      for (const [flags, body] of [
        [["--quant", "Q9_Z"], { quant: "Q9_Z" }],
        [["--context", "0"], { context: 0 }],
        [["--runtime", "TGI"], { runtime: "TGI" }],
      ] as const) {
        const res = await app.inject({ method: "POST", url: "/api/v1/estimate", payload: { model: "qwen3:8b", ...body } });
        expect(res.statusCode).toBe(400);
        const r = await cli(["estimate", "--model", "qwen3:8b", ...flags]);
        expect(r.stderr).toBe(`nodefit: ${(res.json() as { error: string }).error}\n`);
      }
    } finally {
      await app.close();
    }
  });
});
