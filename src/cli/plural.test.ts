import { describe, expect, it } from "vitest";
import { plural } from "./plural.js";

describe("plural", () => {
  it("gives one noun for 1 and the plural for every other count", () => {
    expect([0, 1, 2, 256].map((n) => plural(n, "session"))).toEqual(["0 sessions", "1 session", "2 sessions", "256 sessions"]);
    expect(plural(1, "GPU")).toBe("1 GPU");
    expect(plural(3, "entry", "entries")).toBe("3 entries");
  });
});
