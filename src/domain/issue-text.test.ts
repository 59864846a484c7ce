import { describe, expect, it } from "vitest";
import { issueText, shownValue, valueAt } from "./issue-text.js";

describe("issueText", () => {
  const root = { machine: { ram_gb: "lots", gpus: [{ count: 1.5 }] }, name: "" };

  it("says what the field accepts and what it got, or that it is missing", () => {
    expect(issueText({ code: "invalid_type", expected: "number", path: ["machine", "ram_gb"], message: "Invalid input: expected number, received string" }, root)).toBe('must be a number (got "lots")');
    expect(issueText({ code: "invalid_type", expected: "int", path: ["machine", "gpus", 0, "count"], message: "Invalid input: expected int, received number" }, root)).toBe("must be a whole number (got 1.5)");
    expect(issueText({ code: "invalid_type", expected: "object", path: ["missing"], message: "Invalid input" }, root)).toBe("missing: give an object");
    expect(issueText({ code: "too_small", origin: "string", minimum: 1, inclusive: true, path: ["name"], message: "Too small: expected string to have >=1 characters" }, root)).toBe('must be text that is not empty (got "")');
    expect(issueText({ code: "too_small", origin: "number", minimum: 0, inclusive: false, path: ["machine", "ram_gb"], message: "Too small" }, { machine: { ram_gb: -2 } })).toBe("must be a number greater than 0 (got -2)");
    expect(issueText({ code: "too_big", origin: "array", maximum: 4, inclusive: true, path: ["machine", "gpus"], message: "Too big" }, root)).toBe("must be a list of at most 4 entries (got a list)");
    expect(issueText({ code: "invalid_value", values: ["a", "b"], path: ["name"], message: 'Invalid option: expected one of "a"|"b"' }, root)).toBe('must be one of a|b (got "")');
  });

  it("takes the field's own words when its owner gives them", () => {
    const accepted = (p: readonly PropertyKey[]) => (p.at(-1) === "ram_gb" ? "a number of GiB greater than 0" : undefined);
    expect(issueText({ code: "invalid_type", expected: "number", path: ["machine", "ram_gb"], message: "Invalid input" }, root, accepted)).toBe('must be a number of GiB greater than 0 (got "lots")');
  });

  it("keeps a schema's own message (a bound, a rule across fields) as written", () => {
    expect(issueText({ code: "too_big", origin: "number", maximum: 1024, path: ["vram_gb"], message: "at most 1024 GiB" }, root)).toBe("at most 1024 GiB");
    expect(issueText({ code: "custom", path: [], message: "80 is more than ram_gb (64)" }, root)).toBe("80 is more than ram_gb (64)");
  });

  it("shows values briefly", () => {
    expect(shownValue("x".repeat(100))).toHaveLength(42);
    expect([shownValue(null), shownValue([]), shownValue([1]), shownValue({}), shownValue(true)]).toEqual(["null", "an empty list", "a list", "an object", "true"]);
    expect(valueAt(root, ["machine", "gpus", 0, "count"])).toBe(1.5);
    expect(valueAt(root, ["machine", "ram_gb", "x"])).toBeUndefined();
  });
});
