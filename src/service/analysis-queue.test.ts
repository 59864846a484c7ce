import { describe, expect, it } from "vitest";
import type { ModelSpec } from "../catalog/schema.js";
import type { ModelRowJson } from "../contract/row.js";
import type { Machine } from "../domain/machine.js";
import { AnalysisQueue, MAX_QUEUED_ANALYSES, analyzeInSlices } from "./analysis-queue.js";

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe("analyzeInSlices", () => {
  it("keeps the catalog order and yields to the event loop between slices", async () => {
    const models = Array.from({ length: 40 }, (_, i) => ({ id: `m${i}` }) as ModelSpec);
    // 2 ms a model: 80 ms in all, in slices of about 8 ms.
    const analyze = (ms: readonly ModelSpec[]): ModelRowJson[] => ms.map((m) => (busy(2), { name: m.id }) as ModelRowJson);
    let ticks = 0;
    let longestGapMs = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
      ticks += 1;
    }, 0);
    const rows = await analyzeInSlices(models, {} as Machine, { contextTokens: null, forceRuntime: null }, analyze);
    clearInterval(timer);
    expect(rows.map((r) => r.name)).toEqual(models.map((m) => m.id));
    expect(ticks).toBeGreaterThanOrEqual(5);
    // A slice runs until its budget (8 ms) is spent, finishing its group of 4 models (8 ms more at most).
    expect(longestGapMs).toBeLessThan(40);
  });
});

describe("AnalysisQueue", () => {
  it("runs one job at a time, in order, priority first", async () => {
    const q = new AnalysisQueue(4);
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const job = (name: string) => async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      order.push(name);
      running -= 1;
      return name;
    };
    const all = [q.run(job("a")), q.run(job("b")), q.run(job("c")), q.run(job("default"), true)];
    expect(await Promise.all(all)).toEqual(["a", "b", "c", "default"]);
    expect(order).toEqual(["a", "default", "b", "c"]);
    expect(most).toBe(1);
  });

  it("refuses a job when the queue is full, with overloaded and a retry delay; a priority job still gets in", async () => {
    const q = new AnalysisQueue();
    let release: () => void = () => {};
    const blocker = q.run(() => new Promise<void>((r) => (release = r)));
    const waiting = Array.from({ length: MAX_QUEUED_ANALYSES }, () => q.run(async () => "ok"));
    expect(q.queued).toBe(MAX_QUEUED_ANALYSES);
    await expect(q.run(async () => "one too many")).rejects.toMatchObject({ code: "overloaded", details: { retryAfterS: 2 } });
    const priority = q.run(async () => "default", true);
    release();
    await blocker;
    expect(await Promise.all(waiting)).toHaveLength(MAX_QUEUED_ANALYSES);
    expect(await priority).toBe("default");
    expect(q.queued).toBe(0);
  });

  it("a failed job does not stop the queue", async () => {
    const q = new AnalysisQueue();
    await expect(q.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await q.run(async () => 1)).toBe(1);
  });
});
