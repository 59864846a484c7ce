import { describe, expect, it } from "vitest";
import { COLOR, PLAIN, renderTable } from "./table.js";

describe("renderTable", () => {
  it("aligns columns and ignores color codes in widths", () => {
    const out = renderTable(
      [{ header: "NAME" }, { header: "N", align: "right" }],
      [
        ["a", "1"],
        [{ text: "long-name", paint: COLOR.red }, "100"],
      ],
    );
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toBe("NAME         N");
    expect(lines[1]).toBe("a            1");
    expect(lines[2]).toBe("\u001b[31mlong-name\u001b[39m  100");
  });

  it("PLAIN paints nothing", () => {
    expect(PLAIN.red("x")).toBe("x");
  });
});
