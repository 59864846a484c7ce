// Quantization formats on an architecture: the bits per weight by tensor class a quant makes of a given model.
// The vocabulary (names, containers, file types, quality, ladders) is domain/quants.ts.
import type { Architecture } from "../catalog/schema.js";
import type { ClassBits, QuantFormat } from "../domain/quants.js";
import { ggufClassBits } from "./gguf-mix.js";

/** Bits per weight by tensor class of architecture `a` stored in format `f`. */
export function classBits(f: QuantFormat, a: Architecture): ClassBits {
  if (f.gguf) return ggufClassBits(f.gguf, a);
  if (f.bits) return f.bits;
  throw new RangeError(`quant ${f.name} has neither a GGUF mix nor bits per weight`);
}
