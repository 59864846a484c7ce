import { describe, expect, it } from "vitest";
import { COLOR, PLAIN, cutEnd, cutMiddle, fitTable, renderTable, type Column } from "./table.js";

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

describe("fitTable", () => {
  const columns: Column[] = [
    { header: "NAME", minWidth: 10, cut: cutMiddle, compact: { header: "NAME", text: (t) => t.slice(t.indexOf("/") + 1) } },
    { header: "SIZE", align: "right" },
    { header: "NOTE" },
    { header: "MEM", compact: { header: "M", text: (t) => t.split("/")[0] ?? t } },
  ];
  const rows = [
    ["owner/a-rather-long-model-name-v1", "8B", "first note", "9.3/24.0"],
    ["owner/a-rather-long-model-name-v2", "70B", "second", "40.1/24.0"],
  ];
  const steps = [
    { column: 3, action: "compact" as const, beforeCutting: true },
    { column: 0, action: "compact" as const, beforeCutting: true },
    { column: 2, action: "drop" as const },
    { column: 1, action: "drop" as const },
  ];
  const widest = (text: string): number => Math.max(...text.trimEnd().split("\n").map((l) => [...l].length));

  it("keeps everything when it fits", () => {
    const t = fitTable(columns, rows, { width: 200, steps });
    expect(t).toMatchObject({ dropped: [], compacted: [], cut: false });
    expect(t.text).toContain("owner/a-rather-long-model-name-v1");
  });

  it("takes the steps marked beforeCutting before cutting a name, then cuts, then drops", () => {
    const compact = fitTable(columns, rows, { width: 55, steps });
    expect(compact).toMatchObject({ dropped: [], compacted: [3, 0], cut: false });
    expect(compact.text.split("\n")[0]).toMatch(/^NAME\s+SIZE\s+NOTE\s+M$/);
    expect(widest(compact.text)).toBeLessThanOrEqual(55);

    const cut = fitTable(columns, rows, { width: 40, steps });
    expect(cut.cut).toBe(true);
    expect(cut.dropped).toEqual([]);
    expect(widest(cut.text)).toBeLessThanOrEqual(40);
    // Cut in the middle: the two names stay apart.
    expect(cut.text).toMatch(/…\S*-v1 /);
    expect(cut.text).toMatch(/…\S*-v2 /);

    const dropped = fitTable(columns, rows, { width: 26, steps });
    expect(dropped.dropped).toEqual([2]);
    expect(widest(dropped.text)).toBeLessThanOrEqual(26);
  });

  it("below every layout each line is cut, without color codes", () => {
    const painted = rows.map((r) => r.map((c) => ({ text: c, paint: COLOR.red })));
    const t = fitTable(columns, painted, { width: 12, steps });
    expect(widest(t.text)).toBeLessThanOrEqual(12);
    expect(t.text).not.toMatch(/\u001b/);
  });

  it("cuts at the end or in the middle", () => {
    expect(cutEnd("abcdefgh", 5)).toBe("abcd…");
    expect(cutMiddle("Llama-3_3-Nemotron-Super-49B-v1_5", 20)).toBe("Llama-3…per-49B-v1_5");
    expect(cutMiddle("short", 10)).toBe("short");
  });
});
