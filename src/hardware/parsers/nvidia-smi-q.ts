// nvidia-smi -q parser: the indented report as a tree, and the MIG devices' framebuffer memory read from it.
import { normalizePciBusId } from "./pci.js";
import { GPU_COUNT, GPU_MEMORY_MIB, readFigure, shown } from "./plausible.js";

export interface QNode {
  key: string;
  /** The text after " : ", or null for a section header. */
  value: string | null;
  children: QNode[];
}

/** Parses the indentation tree of `nvidia-smi -q` ("Key    : value" leaves, bare section headers). */
export function parseNvidiaSmiQTree(text: string): QNode {
  const root: QNode = { key: "", value: null, children: [] };
  const stack: { indent: number; node: QNode }[] = [{ indent: -1, node: root }];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || /^=+/.test(raw.trim())) continue;
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    const sep = line.indexOf(" : ");
    const colonEnd = line.endsWith(" :");
    const node: QNode =
      sep >= 0
        ? { key: line.slice(0, sep).trim(), value: line.slice(sep + 3).trim(), children: [] }
        : { key: colonEnd ? line.slice(0, -2).trim() : line, value: colonEnd ? "" : null, children: [] };
    while (stack.length > 1 && (stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    stack[stack.length - 1]?.node.children.push(node);
    stack.push({ indent, node });
  }
  return root;
}

const child = (n: QNode, key: string): QNode | undefined => n.children.find((c) => c.key === key);
const leaf = (n: QNode | undefined, key: string): string | null => (n ? (child(n, key)?.value ?? null) : null);

/** "40192 MiB" within the plausible GPU memory; "N/A" is none; any other figure is dropped into `problems`. */
function mibValue(s: string | null, what: string, problems: string[]): number | null {
  if (s === null || s.trim() === "" || /^\[?N\/A\]?$/i.test(s.trim())) return null;
  const m = /^(.*?)\s*MiB$/.exec(s.trim());
  const f = readFigure(m ? (m[1] ?? "") : s, GPU_MEMORY_MIB, what);
  if (f.problem !== null) problems.push(m ? f.problem : `${what}: ${shown(s)} is not a MiB figure: ignored`);
  return m ? f.value : null;
}

export interface NvidiaMigMemory {
  /** "Index" of the MIG device under its GPU (the "Device N" of `nvidia-smi -L`). */
  index: number;
  gpuInstanceId: number | null;
  computeInstanceId: number | null;
  fbTotalMiB: number | null;
  fbUsedMiB: number | null;
  fbFreeMiB: number | null;
}

export interface NvidiaQGpu {
  pciBusId: string;
  productName: string | null;
  migModeCurrent: string | null;
  migDevices: NvidiaMigMemory[];
}

/**
 * The GPUs of a `nvidia-smi -q` report, with their MIG devices' memory, in report order. Memory figures are whole MiB
 * within the plausible GPU memory; others are dropped into `problems`.
 */
export function parseNvidiaSmiQ(text: string, problems: string[] = []): NvidiaQGpu[] {
  const root = parseNvidiaSmiQTree(text);
  const gpus: NvidiaQGpu[] = [];
  for (const node of root.children) {
    const m = /^GPU\s+([0-9A-Fa-f:.]+)$/.exec(node.key);
    if (!m || m[1] === undefined) continue;
    if (gpus.length >= GPU_COUNT.max) {
      problems.push(`nvidia-smi -q: more than ${GPU_COUNT.max} GPUs: the rest ignored`);
      break;
    }
    const migs: NvidiaMigMemory[] = [];
    // Drivers print the instances under a "MIG Devices" section, or directly under the GPU.
    const migParent = child(node, "MIG Devices") ?? node;
    for (const dev of migParent.children.filter((c) => c.key === "MIG Device")) {
      const indexText = leaf(dev, "Index");
      if (indexText === null || !/^\d{1,3}$/.test(indexText)) continue;
      const index = Number(indexText);
      const fb = child(dev, "FB Memory Usage");
      const what = (field: string): string => `nvidia-smi -q GPU ${m[1]} MIG device ${index} FB Memory Usage ${field}`;
      const gi = leaf(dev, "GPU Instance ID");
      const ci = leaf(dev, "Compute Instance ID");
      migs.push({
        index,
        gpuInstanceId: gi !== null && /^\d+$/.test(gi) ? Number(gi) : null,
        computeInstanceId: ci !== null && /^\d+$/.test(ci) ? Number(ci) : null,
        fbTotalMiB: mibValue(leaf(fb, "Total"), what("Total"), problems),
        fbUsedMiB: mibValue(leaf(fb, "Used"), what("Used"), problems),
        fbFreeMiB: mibValue(leaf(fb, "Free"), what("Free"), problems),
      });
    }
    gpus.push({
      pciBusId: normalizePciBusId(m[1]),
      productName: leaf(node, "Product Name"),
      migModeCurrent: leaf(child(node, "MIG Mode"), "Current"),
      migDevices: migs,
    });
  }
  return gpus;
}
