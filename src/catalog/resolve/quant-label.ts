// Quant labels in names: finds "Q4_K_M", "UD-Q4_K_XL", "mxfp4", "fp16" at the end of a file name, tag or repo.
import { quantName, type QuantName } from "../../domain/quants.js";

/** GGUF quant labels as they appear in file names and Ollama tags (any case), with Unsloth's "UD-" prefix. */
const GGUF_QUANT =
  "(?:UD-)?(?:IQ[1-4]_(?:XXS|XS|NL|S|M)|TQ[12]_0|Q[2-8]_K(?:_(?:XL|L|M|S))?|Q[4-8]_[01](?:_\\d_\\d)?|BF16|FP16|F16|F32|MXFP4(?:_MOE)?)";
// Separators: "-", "_", "." in file names, ":" in Ollama tags, "@" in LM Studio's `lms get qwen/qwen3-8b@q4_k_m`.
const TRAILING_QUANT = new RegExp(`(?:^|[-_.:@\\s])(${GGUF_QUANT})$`, "i");

export interface SplitQuant {
  /** The name without its quant label. */
  base: string;
  /** The label as written, uppercased ("UD-Q4_K_XL"); null when the name carries none. */
  label: string | null;
}

const ANY_QUANT = new RegExp(`(?:^|[-_.:@\\s])(${GGUF_QUANT})(?=$|[\\s,;])`, "i");

/** A GGUF quant label anywhere in a note ("UD-Q4_K_XL file"), uppercased; null when it names none. */
export function findQuant(text: string): string | null {
  return ANY_QUANT.exec(text)?.[1]?.toUpperCase() ?? null;
}

/** Takes a trailing GGUF quant label off a name: "Qwen3-8B-Q4_K_M" -> "Qwen3-8B" + "Q4_K_M". */
export function splitQuant(name: string): SplitQuant {
  const m = TRAILING_QUANT.exec(name);
  if (!m || m[1] === undefined) return { base: name, label: null };
  return { base: name.slice(0, m.index), label: m[1].toUpperCase() };
}

/**
 * The estimator's name for a quant label, or null when the estimator does not know it. Unsloth's dynamic quants
 * ("UD-IQ1_S", "UD-Q4_K_XL", and the same labels written without "UD-") are sized as the llama.cpp mix they extend
 * (quantName's aliases say which); repacked Q4_0 variants ("Q4_0_4_4") as Q4_0; gpt-oss's MXFP4_MOE mix as MXFP4;
 * llama.cpp's old Q4_1_SOME_F16 file type as Q4_1.
 */
export function canonicalQuant(label: string | null): QuantName | null {
  if (label === null) return null;
  const upper = label.toUpperCase();
  const tries = [upper, upper.replace(/_MOE$/, ""), upper.replace(/^(Q4_0)_\d_\d$/, "$1"), upper.replace(/^(Q4_1)_SOME_F16$/, "$1")];
  for (const t of tries) {
    const name = quantName(t);
    if (name !== null) return name;
  }
  return null;
}
