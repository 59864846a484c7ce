// GPU name normalization: turns the names tools print and users type into one order-free token key.

export interface NormalizedGpuName {
  /** Significant tokens, in the order written: lower case, letters and digits split ("rtx4090" -> rtx 4090). */
  tokens: readonly string[];
  /** The tokens sorted and joined by one space: equal for "RTX 4090", "rtx4090" and "NVIDIA GeForce RTX 4090". */
  key: string;
  /** The key without the memory token when the name carries exactly one ("24gb"); else the key itself. */
  keyWithoutMemory: string;
  /** Memory written in the name, in marketed GB ("RTX 3060 12GB" -> 12), when there is exactly one figure. */
  memoryGb: number | null;
  /** GPU core count written in the name ("(40-core GPU)", "40c", "76 GPU cores"), else null. */
  gpuCores: number | null;
}

/** Words that name a vendor, a brand or a device class, and never tell two models apart. */
const NOISE = new Set([
  "nvidia",
  "geforce",
  "tesla",
  "amd",
  "ati",
  "radeon",
  "instinct",
  "advanced",
  "micro",
  "devices",
  "inc",
  "corporation",
  "corp",
  "intel",
  "apple",
  "graphics",
  "gpu",
  "device",
  "generation",
  "edition",
]);

/** Words tools use for the same thing. */
const SYNONYMS: ReadonlyMap<string, string> = new Map([
  ["mobile", "laptop"],
  ["notebook", "laptop"],
]);

/** Laptop GPUs are sold "with Max-Q Design": the same chip, so those words do not tell models apart. */
const LAPTOP_NOISE = new Set(["maxq", "with", "design"]);

const MEMORY_TOKEN = /^\d+gb$/;
const CORES_PATTERNS = [/(\d+)\s*-?\s*(?:core|cores|c)\b(?:\s*gpu)?/, /(\d+)\s*gpu\s*-?\s*cores?\b/];

export function normalizeGpuName(raw: string): NormalizedGpuName {
  let s = raw.toLowerCase().replace(/\((?:r|tm|c)\)|[®™©]/g, " ");
  s = s.replace(/\bmax[\s-]?q\b/g, " maxq ");

  let gpuCores: number | null = null;
  for (const pattern of CORES_PATTERNS) {
    const m = pattern.exec(s);
    if (m !== null && m[1] !== undefined) {
      gpuCores = Number.parseInt(m[1], 10);
      s = s.slice(0, m.index) + " " + s.slice(m.index + m[0].length);
      break;
    }
  }

  // "24 GB" and "24GB" become one token "24gb"; "GB10" stays "gb" + "10".
  s = s.replace(/(\d+)\s*gb\b/g, "$1gb");

  let tokens: string[] = [];
  for (const chunk of s.split(/[^a-z0-9]+/)) {
    if (chunk === "") continue;
    if (MEMORY_TOKEN.test(chunk)) {
      tokens.push(chunk);
      continue;
    }
    for (const part of chunk.match(/[a-z]+|\d+/g) ?? []) tokens.push(SYNONYMS.get(part) ?? part);
  }
  tokens = tokens.filter((t) => !NOISE.has(t));
  if (tokens.includes("laptop")) tokens = tokens.filter((t) => !LAPTOP_NOISE.has(t));

  const memoryTokens = tokens.filter((t) => MEMORY_TOKEN.test(t));
  const memoryToken = memoryTokens.length === 1 ? memoryTokens[0] : undefined;
  const key = sortedKey(tokens);
  return {
    tokens,
    key,
    keyWithoutMemory: memoryToken === undefined ? key : sortedKey(tokens.filter((t) => t !== memoryToken)),
    memoryGb: memoryToken === undefined ? null : Number.parseInt(memoryToken, 10),
    gpuCores,
  };
}

const sortedKey = (tokens: readonly string[]): string => [...tokens].sort().join(" ");

/**
 * The model names inside one printed name. lspci and rocm-smi print a codename and, in brackets, the models
 * sharing the chip: "Navi 31 [Radeon RX 7900 XT/7900 XTX]" gives "Radeon RX 7900 XT" and "Radeon RX 7900 XTX"
 * (a later model written as a bare number borrows the first one's leading words). OpenGL renderer suffixes
 * ("/PCIe/SSE2") and MIG suffixes ("MIG 3g.40gb") are dropped. Any other name is returned as it is.
 */
export function gpuNameAlternatives(raw: string): string[] {
  let s = raw.trim().replace(/\/pcie\/sse2\s*$/i, "").replace(/\/sse2\s*$/i, "");
  s = s.replace(/\s+mig\s+\d+g\.\d+gb\b.*$/i, "");
  s = s.replace(/\s*\(rev [0-9a-f]+\)\s*$/i, "");

  const brackets = [...s.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] ?? "").filter((c) => /\d/.test(c));
  const content = brackets.at(-1) ?? s.replace(/\[[^\]]*\]/g, " ");
  if (!content.includes("/")) return [content.trim()];

  const parts: string[] = [];
  for (const piece of content.split("/").map((p) => p.trim())) {
    const last = parts.length - 1;
    // A piece without a model number ("Max-Q") belongs to the model before it.
    if (last >= 0 && !/\d/.test(piece)) parts[last] = `${parts[last] ?? ""} ${piece}`;
    else if (piece !== "") parts.push(piece);
  }
  const firstWords = (parts[0] ?? "").split(/\s+/);
  const numberAt = firstWords.findIndex((w) => /\d/.test(w));
  const prefix = numberAt > 0 ? firstWords.slice(0, numberAt).join(" ") : "";
  return parts.map((p, i) => (i > 0 && prefix !== "" && /^\d/.test(p) ? `${prefix} ${p}` : p));
}
