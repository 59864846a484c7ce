// sysfs value parsers: PCI `uevent` files and single-number attributes (`vendor`, `mem_info_vram_total`).

/** Parses `KEY=value` lines (a device's `uevent`). */
export function parseUevent(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

/** A decimal or 0x-hex number attribute; null when empty or not a number. */
export function parseSysfsNumber(text: string | null): number | null {
  if (text === null) return null;
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t.slice(2), 16);
  if (/^\d+$/.test(t)) return Number(t);
  return null;
}

/** "0x1002" -> "1002". */
export function parseSysfsHexId(text: string | null): string | null {
  if (text === null) return null;
  const m = /^0x([0-9a-f]{4})$/i.exec(text.trim());
  return m && m[1] !== undefined ? m[1].toLowerCase() : null;
}

/** PCI class 0x03xxxx is a display controller (VGA 0x0300, 3D 0x0302, other 0x0380). */
export const isDisplayClass = (classText: string | null): boolean => classText !== null && /^0x03[0-9a-f]{4}$/i.test(classText.trim());
