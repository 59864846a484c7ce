// Detection tests: dynamic refreshes, the platform fallback, unified-memory and classification rules.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gibToBytes, kibToBytes, mibToBytes } from "../domain/units.js";
import { backendFor, isDisplayOnlyAdapter, osName, vendorFromName } from "./classify.js";
import { describeMachine } from "./describe.js";
import { detectMachine, refreshDynamic } from "./detect.js";
import { fixtureIO } from "./fixture-io.js";
import type { HardwareIO } from "./io.js";
import { appleGpuPool } from "./unified-pool.js";

const FIXTURES = path.join(import.meta.dirname, "..", "..", "test", "fixtures", "machines");

/** A fixture whose files and command outputs can be changed between calls (free memory moving). */
async function changing(name: string): Promise<{ io: HardwareIO; files: Map<string, string>; outputs: Map<string, string> }> {
  const base = await fixtureIO(path.join(FIXTURES, name));
  const files = new Map<string, string>();
  const outputs = new Map<string, string>();
  const io: HardwareIO = {
    ...base,
    readFile: async (p) => files.get(p) ?? base.readFile(p),
    run: async (command, args, options) => {
      const r = await base.run(command, args, options);
      const out = outputs.get([command, ...args].join(" "));
      return out === undefined ? r : { ...r, stdout: out };
    },
  };
  return { io, files, outputs };
}

const meminfo = (totalKb: number, availableKb: number): string =>
  `MemTotal:       ${totalKb} kB\nMemFree:        ${availableKb} kB\nMemAvailable:   ${availableKb} kB\nSwapTotal:             0 kB\n`;

describe("refreshDynamic", () => {
  it("re-reads available RAM and each GPU's free memory, keeping the static facts", async () => {
    const { io, files, outputs } = await changing("rtx4090-3090");
    const m = await detectMachine(io);
    files.set("/proc/meminfo", meminfo(65449060, 20000000));
    const q = "nvidia-smi --query-gpu=index,name,uuid,pci.bus_id,memory.total,memory.free,memory.used,compute_cap --format=csv,noheader,nounits";
    const [l0, l1] = ((await io.run("nvidia-smi", q.split(" ").slice(1), { timeoutMs: 100 })).stdout.trim().split("\n"));
    outputs.set(q, `${l0?.replace(", 23831, 338,", ", 1000, 23169,")}\n${l1}\n`);
    const r = await refreshDynamic(io, m);
    expect(r.memory.availableBytes).toBe(kibToBytes(20000000));
    expect(r.memory.totalBytes).toBe(m.memory.totalBytes);
    expect(r.gpus[0]?.memoryFreeBytes).toBe(mibToBytes(1000));
    expect(r.gpus[1]?.memoryFreeBytes).toBe(m.gpus[1]?.memoryFreeBytes);
    expect({ ...r, memory: m.memory, gpus: m.gpus }).toEqual(m);
  });

  it("moves a unified GPU's free memory with the RAM (GB10)", async () => {
    const { io, files } = await changing("gb10");
    const m = await detectMachine(io);
    files.set("/proc/meminfo", meminfo(125419624, 50000000));
    const r = await refreshDynamic(io, m);
    expect(r.gpus[0]?.memoryFreeBytes).toBe(kibToBytes(50000000));
    expect(r.gpus[0]?.memoryTotalBytes).toBe(m.gpus[0]?.memoryTotalBytes);
  });

  it("marks a device it no longer sees, and the next refresh replaces that warning", async () => {
    const { io, outputs } = await changing("wsl2-rtx3080");
    const m = await detectMachine(io);
    const q = "/usr/lib/wsl/lib/nvidia-smi --query-gpu=index,name,uuid,pci.bus_id,memory.total,memory.free,memory.used,compute_cap --format=csv,noheader,nounits";
    outputs.set(q, "");
    const r1 = await refreshDynamic(io, m);
    expect(r1.gpus[0]?.memoryFreeBytes).toBeNull();
    expect(r1.warnings).toEqual(["refresh: NVIDIA GeForce RTX 3080: not seen in this refresh: free memory unknown"]);
    outputs.delete(q);
    const r2 = await refreshDynamic(io, r1);
    expect(r2.warnings).toEqual([]);
    expect(r2.gpus[0]?.memoryFreeBytes).toBe(m.gpus[0]?.memoryFreeBytes);
  });

  it("returns a described machine as it is", async () => {
    const m = describeMachine({ ram_gb: 16, cpu_cores: 4 });
    expect(await refreshDynamic(await fixtureIO(path.join(FIXTURES, "cpu-only")), m)).toBe(m);
  });
});

describe("detectMachine without probes for the platform", () => {
  it("falls back to Node's os module, with a warning", async () => {
    const base = await fixtureIO(path.join(FIXTURES, "cpu-only"));
    const io: HardwareIO = {
      ...base,
      platform: "freebsd",
      nodeOs: () => ({ totalMemBytes: gibToBytes(32), freeMemBytes: gibToBytes(20), cpuModel: "Intel(R) Xeon(R) E-2388G CPU @ 3.20GHz", logicalCpus: 16 }),
    };
    const m = await detectMachine(io);
    expect(m.node.os).toBe("freebsd");
    expect(m.memory).toMatchObject({ totalBytes: gibToBytes(32), availableBytes: gibToBytes(20) });
    expect(m.cpu).toMatchObject({ name: "Intel(R) Xeon(R) E-2388G CPU @ 3.20GHz", cores: 2, threads: 16 });
    expect(m.warnings[0]).toBe("no hardware probes for freebsd: RAM and CPU from Node's os module, GPUs not detected");
  });
});

describe("unified memory and classification rules", () => {
  it("Apple: 2/3 of RAM up to 36 GiB, 3/4 above, or the wired limit when set", () => {
    expect(appleGpuPool(gibToBytes(16), 0).bytes).toBe(Math.floor((gibToBytes(16) * 2) / 3));
    expect(appleGpuPool(gibToBytes(36), null).bytes).toBe(gibToBytes(24));
    expect(appleGpuPool(gibToBytes(48), null).bytes).toBe(gibToBytes(36));
    expect(appleGpuPool(gibToBytes(128), 0).bytes).toBe(gibToBytes(96));
    expect(appleGpuPool(gibToBytes(128), 120 * 1024)).toEqual({ bytes: gibToBytes(120), source: "sysctl iogpu.wired_limit_mb = 122880" });
  });

  it("drops display-only and virtual adapters", () => {
    for (const name of ["Microsoft Basic Display Adapter", "Parsec Virtual Display Adapter", "VMware SVGA 3D", "VirtualBox Graphics Adapter (WDDM)", "Red Hat QXL controller", "ASPEED Graphics Family(WDDM)", "Virtual Display Driver", "Sunshine Virtual Display"]) {
      expect(isDisplayOnlyAdapter(name), name).toBe(true);
    }
    expect(isDisplayOnlyAdapter("", "1a03")).toBe(true);
    expect(isDisplayOnlyAdapter("NVIDIA GeForce RTX 4090", "10de")).toBe(false);
  });

  it("names vendors, backends and OSes in the contract's vocabulary", () => {
    expect(vendorFromName("Radeon RX 7900 XTX")).toBe("amd");
    expect(vendorFromName("Intel(R) Arc(TM) B580 Graphics")).toBe("intel");
    expect(vendorFromName("Ascend 910B3")).toBe("huawei");
    expect(backendFor("amd", "linux")).toBe("ROCm");
    expect(backendFor("amd", "windows")).toBe("Vulkan");
    expect(backendFor("intel", "linux")).toBe("SYCL");
    expect(backendFor("huawei", "linux")).toBe("NPU (Ascend)");
    expect(backendFor("amd", "macos")).toBe("Metal");
    expect(osName("darwin")).toBe("macos");
    expect(osName("win32")).toBe("windows");
    expect(osName("aix")).toBe("other");
  });
});
