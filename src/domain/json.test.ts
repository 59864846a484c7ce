// The JSON narrowing helpers on the values config.json and the Hub's and runtimes' answers hold.
import { describe, expect, it } from "vitest";
import { asNonEmptyString, asObject, asPositiveInt } from "./json.js";

describe("JSON narrowing", () => {
  it("asObject takes objects only", () => {
    const o = { a: 1 };
    expect(asObject(o)).toBe(o);
    expect(asObject({})).toEqual({});
    for (const v of [null, undefined, [], [1], "x", 1, true]) expect(asObject(v), JSON.stringify(v)).toBeNull();
  });

  it("asPositiveInt takes integers above zero only", () => {
    expect(asPositiveInt(1)).toBe(1);
    expect(asPositiveInt(4096)).toBe(4096);
    for (const v of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "4", null, undefined]) expect(asPositiveInt(v), String(v)).toBeNull();
  });

  it("asNonEmptyString trims and refuses blanks and non-strings", () => {
    expect(asNonEmptyString("  llama ")).toBe("llama");
    for (const v of ["", "   ", 1, null, undefined, {}]) expect(asNonEmptyString(v), String(v)).toBeNull();
  });
});
