// nvidia-smi parser tests: --query-gpu CSV, -L with MIG instances, and the -q report's MIG memory.
import { describe, expect, it } from "vitest";
import { NVIDIA_QUERY_FIELDS_LEGACY, isUnknownFieldError, parseNvidiaSmiQuery } from "./nvidia-smi-query.js";
import { parseMigProfile, parseNvidiaSmiList } from "./nvidia-smi-list.js";
import { parseNvidiaSmiQ } from "./nvidia-smi-q.js";
import { normalizePciBusId } from "./pci.js";

describe("parseNvidiaSmiQuery", () => {
  it("reads csv,noheader,nounits lines (MiB)", () => {
    const out =
      "0, NVIDIA GeForce RTX 4090, GPU-aa358715-838b-b24b-9c7a-210ded9fcc31, 00000000:01:00.0, 24564, 23831, 338, 8.9\n" +
      "1, NVIDIA GeForce RTX 3090, GPU-4a8261c6-22f2-beb6-8abc-eadb4c883659, 00000000:08:00.0, 24576, 24252, 10, 8.6\n";
    const { gpus, rejected } = parseNvidiaSmiQuery(out);
    expect(rejected).toEqual([]);
    expect(gpus[0]).toEqual({
      index: 0,
      name: "NVIDIA GeForce RTX 4090",
      uuid: "GPU-aa358715-838b-b24b-9c7a-210ded9fcc31",
      pciBusId: "0000:01:00.0",
      memoryTotalMiB: 24564,
      memoryFreeMiB: 23831,
      memoryUsedMiB: 338,
      computeCapability: "8.9",
    });
    expect(gpus[1]?.computeCapability).toBe("8.6");
  });

  it("reads [N/A] (GB10, Jetson, Thor) and [Not Supported] as no value", () => {
    const { gpus } = parseNvidiaSmiQuery(
      "0, NVIDIA GB10, GPU-551fa899-226c-2e68-9d19-a0ccc0d11f7f, 0000000F:01:00.0, [N/A], [N/A], [N/A], 12.1\n" +
        "1, Orin (nvgpu), [N/A], [N/A], [Not Supported], [Not Supported], [Not Supported], 8.7\n",
    );
    expect(gpus[0]).toMatchObject({ pciBusId: "000f:01:00.0", memoryTotalMiB: null, memoryFreeMiB: null, computeCapability: "12.1" });
    expect(gpus[1]).toMatchObject({ name: "Orin (nvgpu)", uuid: null, pciBusId: null, memoryTotalMiB: null });
  });

  it("rejoins a name with a comma and skips lines it cannot read", () => {
    const { gpus, rejected } = parseNvidiaSmiQuery("0, Weird, Name, GPU-1, 00000000:01:00.0, 100, 50, 50, 8.0\nNo devices were found\n");
    expect(gpus[0]?.name).toBe("Weird, Name");
    expect(rejected).toEqual(["No devices were found"]);
  });

  it("reads the legacy query without compute_cap, and knows the refusal of old drivers", () => {
    const { gpus } = parseNvidiaSmiQuery("0, Tesla P40, GPU-1, 00000000:04:00.0, 24451, 24432, 0\n", NVIDIA_QUERY_FIELDS_LEGACY.length);
    expect(gpus[0]).toMatchObject({ name: "Tesla P40", memoryTotalMiB: 24451, computeCapability: null });
    expect(isUnknownFieldError('Field "compute_cap" is not a valid field to query.\n')).toBe(true);
  });
});

describe("parseNvidiaSmiList", () => {
  it("reads GPUs and their MIG instances", () => {
    const out =
      "GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-5d5ba0d9-3c8e-4d21-9f7a-1b2c3d4e5f60)\n" +
      "  MIG 3g.40gb     Device  0: (UUID: MIG-8e24fe70-d246-edf3-201e-422ef2f73239)\n" +
      "  MIG 1g.10gb+me  Device  1: (UUID: MIG-f893bd98-6ad9-9a5a-58a9-44ec4aedc2c4)\n" +
      "GPU 1: NVIDIA A100-SXM4-80GB (UUID: GPU-0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9)\n";
    const gpus = parseNvidiaSmiList(out);
    expect(gpus).toHaveLength(2);
    expect(gpus[0]?.migs).toEqual([
      { profile: "3g.40gb", deviceIndex: 0, uuid: "MIG-8e24fe70-d246-edf3-201e-422ef2f73239" },
      { profile: "1g.10gb+me", deviceIndex: 1, uuid: "MIG-f893bd98-6ad9-9a5a-58a9-44ec4aedc2c4" },
    ]);
    expect(gpus[1]).toMatchObject({ index: 1, migs: [] });
  });

  it("reads MIG profile names", () => {
    expect(parseMigProfile("3g.40gb")).toEqual({ computeSlices: 3, nominalGB: 40 });
    expect(parseMigProfile("1g.10gb+me")).toEqual({ computeSlices: 1, nominalGB: 10 });
    expect(parseMigProfile("weird")).toBeNull();
  });
});

describe("parseNvidiaSmiQ", () => {
  const q = (wrapped: boolean): string => {
    const pad = wrapped ? "    " : "";
    const dev = (i: number, used: number): string =>
      `${pad}    MIG Device\n${pad}        Index                         : ${i}\n${pad}        GPU Instance ID               : ${i + 1}\n` +
      `${pad}        Compute Instance ID           : 0\n${pad}        Device Attributes\n${pad}            Shared\n` +
      `${pad}                Multiprocessor count  : 42\n${pad}        FB Memory Usage\n${pad}            Total                     : 40192 MiB\n` +
      `${pad}            Reserved                  : 0 MiB\n${pad}            Used                      : ${used} MiB\n` +
      `${pad}            Free                      : ${40192 - used} MiB\n${pad}        BAR1 Memory Usage\n${pad}            Total                     : 65535 MiB\n`;
    return (
      "\n==============NVSMI LOG==============\n\nTimestamp                                 : Mon Jun  2 09:29:58 2025\n" +
      "Driver Version                            : 535.230.02\n\nAttached GPUs                             : 1\nGPU 00000000:07:00.0\n" +
      "    Product Name                          : NVIDIA A100-SXM4-80GB\n    MIG Mode\n        Current                           : Enabled\n" +
      "        Pending                           : Enabled\n" +
      (wrapped ? "    MIG Devices\n" : "") +
      dev(0, 37) +
      dev(1, 13) +
      "    FB Memory Usage\n        Total                             : 81920 MiB\n        Used                              : 74 MiB\n" +
      "        Free                              : 80383 MiB\n"
    );
  };

  it.each([true, false])("reads each MIG device's framebuffer (instances under a MIG Devices section: %s)", (wrapped) => {
    const [gpu] = parseNvidiaSmiQ(q(wrapped));
    expect(gpu).toMatchObject({ pciBusId: "0000:07:00.0", productName: "NVIDIA A100-SXM4-80GB", migModeCurrent: "Enabled" });
    expect(gpu?.migDevices).toEqual([
      { index: 0, gpuInstanceId: 1, computeInstanceId: 0, fbTotalMiB: 40192, fbUsedMiB: 37, fbFreeMiB: 40155 },
      { index: 1, gpuInstanceId: 2, computeInstanceId: 0, fbTotalMiB: 40192, fbUsedMiB: 13, fbFreeMiB: 40179 },
    ]);
  });
});

describe("normalizePciBusId", () => {
  it("spells every tool's bus id as sysfs does", () => {
    expect(normalizePciBusId("00000000:18:00.0")).toBe("0000:18:00.0");
    expect(normalizePciBusId("0000000F:01:00.0")).toBe("000f:01:00.0");
    expect(normalizePciBusId("0000:C1:00.0")).toBe("0000:c1:00.0");
    expect(normalizePciBusId("not a bus id")).toBe("not a bus id");
  });
});
