// Plausible figures: a number a tool printed is taken only when it is written as the tool writes numbers and lies
// within the machine-input limits (domain/limits.ts); anything else is dropped with one line naming the tool, the
// device and the value. Shared by every parser and by device building.
import { MAX_BANDWIDTH_GBPS, MAX_CPU_CORES, MAX_GPU_CORES, MAX_GPU_MEMORY_GIB, MAX_GPUS, MAX_RAM_GIB } from "../../domain/limits.js";
import { BYTES_PER_GIB } from "../../domain/units.js";

/** What a figure may be: at most `max` (in the tool's unit), whole unless `fraction`. */
export interface FigureRule {
  max: number;
  /** The unit the tool prints, for the warning ("MiB", "kB", "bytes", "cores"). */
  unit: string;
  /** True where the tool prints decimals ("1.5 GB"); whole numbers only otherwise. */
  fraction?: boolean;
}

/** GPU memory in MiB (nvidia-smi, npu-smi), bytes (sysfs, rocm-smi, the registry) and GiB (profile names). */
export const GPU_MEMORY_MIB: FigureRule = { max: MAX_GPU_MEMORY_GIB * 1024, unit: "MiB" };
export const GPU_MEMORY_BYTES: FigureRule = { max: MAX_GPU_MEMORY_GIB * BYTES_PER_GIB, unit: "bytes" };
/** System RAM in kB (/proc/meminfo, Win32_OperatingSystem: KiB) and bytes (sysctl hw.memsize, cgroups). */
export const RAM_KIB: FigureRule = { max: MAX_RAM_GIB * 1024 * 1024, unit: "kB" };
export const RAM_BYTES: FigureRule = { max: MAX_RAM_GIB * BYTES_PER_GIB, unit: "bytes" };
export const RAM_MIB: FigureRule = { max: MAX_RAM_GIB * 1024, unit: "MB" };
export const CPU_COUNT: FigureRule = { max: MAX_CPU_CORES, unit: "CPUs" };
export const GPU_COUNT: FigureRule = { max: MAX_GPUS, unit: "GPUs" };
export const GPU_CORES: FigureRule = { max: MAX_GPU_CORES, unit: "GPU cores" };
export const BANDWIDTH_GBPS: FigureRule = { max: MAX_BANDWIDTH_GBPS, unit: "GB/s", fraction: true };

/** The most of a tool's text a warning quotes. */
const SHOWN_CHARS = 40;

/**
 * Text as one line of at most `max` characters: terminal escape sequences are removed, control characters (C0, DEL,
 * C1, line and paragraph separators, bidi controls) become spaces, runs of spaces one, and a longer text is cut with "…".
 */
export function oneLine(text: string, max: number): string {
  // Only the head can show: a 10 MB line is not scanned whole.
  const head = text.length > max * 4 + 64 ? text.slice(0, max * 4 + 64) : text;
  const flat = head
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, "")
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, " ").replace(/\s{2,}/g, " ").trim();
  if (flat.length <= max && head.length === text.length) return flat;
  // Cut at max-1 characters (or where the head ends), never inside a surrogate pair.
  let cut = Math.min(flat.length, max - 1);
  const code = flat.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${flat.slice(0, cut)}…`;
}

/** A value as a warning quotes it: one line, short, in quotes. */
export const shown = (text: string): string => `"${oneLine(text, SHOWN_CHARS)}"`;

/** A figure read: its value, or null with the reason it was dropped (null too when the tool printed none). */
export interface Figure {
  value: number | null;
  problem: string | null;
}

const none: Figure = { value: null, problem: null };
const dropped = (what: string, why: string): Figure => ({ value: null, problem: `${what}: ${why}: ignored` });

/**
 * Reads a figure a tool printed. `what` names the tool, the device and the field ("nvidia-smi GPU 0 (NVIDIA
 * GeForce RTX 4090) memory.total"). Accepted: decimal digits (and a fraction where the rule allows it), from 0 to
 * the rule's maximum. Dropped with a problem: a sign, hex (0x1000), an exponent (1e3), anything else, and figures
 * above the maximum. Empty text is no figure and no problem.
 */
export function readFigure(text: string | null | undefined, rule: FigureRule, what: string): Figure {
  if (text === null || text === undefined) return none;
  const t = text.trim();
  if (t === "") return none;
  if (/^-\s*\d/.test(t)) return dropped(what, `${shown(t)} is negative`);
  if (!(rule.fraction ? /^\d+(\.\d+)?$/ : /^\d+$/).test(t)) return dropped(what, `${shown(t)} is not a number as the tool prints one`);
  return checkFigure(Number(t), rule, what, t);
}

/**
 * Checks a number already parsed (a JSON number, a product of figures): finite, not negative, whole unless the rule
 * allows fractions, at most the maximum. `text` is how the tool wrote it, for the warning.
 */
export function checkFigure(value: number, rule: FigureRule, what: string, text: string = String(value)): Figure {
  if (Number.isNaN(value)) return dropped(what, `${shown(text)} is not a number`);
  if (value < 0) return dropped(what, `${shown(text)} is negative`);
  if (value > rule.max) return dropped(what, `${shown(text)} ${rule.unit} is above the plausible ${rule.max} ${rule.unit}`);
  if (!rule.fraction && !Number.isInteger(value)) return dropped(what, `${shown(text)} is not a whole number`);
  return { value, problem: null };
}

/** A size a tool wrote with its unit ("8 GB", "32 GB"), already in bytes: at most `rule.max` bytes, quoted as written. */
export function checkSize(bytes: number, rule: FigureRule, what: string, text: string): Figure {
  if (!Number.isFinite(bytes) || bytes > rule.max) return dropped(what, `${shown(text)} is above the plausible ${rule.max / BYTES_PER_GIB} GiB`);
  return checkFigure(bytes, rule, what, text);
}

/** Collects the problems of figures read: `take(figure)` gives its value and keeps its problem. */
export class Problems {
  readonly list: string[] = [];

  take(figure: Figure): number | null {
    if (figure.problem !== null) this.list.push(figure.problem);
    return figure.value;
  }

  add(problem: string): void {
    this.list.push(problem);
  }
}
