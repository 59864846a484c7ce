// cgroup parser tests: membership, v1 / v2 memory limits, memory.stat and CPU quotas.
import { describe, expect, it } from "vitest";
import { parseCfsQuota, parseCgroupMemoryLimit, parseCgroupNumber, parseCgroupStat, parseCpuMax, parseProcSelfCgroup } from "./cgroup.js";

describe("parseProcSelfCgroup", () => {
  it("reads a pure cgroup v2 line", () => {
    expect(parseProcSelfCgroup("0::/user.slice/user-1000.slice/session-4.scope\n")).toEqual({
      v1: new Map(),
      v2Path: "/user.slice/user-1000.slice/session-4.scope",
    });
  });

  it("reads v1 controllers, including combined ones, beside the hybrid 0:: line", () => {
    const m = parseProcSelfCgroup(
      "12:memory:/docker/3f1a\n4:cpu,cpuacct:/docker/3f1a\n1:name=systemd:/docker/3f1a\n0::/system.slice/containerd.service\n",
    );
    expect(m.v1.get("memory")).toBe("/docker/3f1a");
    expect(m.v1.get("cpu")).toBe("/docker/3f1a");
    expect(m.v1.get("cpuacct")).toBe("/docker/3f1a");
    expect(m.v1.get("name=systemd")).toBe("/docker/3f1a");
    expect(m.v2Path).toBe("/system.slice/containerd.service");
  });
});

describe("parseCgroupMemoryLimit", () => {
  it("v2: 'max' is no limit, a number is the limit", () => {
    expect(parseCgroupMemoryLimit("max\n")).toEqual({ kind: "unlimited" });
    expect(parseCgroupMemoryLimit("17179869184\n")).toEqual({ kind: "limit", bytes: 17179869184 });
  });

  it("v1: the page-aligned LONG_MAX sentinel is no limit", () => {
    expect(parseCgroupMemoryLimit("9223372036854771712\n")).toEqual({ kind: "unlimited" });
    expect(parseCgroupMemoryLimit("8589934592\n")).toEqual({ kind: "limit", bytes: 8589934592 });
  });

  it("anything else is unreadable", () => {
    expect(parseCgroupMemoryLimit("")).toBeNull();
    expect(parseCgroupMemoryLimit("lots")).toBeNull();
  });
});

describe("cgroup stat and CPU quota", () => {
  it("reads memory.stat", () => {
    const s = parseCgroupStat("anon 2281701376\ninactive_file 1073741824\ntotal_inactive_file 536870912\n");
    expect(s.get("inactive_file")).toBe(1073741824);
    expect(s.get("total_inactive_file")).toBe(536870912);
  });

  it("reads cpu.max and the v1 CFS quota", () => {
    expect(parseCpuMax("400000 100000\n")).toBe(4);
    expect(parseCpuMax("150000 100000\n")).toBe(1.5);
    expect(parseCpuMax("max 100000\n")).toBeNull();
    expect(parseCfsQuota("200000\n", "100000\n")).toBe(2);
    expect(parseCfsQuota("-1\n", "100000\n")).toBeNull();
  });

  it("drops quotas written in a form the kernel never writes, with a warning", () => {
    const problems: string[] = [];
    expect(parseCpuMax("1e6 100000\n", problems)).toBeNull();
    expect(parseCpuMax("0x10 100000\n", problems)).toBeNull();
    expect(parseCpuMax("400000 0\n", problems)).toBeNull();
    expect(parseCpuMax("garbage\n", problems)).toBeNull();
    expect(parseCfsQuota("0x10\n", "100000\n", problems)).toBeNull();
    expect(parseCfsQuota("-5\n", "100000\n", problems)).toBeNull();
    expect(problems).toEqual([
      'cgroup cpu.max: "1e6 100000" is not a quota the kernel writes: ignored',
      'cgroup cpu.max: "0x10 100000" is not a quota the kernel writes: ignored',
      'cgroup cpu.max: "400000 0" is not a quota the kernel writes: ignored',
      'cgroup cpu.max: "garbage" not understood: ignored',
      'cgroup cpu.cfs_quota_us / cpu.cfs_period_us: "0x10 100000" is not a quota the kernel writes: ignored',
      'cgroup cpu.cfs_quota_us / cpu.cfs_period_us: "-5 100000" is not a quota the kernel writes: ignored',
    ]);
  });

  it("memory usage beyond any RAM is dropped with a warning", () => {
    const problems: string[] = [];
    expect(parseCgroupNumber("2281701376\n", "memory.current", problems)).toBe(2281701376);
    expect(parseCgroupNumber("1e308\n", "memory.current", problems)).toBeNull();
    expect(parseCgroupNumber("99999999999999999999\n", "memory.current", problems)).toBeNull();
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/^memory.current: "99999999999999999999" bytes is above the plausible/);
  });
});
