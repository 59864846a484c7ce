// dmidecode --type 17 parser: installed memory modules, their type, configured speed and channel.
import { RAM_BYTES, checkSize, oneLine } from "./plausible.js";

/**
 * The fastest memory sold runs below 13,000 MT/s (MRDIMM 12800, JEDEC JESD82-552; LPDDR5X 10700); 100,000 leaves
 * room for generations to come. A faster figure is a broken table.
 */
const MAX_SPEED_MTS = 100_000;

export interface MemoryModule {
  sizeBytes: number;
  /** "Data Width" in bits (64 for a DDR4/DDR5 DIMM; 16 or 32 for each soldered LPDDR device entry). */
  dataWidthBits: number | null;
  /** "DDR5", "LPDDR5", ... */
  type: string | null;
  /** Configured speed in MT/s (what the modules run at), else the rated speed. */
  speedMTs: number | null;
  locator: string | null;
  bankLocator: string | null;
}

function size(s: string): number | null {
  const m = /^(\d{1,12})\s*(kB|MB|GB|TB)$/i.exec(s.trim());
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const pow = { KB: 1, MB: 2, GB: 3, TB: 4 }[m[2].toUpperCase() as "KB" | "MB" | "GB" | "TB"];
  return Number(m[1]) * 1024 ** pow;
}

function speed(s: string | undefined): number | null {
  const m = s === undefined ? null : /^(\d{1,9})\s*(MT\/s|MHz)$/.exec(s.trim());
  return m && m[1] !== undefined ? Number(m[1]) : null;
}

/**
 * The populated "Memory Device" entries; empty slots ("No Module Installed") are left out. A module larger than the
 * plausible RAM is dropped, and a speed beyond any memory's is not taken, each with a line in `problems`.
 */
export function parseDmidecodeMemory(text: string, problems: string[] = []): MemoryModule[] {
  const modules: MemoryModule[] = [];
  for (const section of text.split(/\n(?=Handle )/)) {
    if (!/\nMemory Device\s*\n/.test(section)) continue;
    const f = new Map<string, string>();
    for (const line of section.split("\n")) {
      const m = /^\t([^\t:][^:]*):\s*(.*)$/.exec(line);
      if (m && m[1] !== undefined && m[2] !== undefined) f.set(m[1].trim(), m[2].trim());
    }
    const bytes = size(f.get("Size") ?? "");
    if (bytes === null || bytes === 0) continue;
    const where = `dmidecode module ${oneLine(f.get("Locator") ?? "?", 40)}`;
    const plausible = checkSize(bytes, RAM_BYTES, `${where} Size`, f.get("Size") ?? "");
    if (plausible.problem !== null) {
      problems.push(plausible.problem);
      continue;
    }
    let mts = speed(f.get("Configured Memory Speed")) ?? speed(f.get("Configured Clock Speed")) ?? speed(f.get("Speed"));
    if (mts !== null && (mts === 0 || mts > MAX_SPEED_MTS)) {
      problems.push(`${where} speed: ${mts} MT/s is not a memory speed (0 or above ${MAX_SPEED_MTS}): ignored`);
      mts = null;
    }
    const type = f.get("Type");
    const width = /^(\d{1,4}) bits$/.exec(f.get("Data Width") ?? "");
    modules.push({
      sizeBytes: bytes,
      dataWidthBits: width && width[1] !== undefined ? Number(width[1]) : null,
      type: type && !/^(Unknown|Other)$/i.test(type) ? type : null,
      speedMTs: mts,
      locator: f.get("Locator") ?? null,
      bankLocator: f.get("Bank Locator") ?? null,
    });
  }
  return modules;
}

/**
 * The memory channel a module sits on, when its locators say so plainly: "P0 CHANNEL A" (bank locator),
 * "ChannelA-DIMM0", "DIMM_A1", "CPU1_DIMM_B2", "P1-DIMMC1". Null when the board's naming does not tell
 * (then channels are not derived: DIMM count is not channel count on boards with two DIMMs per channel).
 */
export function moduleChannel(m: MemoryModule): string | null {
  const socketOf = (s: string): string => {
    const p = /(?:^|[\s_-])(?:P|CPU|PROC|NODE)\s*(\d+)/i.exec(s);
    return p && p[1] !== undefined ? p[1] : "0";
  };
  for (const s of [m.bankLocator ?? "", m.locator ?? ""]) {
    const ch = /CHANNEL\s*([A-Z])\b/i.exec(s) ?? /Channel([A-Z])[-_]/i.exec(s) ?? /DIMM[\s_-]?([A-Z])\d+$/i.exec(s);
    if (ch && ch[1] !== undefined) return `${socketOf(s)}:${ch[1].toUpperCase()}`;
  }
  return null;
}
