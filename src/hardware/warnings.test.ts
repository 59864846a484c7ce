// Warning bounds: one line each, cut, at most MAX_WARNINGS with a count of the rest.
import { describe, expect, it } from "vitest";
import { oneLine } from "./parsers/plausible.js";
import { MAX_WARNING_CHARS, MAX_WARNINGS, REFRESH_WARNING_SLOTS, boundDetectionWarnings, boundRefreshWarnings, boundWarnings } from "./warnings.js";

describe("oneLine", () => {
  it("strips terminal escapes and control characters, folds lines, cuts with …", () => {
    expect(oneLine("\u001b[31mred\u001b[0m\r\nnext\tline\u0000\u202e!", 100)).toBe("red next line !");
    expect(oneLine("abcdef", 4)).toBe("abc…");
    expect(oneLine("abc", 4)).toBe("abc");
    // Never half a surrogate pair.
    expect(oneLine("ab😀cd", 4)).toBe("ab…");
    // A 10 MB line: its head only, cut.
    const long = oneLine("y".repeat(10 * 1024 * 1024), 300);
    expect(long).toHaveLength(300);
    expect(long.endsWith("…")).toBe(true);
  });
});

describe("boundWarnings", () => {
  it("keeps short lists as they are, without duplicates", () => {
    expect(boundWarnings(["a", "b", "a", ""])).toEqual(["a", "b"]);
  });

  it("cuts each warning to one line of at most MAX_WARNING_CHARS", () => {
    const [w] = boundWarnings([`tool: ${"z".repeat(10_000)}\nsecond line`]);
    expect(w).toHaveLength(MAX_WARNING_CHARS);
    expect(w?.endsWith("…")).toBe(true);
  });

  it("keeps at most MAX_WARNINGS, the last saying how many more", () => {
    const out = boundWarnings(Array.from({ length: 100 }, (_, i) => `w${i}`));
    expect(out).toHaveLength(MAX_WARNINGS);
    expect(out.at(-2)).toBe("w30");
    expect(out.at(-1)).toBe("… and 69 more warnings (nodefit doctor shows every probe)");
  });

  it("a detection leaves room for a refresh; refresh after refresh gives the same list, never more than MAX_WARNINGS", () => {
    const detected = boundDetectionWarnings(Array.from({ length: 40 }, (_, i) => `d${i}`));
    expect(detected).toHaveLength(MAX_WARNINGS - REFRESH_WARNING_SLOTS);
    expect(detected.at(-1)).toBe("… and 13 more warnings (nodefit doctor shows every probe)");
    const refresh = (prev: string[]): string[] =>
      boundRefreshWarnings(
        prev.filter((w) => !w.startsWith("refresh: ")),
        Array.from({ length: 10 }, (_, i) => `r${i}`),
        "refresh: ",
      );
    const once = refresh(detected);
    expect(once).toHaveLength(MAX_WARNINGS);
    expect(once.slice(0, detected.length)).toEqual(detected);
    expect(once.slice(detected.length)).toEqual(["refresh: r0", "refresh: r1", "refresh: r2", "refresh: … and 7 more warnings (nodefit doctor shows every probe)"]);
    expect(refresh(refresh(once))).toEqual(once);
  });
});
