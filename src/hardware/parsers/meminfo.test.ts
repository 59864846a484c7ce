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
