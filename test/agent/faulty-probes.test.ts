// Faulty probes: a hanging, garbled or missing tool, or a failing refresh, never blocks /health or crashes the agent.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SystemSchema } from "../../src/contract/schemas-system.js";
import type { Machine } from "../../src/domain/machine.js";
import { detectMachine, refreshDynamic } from "../../src/hardware/detect.js";
import { fixtureIO } from "../../src/hardware/fixture-io.js";
import type { HardwareIO } from "../../src/hardware/io.js";
import { buildApp } from "../../src/http/app.js";
import type { MachineSource } from "../../src/service/machine-source.js";
import { fakeAnalyze, fakeEstimate } from "../http/support/fake-analysis.js";
import { testService } from "../http/support/service.js";

const FIXTURES = path.join(import.meta.dirname, "..", "fixtures", "machines");
/** Short probe timeouts keep the suite quick; the agent's default is 3 s. */
const PROBE_TIMEOUT_MS = 300;

/** This node's source (detection, then refreshes) over a fixture's I/O. */
function detectedSource(io: HardwareIO): MachineSource {
  let detected: Machine | null = null;
  return {
    initial: async () => (detected = await detectMachine(io, { timeoutMs: PROBE_TIMEOUT_MS, measureRamBandwidth: false })),
    refresh: async () => (detected = await refreshDynamic(io, detected!, { timeoutMs: PROBE_TIMEOUT_MS })),
  };
}

/** Times a request; /health must answer well inside a probe timeout. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await f();
  return { value, ms: performance.now() - started };
}

describe("faulty probes", () => {
  it("a hanging nvidia-smi: /health and /ready answer at once during the scan; the system object carries a warning", async () => {
    const io = await fixtureIO(path.join(FIXTURES, "nvidia-smi-hang"));
    const app = buildApp(testService({ source: detectedSource(io), analyze: fakeAnalyze, estimate: fakeEstimate }));
    try {
      await app.ready();
      const health = await timed(() => app.inject("/health"));
      expect(health.value.statusCode).toBe(200);
      expect(health.ms).toBeLessThan(PROBE_TIMEOUT_MS / 2);
      const ready = await timed(() => app.inject("/ready"));
      expect(ready.value.statusCode).toBe(503);
      expect(ready.ms).toBeLessThan(PROBE_TIMEOUT_MS / 2);
      expect((await app.inject("/metrics")).statusCode).toBe(200);

      // The API waits for the scan, which the probe's timeout bounds.
      const system = await timed(() => app.inject("/api/v1/system"));
      expect(system.value.statusCode).toBe(200);
      expect(system.ms).toBeLessThan(PROBE_TIMEOUT_MS * 4);
      const s = system.value.json<{ system: { warnings: string[] } }>().system;
      expect(SystemSchema.safeParse(s).success).toBe(true);
      expect(s.warnings.join(" ")).toMatch(/nvidia-smi/);
      await new Promise((r) => setTimeout(r, 20));
      expect((await app.inject("/ready")).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("garbage from every tool: answers with warnings, no 5xx", async () => {
    const base = await fixtureIO(path.join(FIXTURES, "rtx4090-3090"));
    const garbage = "\u0000\u00ff<html>Segmentation fault (core dumped)\n,,,,\nNaN, -1 MiB, [N/A]\n".repeat(3);
    const io: HardwareIO = {
      ...base,
      run: async (command, args, options) => ({ ...(await base.run(command, args, options)), stdout: garbage, exitCode: 0 }),
    };
    const app = buildApp(testService({ source: detectedSource(io), analyze: fakeAnalyze, estimate: fakeEstimate }));
    try {
      for (const url of ["/health", "/api/v1/system", "/api/v1/models/top", "/ready", "/metrics"]) {
        const res = await app.inject(url);
        expect(res.statusCode, `${url} ${res.body.slice(0, 200)}`).toBe(200);
      }
      const s = (await app.inject("/api/v1/system")).json<{ system: unknown }>().system;
      expect(SystemSchema.safeParse(s).success).toBe(true);
    } finally {
      await app.close();
    }
  });

  it("no tool installed at all (every command missing): a CPU-only answer", async () => {
    const base = await fixtureIO(path.join(FIXTURES, "cpu-only"));
    const io: HardwareIO = { ...base, run: async (command, args) => ({ command, args, stdout: "", stderr: "", exitCode: null, timedOut: false, spawnError: "ENOENT", durationMs: 0 }) };
    const app = buildApp(testService({ source: detectedSource(io), analyze: fakeAnalyze, estimate: fakeEstimate }));
    try {
      const res = await app.inject("/api/v1/system");
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ system: { has_gpu: false, gpu_count: 0 } });
    } finally {
      await app.close();
    }
  });

  it("a refresh that fails or hangs keeps the previous snapshot and never makes a request wait", async () => {
    const errors: string[] = [];
    let calls = 0;
    const io = await fixtureIO(path.join(FIXTURES, "rtx4090-3090"));
    const good = detectedSource(io);
    const source: MachineSource = {
      initial: good.initial,
      refresh: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error("nvidia-smi exited 9")) : new Promise<Machine>(() => {});
      },
    };
    const service = testService({ source, analyze: fakeAnalyze, estimate: fakeEstimate });
    const app = buildApp(service);
    try {
      const before = (await app.inject("/api/v1/system")).json();
      // Ready first (the default analysis cached: on a loaded machine that takes a moment), so what follows tests the refreshes.
      for (let i = 0; i < 200 && (await app.inject("/ready")).statusCode !== 200; i++) await new Promise((r) => setTimeout(r, 50));
      await service.refresh().catch(() => errors.push("refresh rejected"));
      void service.refresh(); // hangs forever
      for (const url of ["/health", "/ready", "/api/v1/system", "/api/v1/models/top"]) {
        const res = await timed(() => app.inject(url));
        expect(res.value.statusCode, url).toBe(200);
        expect(res.ms, url).toBeLessThan(PROBE_TIMEOUT_MS);
      }
      expect((await app.inject("/api/v1/system")).json()).toEqual(before);
      expect(errors).toEqual([]);
    } finally {
      service.close();
      await app.close();
    }
  });
});
