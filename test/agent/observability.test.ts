// Observability: /metrics in Prometheus text, /ready apart from /health, JSON logs with request ids and latency.
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Machine } from "../../src/domain/machine.js";
import { gibToBytes } from "../../src/domain/units.js";
import { buildApp } from "../../src/http/app.js";
import { formatLabels, MetricsText } from "../../src/http/metrics-text.js";
import { fakeAnalyze, fakeEstimate } from "../http/support/fake-analysis.js";
import { rtx4090Machine } from "../http/support/machine.js";
import { testService, whenReady } from "../http/support/service.js";
import { deferredSource } from "./support/deferred-source.js";

/** Two cards, one reporting free memory; a snapshot taken 90 s ago. */
function twoGpuMachine(): Machine {
  const m = rtx4090Machine("metrics-node");
  const first = m.gpus[0]!;
  return {
    ...m,
    gpus: [
      { ...first, memoryFreeBytes: gibToBytes(20) },
      { ...first, index: 1, name: "NVIDIA GeForce RTX 3090", memoryFreeBytes: null },
    ],
    snapshotAt: new Date(Date.now() - 90_000).toISOString(),
    origin: "detected",
  };
}

/** Sample lines of a scrape as name{labels} -> value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

const families = (text: string): string[] => [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);

describe("GET /metrics", () => {
  it("process, HTTP and node families in the text format", async () => {
    const app = buildApp(testService({ machine: twoGpuMachine(), analyze: fakeAnalyze, estimate: fakeEstimate }));
    try {
      await app.ready();
      for (let i = 0; i < 3; i++) await app.inject("/api/v1/models/top");
      await app.inject("/nope");
      await app.inject({ method: "DELETE", url: "/api/v1/system" });
      await app.inject("/api/v1/models/qwen");
      const res = await app.inject("/metrics");
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
      const text = res.body;
      const s = samples(text);

      expect(s.get("process_resident_memory_bytes")).toBeGreaterThan(10e6);
      expect(s.get("process_cpu_seconds_total")).toBeGreaterThan(0);
      expect(s.get("process_uptime_seconds")).toBeGreaterThan(0);
      expect(s.get("nodejs_heap_size_used_bytes")).toBeGreaterThan(0);

      expect(s.get('nodefit_http_requests_total{route="/api/v1/models/top",method="GET",status="200"}')).toBe(3);
      expect(s.get('nodefit_http_requests_total{route="unmatched",method="GET",status="404"}')).toBe(1);
      expect(s.get('nodefit_http_requests_total{route="unmatched",method="DELETE",status="405"}')).toBe(1);
      expect(s.get('nodefit_http_requests_total{route="/api/v1/models/{name}",method="GET",status="200"}')).toBe(1);
      expect(s.get('nodefit_http_request_duration_seconds_count{route="/api/v1/models/top",method="GET"}')).toBe(3);
      expect(s.get('nodefit_http_request_duration_seconds_bucket{route="/api/v1/models/top",method="GET",le="+Inf"}')).toBe(3);
      // Buckets are cumulative.
      const buckets = [...s].filter(([k]) => k.startsWith('nodefit_http_request_duration_seconds_bucket{route="/api/v1/models/top"')).map(([, v]) => v);
      expect(buckets).toEqual([...buckets].sort((a, b) => a - b));

      expect(s.get("nodefit_ready")).toBe(1);
      expect(s.get('nodefit_gpu_memory_total_bytes{index="0",name="NVIDIA GeForce RTX 4090"}')).toBe(gibToBytes(24));
      expect(s.get('nodefit_gpu_memory_total_bytes{index="1",name="NVIDIA GeForce RTX 3090"}')).toBe(gibToBytes(24));
      expect(s.get('nodefit_gpu_memory_free_bytes{index="0",name="NVIDIA GeForce RTX 4090"}')).toBe(gibToBytes(20));
      expect([...s.keys()].some((k) => k.startsWith('nodefit_gpu_memory_free_bytes{index="1"'))).toBe(false);
      expect(s.get("nodefit_ram_total_bytes")).toBe(gibToBytes(64));
      expect(s.get("nodefit_ram_available_bytes")).toBe(gibToBytes(48));
      expect(s.get("nodefit_snapshot_age_seconds")).toBeGreaterThanOrEqual(89);
      const perFit = ["perfect", "good", "marginal", "too_tight"].map((l) => s.get(`nodefit_models{fit_level="${l}"}`) ?? NaN);
      expect(perFit.reduce((a, b) => a + b, 0)).toBe(s.get("nodefit_catalog_models"));

      // Every family has HELP and TYPE once.
      const f = families(text);
      expect(new Set(f).size).toBe(f.length);
      expect(text.match(/^# HELP /gm)?.length).toBe(f.length);
    } finally {
      await app.close();
    }
  });

  it("every family is documented in docs/agent.md", async () => {
    const app = buildApp(testService({ machine: twoGpuMachine(), analyze: fakeAnalyze, estimate: fakeEstimate }));
    try {
      await app.ready();
      await app.inject("/health");
      await new Promise((r) => setTimeout(r, 150)); // one event-loop lag sample
      const text = (await app.inject("/metrics")).body;
      const doc = readFileSync(new URL("../../docs/agent.md", import.meta.url), "utf8");
      for (const family of families(text)) expect(doc, family).toContain(`\`${family}\``);
    } finally {
      await app.close();
    }
  });

  it("before the first snapshot: answers at once, without node figures", async () => {
    const source = deferredSource();
    const app = buildApp(testService({ source, analyze: fakeAnalyze, estimate: fakeEstimate }));
    try {
      const s = samples((await app.inject("/metrics")).body);
      expect(s.get("nodefit_ready")).toBe(0);
      expect(s.has("nodefit_ram_total_bytes")).toBe(false);
      source.finish(rtx4090Machine());
    } finally {
      await app.close();
    }
  });

  it("label values are escaped", () => {
    expect(formatLabels({ name: 'a "b"\\c\nd' })).toBe('{name="a \\"b\\"\\\\c\\nd"}');
    expect(new MetricsText().single("x", "gauge", "h", null).toString()).toBe("\n");
  });
});

describe("GET /ready and GET /health", () => {
  it("/ready is 503 until the first snapshot and the default analysis exist; /health answers throughout", async () => {
    const source = deferredSource();
    const app = buildApp(testService({ source, analyze: fakeAnalyze, estimate: fakeEstimate }));
    try {
      const health = await app.inject("/health");
      expect(health.statusCode).toBe(200);
      const starting = await app.inject("/ready");
      expect(starting.statusCode).toBe(503);
      expect(starting.json()).toMatchObject({
        status: "starting",
        checks: { hardware_snapshot: false, default_analysis: false },
        error: "not ready: waiting for the first hardware snapshot",
      });
      source.finish(rtx4090Machine());
      // The default analysis runs in slices after the snapshot lands: poll rather than guess how long it takes.
      await whenReady(app);
      const ready = await app.inject("/ready");
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: "ready", node: { name: "test-node", os: "linux" }, checks: { hardware_snapshot: true, default_analysis: true } });
    } finally {
      await app.close();
    }
  });

  it("a failed first scan shows in /ready and is retried", async () => {
    const source = deferredSource();
    const app = buildApp(testService({ source, analyze: fakeAnalyze, estimate: fakeEstimate }));
    try {
      await app.ready();
      source.fail(new Error("nvidia-smi timed out"));
      await new Promise((r) => setTimeout(r, 20));
      const failed = await app.inject("/ready");
      expect(failed.statusCode).toBe(503);
      expect(failed.json<{ error: string }>().error).toBe(
        "not ready: the first hardware snapshot failed (retrying): server error: hardware scan failed: nvidia-smi timed out",
      );
      // That request started a new scan.
      source.finish(rtx4090Machine());
      await whenReady(app);
      expect((await app.inject("/ready")).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("a failing analysis never shows its internals", async () => {
    const app = buildApp(
      testService({
        analyze: () => {
          throw new TypeError("cannot read properties of undefined (reading 'secret')");
        },
      }),
    );
    try {
      await app.ready();
      await new Promise((r) => setTimeout(r, 20));
      const res = await app.inject("/ready");
      expect(res.statusCode).toBe(503);
      expect(res.body).not.toContain("secret");
      expect(res.json<{ error: string }>().error).toBe("not ready: the default analysis failed (retrying): server error: internal");
    } finally {
      await app.close();
    }
  });
});

describe("logs", () => {
  const capture = (): { stream: Writable; lines: () => Array<Record<string, unknown>> } => {
    let text = "";
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        text += chunk.toString("utf8");
        cb();
      },
    });
    return { stream, lines: () => text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>) };
  };

  it("info: one JSON line per request with its id, route, status and latency; the caller's id is kept", async () => {
    const log = capture();
    const app = buildApp(testService({ analyze: fakeAnalyze, estimate: fakeEstimate }), { logger: { level: "info", stream: log.stream } });
    try {
      const res = await app.inject({ url: "/api/v1/models/top?limit=1", headers: { "x-request-id": "sched-42" } });
      expect(res.headers["x-request-id"]).toBe("sched-42");
      const other = await app.inject({ url: "/health", headers: { "x-request-id": "bad id with spaces" } });
      expect(other.headers["x-request-id"]).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
      const lines = log.lines().filter((l) => l["msg"] === "request");
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatchObject({ level: 30, reqId: "sched-42", method: "GET", url: "/api/v1/models/top?limit=1", route: "/api/v1/models/top", status: 200 });
      expect(typeof lines[0]!["ms"]).toBe("number");
      expect(lines[1]!["reqId"]).toBe(other.headers["x-request-id"]);
    } finally {
      await app.close();
    }
  });

  it("warn (the default of `serve`): quiet for answered requests, loud for a 5xx", async () => {
    const log = capture();
    const app = buildApp(
      testService({
        analyze: () => {
          throw new TypeError("boom");
        },
        estimate: fakeEstimate,
      }),
      { logger: { level: "warn", stream: log.stream } },
    );
    try {
      await app.inject("/health");
      await app.inject("/api/v1/system");
      expect(log.lines().filter((l) => l["msg"] === "request")).toEqual([]);
      await app.inject("/api/v1/models");
      const errors = log.lines().filter((l) => l["level"] === 50);
      expect(errors.some((l) => l["msg"] === "request failed" && typeof l["reqId"] === "string")).toBe(true);
    } finally {
      await app.close();
    }
  });
});
