// vm_stat parser (macOS): page counts and the page size, and the memory available without paging.

export interface VmStat {
  pageSizeBytes: number;
  /** "Pages free" -> count, keys as printed without the trailing period. */
  pages: Map<string, number>;
}

export function parseVmStat(text: string): VmStat | null {
  const size = /page size of (\d+) bytes/.exec(text);
  if (!size || size[1] === undefined) return null;
  const pages = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^"?([^":]+)"?:\s+(\d+)\.?\s*$/.exec(line);
    if (m && m[1] !== undefined && m[2] !== undefined) pages.set(m[1].trim(), Number(m[2]));
  }
  return { pageSizeBytes: Number(size[1]), pages };
}

/**
 * Memory available without paging: free + speculative + inactive pages. vm_stat prints "Pages free" with the
 * speculative pages taken out, so free + speculative is the kernel's free count, and adding the inactive
 * (reclaimable) pages gives psutil's `available` on macOS.
 */
export function vmStatAvailableBytes(vm: VmStat): number | null {
  const free = vm.pages.get("Pages free");
  const inactive = vm.pages.get("Pages inactive");
  if (free === undefined || inactive === undefined) return null;
  const speculative = vm.pages.get("Pages speculative") ?? 0;
  return (free + inactive + speculative) * vm.pageSizeBytes;
}
