import { describe, expect, it } from "vitest";
import { COLOR } from "./table.js";
import { labelledText, visibleLength, wrapCommand, wrapWords } from "./wrap.js";

/** What a shell reads: " \" + newline + indent is one space, a bare "\" + newline is nothing. */
const asShellReads = (lines: readonly string[]): string =>
  lines.reduce((cmd, line, i) => (i === 0 ? line : cmd.endsWith(" \\") ? `${cmd.slice(0, -1)}${line.trimStart()}` : `${cmd.slice(0, -1)}${line}`), "");

describe("wrapWords", () => {
  it("wraps at spaces within the width, and cuts a word longer than a line", () => {
    expect(wrapWords("one two three four", 9)).toEqual(["one two", "three", "four"]);
    expect(wrapWords("short", 80)).toEqual(["short"]);
    expect(wrapWords("see https://example.com/a/very/long/path", 12)).toEqual(["see", "https://exam", "ple.com/a/ve", "ry/long/path"]);
    expect(wrapWords("anything", Infinity)).toEqual(["anything"]);
  });

  it("does not count color codes", () => {
    expect(visibleLength(COLOR.green("Perfect"))).toBe(7);
    expect(wrapWords(`${COLOR.green("Perfect,")} GPU on llama.cpp`, 20)).toEqual([`${COLOR.green("Perfect,")} GPU on`, "llama.cpp"]);
  });
});

describe("wrapCommand", () => {
  it("breaks between words with ' \\' and indents the rest; the shell reads the same command", () => {
    const command = "llama-bench -hf unsloth/DeepSeek-V3.1-Terminus-GGUF:IQ1_S -p 512 -n 128";
    const lines = wrapCommand(command, 60, 13);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(0, -1).every((l) => l.endsWith(" \\"))).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith(" ".repeat(13)))).toBe(true);
    expect(13 + (lines[0]?.length ?? 0)).toBeLessThanOrEqual(60);
    expect(lines.slice(1).every((l) => l.length <= 60)).toBe(true);
    expect(asShellReads(lines)).toBe(command);
  });

  it("breaks a word no line holds with a bare '\\' and goes on at column 0", () => {
    const command = `mlx_lm.generate --model ${"x".repeat(90)} --prompt hi`;
    const lines = wrapCommand(command, 50, 10);
    expect(lines.every((l, i) => (i === 0 ? 10 + l.length : l.length) <= 50)).toBe(true);
    expect(asShellReads(lines)).toBe(command);
  });
});

describe("labelledText", () => {
  it("aligns labels and hangs wrapped values under their start", () => {
    const text = labelledText([{ label: "fit", value: "Good, GPU on llama.cpp" }, { label: "note", value: "a note long enough to wrap onto a second line here" }], 36, (s) => s, "  ");
    expect(text).toBe("  fit   Good, GPU on llama.cpp\n  note  a note long enough to wrap\n        onto a second line here\n");
  });
});
