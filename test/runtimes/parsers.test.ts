// Pure parsers of runtime answers and process lists, on the recorded fixtures (test/fixtures/runtimes/).
import { describe, expect, it } from "vitest";
import {
  isLlamaCppProps,
  parseLlamaCppModels,
  parseLmStudioModels,
  parseOllamaPs,
  parseOllamaTags,
  parseOllamaVersion,
  parseVllmMetrics,
  parseVllmModels,
} from "../../src/runtimes/probes.js";
import { classifyProcess, parseCimProcesses, parsePsOutput, parseTasklistCsv, redactCommandLine, runtimeProcesses, splitCommandLine } from "../../src/runtimes/processes.js";
import { SHOWN_TEXT_MAX_CHARS } from "../../src/domain/redact.js";
import { ANSWERS, fixture } from "./support.js";

const body = (server: string, path: string): Record<string, unknown> => JSON.parse(ANSWERS[server]![path]!.body) as Record<string, unknown>;

describe("runtime answers", () => {
  it("Ollama: version, tags pulled, models in memory with their bytes and GPU share", () => {
    expect(parseOllamaVersion(body("ollama", "/api/version"))).toBe("0.9.0");
    expect(parseOllamaTags(body("ollama", "/api/tags"))).toBe(2);
    expect(parseOllamaPs(body("ollama", "/api/ps"))).toEqual([
      { name: "qwen3:8b", sizeBytes: 6654289920, vramBytes: 6654289920, contextLength: 4096, quant: "Q4_K_M", expiresAt: "2025-06-02T10:16:12.345678901+02:00" },
    ]);
    expect(parseOllamaPs({ models: [] })).toEqual([]);
    expect(parseOllamaPs(null)).toEqual([]);
    expect(parseOllamaVersion({ version: 3 })).toBeNull();
  });

  it("llama.cpp: /props is its own; /v1/models gives the model, its bytes, and the slots' context", () => {
    expect(isLlamaCppProps(body("llamacpp", "/props"))).toBe(true);
    expect(isLlamaCppProps({ version: "1" })).toBe(false);
    const m = parseLlamaCppModels(body("llamacpp", "/v1/models"), 8192);
    expect(m.ownedByLlamaCpp).toBe(true);
    expect(m.available).toBe(1);
    expect(m.loaded).toEqual([{ name: "Qwen3-8B-Q4_K_M.gguf", sizeBytes: 5027783488, vramBytes: null, contextLength: 8192, quant: null, expiresAt: null }]);
    // Router mode: every model it can load is listed, the loaded ones by status.
    const routed = parseLlamaCppModels({ data: [{ id: "a.gguf", owned_by: "llamacpp", status: { value: "loaded" } }, { id: "b.gguf", owned_by: "llamacpp", status: { value: "unloaded" } }] }, 4096);
    expect(routed.loaded.map((x) => x.name)).toEqual(["a.gguf"]);
    expect(routed.available).toBe(2);
  });

  it("LM Studio: every downloaded model, the loaded one with its quant and loaded context (no memory reported)", () => {
    const m = parseLmStudioModels(body("lmstudio", "/api/v0/models"));
    expect(m?.available).toBe(3);
    expect(m?.loaded).toEqual([{ name: "meta-llama-3.1-8b-instruct", sizeBytes: null, vramBytes: null, contextLength: 4096, quant: "Q4_K_M", expiresAt: null }]);
    expect(parseLmStudioModels(body("vllm", "/v1/models"))).toBeNull();
  });

  it("vLLM: the served model with its context, and the KV cache, requests and memory share from /metrics", () => {
    const m = parseVllmModels(body("vllm", "/v1/models"));
    expect(m.ownedByVllm).toBe(true);
    expect(m.loaded).toEqual([{ name: "Qwen/Qwen3-8B", sizeBytes: null, vramBytes: null, contextLength: 32768, quant: null, expiresAt: null }]);
    expect(parseVllmMetrics(ANSWERS["vllm"]!["/metrics"]!.body)).toEqual({
      kv_cache_usage_pct: 1.2,
      requests_running: 1,
      requests_waiting: 0,
      gpu_memory_utilization: 0.9,
      num_gpu_blocks: 27000,
      block_size: 16,
      cache_dtype: "auto",
    });
    // vLLM before 0.10 named the KV cache gauge gpu_cache_usage_perc.
    expect(parseVllmMetrics('vllm:gpu_cache_usage_perc{model_name="x"} 0.5\n')).toEqual({ kv_cache_usage_pct: 50 });
    expect(parseVllmMetrics("# nothing of vLLM\nup 1\n")).toBeNull();
  });
});

describe("process lists", () => {
  it("splits command lines with quotes as Windows and shells write them", () => {
    expect(splitCommandLine('"C:\\Program Files\\x.exe" -m "a b.gguf" --port=9')).toEqual(["C:\\Program Files\\x.exe", "-m", "a b.gguf", "--port=9"]);
    expect(splitCommandLine("  ollama   serve ")).toEqual(["ollama", "serve"]);
  });

  it("Linux ps: Ollama's server and runner (not its client), llama-server with its port and model, vLLM and its engine", () => {
    const entries = parsePsOutput(fixture("ps-linux.txt"));
    expect(entries).toHaveLength(10);
    const found = runtimeProcesses(entries, 3400);
    expect(found.map((p) => [p.pid, p.kind, p.port, p.model])).toEqual([
      [1544, "ollama", null, null],
      [2210, "ollama", null, "/usr/share/ollama/.ollama/models/blobs/sha256-500a1f067a9f782620b40bee6f7b0c89e17ae61f686b92c24933e4ca4b2b8b41"],
      [3001, "llamacpp", 8081, "/srv/models/Qwen3-8B-Q4_K_M.gguf"],
      [3102, "vllm", 8000, "Qwen/Qwen3-8B"],
      [3150, "vllm", null, null],
    ]);
    expect(found.find((p) => p.pid === 3001)?.host).toBe("0.0.0.0");
    expect(found.find((p) => p.pid === 1544)?.rssBytes).toBe(482304 * 1024);
  });

  it("macOS ps: the Ollama app and server, LM Studio without its helpers, mlx_lm.server under Python with its port", () => {
    const found = runtimeProcesses(parsePsOutput(fixture("ps-macos.txt")), 1);
    expect(found.map((p) => [p.pid, p.kind, p.port, p.model])).toEqual([
      [501, "ollama", null, null],
      [502, "ollama", null, null],
      [640, "lmstudio", null, null],
      [777, "mlx", 8090, "mlx-community/Qwen3-8B-4bit"],
    ]);
  });

  it("Windows: Win32_Process with command lines, else tasklist's names and locale-formatted memory", () => {
    const cim = parseCimProcesses(fixture("cim-windows.json"));
    expect(runtimeProcesses(cim!, 0).map((p) => [p.pid, p.kind, p.port, p.model])).toEqual([
      [6120, "ollama", null, null],
      [6244, "ollama", null, null],
      [7300, "llamacpp", 9090, "C:\\models\\Qwen3 8B\\Qwen3-8B-Q4_K_M.gguf"],
      [8800, "lmstudio", null, null],
    ]);
    // ConvertTo-Json writes a lone object when one process matched.
    expect(parseCimProcesses('{"ProcessId":5,"Name":"llama-server.exe","CommandLine":null,"WorkingSetSize":10}')).toEqual([
      { pid: 5, executable: "llama-server.exe", commandLine: "llama-server.exe", rssBytes: 10 },
    ]);
    expect(parseCimProcesses("not json")).toBeNull();
    const tl = parseTasklistCsv(fixture("tasklist-windows.csv"));
    expect(tl.map((p) => [p.pid, p.rssBytes])).toEqual([
      [0, 8 * 1024],
      [6244, 61440 * 1024],
      [7300, 5242880 * 1024],
      [9100, 102400 * 1024],
    ]);
    // tasklist has no command lines: ollama.exe alone is not known to be the server; llama-server.exe is.
    expect(runtimeProcesses(tl, 0).map((p) => p.kind)).toEqual(["llamacpp"]);
  });

  it("never shows a secret of a command line: API keys and tokens are masked", () => {
    expect(redactCommandLine("vllm serve Qwen/Qwen3-8B --api-key sk-123 --port 8001")).toBe("vllm serve Qwen/Qwen3-8B --api-key *** --port 8001");
    expect(redactCommandLine("llama-server -m x.gguf --api-key=abc --hf-token hf_x")).toBe("llama-server -m x.gguf --api-key=*** --hf-token ***");
    expect(redactCommandLine("env HF_TOKEN=hf_abc OLLAMA_HOST=0.0.0.0 ollama serve")).toBe("env HF_TOKEN=*** OLLAMA_HOST=0.0.0.0 ollama serve");
    const [p] = runtimeProcesses(parsePsOutput("  77  100 /usr/bin/llama-server --api-key s3cret --port 9000\n"), 1);
    expect(p).toMatchObject({ command: "/usr/bin/llama-server --api-key *** --port 9000", port: 9000 });
  });

  it("masks llama.cpp's short -hft, quoted values whole, and the credentials and query of every URL, in the command and the model", () => {
    expect(redactCommandLine("llama-server -hf a/b -hft hf_SECRET --port 8080")).toBe("llama-server -hf a/b -hft *** --port 8080");
    expect(redactCommandLine('vllm serve m --api-key "two words" --port 8001')).toBe("vllm serve m --api-key *** --port 8001");
    expect(redactCommandLine("llama-server --api-key='a b c' -m 'my model.gguf'")).toBe("llama-server --api-key=*** -m 'my model.gguf'");
    expect(redactCommandLine("vllm serve s3://AKIA1:secret@bucket/model")).toBe("vllm serve s3://***@bucket/model");
    expect(redactCommandLine("llama-server --model-url=https://u:p@host/m.gguf?X-Amz-Signature=abc")).toBe("llama-server --model-url=https://***@host/m.gguf?***");
    const [p] = runtimeProcesses(parsePsOutput("  77  100 llama-server -mu https://bucket.s3.amazonaws.com/m.gguf?X-Amz-Credential=AKIA&X-Amz-Signature=x --port 9000\n"), 1);
    expect(p).toMatchObject({ command: "llama-server -mu https://bucket.s3.amazonaws.com/m.gguf?*** --port 9000", model: "https://bucket.s3.amazonaws.com/m.gguf?***" });
    expect(JSON.stringify(p)).not.toMatch(/AKIA|X-Amz-Signature=x/);
  });

  it("a runtime's answer adds at most 256 models and SHOWN_TEXT_MAX_CHARS (300) characters per string, URLs masked", () => {
    const huge = { data: Array.from({ length: 5000 }, (_, i) => ({ id: `${"m".repeat(10_000)}-${i}`, object: "model", owned_by: "llamacpp" })) };
    const { loaded } = parseLlamaCppModels(huge, null);
    expect(loaded.length).toBeLessThanOrEqual(256);
    for (const m of loaded) expect(m.name.length).toBeLessThanOrEqual(SHOWN_TEXT_MAX_CHARS);
    expect(loaded[0]!.name.length).toBe(SHOWN_TEXT_MAX_CHARS);
    expect(parseOllamaVersion({ version: "https://u:p@x/?k=1" })).toBe("https://***@x/?***");
  });

  it("leaves out clients and look-alikes", () => {
    const entry = (commandLine: string) => ({ pid: 9, executable: splitCommandLine(commandLine)[0]!, commandLine, rssBytes: null });
    expect(classifyProcess(entry("ollama pull qwen3:8b"))).toBeNull();
    expect(classifyProcess(entry("grep llama-server"))).toBeNull();
    expect(classifyProcess(entry("vim vllm_notes.md"))).toBeNull();
    expect(classifyProcess(entry("python -m mlx_lm generate --model x"))).toBeNull();
    expect(classifyProcess(entry("python -m mlx_lm server --port 8085"))).toEqual({ kind: "mlx", port: 8085, host: null, model: null });
    expect(classifyProcess(entry("python3 -m vllm.entrypoints.openai.api_server --model meta-llama/Llama-3.1-8B-Instruct --port 8001"))).toEqual({
      kind: "vllm",
      port: 8001,
      host: null,
      model: "meta-llama/Llama-3.1-8B-Instruct",
    });
  });
});
