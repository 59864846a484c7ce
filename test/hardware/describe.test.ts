// Described machine tests: the example --machine files, knowledge-base filling and error messages.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { systemJson } from "../../src/contract/system.js";
import { NodefitError } from "../../src/domain/errors.js";
import { gibToBytes } from "../../src/domain/units.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { describeMachine, loadMachineFile, parseMachineFile } from "../../src/hardware/describe.js";

const DIR = path.join(import.meta.dirname, "..", "fixtures", "described");

function errorOf(fn: () => unknown): NodefitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof NodefitError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

describe("described machines (--machine FILE.json)", () => {
  it("one RTX 4090 + 64 GB: memory and bandwidth from the knowledge base by name", async () => {
    const m = await loadMachineFile(path.join(DIR, "rtx4090-64gb.json"));
    expect(m.origin).toBe("described");
    expect(m.snapshotAt).toBeNull();
    expect(m.node).toEqual({ name: "described", os: "linux" });
    expect(m.gpus).toHaveLength(1);
    expect(m.gpus[0]).toMatchObject({
      name: "NVIDIA GeForce RTX 4090",
      vendor: "nvidia",
      backend: "CUDA",
      memoryTotalBytes: gibToBytes(24),
      memoryBandwidthGBps: 1008,
      unifiedMemory: false,
    });
    expect(m.gpus[0]?.memorySource).toContain("knowledge base");
    expect(m.memory).toMatchObject({ totalBytes: gibToBytes(64), availableBytes: gibToBytes(64), limitedBy: "description", bandwidthGBps: 83.2 });
    expect(systemJson(m)).toMatchObject({
      total_ram_gb: 64,
      available_ram_gb: 64,
      cpu_cores: 16,
      gpu_vram_gb: 24,
      gpu_name: "NVIDIA GeForce RTX 4090",
      gpu_count: 1,
      backend: "CUDA",
      origin: "described",
      snapshot_at: null,
    });
  });

  it("8x H100 SXM: count expands into eight devices; available_ram_gb and node_name are used", async () => {
    const m = await loadMachineFile(path.join(DIR, "h100x8.json"));
    expect(m.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(m.gpus[7]).toMatchObject({ memoryTotalBytes: gibToBytes(79.65), memoryBandwidthGBps: 3350, fp16Tflops: 989.5 });
    expect(m.node.name).toBe("dgx-h100-01");
    expect(systemJson(m)).toMatchObject({ available_ram_gb: 1900, gpu_count: 8, gpus: [{ count: 8, vram_gb: 79.7 }] });
  });

  it("Apple M4 Pro 48 GB: unified memory implied by the name, the GPU pool is macOS's default share", async () => {
    const m = await loadMachineFile(path.join(DIR, "m4-pro-48gb.json"));
    expect(m.node.os).toBe("macos");
    expect(m.cpu.arch).toBe("arm");
    expect(m.unifiedMemory).toBe(true);
    expect(m.backend).toBe("Metal");
    expect(m.gpus[0]).toMatchObject({ unifiedMemory: true, memoryTotalBytes: gibToBytes(36), memoryBandwidthGBps: 273 });
    expect(m.memory.bandwidthGBps).toBe(273);
  });

  it("2x RTX 3090 with every figure given: the description wins", async () => {
    const m = await loadMachineFile(path.join(DIR, "rtx3090x2.json"));
    expect(m.gpus).toHaveLength(2);
    expect(m.gpus.every((g) => g.memoryBandwidthGBps === 936 && g.bandwidthSource === "machine description (memory_bandwidth_gbps)")).toBe(true);
    expect(systemJson(m).gpus).toEqual([{ name: "NVIDIA GeForce RTX 3090", vram_gb: 24, backend: "CUDA", count: 2, unified_memory: false }]);
  });

  it("only ram_gb is required: a CPU-only machine, 4 cores assumed with a warning", () => {
    const m = describeMachine({ ram_gb: 32 });
    expect(m.gpus).toEqual([]);
    expect(m.backend).toBe("CPU (x86)");
    expect(m.cpu.cores).toBe(4);
    expect(m.warnings).toEqual(["cpu_cores not given: assumed 4 (CPU speed estimates are approximate; give cpu_cores)"]);
  });

  it("an unknown GPU needs its memory; its bandwidth stays unknown, with a warning", () => {
    const m = describeMachine({ ram_gb: 64, cpu_cores: 8, gpus: [{ name: "Mystery Accelerator 9000", vram_gb: 48 }] });
    expect(m.gpus[0]).toMatchObject({ memoryTotalBytes: gibToBytes(48), memoryBandwidthGBps: null, vendor: "other", backend: "Vulkan" });
    expect(m.warnings[0]).toContain("Mystery Accelerator 9000");
    expect(errorOf(() => describeMachine({ ram_gb: 64, gpus: [{ name: "Mystery Accelerator 9000" }] })).message).toBe(
      "machine: gpus[0].vram_gb: needed: Mystery Accelerator 9000 is not in the knowledge base (or is sold with several memory sizes)",
    );
  });

  it("says what is wrong, where, with the code of the input's kind", () => {
    const file = (text: string): NodefitError => errorOf(() => parseMachineFile(text, "m.json"));
    expect(file("{").code).toBe("invalid_input_file");
    expect(file("{").message).toMatch(/^m\.json: not valid JSON/);
    expect(file("{}").message).toMatch(/^m\.json: ram_gb: /);
    expect(file('{"ram_gb": -4}').message).toMatch(/^m\.json: ram_gb: /);
    expect(file('{"ram_gb": 64, "vram": 24}').message).toBe(
      "m.json: unknown field vram: use gpus, ram_gb, available_ram_gb, cpu_cores, cpu_name, ram_bandwidth_gbps, node_name",
    );
    expect(file('{"ram_gb": 64, "gpus": [{"name": "RTX 4090", "count": 0}]}').message).toMatch(/^m\.json: gpus\[0\]\.count: /);
    expect(file('{"ram_gb": 64, "gpus": [{}]}').message).toBe("m.json: gpus[0]: give the GPU's name or its vram_gb");
    expect(file('{"ram_gb": 64, "available_ram_gb": 80}').message).toBe("m.json: available_ram_gb: 80 is more than ram_gb (64)");
    const body = errorOf(() => describeMachine({ ram_gb: "lots" }));
    expect(body.code).toBe("invalid_argument");
    expect(body.message).toMatch(/^machine: ram_gb: /);
  });

  it("a request's machine is worded as a file is: one text per mistake, whatever the door", () => {
    const mistakes: unknown[] = [
      { ram_gb: 64, available_ram_gb: 80 },
      { ram_gb: 64, vram: 24 },
      { ram_gb: 64, gpus: [{}] },
      { ram_gb: 64, gpus: [{ name: "RTX 4090", count: 200_000 }] },
      { ram_gb: 64, gpus: [{ name: "H100", count: 200 }, { name: "H100", count: 100 }] },
      { ram_gb: 1e308 },
      { ram_gb: 64, gpus: [{ name: "RTX 4090", vram_gb: 1e15 }] },
      { ram_gb: 64, cpu_cores: 1e9 },
    ];
    for (const m of mistakes) {
      const file = errorOf(() => parseMachineFile(JSON.stringify(m), "machine")).message;
      const request = errorOf(() => parseEstimateRequest({ model: "qwen3:8b", machine: m })).message;
      expect(request, JSON.stringify(m)).toBe(file);
    }
    const bounds = mistakes.slice(3).map((m) => errorOf(() => describeMachine(m)).message);
    expect(bounds).toEqual([
      "machine: gpus[0].count: at most 256 GPUs",
      "machine: gpus: 300 GPUs in all: at most 256",
      "machine: ram_gb: at most 65536 GiB",
      "machine: gpus[0].vram_gb: at most 1024 GiB",
      "machine: cpu_cores: at most 4096 cores",
    ]);
  });

  it("a missing file is an invalid_input_file error naming it", async () => {
    await expect(loadMachineFile("/nonexistent/m.json")).rejects.toMatchObject({ code: "invalid_input_file", message: "cannot read the machine file /nonexistent/m.json: no such file" });
  });
});
