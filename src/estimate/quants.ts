// Quantization formats on an architecture: the bits per weight by tensor class a quant makes of a given model.
// The vocabulary (names, containers, file types, quality, ladders) is domain/quants.ts.
import type { Architecture } from "../catalog/schema.js";
import type { ModelSpec } from "../catalog/schema.js";
import { formatOf, quantName, type ClassBits, type QuantFormat, type QuantName } from "../domain/quants.js";
import { ggufClassBits } from "./gguf-mix.js";

/** Bits per weight by tensor class of architecture `a` stored in format `f`. */
export function classBits(f: QuantFormat, a: Architecture): ClassBits {
  if (f.gguf) return ggufClassBits(f.gguf, a);
  if (f.bits) return f.bits;
  throw new RangeError(`quant ${f.name} has neither a GGUF mix nor bits per weight`);
}

/** A model's native quant (gpt-oss: MXFP4), as the estimator names it; null for a model released in 16 bits. */
export function nativeQuant(model: ModelSpec): QuantName | null {
  const native = model.native_quant ?? null;
  return native === null ? null : quantName(native);
}

/**
 * The share of the model's own quality a format keeps: the format's factor (llama.cpp's perplexity tables), except for a
 * model released quantized (gpt-oss in MXFP4): its native format loses nothing, a format storing the FFN weights and
 * the attention at least as wide adds nothing, and one narrower on either keeps its factor relative to the native one
 * (a 4-bit requant of gpt-oss narrows the attention its release keeps at 8 bits and more).
 */
export function qualityKept(f: QuantFormat, model: ModelSpec): number {
  const nativeName = nativeQuant(model);
  if (nativeName === null) return f.qualityFactor;
  const native = formatOf(nativeName);
  if (f.name === native.name) return 1;
  const ffnBits = (x: QuantFormat): number => {
    const b = classBits(x, model.architecture);
    return model.architecture.moe ? b.experts : b.ffn;
  };
  const attentionBits = (x: QuantFormat): number => classBits(x, model.architecture).attention;
  const relative = Math.min(1, f.qualityFactor / native.qualityFactor);
  if (ffnBits(f) < ffnBits(native)) return relative;
  // As wide on the FFN (where a native quant narrows the model) and on attention (which it keeps wide): nothing lost.
  // Narrower on attention only: a little lost, never counted as the release itself.
  return attentionBits(f) >= attentionBits(native) ? 1 : Math.min(relative, 1 - NARROWER_ATTENTION_LOSS);
}

/**
 * What requantizing the attention a natively quantized release keeps wide (gpt-oss: 8 bits and more) costs, at least:
 * llama.cpp's perplexity tables put Q5_K_M 0.3-1% and Q4_K_M 1-2% above Q8_0 over a whole model; counted as 1%, so the
 * release's own format is preferred to a requant that is only faster on paper.
 */
export const NARROWER_ATTENTION_LOSS = 0.01;
