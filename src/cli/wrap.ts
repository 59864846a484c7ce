// Text that fits the terminal: words wrapped to a width (color codes do not count), labelled lines with a hanging
// indent, and shell commands broken with " \" so they still paste as one command.

const ANSI = /\u001b\[[0-9;]*m/g;

/** Characters a text takes on screen (color codes take none). */
export const visibleLength = (s: string): number => s.replace(ANSI, "").length;

/** Cuts a word longer than `width` into pieces of `width` (a URL, a path: nothing to break it at). */
function pieces(word: string, width: number): string[] {
  if (visibleLength(word) <= width || width < 1 || word !== word.replace(ANSI, "")) return [word];
  const out: string[] = [];
  for (let i = 0; i < word.length; i += width) out.push(word.slice(i, i + width));
  return out;
}

/** Words wrapped into lines of at most `width` characters (a longer word is cut into pieces). */
export function wrapWords(text: string, width: number): string[] {
  if (!Number.isFinite(width) || visibleLength(text) <= width) return [text];
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ").flatMap((w) => pieces(w, width))) {
    if (current === "") current = word;
    else if (visibleLength(current) + 1 + visibleLength(word) <= width) current += ` ${word}`;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== "" || lines.length === 0) lines.push(current);
  return lines;
}

/**
 * A shell command that fits `width` columns after a prefix of `indent` characters (a label): broken between words,
 * each line but the last ending in " \" (the shell's line continuation), so it pastes as the same command. The first
 * line is the value (the caller writes the label before it); the others are whole lines, indented by `indent` spaces.
 * A word no line holds is broken inside with a bare "\" and goes on at column 0, which the shell joins back as it was.
 */
export function wrapCommand(command: string, width: number, indent: number): string[] {
  if (!Number.isFinite(width) || indent + command.length <= width) return [command];
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  /** The line being filled, without its indent; whether it has one; how many characters it may hold before " \". */
  let current = "";
  let indented = true;
  const room = (): number => Math.max(8, (indented ? width - indent : width) - 2);
  const flush = (end: string): void => {
    lines.push(lines.length === 0 ? `${current}${end}` : `${indented ? pad : ""}${current}${end}`);
  };
  for (const word of command.split(" ")) {
    if (current !== "" && current.length + 1 + word.length <= room()) {
      current += ` ${word}`;
      continue;
    }
    if (current !== "") {
      flush(" \\");
      indented = true;
    }
    current = word;
    while (current.length > room() + 1) {
      const take = room() + 1;
      const rest = current.slice(take);
      current = current.slice(0, take);
      flush("\\");
      current = rest;
      indented = false;
    }
  }
  flush("");
  return lines;
}

/** One labelled line: a value in words, or a shell command (broken so that it still pastes). */
export interface LabelledLine {
  label: string;
  value: string;
  command?: boolean;
}

/**
 * Labelled lines ("fit   Perfect, GPU on llama.cpp, ..."), each value wrapped to `width` with a hanging indent under
 * its start; `prefix` goes before every label ("  " in `nodefit info`), `paint` colors the label.
 */
export function labelledText(lines: readonly LabelledLine[], width: number, paint: (label: string) => string, prefix = ""): string {
  const labelWidth = lines.reduce((n, l) => Math.max(n, l.label.length), 0);
  const indent = prefix.length + labelWidth + 2;
  const room = Math.max(20, width - indent);
  const out: string[] = [];
  for (const l of lines) {
    const head = `${prefix}${paint(l.label.padEnd(labelWidth))}  `;
    if (l.command) {
      const [first = "", ...rest] = wrapCommand(l.value, width, indent);
      out.push(`${head}${first}`, ...rest);
      continue;
    }
    const [first = "", ...rest] = wrapWords(l.value, room);
    out.push(`${head}${first}`, ...rest.map((r) => `${" ".repeat(indent)}${r}`));
  }
  return `${out.join("\n")}\n`;
}
