// Envelope cache: serialized model answers per (snapshot, request URL), bounded, emptied by a new snapshot.
import { describe, expect, it, vi } from "vitest";
import type { Machine } from "../../src/domain/machine.js";
import { gibToBytes } from "../../src/domain/units.js";
import { buildApp } from "../../src/http/app.js";
import { EnvelopeCache } from "../../src/http/envelope-cache.js";
import { analysesOf, fakeAnalyze, fakeEstimate } from "../http/support/fake-analysis.js";
import { rtx4090Machine } from "../http/support/machine.js";
import { testService } from "../http/support/service.js";

const bytes = (n: number): Buffer => Buffer.alloc(n, 1);

describe("EnvelopeCache", () => {
  it("least recently used out, by entries and by bytes", () => {
    const snap = {};
    const c = new EnvelopeCache(2, 1000);
    c.set(snap, "a", bytes(10));
    c.set(snap, "b", bytes(10));
    expect(c.get(snap, "a")).toBeDefined(); // a is now the most recent
    c.set(snap, "c", bytes(10));
    expect(c.get(snap, "b")).toBeUndefined();
    expect(c.get(snap, "a")).toBeDefined();
    const small = new EnvelopeCache(10, 1000);
    for (const k of ["a", "b", "c", "d", "e"]) small.set(snap, k, bytes(240));
    expect(small.bytes).toBeLessThanOrEqual(1000);
    expect(small.get(snap, "a")).toBeUndefined();
    expect(small.get(snap, "e")).toBeDefined();
  });

  it("an answer over a quarter of the budget is not kept; a new snapshot empties the cache", () => {
    const first = {};
    const c = new EnvelopeCache(10, 1000);
    c.set(first, "big", bytes(251));
    expect(c.size).toBe(0);
    c.set(first, "a", bytes(10));
    const second = {};
    expect(c.get(second, "a")).toBeUndefined();
    c.set(second, "b", bytes(10));
    expect(c.get(first, "a")).toBeUndefined();
    expect(c.size).toBe(1);
    expect(c.bytes).toBe(10);
  });
});

describe("model routes through the cache", () => {
  it("the same query twice: one serialization, the same bytes; another query: its own answer", async () => {
    const service = testService({ analyze: fakeAnalyze, estimate: fakeEstimate });
    const envelope = vi.spyOn(service, "modelsEnvelope");
    const app = buildApp(service);
    try {
      const a = await app.inject("/api/v1/models/top?limit=3");
      const b = await app.inject("/api/v1/models/top?limit=3");
      expect(b.body).toBe(a.body);
      expect(envelope).toHaveBeenCalledTimes(1);
      const c = await app.inject("/api/v1/models/top?limit=2");
      expect(c.json<{ returned_models: number }>().returned_models).toBe(2);
      expect(envelope).toHaveBeenCalledTimes(2);
      // HEAD answers from the entry too.
      expect((await app.inject({ method: "HEAD", url: "/api/v1/models/top?limit=3" })).headers["content-length"]).toBe(String(Buffer.byteLength(a.body)));
      expect(envelope).toHaveBeenCalledTimes(2);
      // The key is the URL: the same query written differently is its own entry, with the same bytes.
      expect((await app.inject("/api/v1/models/top?LIMIT=9&limit=%203%20&foo=bar")).body).toBe(a.body);
      expect(envelope).toHaveBeenCalledTimes(3);
      // An invalid query is never stored: it fails each time.
      for (let i = 0; i < 2; i++) expect((await app.inject("/api/v1/models/top?limit=x")).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });

  it("one analysis per (snapshot, context, forced runtime): other queries only filter, sort and slice", async () => {
    const analyze = vi.fn(fakeAnalyze);
    const app = buildApp(testService({ analyze, estimate: fakeEstimate }));
    try {
      const queries = ["", "?limit=3", "?use_case=coding", "?sort=tps&min_fit=good", "?search=qwen", "?runtime=llamacpp&perfect=1"];
      for (const route of ["/api/v1/models", "/api/v1/models/top", "/api/v1/models/llama"]) for (const q of queries) expect((await app.inject(`${route}${q}`)).statusCode).toBe(200);
      expect(analysesOf(analyze)).toHaveLength(1);
      await app.inject("/api/v1/models?max_context=4096");
      await app.inject("/api/v1/models/top?max_context=4096&sort=mem");
      await app.inject("/api/v1/models/top?force_runtime=vllm");
      expect(analysesOf(analyze)).toHaveLength(3);
    } finally {
      await app.close();
    }
  });

  it("a refresh that installs a new snapshot is seen by the next request", async () => {
    let free = 48;
    const next = (): Machine => ({ ...rtx4090Machine(), memory: { ...rtx4090Machine().memory, availableBytes: gibToBytes(free) }, snapshotAt: new Date().toISOString(), origin: "detected" });
    const service = testService({ source: { initial: async () => next(), refresh: async () => next() }, analyze: fakeAnalyze, estimate: fakeEstimate });
    const app = buildApp(service);
    try {
      const before = (await app.inject("/api/v1/models")).json<{ system: { available_ram_gb: number } }>();
      expect(before.system.available_ram_gb).toBe(48);
      free = 12;
      await service.refresh();
      const after = (await app.inject("/api/v1/models")).json<{ system: { available_ram_gb: number } }>();
      expect(after.system.available_ram_gb).toBe(12);
    } finally {
      service.close();
      await app.close();
    }
  });
});
