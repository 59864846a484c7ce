// /proc/meminfo parser tests.
import { describe, expect, it } from "vitest";
import { parseMeminfo, parseMeminfoFields } from "./meminfo.js";

const RAW = `MemTotal:       24683656 kB
MemFree:        23493864 kB
MemAvailable:   24169160 kB
Buffers:            9224 kB
Cached:           872572 kB
SwapCached:            0 kB
Active(anon):       1532 kB
SwapTotal:       8388604 kB
SwapFree:        8388604 kB
VmallocTotal:   34359738367 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
`;

describe("parseMeminfo", () => {
  it("reads kB values as bytes", () => {
    expect(parseMeminfo(RAW)).toEqual({
      memTotalBytes: 24683656 * 1024,
      memAvailableBytes: 24169160 * 1024,
      memFreeBytes: 23493864 * 1024,
      swapTotalBytes: 8388604 * 1024,
    });
  });

  it("keeps keys with parentheses and unitless counts", () => {
    const f = parseMeminfoFields(RAW);
    expect(f.get("Active(anon)")).toBe(1532 * 1024);
    expect(f.get("HugePages_Total")).toBe(0);
  });

  it("gives null for what an old kernel does not print (no MemAvailable before 3.14)", () => {
    expect(parseMeminfo("MemTotal:        1016232 kB\nMemFree:          512000 kB\n").memAvailableBytes).toBeNull();
  });
});

describe("parseMeminfo: implausible figures", () => {
  it.each([
    ["1000000000000000000 kB", /^\/proc\/meminfo MemTotal: "1000000000000000000" kB is above the plausible 68719476736 kB: ignored$/],
    ["1e308 kB", /^\/proc\/meminfo MemTotal: "1e308" is not a number as the tool prints one: ignored$/],
    ["-24576 kB", /^\/proc\/meminfo MemTotal: "-24576" is negative: ignored$/],
    ["0x1000 kB", /^\/proc\/meminfo MemTotal: "0x1000" is not a number as the tool prints one: ignored$/],
  ])("MemTotal: %s is dropped with a warning; the other fields are read", (value, problem) => {
    const problems: string[] = [];
    const m = parseMeminfo(`MemTotal:       ${value}\nMemFree:        23493864 kB\nMemAvailable:   24169160 kB\n`, problems);
    expect(m).toEqual({ memTotalBytes: null, memAvailableBytes: 24169160 * 1024, memFreeBytes: 23493864 * 1024, swapTotalBytes: null });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(problem);
  });

  it("every field the parser reads is held to the limit (swap and available too)", () => {
    const problems: string[] = [];
    const m = parseMeminfo("MemTotal: 24683656 kB\nMemAvailable: 99999999999999999999 kB\nSwapTotal: -1 kB\n", problems);
    expect(m).toMatchObject({ memTotalBytes: 24683656 * 1024, memAvailableBytes: null, swapTotalBytes: null });
    expect(problems.map((p) => p.split(":")[0])).toEqual(["/proc/meminfo MemAvailable", "/proc/meminfo SwapTotal"]);
  });
});
