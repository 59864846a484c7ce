// Live detection: detectMachine on the machine running the tests returns sane values within a few seconds.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { systemJson } from "../src/contract/system.js";
import { detectMachine, refreshDynamic } from "../src/hardware/detect.js";
import { doctorReport } from "../src/hardware/doctor.js";
import { realIO } from "../src/hardware/real-io.js";
import { ProbeTrace } from "../src/hardware/trace.js";

describe("detectMachine(realIO())", () => {
  it("detects this machine quickly and sanely", async () => {
    const trace = new ProbeTrace();
    const started = performance.now();
    // Measured fresh: the user's cache is not this test's to read or write.
    const m = await detectMachine(realIO({ probeCache: false }), { trace });
    const elapsedMs = performance.now() - started;
    expect(elapsedMs).toBeLessThan(8000);
    expect(m.origin).toBe("detected");
    expect(m.node.name).toBe(os.hostname());
    expect(m.cpu.cores).toBeGreaterThanOrEqual(1);
    expect(m.cpu.cores).toBeLessThanOrEqual(os.availableParallelism());
    expect(m.cpu.name.length).toBeGreaterThan(0);
    expect(m.memory.hostTotalBytes).toBeGreaterThan(0);
    // MemTotal is a little below what the kernel calls totalram; Node reads the same numbers.
    expect(Math.abs(m.memory.hostTotalBytes - os.totalmem()) / os.totalmem()).toBeLessThan(0.05);
    expect(m.memory.availableBytes).toBeGreaterThan(0);
    expect(m.memory.availableBytes).toBeLessThanOrEqual(m.memory.totalBytes);
    expect(m.memory.bandwidthGBps === null || m.memory.bandwidthGBps > 0).toBe(true);
    for (const g of m.gpus) expect(g.memoryTotalBytes).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(m.snapshotAt ?? ""))).toBe(false);
    const sys = systemJson(m);
    expect(sys.gpu_count).toBe(m.gpus.length);
    expect(sys.has_gpu).toBe(m.gpus.length > 0);
    const report = doctorReport(m, trace);
    expect(report.probes.length).toBeGreaterThan(0);

    const refreshed = await refreshDynamic(realIO({ probeCache: false }), m);
    expect(refreshed.memory.totalBytes).toBe(m.memory.totalBytes);
    expect(refreshed.gpus.length).toBe(m.gpus.length);
    expect(refreshed.memory.availableBytes).toBeGreaterThan(0);
  });

  it("detects the same RAM bandwidth twice: the second detection reads this boot's cache", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "nodefit-live-cache-"));
    const first = new ProbeTrace();
    let started = performance.now();
    const a = await detectMachine(realIO({ probeCache: dir }), { trace: first });
    expect(performance.now() - started).toBeLessThan(8000);
    const second = new ProbeTrace();
    started = performance.now();
    const b = await detectMachine(realIO({ probeCache: dir }), { trace: second });
    expect(performance.now() - started).toBeLessThan(8000);
    if (first.ramBandwidth?.figure == null) return; // The probe could not run here (no memory to spare): nothing cached.
    expect(b.memory.bandwidthGBps).toBe(a.memory.bandwidthGBps);
    expect(b.memory.bandwidthSource).toBe(a.memory.bandwidthSource);
    if (process.platform !== "linux") return; // The boot id is Linux's; elsewhere the boot time to the minute.
    expect(first.ramBandwidth.cache).toMatchObject({ state: "miss", written: true });
    expect(second.ramBandwidth?.cache.state).toBe("hit");
    expect(second.ramBandwidth?.measurement).toEqual(first.ramBandwidth.measurement);
  });
});
