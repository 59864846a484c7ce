import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { describe, expect, it, vi } from "vitest";
import type { Machine } from "../../src/domain/machine.js";
import { gibToBytes } from "../../src/domain/units.js";
import { parseModelQuery } from "../../src/query/model-query.js";
import { analysesOf, fakeAnalyze, fakeEstimate } from "../http/support/fake-analysis.js";
import { rtx4090Machine } from "../http/support/machine.js";
import { bundledModels } from "../../src/catalog/bundled.js";
import type { MachineSource } from "../../src/service/machine-source.js";
import { NodeService, type AnalyzeFn } from "../../src/service/node-service.js";


function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function service(source: MachineSource, analyze: AnalyzeFn = fakeAnalyze, refreshIntervalMs = 0, onBackgroundError?: (m: string) => void) {
  return new NodeService({
    models: bundledModels(),
    source,
    identity: { name: "provisional", os: "linux" },
    refreshIntervalMs,
    analyze,
    estimate: fakeEstimate,
    ...(onBackgroundError ? { onBackgroundError } : {}),
  });
}

const withFreeRam = (m: Machine, gib: number): Machine => ({ ...m, memory: { ...m.memory, availableBytes: gibToBytes(gib) } });

describe("NodeService", () => {
  it("answers /health during the first scan; /api/v1/* waits for it", async () => {
    const first = deferred<Machine>();
    const s = service({ initial: () => first.promise, refresh: null });
    expect(s.health()).toEqual({ status: "ok", node: { name: "provisional", os: "linux" } });
    let answered = false;
    const system = s.system().then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(answered).toBe(false);
    first.resolve(rtx4090Machine("scanned"));
    expect((await system).node.name).toBe("scanned");
    expect(s.health().node.name).toBe("scanned");
  });

  it("a failed first scan is retried by the next request", async () => {
    let calls = 0;
    const s = service({
      initial: async () => {
        calls += 1;
        if (calls === 1) throw new Error("nvidia-smi hung");
        return rtx4090Machine();
      },
      refresh: null,
    });
    await expect(s.system()).rejects.toMatchObject({ code: "probe_failed", message: "hardware scan failed: nvidia-smi hung" });
    expect((await s.system()).system.gpu_count).toBe(1);
    expect(calls).toBe(2);
  });

  it("caches the analysis per (snapshot, context, runtime)", async () => {
    const analyze = vi.fn(fakeAnalyze);
    const s = service({ initial: async () => rtx4090Machine(), refresh: null }, analyze);
    await s.modelsEnvelope(parseModelQuery({}, "models"));
    await s.modelsEnvelope(parseModelQuery({ limit: "1", sort: "tps" }, "models"));
    await s.modelsEnvelope(parseModelQuery({}, "top"));
    expect(analysesOf(analyze)).toHaveLength(1);
    await s.modelsEnvelope(parseModelQuery({ max_context: "4096" }, "models"));
    await s.modelsEnvelope(parseModelQuery({ force_runtime: "vllm" }, "models"));
    await s.modelsEnvelope(parseModelQuery({ max_context: "4096" }, "top"));
    expect(analysesOf(analyze)).toHaveLength(3);
    expect(analysesOf(analyze)[1]).toEqual({ contextTokens: 4096, forceRuntime: null });
    expect(analysesOf(analyze)[2]).toEqual({ contextTokens: null, forceRuntime: "vllm" });
  });

  it("contexts that give the same analysis share it: 8192 is the default, past the largest window is that window", async () => {
    const analyze = vi.fn(fakeAnalyze);
    const s = service({ initial: async () => rtx4090Machine(), refresh: null }, analyze);
    const largest = Math.max(...bundledModels().map((m) => m.context_length));
    await s.rows(null, null);
    await s.rows(8192, null);
    expect(analysesOf(analyze)).toHaveLength(1);
    await s.rows(largest, null);
    await s.rows(largest * 4, null);
    expect(analysesOf(analyze)).toHaveLength(2);
    expect(analysesOf(analyze)[1]).toEqual({ contextTokens: largest, forceRuntime: null });
  });

  it("a refresh that changes the machine starts a new snapshot version; one that does not keeps the cache", async () => {
    const analyze = vi.fn(fakeAnalyze);
    let free = 48;
    const s = service({ initial: async () => rtx4090Machine(), refresh: async () => withFreeRam(rtx4090Machine(), free) }, analyze);
    await s.rows(null, null);
    expect(s.version).toBe(1);
    await s.refresh();
    await s.rows(null, null);
    expect(s.version).toBe(1);
    expect(analysesOf(analyze)).toHaveLength(1);
    free = 20;
    await s.refresh();
    expect(s.version).toBe(2);
    expect((await s.system()).system.available_ram_gb).toBe(20);
    await s.rows(null, null);
    expect(analysesOf(analyze)).toHaveLength(2);
  });

  it("free memory moving by less than the granule keeps the analyses, while the system object shows the new figure", async () => {
    const analyze = vi.fn(fakeAnalyze);
    let free = 20;
    const s = service({ initial: async () => withFreeRam(rtx4090Machine(), 20), refresh: async () => withFreeRam(rtx4090Machine(), free) }, analyze);
    await s.rows(null, null);
    free = 20.05; // about 51 MiB more
    await s.refresh();
    expect(s.version).toBe(1);
    expect((await s.system()).system.available_ram_gb).toBe(20.05);
    free = 21;
    await s.refresh();
    expect(s.version).toBe(2);
  });

  it("refreshes in the background on its TTL, off the request path, and stops on close", async () => {
    vi.useFakeTimers();
    try {
      const refresh = vi.fn(async () => rtx4090Machine());
      const s = service({ initial: async () => rtx4090Machine(), refresh }, fakeAnalyze, 1000);
      await s.machine();
      await s.modelsEnvelope(parseModelQuery({}, "models"));
      expect(refresh).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(3500);
      expect(refresh).toHaveBeenCalledTimes(3);
      s.close();
      await vi.advanceTimersByTimeAsync(5000);
      expect(refresh).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a failed refresh keeps the previous snapshot and reports it", async () => {
    const errors: string[] = [];
    const s = service(
      {
        initial: async () => rtx4090Machine(),
        refresh: async () => {
          throw new Error("boom");
        },
      },
      fakeAnalyze,
      0,
      (m) => errors.push(m),
    );
    await s.machine();
    await s.refresh();
    expect(errors).toEqual(["hardware refresh failed, keeping the previous snapshot: boom"]);
    expect((await s.system()).system.gpu_count).toBe(1);
  });

  it("estimate uses this node's snapshot", async () => {
    const s = service({ initial: async () => rtx4090Machine(), refresh: null });
    const name = bundledModels()[0]!.id;
    expect((await s.estimate(parseEstimateRequest({ model: name }))).model?.name).toBe(name);
  });
});

describe("NodeService warm-up", () => {
  it("analyzes the default query in the background after each new snapshot", async () => {
    const analyze = vi.fn(fakeAnalyze);
    let free = 48;
    const s = new NodeService({
      models: bundledModels(),
      source: { initial: async () => rtx4090Machine(), refresh: async () => withFreeRam(rtx4090Machine(), free) },
      identity: { name: "n", os: "linux" },
      refreshIntervalMs: 0,
      analyze,
      estimate: fakeEstimate,
      warmDefaultAnalysis: true,
    });
    await s.machine();
    await new Promise((r) => setImmediate(r));
    expect(analysesOf(analyze)).toHaveLength(1);
    await s.modelsEnvelope(parseModelQuery({}, "top"));
    expect(analysesOf(analyze)).toHaveLength(1);
    free = 10;
    await s.refresh();
    await new Promise((r) => setImmediate(r));
    expect(analysesOf(analyze)).toHaveLength(2);
    s.close();
  });
});
