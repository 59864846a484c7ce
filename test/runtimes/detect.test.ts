// A probe round on recorded answers: every runtime told apart at its endpoint, processes joined to the runtime they
// serve, the ports their command lines give probed, a hung endpoint a warning within the timeout, and the endpoint
// configuration (defaults, OLLAMA_HOST, NODEFIT_RUNTIME_ENDPOINTS, --runtime-endpoint, off).
import { describe, expect, it } from "vitest";
import { NodefitError } from "../../src/domain/errors.js";
import { MAX_WARNING_CHARS } from "../../src/hardware/warnings.js";
import { detectRuntimes, MAX_PROCESS_ENDPOINTS, MAX_RUNTIME_WARNINGS, type RuntimeDetectOptions } from "../../src/runtimes/detect.js";
import { endpointsToProbe, normalizeBaseUrl, ollamaHostUrl, parseRuntimeEndpoints } from "../../src/runtimes/endpoints.js";
import { parsePsOutput, type ProcessEntry } from "../../src/runtimes/processes.js";
import { fixture, replayFetch, type Behaviour } from "./support.js";

const NONE = { given: [], off: [] };
const DEFAULTS = endpointsToProbe(NONE, undefined);

const SELF_PID = 2_000_000_000;

function round(behaviours: Record<string, Behaviour>, o: Partial<RuntimeDetectOptions> = {}, log: string[] = []) {
  return detectRuntimes({
    endpoints: DEFAULTS,
    off: [],
    fetch: replayFetch(behaviours, log),
    timeoutMs: 100,
    listProcesses: async () => ({ entries: [], warning: null }),
    // nodefit's own pid: one no fake process here has (the worker's real pid may fall among the fakes' 1000-3000).
    selfPid: SELF_PID,
    now: () => new Date("2025-06-02T08:00:00Z"),
    localAddresses: () => ["127.0.0.1", "::1", "192.168.1.20", "fe80::1"],
    ...o,
  });
}

describe("endpoint configuration", () => {
  it("probes each runtime's default address, MLX's only when its process runs", () => {
    expect(DEFAULTS.map((e) => `${e.kind} ${e.url} ${e.source}`)).toEqual([
      "ollama http://127.0.0.1:11434 default",
      "llamacpp http://127.0.0.1:8080 default",
      "lmstudio http://127.0.0.1:1234 default",
      "vllm http://127.0.0.1:8000 default",
    ]);
  });

  it("reads OLLAMA_HOST as Ollama's client does", () => {
    expect(ollamaHostUrl("0.0.0.0")).toBe("http://127.0.0.1:11434");
    expect(ollamaHostUrl("0.0.0.0:11435")).toBe("http://127.0.0.1:11435");
    expect(ollamaHostUrl("gpu-box")).toBe("http://gpu-box:11434");
    expect(ollamaHostUrl("https://ollama.example.com")).toBe("https://ollama.example.com");
    expect(ollamaHostUrl("")).toBeNull();
    expect(endpointsToProbe(NONE, "127.0.0.1:9999")[0]).toEqual({ kind: "ollama", url: "http://127.0.0.1:9999", source: "OLLAMA_HOST" });
  });

  it("given endpoints replace a runtime's default; off leaves it out (which door wins per runtime: test/cli/settings.test.ts)", () => {
    const given = parseRuntimeEndpoints(["ollama=http://127.0.0.1:11500/", "llama.cpp=localhost:8081", "llama-server=localhost:8082, lmstudio=off"], "runtime-endpoint", "flag");
    const all = endpointsToProbe(given, "ignored:1");
    expect(all.map((e) => `${e.kind} ${e.url} ${e.source}`)).toEqual([
      "ollama http://127.0.0.1:11500 flag",
      "llamacpp http://localhost:8081 flag",
      "llamacpp http://localhost:8082 flag",
      "vllm http://127.0.0.1:8000 default",
    ]);
    expect(given.off).toEqual(["lmstudio"]);
    const file = parseRuntimeEndpoints(["vllm=http://10.0.0.5:8001", "vllm=off"], "runtime_endpoints", "config");
    expect(endpointsToProbe(file, undefined).map((e) => e.kind)).toEqual(["ollama", "llamacpp", "lmstudio"]);
    expect(normalizeBaseUrl("ftp://x")).toBeNull();
    expect(normalizeBaseUrl("http://x:1/proxy/ollama/")).toBe("http://x:1/proxy/ollama");
  });

  it("refuses a bad entry with the flag's or the variable's name", () => {
    for (const [value, key] of [
      ["tgi=http://x", "runtime-endpoint"],
      ["ollama", "runtime-endpoint"],
      ["ollama=ftp://x", "NODEFIT_RUNTIME_ENDPOINTS"],
      ["vllm=http://x:1?y=2", "runtime-endpoint"],
    ] as const) {
      const e = (() => {
        try {
          parseRuntimeEndpoints([value], key, "flag");
        } catch (err) {
          return err;
        }
        return null;
      })();
      expect(e).toBeInstanceOf(NodefitError);
      expect((e as NodefitError).message).toBe(
        `invalid ${key} value: use NAME=URL, NAME one of ollama|llamacpp|lmstudio|vllm|mlx and URL an http(s) address (or off) (got "${value.replace("?y=2", "?***")}")`,
      );
    }
  });

  it("never echoes a credential or a query of a refused entry, whatever its form", () => {
    const messageOf = (value: string): string => {
      try {
        parseRuntimeEndpoints([value], "runtime_endpoints", "config");
      } catch (err) {
        return (err as Error).message;
      }
      return "";
    };
    for (const [value, shown] of [
      ["vllm=http://user:secret@host:8000", "vllm=http://***@host:8000"],
      ["vllm=user:secret@host:8000", "vllm=***@host:8000"],
      ["ollama=https://h:1/x?token=secret#frag", "ollama=https://h:1/x?***"],
      ["tgi=http://u:secret@h", "tgi=http://***@h"],
      ["http://u:secret@h", "http://***@h"],
    ] as const) {
      const m = messageOf(value);
      expect(m).toContain(`(got "${shown}")`);
      expect(m).not.toContain("secret");
    }
  });
});

/** `n` llama-server processes a local user started, each naming a host and a port. */
const fakeServers = (n: number, host: (i: number) => string, firstPid = 1000): ProcessEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    pid: firstPid + i,
    executable: "/home/mallory/bin/llama-server",
    commandLine: `/home/mallory/bin/llama-server --host ${host(i)} --port ${1000 + (i % 60000)}`,
    rssBytes: 1024,
  }));

describe("endpoints from process command lines: this host only, bounded", () => {
  it("2,001 processes naming other hosts (a metadata address among them): no request leaves this host, a few short warnings", async () => {
    const log: string[] = [];
    const entries = [...fakeServers(2000, (i) => `10.${(i >> 8) & 255}.${i & 255}.1`), ...fakeServers(1, () => "169.254.169.254", 5000)];
    const s = await round({}, { listProcesses: async () => ({ entries, warning: null }) }, log);
    // The first wave (the defaults) only: 4 endpoints, none from a process.
    expect(log.every((u) => new URL(u).hostname === "127.0.0.1")).toBe(true);
    expect(s.endpoints.map((e) => e.endpoint.source)).toEqual(["default", "default", "default", "default"]);
    expect(s.warnings.length).toBeLessThanOrEqual(MAX_RUNTIME_WARNINGS);
    expect(s.warnings.every((w) => w.length <= MAX_WARNING_CHARS)).toBe(true);
    expect(s.warnings.join("\n").length).toBeLessThan(2000);
    expect(s.warnings[0]).toBe(
      "llama.cpp server processes (pid 1000, 1001, 1002, 1003, … 1997 more) give a --host that is not this node's (10.0.0.1, 10.0.1.1, 10.0.2.1, 10.0.3.1, … 1997 more): not probed, as nodefit probes only this host; give its address with --runtime-endpoint llamacpp=URL if it serves here",
    );
    // They are reported as processes, not as a runtime that answered.
    expect(s.runtimes.map((r) => [r.kind, r.status, r.processes.length])).toEqual([["llamacpp", "process_only", 8]]);
  });

  it("loopback, any-address and this host's own interface addresses are probed (an any-address on loopback)", async () => {
    const log: string[] = [];
    const hosts = ["127.0.0.1", "0.0.0.0", "::", "192.168.1.20", "[fe80::1]", "localhost", "192.168.1.99", "gpu-box"];
    const entries = hosts.map((h, i) => ({ pid: 100 + i, executable: "llama-server", commandLine: `llama-server --host ${h} --port ${9000 + i}`, rssBytes: null }));
    const s = await round({ "http://192.168.1.20:9003": { server: "llamacpp" } }, { listProcesses: async () => ({ entries, warning: null }) }, log);
    expect(s.endpoints.filter((e) => e.endpoint.source === "process").map((e) => e.endpoint.url).sort()).toEqual([
      "http://127.0.0.1:9000",
      "http://127.0.0.1:9001",
      "http://192.168.1.20:9003",
      "http://[::1]:9002",
      "http://[fe80::1]:9004",
      "http://localhost:9005",
    ]);
    expect(log.some((u) => u.includes("192.168.1.99") || u.includes("gpu-box"))).toBe(false);
    expect(s.runtimes.find((r) => r.status === "running")).toMatchObject({ endpoint: { url: "http://192.168.1.20:9003" }, processes: [{ pid: 103 }] });
    expect(s.warnings[0]).toMatch(/^llama\.cpp server processes \(pid 106, 107\) give a --host that is not this node's \(192\.168\.1\.99, gpu-box\)/);
  });

  it("a process naming another host never joins the runtime answering on its port here", async () => {
    const entries = [{ pid: 7, executable: "llama-server", commandLine: "llama-server --host 10.1.1.1 --port 8080", rssBytes: null }];
    const s = await round({ "http://127.0.0.1:8080": { server: "llamacpp" } }, { listProcesses: async () => ({ entries, warning: null }) });
    expect(s.runtimes.map((r) => [r.status, r.processes.map((p) => p.pid)])).toEqual([
      ["running", []],
      ["process_only", [7]],
    ]);
  });

  it(`2,000 local processes: at most ${MAX_PROCESS_ENDPOINTS} of their endpoints probed a round, the rest counted in one warning`, async () => {
    const log: string[] = [];
    const s = await round({}, { listProcesses: async () => ({ entries: fakeServers(2000, () => "127.0.0.1"), warning: null }) }, log);
    expect(s.endpoints.filter((e) => e.endpoint.source === "process")).toHaveLength(MAX_PROCESS_ENDPOINTS);
    expect(new Set(log.map((u) => new URL(u).origin)).size).toBe(4 + MAX_PROCESS_ENDPOINTS);
    expect(s.warnings).toContain(
      `${2000 - MAX_PROCESS_ENDPOINTS} more endpoints named by runtime processes' command lines not probed: at most ${MAX_PROCESS_ENDPOINTS} a round (give the ones that matter with --runtime-endpoint)`,
    );
    expect(s.warnings.length).toBeLessThanOrEqual(MAX_RUNTIME_WARNINGS);
    expect(s.warnings.every((w) => w.length <= MAX_WARNING_CHARS)).toBe(true);
  });

  it("the interface addresses come from the system by default", async () => {
    const os = await import("node:os");
    const mine = Object.values(os.networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address)).find((a) => a.includes(".") && !a.startsWith("127."));
    const entries = [{ pid: 9, executable: "llama-server", commandLine: `llama-server --host ${mine ?? "127.0.0.1"} --port 9999`, rssBytes: null }];
    const log: string[] = [];
    // No localAddresses: the system's.
    const s = await detectRuntimes({ endpoints: [], off: [], fetch: replayFetch({}, log), timeoutMs: 100, listProcesses: async () => ({ entries, warning: null }), selfPid: SELF_PID, now: () => new Date() });
    expect(s.endpoints.map((e) => e.endpoint.url)).toEqual([`http://${mine ?? "127.0.0.1"}:9999`]);
  });
});

describe("a probe round", () => {
  it("finds each runtime at its default address, with version, models in memory and what it can serve", async () => {
    const s = await round({
      "http://127.0.0.1:11434": { server: "ollama" },
      "http://127.0.0.1:8080": { server: "llamacpp" },
      "http://127.0.0.1:1234": { server: "lmstudio" },
      "http://127.0.0.1:8000": { server: "vllm" },
    });
    expect(s.warnings).toEqual([]);
    expect(s.runtimes.map((r) => [r.kind, r.status, r.version, r.available, r.loaded.map((m) => m.name)])).toEqual([
      ["ollama", "running", "0.9.0", 2, ["qwen3:8b"]],
      ["llamacpp", "running", "b6123-1d72c841", 1, ["Qwen3-8B-Q4_K_M.gguf"]],
      ["lmstudio", "running", null, 3, ["meta-llama-3.1-8b-instruct"]],
      ["vllm", "running", "0.10.1.1", 1, ["Qwen/Qwen3-8B"]],
    ]);
    expect(s.runtimes[1]!.details).toEqual({ health: "ok", total_slots: 4, model_path: "/srv/models/Qwen3-8B-Q4_K_M.gguf" });
    expect(s.runtimes[3]!.details).toMatchObject({ kv_cache_usage_pct: 1.2, gpu_memory_utilization: 0.9 });
    expect(s.endpoints.every((e) => e.status === "answered")).toBe(true);
  });

  it("nothing running: every endpoint refused, no runtime, no warning", async () => {
    const s = await round({});
    expect(s.runtimes).toEqual([]);
    expect(s.endpoints.map((e) => e.status)).toEqual(["refused", "refused", "refused", "refused"]);
    expect(s.warnings).toEqual([]);
  });

  it("something else on a runtime's port is not that runtime; llama.cpp loading a model is", async () => {
    const s = await round({ "http://127.0.0.1:8080": { server: "nginx" }, "http://127.0.0.1:8000": { server: "llamacpp-loading" } });
    expect(s.endpoints.find((e) => e.endpoint.url.endsWith(":8080"))).toMatchObject({ status: "other", error: "GET /props: 404, not llama.cpp's answer" });
    // vLLM's probe on a port where llama.cpp loads: not vLLM.
    expect(s.runtimes).toEqual([]);
    const loading = await round({ "http://127.0.0.1:8080": { server: "llamacpp-loading" } });
    expect(loading.runtimes.map((r) => [r.kind, r.details["health"]])).toEqual([["llamacpp", "loading"]]);
  });

  it("a hung endpoint is a warning within the timeout; the others are answered", async () => {
    const t0 = performance.now();
    const s = await round({ "http://127.0.0.1:11434": "hang", "http://127.0.0.1:8080": { server: "llamacpp" } });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(s.endpoints[0]).toMatchObject({ status: "timeout", error: "no answer within 100 ms" });
    expect(s.warnings).toEqual(["Ollama at http://127.0.0.1:11434 did not answer within 100 ms: a hung endpoint, probed again at the next refresh"]);
    expect(s.runtimes.map((r) => r.kind)).toEqual(["llamacpp"]);
  });

  it("probes the ports the runtimes' command lines give, and joins each process to the runtime it serves", async () => {
    const log: string[] = [];
    const s = await round(
      { "http://127.0.0.1:11434": { server: "ollama" }, "http://127.0.0.1:8081": { server: "llamacpp" }, "http://127.0.0.1:8000": { server: "vllm" } },
      { listProcesses: async () => ({ entries: parsePsOutput(fixture("ps-linux.txt")), warning: null }) },
      log,
    );
    // llama-server --host 0.0.0.0 --port 8081: probed at 127.0.0.1:8081 (the default 8080 refused).
    expect(log).toContain("http://127.0.0.1:8081/props");
    expect(s.runtimes.map((r) => [r.kind, r.endpoint?.url, r.endpoint?.source, r.processes.map((p) => p.pid)])).toEqual([
      ["ollama", "http://127.0.0.1:11434", "default", [1544, 2210]],
      ["llamacpp", "http://127.0.0.1:8081", "process", [3001]],
      ["vllm", "http://127.0.0.1:8000", "default", [3102, 3150]],
    ]);
    expect(s.processesListed).toBe(true);
  });

  it("a runtime process no endpoint answers for is reported, with the addresses tried", async () => {
    const s = await round({}, { listProcesses: async () => ({ entries: parsePsOutput(fixture("ps-macos.txt")), warning: null }) });
    expect(s.runtimes.map((r) => [r.kind, r.status, r.processes.map((p) => p.pid)])).toEqual([
      ["ollama", "process_only", [501, 502]],
      ["lmstudio", "process_only", [640]],
      ["mlx", "process_only", [777]],
    ]);
    expect(s.warnings[2]).toBe(
      "MLX (mlx_lm.server) runs (pid 777) but no endpoint answered (http://127.0.0.1:8090: connection refused); give its address with --runtime-endpoint mlx=URL",
    );
  });

  it("mlx_lm.server: found where its process listens; the model it serves from its command line", async () => {
    const s = await round(
      { "http://127.0.0.1:8090": { server: "mlx" } },
      { listProcesses: async () => ({ entries: parsePsOutput(fixture("ps-macos.txt")).filter((e) => e.pid === 777), warning: null }) },
    );
    expect(s.runtimes).toHaveLength(1);
    expect(s.runtimes[0]).toMatchObject({ kind: "mlx", status: "running", available: 2, endpoint: { url: "http://127.0.0.1:8090", source: "process" } });
    expect(s.runtimes[0]!.loaded.map((m) => m.name)).toEqual(["mlx-community/Qwen3-8B-4bit"]);
  });

  it("a given endpoint that fails is a warning; an unreadable process list too; off runtimes are not probed", async () => {
    const log: string[] = [];
    const flags = parseRuntimeEndpoints(["ollama=http://gpu-1:11434", "vllm=off"], "runtime-endpoint", "flag");
    const s = await round(
      { "http://gpu-1:11434": "error" },
      { endpoints: endpointsToProbe(flags, undefined), off: flags.off, listProcesses: async () => ({ entries: null, warning: "process list unreadable: ps not installed" }) },
      log,
    );
    expect(log.some((u) => u.includes(":8000"))).toBe(false);
    expect(s.warnings).toEqual(["process list unreadable: ps not installed", "Ollama at http://gpu-1:11434 (--runtime-endpoint): ENOTFOUND"]);
    expect(s.processesListed).toBe(false);
  });
});
