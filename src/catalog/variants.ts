// Pre-quantized variants: the estimator's quant name of each variant format, and a model's export of a quant.
import type { QuantName } from "../domain/quants.js";
import type { ModelSpec, Variant } from "./schema.js";

/** The estimator's quant (domain/quants.ts) each variant format holds; null = one it does not size (bitsandbytes). */
export const VARIANT_QUANT: Readonly<Record<Variant["format"], QuantName | null>> = {
  awq: "AWQ",
  gptq: "GPTQ",
  fp8: "FP8",
  nvfp4: "NVFP4",
  mxfp4: "MXFP4-SAFETENSORS",
  "mlx-4bit": "MLX-4BIT",
  "mlx-8bit": "MLX-8BIT",
  "mlx-mxfp4": "MLX-MXFP4",
  "bnb-4bit": null,
};

/** Quants stored with the same bits per weight, so either export measures the same figure: AWQ and GPTQ int4 at group 128. */
const SAME_BITS: Readonly<Partial<Record<QuantName, QuantName>>> = { AWQ: "GPTQ", GPTQ: "AWQ" };

/** The model's export of `quant`, else of a quant with the same bits per weight; undefined when it lists none. */
export function variantOf(m: ModelSpec, quant: QuantName): Variant | undefined {
  const holding = (q: QuantName): Variant | undefined => m.variants.find((v) => VARIANT_QUANT[v.format] === q);
  const twin = SAME_BITS[quant];
  return holding(quant) ?? (twin === undefined ? undefined : holding(twin));
}
