// rocm-smi --showmeminfo vram --showproductname --json parser: AMD GPUs' VRAM and names, per card.
import { GPU_COUNT, GPU_MEMORY_BYTES, readFigure, shown } from "./plausible.js";

export interface RocmSmiCard {
  /** "card0". */
  card: string;
  /** Product name: "Card Series" (or the older "Card series"), else "Card SKU"; null when absent. */
  name: string | null;
  /** "0x744c" as "744c". */
  deviceId: string | null;
  gfxVersion: string | null;
  vramTotalBytes: number | null;
  vramUsedBytes: number | null;
}

function field(card: Record<string, unknown>, ...names: string[]): string | null {
  const lower = new Map(Object.entries(card).map(([k, v]) => [k.toLowerCase(), v]));
  for (const n of names) {
    const v = lower.get(n.toLowerCase());
    if (typeof v === "string" && v.trim() && v.trim() !== "N/A") return v.trim();
    if (typeof v === "number") return String(v);
  }
  return null;
}

/**
 * Parses the JSON (rocm-smi 5.x and 6.x key spellings); throws when it is not JSON. VRAM figures are whole bytes up
 * to the plausible GPU memory (a used figure also at most the total); others are dropped into `problems`. At most
 * MAX_GPUS cards are read.
 */
export function parseRocmSmi(text: string, problems: string[] = []): RocmSmiCard[] {
  // rocm-smi may print warnings before the JSON; start at the first brace.
  const start = text.indexOf("{");
  if (start < 0) throw new Error("no JSON object in rocm-smi output");
  const json = JSON.parse(text.slice(start)) as Record<string, unknown>;
  const cards: RocmSmiCard[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (!/^card\d+$/.test(key) || !value || typeof value !== "object") continue;
    if (cards.length >= GPU_COUNT.max) {
      problems.push(`rocm-smi: more than ${GPU_COUNT.max} cards: ${key} and later ignored`);
      break;
    }
    const c = value as Record<string, unknown>;
    const model = field(c, "Card Model", "Device ID");
    const bytes = (name: string): number | null => {
      const f = readFigure(field(c, name), GPU_MEMORY_BYTES, `rocm-smi ${key} ${name}`);
      if (f.problem !== null) problems.push(f.problem);
      return f.value;
    };
    const total = bytes("VRAM Total Memory (B)");
    let used = bytes("VRAM Total Used Memory (B)");
    if (used !== null && total !== null && used > total) {
      problems.push(`rocm-smi ${key} VRAM Total Used Memory (B): ${shown(String(used))} is above the total ${total}: ignored`);
      used = null;
    }
    cards.push({
      card: key,
      name: field(c, "Card Series", "Card series", "Card SKU"),
      deviceId: model === null ? null : model.replace(/^0x/i, "").toLowerCase(),
      gfxVersion: field(c, "GFX Version"),
      vramTotalBytes: total,
      vramUsedBytes: used,
    });
  }
  return cards;
}

/**
 * The models a pci.ids-style name lists: "Navi 31 [Radeon RX 7900 XT/7900 XTX/7900 GRE/7900M]" gives
 * "Radeon RX 7900 XT", "Radeon RX 7900 XTX", "Radeon RX 7900 GRE", "Radeon RX 7900M" (later entries take the
 * first one's family words). Empty for names without a bracketed list.
 */
export function pciIdsNameAlternatives(name: string): string[] {
  const m = /\[([^\]]+\/[^\]]+)\]/.exec(name);
  if (!m || m[1] === undefined) return [];
  const parts = m[1].split("/").map((p) => p.trim()).filter(Boolean);
  const first = parts[0] ?? "";
  const words = first.split(/\s+/);
  const firstNumbered = words.findIndex((w) => /\d/.test(w));
  const family = (firstNumbered < 0 ? words : words.slice(0, firstNumbered)).join(" ");
  // "7900 XTX" takes the family words; "Radeon Pro W7900" names its own.
  return parts.map((p, i) => (i === 0 || /^[A-Za-z]+\s/.test(p) ? p : `${family} ${p}`.trim()));
}
