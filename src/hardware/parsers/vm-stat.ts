// vm_stat parser (macOS): page counts and the page size, and the memory available without paging.
import { RAM_BYTES, checkFigure, shown } from "./plausible.js";

/** macOS pages are 4 KiB (Intel) or 16 KiB (Apple silicon); vm_stat prints the kernel's (Apple, "vm_stat(1)"). */
const PAGE_SIZES = new Set([4096, 16384]);

export interface VmStat {
  pageSizeBytes: number;
  /** "Pages free" -> count, keys as printed without the trailing period. */
  pages: Map<string, number>;
}

/** The page size and counts; null when there is no page size, or one macOS never uses (with a line in `problems`). */
export function parseVmStat(text: string, problems: string[] = []): VmStat | null {
  const size = /page size of (\S+) bytes/.exec(text);
  if (!size || size[1] === undefined) return null;
  if (!/^\d{1,6}$/.test(size[1]) || !PAGE_SIZES.has(Number(size[1]))) {
    problems.push(`vm_stat: page size ${shown(size[1])} bytes is not a macOS page size: ignored`);
    return null;
  }
  const pages = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^"?([^":]+)"?:\s+(\d{1,15})\.?\s*$/.exec(line);
    if (m && m[1] !== undefined && m[2] !== undefined) pages.set(m[1].trim(), Number(m[2]));
  }
  return { pageSizeBytes: Number(size[1]), pages };
}

/**
 * Memory available without paging: free + speculative + inactive pages. vm_stat prints "Pages free" with the
 * speculative pages taken out, so free + speculative is the kernel's free count, and adding the inactive
 * (reclaimable) pages gives psutil's `available` on macOS.
 */
export function vmStatAvailableBytes(vm: VmStat, problems: string[] = []): number | null {
  const free = vm.pages.get("Pages free");
  const inactive = vm.pages.get("Pages inactive");
  if (free === undefined || inactive === undefined) return null;
  const speculative = vm.pages.get("Pages speculative") ?? 0;
  const f = checkFigure((free + inactive + speculative) * vm.pageSizeBytes, RAM_BYTES, "vm_stat available memory (free + inactive + speculative pages)");
  if (f.problem !== null) problems.push(f.problem);
  return f.value;
}
