// GPU "did you mean": the knowledge-base models a name may mean when the lookup cannot size it ("Jetson Orin": six
// boards; "RTX 409": a typo of "RTX 4090"). Suggestions for an error message, never a match.
import { editDistance, typoBudget } from "../../domain/edit-distance.js";
import { GPU_KNOWLEDGE } from "./gpus.js";
import { normalizeGpuName } from "./normalize.js";
import type { GpuSpec } from "./types.js";

interface Form {
  spec: GpuSpec;
  tokens: ReadonlySet<string>;
  /** The tokens in the order written, joined by one space ("geforce" and "nvidia" dropped): "rtx 4090 d". */
  text: string;
}

let forms: Form[] | null = null;

function allForms(): Form[] {
  if (forms !== null) return forms;
  forms = [];
  for (const spec of GPU_KNOWLEDGE) {
    for (const name of [spec.name, ...spec.aliases]) {
      const { tokens } = normalizeGpuName(name);
      if (tokens.length > 0) forms.push({ spec, tokens: new Set(tokens), text: tokens.join(" ") });
    }
  }
  return forms;
}

const unique = (specs: readonly GpuSpec[]): GpuSpec[] => [...new Set(specs)];

/**
 * Knowledge-base models `name` may mean, best first, at most `limit`: those whose names hold every word of it ("H100":
 * the PCIe, SXM5 and NVL cards; "Jetson Orin": every Orin board), else the closest of those a few typing mistakes
 * away (one per four characters of its words: "RTX 409" is the RTX 4090). Empty when nothing is that close.
 */
export function gpuNameCandidates(name: string, limit = 6): GpuSpec[] {
  const { tokens } = normalizeGpuName(name);
  if (tokens.length === 0) return [];
  const words = new Set(tokens);
  const holding = allForms()
    .filter((f) => [...words].every((t) => f.tokens.has(t)))
    .sort((a, b) => a.tokens.size - b.tokens.size || a.spec.name.localeCompare(b.spec.name));
  if (holding.length > 0) return unique(holding.map((f) => f.spec)).slice(0, limit);
  const text = tokens.join(" ");
  const budget = typoBudget(text.length);
  const near = allForms()
    .map((f) => ({ spec: f.spec, distance: editDistance(text, f.text, budget) }))
    .filter((c) => c.distance <= budget);
  if (near.length === 0) return [];
  const closest = near.reduce((n, c) => Math.min(n, c.distance), budget);
  return unique(
    near
      .filter((c) => c.distance === closest)
      .sort((a, b) => a.spec.name.length - b.spec.name.length || a.spec.name.localeCompare(b.spec.name))
      .map((c) => c.spec),
  ).slice(0, limit);
}
