// sysfs value parsers: PCI `uevent` files, id attributes (`vendor`) and figure attributes (`mem_info_vram_total`).
import { readFigure, type FigureRule } from "./plausible.js";

/** Parses `KEY=value` lines (a device's `uevent`). */
export function parseUevent(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

/**
 * A figure attribute (`mem_info_vram_total`, `lmem_total_bytes`: the kernel prints them in decimal, `%llu`) within
 * `rule`; null when the file is absent or empty, and null with a line in `problems` for anything else (hex, a sign,
 * beyond the plausible). `what` names the device and the file.
 */
export function parseSysfsFigure(text: string | null, rule: FigureRule, what: string, problems: string[] = []): number | null {
  const f = readFigure(text, rule, what);
  if (f.problem !== null) problems.push(f.problem);
  return f.value;
}

/** "0x1002" -> "1002". */
export function parseSysfsHexId(text: string | null): string | null {
  if (text === null) return null;
  const m = /^0x([0-9a-f]{4})$/i.exec(text.trim());
  return m && m[1] !== undefined ? m[1].toLowerCase() : null;
}

/** PCI class 0x03xxxx is a display controller (VGA 0x0300, 3D 0x0302, other 0x0380). */
export const isDisplayClass = (classText: string | null): boolean => classText !== null && /^0x03[0-9a-f]{4}$/i.test(classText.trim());
