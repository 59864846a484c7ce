import { describe, expect, it } from "vitest";
import { isNodefitError } from "../../domain/errors.js";
import { KNOWN_MEMORY_SYSTEMS, parseRamType, ramBandwidthGBps, ramChannelsFromBusWidth } from "./ram.js";

describe("ramBandwidthGBps", () => {
  it("is MT/s x 8 bytes x 64-bit channels", () => {
    expect(ramBandwidthGBps("DDR5", 5600, 2)).toBeCloseTo(89.6, 6);
    expect(ramBandwidthGBps("DDR4", 3200, 2)).toBeCloseTo(51.2, 6);
    expect(ramBandwidthGBps("DDR5", 4800, 12)).toBeCloseTo(460.8, 6);
  });

  it("takes LPDDR buses as 64-bit channel equivalents", () => {
    expect(ramBandwidthGBps("LPDDR5X", 8000, ramChannelsFromBusWidth(256))).toBeCloseTo(256, 6);
    expect(ramBandwidthGBps("lpddr5x", 7500, ramChannelsFromBusWidth(128))).toBeCloseTo(120, 6);
    expect(ramBandwidthGBps("LPDDR4X", 4266, ramChannelsFromBusWidth(128))).toBeCloseTo(68.256, 6);
  });

  it("refuses unknown types and non-positive figures", () => {
    for (const call of [
      () => ramBandwidthGBps("SDRAM", 133, 1),
      () => ramBandwidthGBps("DDR5", 0, 2),
      () => ramBandwidthGBps("DDR5", 5600, -1),
      () => ramBandwidthGBps("DDR5", Number.NaN, 2),
    ]) {
      try {
        call();
        expect.unreachable();
      } catch (e) {
        expect(isNodefitError(e) && e.code === "invalid_argument").toBe(true);
      }
    }
  });

  it("parses type spellings", () => {
    expect(parseRamType("lpddr5-x")).toBe("LPDDR5X");
    expect(parseRamType("ddr4")).toBe("DDR4");
    expect(parseRamType("GDDR6")).toBeNull();
  });
});

describe("KNOWN_MEMORY_SYSTEMS", () => {
  it("has unique keys", () => {
    const keys = KNOWN_MEMORY_SYSTEMS.map((m) => m.key);
    expect(keys.length).toBe(new Set(keys).size);
  });

  it.each(KNOWN_MEMORY_SYSTEMS.map((m) => [m.key, m] as const))("%s: agrees with the formula and has a source", (_k, m) => {
    expect(m.source.length).toBeGreaterThan(10);
    expect(ramBandwidthGBps(m.memoryType, m.speedMTs, ramChannelsFromBusWidth(m.busWidthBits))).toBeCloseTo(m.bandwidthGBps, 3);
  });
});
