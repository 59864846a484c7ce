import { describe, expect, it } from "vitest";
import { concurrentSessions, MAX_SEQUENCES } from "./attempt.js";

describe("concurrentSessions", () => {
  it("counts the sessions whose cache fits, up to the runtime's sequence limit; never Infinity or NaN", () => {
    expect(concurrentSessions(10, 3)).toBe(3);
    expect(concurrentSessions(0, 3)).toBe(0);
    expect(concurrentSessions(-5, 3)).toBe(0);
    expect(concurrentSessions(1e15, 1)).toBe(MAX_SEQUENCES);
    // A model that keeps no per-session cache (no attention, no recurrent state): bounded by the runtime, not Infinity.
    expect(concurrentSessions(1e9, 0)).toBe(MAX_SEQUENCES);
    expect(concurrentSessions(0, 0)).toBe(0);
  });
});
