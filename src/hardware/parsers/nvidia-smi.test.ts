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
      memoryTotalRejected: false,
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

describe("parseNvidiaSmiQuery: implausible figures are dropped with a warning, never taken or turned into another", () => {
  const line = (total: string, free = "23831", cap = "8.9"): string =>
    `0, NVIDIA GeForce RTX 4090, GPU-aa358715-838b-b24b-9c7a-210ded9fcc31, 00000000:01:00.0, ${total}, ${free}, 338, ${cap}\n`;

  it.each([
    ["1000000000000000", /memory.total: "1000000000000000" MiB is above the plausible 1048576 MiB: ignored$/],
    ["1e308", /memory.total: "1e308" is not a number as the tool prints one: ignored$/],
    ["-24576", /memory.total: "-24576" is negative: ignored$/],
    ["0x1000", /memory.total: "0x1000" is not a number as the tool prints one: ignored$/],
    ["1e3", /memory.total: "1e3" is not a number as the tool prints one: ignored$/],
    ["Infinity", /memory.total: "Infinity" is not a number as the tool prints one: ignored$/],
    ["NaN", /memory.total: "NaN" is not a number as the tool prints one: ignored$/],
    ["24564.5", /memory.total: "24564.5" is not a number as the tool prints one: ignored$/],
  ])("memory.total %s: dropped, flagged (not the [N/A] of a unified part), one warning naming tool, GPU and value", (total, problem) => {
    const { gpus, rejected, problems } = parseNvidiaSmiQuery(line(total));
    expect(rejected).toEqual([]);
    expect(gpus[0]).toMatchObject({ name: "NVIDIA GeForce RTX 4090", memoryTotalMiB: null, memoryTotalRejected: true, memoryFreeMiB: 23831 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^nvidia-smi GPU 0 \(NVIDIA GeForce RTX 4090\) /);
    expect(problems[0]).toMatch(problem);
  });

  it("the same for free and used memory and compute_cap; [N/A] stays no value and no warning", () => {
    const { gpus, problems } = parseNvidiaSmiQuery(line("24564", "-1", "1e3"));
    expect(gpus[0]).toMatchObject({ memoryTotalMiB: 24564, memoryTotalRejected: false, memoryFreeMiB: null, computeCapability: null });
    expect(problems).toEqual([
      'nvidia-smi GPU 0 (NVIDIA GeForce RTX 4090) memory.free: "-1" is negative: ignored',
      'nvidia-smi GPU 0 (NVIDIA GeForce RTX 4090) compute_cap: "1e3" is not a compute capability: ignored',
    ]);
    expect(parseNvidiaSmiQuery(line("[N/A]", "[N/A]")).problems).toEqual([]);
  });

  it("a value quoted in a warning is one short line: a 1 MB figure is cut", () => {
    const { problems } = parseNvidiaSmiQuery(line("9".repeat(1_000_000)));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.length).toBeLessThan(200);
    expect(problems[0]).toContain("…");
  });

  it("an index nvidia-smi never prints (hex, signed) is no GPU line; past 256 GPUs the rest are counted, not read", () => {
    expect(parseNvidiaSmiQuery(line("24564").replace(/^0/, "0x1")).rejected).toHaveLength(1);
    expect(parseNvidiaSmiQuery(line("24564").replace(/^0/, "-1")).rejected).toHaveLength(1);
    const many = Array.from({ length: 300 }, (_, i) => line("24564").replace(/^0/, String(i))).join("");
    const r = parseNvidiaSmiQuery(many);
    expect(r.gpus).toHaveLength(256);
    expect(r.problems).toEqual(["nvidia-smi: 44 GPU line(s) past index 255 or past 256 GPUs: ignored"]);
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

  it("drops MIG profiles no GPU has (more than 7 slices, more memory than any GPU)", () => {
    const problems: string[] = [];
    expect(parseMigProfile("9g.40gb", problems)).toBeNull();
    expect(parseMigProfile("1g.999999gb", problems)).toBeNull();
    expect(problems).toEqual([
      'nvidia-smi -L MIG profile "9g.40gb": not a plausible profile (1 to 7 slices, 1 to 1024 GB): ignored',
      'nvidia-smi -L MIG profile "1g.999999gb": not a plausible profile (1 to 7 slices, 1 to 1024 GB): ignored',
    ]);
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

describe("parseNvidiaSmiQ: implausible MIG memory", () => {
  const report = (total: string, used: string): string =>
    "GPU 00000000:07:00.0\n    Product Name                          : NVIDIA A100-SXM4-80GB\n    MIG Devices\n        MIG Device\n" +
    "            Index                         : 0\n            FB Memory Usage\n" +
    `                Total                     : ${total}\n                Used                      : ${used}\n                Free                      : N/A\n`;

  it.each([
    ["1000000000000000 MiB", /Total: "1000000000000000" MiB is above the plausible 1048576 MiB: ignored$/],
    ["1e308 MiB", /Total: "1e308" is not a number as the tool prints one: ignored$/],
    ["-24576 MiB", /Total: "-24576" is negative: ignored$/],
    ["0x1000 MiB", /Total: "0x1000" is not a number as the tool prints one: ignored$/],
    ["40 GB", /Total: "40 GB" is not a MiB figure: ignored$/],
  ])("Total %s: dropped with a warning", (total, problem) => {
    const problems: string[] = [];
    const [gpu] = parseNvidiaSmiQ(report(total, "37 MiB"), problems);
    expect(gpu?.migDevices[0]).toMatchObject({ index: 0, fbTotalMiB: null, fbUsedMiB: 37, fbFreeMiB: null });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^nvidia-smi -q GPU 00000000:07:00.0 MIG device 0 FB Memory Usage /);
    expect(problems[0]).toMatch(problem);
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
