// Assumed GPU figures: for a GPU name the lookup does not find, the bandwidth of the entry the name most likely is
// (an Apple chip's variant by memory size, a known model named with extra words), else of its nearest sibling by
// series and tier, else a conservative figure for its vendor and memory size. Every figure says it is assumed and why.
import type { GpuVendor } from "../../domain/machine.js";
import { gibToBytes } from "../../domain/units.js";
import { resolveAppleChip } from "./apple-chip.js";
import { GPU_KNOWLEDGE } from "./gpus.js";
import { memoryFits } from "./lookup.js";
import { gpuNameAlternatives, normalizeGpuName } from "./normalize.js";
import type { GpuSpec } from "./types.js";

/**
 * How uncertain each kind of assumed figure is, in %:
 * - loose: the name holds a known model's name and other words ("NVIDIA H100 80GB HBM3 (SXM)"), or less than one
 *   ("NVIDIA A100 80GB": the slowest of the entries it may be, at least this, at most `class`);
 * - sibling / siblingSeries: the nearest model of the same series (RTX 50: an "RTX 5050 Ti" from the RTX 5050), or of
 *   the nearest series with the same tier (an "RTX 6070" from the RTX 5070);
 * - class: the slowest known card of the vendor with that memory size.
 */
export const GPU_ASSUMED_PCT = { loose: 10, sibling: 20, siblingSeries: 30, class: 40 } as const;

export type AssumedGpuKind = "apple-variant" | "loose" | "sibling" | "class";

export interface AssumedGpu {
  kind: AssumedGpuKind;
  /**
   * The entry the device is taken to be, whose memory, FP16 and flags apply (an Apple variant, a loose name match);
   * null for a sibling's or a class figure, which give the bandwidth only.
   */
  spec: GpuSpec | null;
  vendor: GpuVendor;
  bandwidthGBps: number;
  assumedPct: number;
  /** Why, in words (the source text says "assumed: " and this). */
  reason: string;
  /**
   * A loose match: every entry the name may be after memory (the NVIDIA A100 with no memory figure: the 40 and 80 GB
   * cards), of which `spec` is the slowest; a description that states no memory is asked for it when their sizes differ.
   */
  candidates?: readonly GpuSpec[];
}

export interface AssumedGpuQuery {
  name: string;
  /** Memory per card when known (described vram_gb, reported by the driver). */
  memoryBytes: number | null;
  gpuCores?: number | null | undefined;
  /** The machine's RAM: an Apple chip's variant is told by it. */
  systemRamBytes: number | null;
  /** The vendor as the tool or the name says it. */
  vendor: GpuVendor;
}

/** Memory types and form words written beside a model's name that no entry carries ("HBM3", "GDDR6X"). */
const MEMORY_TYPE_WORDS = /\b(?:hbm\d?e?|gddr\d[xw]?|lpddr\d?x?|ddr\d)\b/gi;
const MEMORY_TOKEN = /^\d+gb$/;
/** Words that make another model of a series ("Ti", "SUPER", "XT", "XTX", "GRE"). */
const MODEL_WORDS = new Set(["ti", "super", "xt", "xtx", "gre"]);
const isDigits = (t: string): boolean => /^\d+$/.test(t);

interface NameForm {
  spec: GpuSpec;
  core: ReadonlySet<string>;
  memory: ReadonlySet<string>;
  laptop: boolean;
}

let forms: NameForm[] | null = null;

function nameForms(): NameForm[] {
  if (forms !== null) return forms;
  forms = [];
  for (const spec of GPU_KNOWLEDGE) {
    for (const name of [spec.name, ...spec.aliases]) {
      const tokens = normalizeGpuName(name).tokens;
      const core = new Set(tokens.filter((t) => !MEMORY_TOKEN.test(t)));
      if (core.size === 0 || (core.size < 2 && ![...core].some(isDigits))) continue;
      forms.push({ spec, core, memory: new Set(tokens.filter((t) => MEMORY_TOKEN.test(t))), laptop: core.has("laptop") });
    }
  }
  return forms;
}

const subsetOf = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => [...a].every((t) => b.has(t));
const unique = (specs: readonly GpuSpec[]): GpuSpec[] => [...new Set(specs)];
const spreadPct = (specs: readonly GpuSpec[]): number => {
  const bws = specs.map((s) => s.bandwidthGBps);
  return Math.round(((Math.max(...bws) - Math.min(...bws)) / Math.min(...bws)) * 100);
};
const slowest = (specs: readonly GpuSpec[]): GpuSpec => [...specs].sort((a, b) => a.bandwidthGBps - b.bandwidthGBps || a.key.localeCompare(b.key))[0] as GpuSpec;

/**
 * Of several candidates, those whose memory fits the stated figure best (the card's, else the name's: 10 GiB is the
 * 10 GB card, not the 12 GB one); all when none fits.
 */
function byMemory(specs: readonly GpuSpec[], memories: ReadonlyArray<number | null>): GpuSpec[] {
  if (specs.length < 2) return [...specs];
  for (const m of memories) {
    if (m === null || !(m > 0)) continue;
    const fit = specs.filter((s) => s.memoryBytes !== null && memoryFits(m, s));
    if (fit.length === 0) continue;
    const distance = (s: GpuSpec): number => Math.abs(Math.log(m / (s.memoryBytes as number)));
    const best = Math.min(...fit.map(distance));
    return fit.filter((s) => distance(s) - best < 1e-9);
  }
  return [...specs];
}

/** The name, then the name without what is in parentheses or brackets ("RTX 4090 24GB (Ryzen 9 7900X host)"). */
function namesToTry(name: string): string[] {
  const bare = name.replace(/\([^)]*\)|\[[^\]]*\]/g, " ").replace(/\s+/g, " ").trim();
  return bare !== "" && bare !== name.trim() ? [name, bare] : [name];
}

function tokensOf(name: string): { tokens: Set<string>; memoryGb: number | null } {
  const n = normalizeGpuName(name.replace(MEMORY_TYPE_WORDS, " "));
  return { tokens: new Set(n.tokens), memoryGb: n.memoryGb };
}

/**
 * A known model inside a longer name (every word of one of its names is in the name, and every number of the name is
 * in it: "NVIDIA H100 80GB HBM3 (SXM)" is the H100 SXM5), or a shorter name several entries share ("NVIDIA A100 80GB":
 * the PCIe or the SXM4 card): the slowest of the candidates left after memory.
 */
function looseMatch(query: AssumedGpuQuery): AssumedGpu | null {
  for (const alternative of namesToTry(query.name).flatMap(gpuNameAlternatives)) {
    const { tokens, memoryGb } = tokensOf(alternative);
    const laptop = tokens.has("laptop");
    const numbers = [...tokens].filter(isDigits);
    if (numbers.length === 0) continue;
    const queryMemory = new Set([...tokens].filter((t) => MEMORY_TOKEN.test(t)));
    const queryCore = new Set([...tokens].filter((t) => !MEMORY_TOKEN.test(t)));
    const candidates = nameForms().filter((f) => f.laptop === laptop && numbers.every((t) => f.core.has(t)));
    // The name holds an entry's name: the most specific entries (most words) win.
    // Extra words must not name another model of the series ("RTX 5050 Ti" is no RTX 5050): those are siblings.
    const inside = candidates.filter(
      (f) =>
        subsetOf(f.core, tokens) &&
        (f.memory.size === 0 || subsetOf(f.memory, queryMemory)) &&
        ![...queryCore].some((t) => MODEL_WORDS.has(t) && !f.core.has(t)),
    );
    let specs: GpuSpec[];
    let how: string;
    if (inside.length > 0) {
      const most = Math.max(...inside.map((f) => f.core.size));
      specs = unique(inside.filter((f) => f.core.size === most).map((f) => f.spec));
      how = "its name holds the name of";
    } else {
      const around = candidates.filter((f) => subsetOf(queryCore, f.core));
      if (around.length === 0) continue;
      specs = unique(around.map((f) => f.spec));
      how = "its name is part of the name of";
    }
    specs = byMemory(specs, [query.memoryBytes, memoryGb === null ? null : gibToBytes(memoryGb)]);
    if (specs.length === 0) continue;
    const pick = slowest(specs);
    const pct = specs.length === 1 ? GPU_ASSUMED_PCT.loose : Math.min(GPU_ASSUMED_PCT.class, Math.max(GPU_ASSUMED_PCT.loose, spreadPct(specs)));
    const others = specs.length === 1 ? "" : ` (the slowest of ${specs.map((s) => s.name).join(", ")})`;
    return {
      kind: "loose",
      spec: pick,
      vendor: pick.vendor,
      bandwidthGBps: pick.bandwidthGBps,
      assumedPct: Math.min(50, pct + (pick.bandwidthAssumedPct ?? 0)),
      reason: `${query.name} is not in the knowledge base; ${how} ${pick.name}${others}: ${pick.bandwidthGBps} GB/s (${pick.source})`,
      candidates: specs,
    };
  }
  return null;
}

/**
 * A name without a model number that several unified-memory boards share ("Jetson Orin": AGX Orin 64 and 32 GB, Orin
 * NX, Orin Nano), told apart by the memory they are sold with: the description's vram_gb, else its RAM, which is the
 * board's memory. Null when the memory tells none apart.
 */
function unifiedBoardByMemory(query: AssumedGpuQuery): AssumedGpu | null {
  const { tokens } = tokensOf(query.name);
  const words = [...tokens].filter((t) => !MEMORY_TOKEN.test(t));
  if (words.length === 0 || words.some(isDigits)) return null;
  const specs = unique(nameForms().filter((f) => words.every((t) => f.core.has(t))).map((f) => f.spec));
  if (specs.length < 2 || !specs.every((s) => s.unifiedMemory && s.memoryBytes !== null)) return null;
  const fit = byMemory(specs, [query.memoryBytes, query.systemRamBytes]);
  if (fit.length === specs.length) return null;
  const pick = slowest(fit);
  const others = fit.length === 1 ? "" : ` (the slowest of ${fit.map((s) => s.name).join(", ")})`;
  return {
    kind: "loose",
    spec: pick,
    vendor: pick.vendor,
    bandwidthGBps: pick.bandwidthGBps,
    assumedPct: Math.min(50, (fit.length === 1 ? GPU_ASSUMED_PCT.loose : Math.max(GPU_ASSUMED_PCT.loose, spreadPct(fit))) + (pick.bandwidthAssumedPct ?? 0)),
    reason: `${query.name} is not in the knowledge base; by its memory it is ${pick.name}${others}: ${pick.bandwidthGBps} GB/s (${pick.source})`,
    candidates: fit,
  };
}

interface ModelNumber {
  family: string;
  series: number;
  tier: number;
  suffix: string;
  laptop: boolean;
}

/** Words of NVIDIA's workstation names, never of a GeForce's. */
const WORKSTATION_WORDS = new Set(["quadro", "ada", "blackwell", "pro", "a"]);

/** The series and tier a model number says: RTX 5070 (series 50, tier 70), RX 7900 XT (7, 900, xt), Arc B580 (B, 580). */
function modelNumber(name: string): ModelNumber | null {
  const n = normalizeGpuName(name);
  const t = n.tokens;
  const laptop = t.includes("laptop");
  const suffixOf = (from: number, words: readonly string[]): string =>
    t
      .slice(from)
      .filter((w) => words.includes(w))
      .sort()
      .join(" ");
  for (let i = 0; i + 1 < t.length; i++) {
    const word = t[i] ?? "";
    const next = t[i + 1] ?? "";
    if ((word === "rtx" || word === "gtx") && /^\d{4}$/.test(next)) {
      // Workstation cards ("Quadro RTX 6000", "RTX 4000 Ada", "RTX PRO 6000") are numbered apart from GeForce.
      if (next.endsWith("00") || t.some((w) => WORKSTATION_WORDS.has(w))) {
        return { family: "nvidia-workstation", series: 0, tier: Number(next), suffix: t.filter((w) => WORKSTATION_WORDS.has(w)).sort().join(" "), laptop };
      }
      return { family: `nvidia-${word}`, series: Number(next.slice(0, 2)), tier: Number(next.slice(2)), suffix: suffixOf(i + 2, ["ti", "super"]), laptop };
    }
    if (word === "rx" && /^\d{4}$/.test(next)) {
      const series = Number(next.slice(0, 1));
      const tier = Number(next.slice(1));
      // RDNA4 renumbered: the RX 9070 is the tier of a 700.
      return { family: "amd-rx", series, tier: tier < 100 ? tier * 10 : tier, suffix: suffixOf(i + 2, ["xt", "xtx", "gre"]), laptop };
    }
    if (word === "arc" && (next === "a" || next === "b")) {
      const num = t[i + 2] ?? "";
      if (/^\d{3}$/.test(num)) return { family: "intel-arc", series: next === "a" ? 1 : 2, tier: Number(num), suffix: "", laptop };
    }
    if (word === "arc" && next === "pro") {
      const letter = t[i + 2] ?? "";
      const num = t[i + 3] ?? "";
      if ((letter === "a" || letter === "b") && /^\d{2,3}$/.test(num)) return { family: "intel-arc-pro", series: letter === "a" ? 1 : 2, tier: Number(num), suffix: "", laptop };
    }
  }
  return null;
}

let numbered: Array<{ spec: GpuSpec; number: ModelNumber }> | null = null;

function numberedEntries(): Array<{ spec: GpuSpec; number: ModelNumber }> {
  if (numbered !== null) return numbered;
  numbered = [];
  for (const spec of GPU_KNOWLEDGE) {
    if (spec.integrated) continue;
    const number = modelNumber(spec.name);
    if (number !== null) numbered.push({ spec, number });
  }
  return numbered;
}

/**
 * The nearest known model by series and tier: the same series at the nearest tier (a matching suffix preferred), else
 * the nearest series at that tier; the slower on a tie.
 */
function sibling(query: AssumedGpuQuery): AssumedGpu | null {
  const number = modelNumber(query.name);
  if (number === null) return null;
  const tierStep = number.family === "amd-rx" ? 100 : 10;
  const scored = numberedEntries()
    .filter((e) => e.number.family === number.family && e.number.laptop === number.laptop)
    .map((e) => ({
      spec: e.spec,
      sameSeries: e.number.series === number.series,
      score: Math.abs(e.number.series - number.series) * 1000 + Math.abs(e.number.tier - number.tier) / tierStep + (e.number.suffix === number.suffix ? 0 : 0.5),
    }));
  if (scored.length === 0) return null;
  const best = Math.min(...scored.map((s) => s.score));
  const nearest = scored.filter((s) => s.score === best);
  const nameMemory = normalizeGpuName(query.name).memoryGb;
  const specs = byMemory(unique(nearest.map((s) => s.spec)), [query.memoryBytes, nameMemory === null ? null : gibToBytes(nameMemory)]);
  const pick = slowest(specs);
  const sameSeries = nearest[0]?.sameSeries === true;
  return {
    kind: "sibling",
    spec: null,
    vendor: pick.vendor,
    bandwidthGBps: pick.bandwidthGBps,
    assumedPct: Math.min(50, (sameSeries ? GPU_ASSUMED_PCT.sibling : GPU_ASSUMED_PCT.siblingSeries) + (pick.bandwidthAssumedPct ?? 0)),
    reason:
      `${query.name} is not in the knowledge base: the ${sameSeries ? "nearest model of its series" : "same tier of the nearest known series"}, ` +
      `${pick.name}: ${pick.bandwidthGBps} GB/s (${pick.source})`,
  };
}

const VENDOR_LABEL: Readonly<Record<GpuVendor, string>> = { nvidia: "NVIDIA", amd: "AMD", intel: "Intel", apple: "Apple", huawei: "Huawei", other: "" };

/** The slowest known discrete card of the vendor with the memory size nearest to the device's. */
function classFigure(query: AssumedGpuQuery): AssumedGpu | null {
  const memory = query.memoryBytes;
  if (memory === null || !(memory > 0)) return null;
  const cards = GPU_KNOWLEDGE.filter((s) => s.vendor === query.vendor && !s.integrated && !s.unifiedMemory && s.memoryBytes !== null);
  if (cards.length === 0) return null;
  const distance = (s: GpuSpec): number => Math.abs(Math.log(memory / (s.memoryBytes as number)));
  const nearest = Math.min(...cards.map(distance));
  const pick = slowest(cards.filter((s) => Math.abs(distance(s) - nearest) < 1e-9));
  const gib = Math.round((memory / 2 ** 30) * 10) / 10;
  return {
    kind: "class",
    spec: null,
    vendor: query.vendor,
    bandwidthGBps: pick.bandwidthGBps,
    assumedPct: GPU_ASSUMED_PCT.class,
    reason:
      `${query.name} is not in the knowledge base: the slowest known ${VENDOR_LABEL[query.vendor]} card with the memory ` +
      `size nearest to ${gib} GiB, ${pick.name}: ${pick.bandwidthGBps} GB/s (${pick.source})`,
  };
}

/**
 * Figures for a GPU the lookup did not find: an Apple chip by name (its variant by memory size, or the nearest
 * known chip), a known model inside the name, a unified board by its memory, the nearest sibling by series and tier,
 * or a class figure for the vendor's cards of that memory size. Null when nothing matches: a vendor with no entries ("other", Huawei) or a
 * name without a model number and no memory figure.
 */
export function assumeGpu(query: AssumedGpuQuery): AssumedGpu | null {
  const apple =
    query.vendor === "apple" || /apple/i.test(query.name)
      ? resolveAppleChip(query.name, { memoryBytes: query.systemRamBytes, gpuCores: query.gpuCores })
      : null;
  if (apple !== null) {
    return {
      kind: "apple-variant",
      spec: apple.spec,
      vendor: "apple",
      bandwidthGBps: apple.spec.bandwidthGBps,
      assumedPct: apple.assumedPct,
      reason: apple.reason ?? `${apple.spec.name}: ${apple.spec.source}`,
    };
  }
  return looseMatch(query) ?? unifiedBoardByMemory(query) ?? sibling(query) ?? classFigure(query);
}
