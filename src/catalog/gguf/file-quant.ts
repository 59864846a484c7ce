// GGUF file quant: the quant label of a GGUF file, from general.file_type or, without it, its dominant tensor type.
import { GGMLFileQuantizationType } from "@huggingface/gguf";
import { formatOf } from "../../domain/quants.js";
import { canonicalQuant } from "../resolve/quant-label.js";
import { ggmlTypeName } from "./ggml-types.js";
import type { GgufHeader } from "./read-gguf.js";

export interface FileQuant {
  /** The quant label for the catalog's gguf_files (the estimator's name when it knows the quant). */
  quant: string;
  /** llama.cpp's file type name from general.file_type ("Q4_K_M"); null when the file has none. */
  fileType: string | null;
  warnings: string[];
}

/** The quant of the file: llama.cpp's `general.file_type`, else the type holding most of the tensor bytes. */
export function fileQuant(header: GgufHeader): FileQuant {
  const warnings: string[] = [];
  const raw = header.metadata["general.file_type"];
  const fileType = typeof raw === "number" ? (GGMLFileQuantizationType[raw] ?? null) : null;
  let label: string;
  if (fileType !== null) {
    // File types whose estimator name differs (repacked Q4_0, the gpt-oss MXFP4 mix, the old Q4_1 mix) are mapped by
    // canonicalQuant, as in file names.
    label = fileType;
  } else {
    const bytesByType = new Map<number, number>();
    for (const t of header.tensors) if (t.shape.length >= 2) bytesByType.set(t.type, (bytesByType.get(t.type) ?? 0) + t.bytes);
    const [dominant] = [...bytesByType].sort((a, b) => b[1] - a[1]);
    label = dominant ? ggmlTypeName(dominant[0]) : "unknown";
    warnings.push(
      typeof raw === "number"
        ? `general.file_type ${raw} is not a file type nodefit knows: quant taken from the tensors (${label})`
        : `no general.file_type: quant taken from the tensors (${label})`,
    );
  }
  // A GGUF header names a GGUF quant: a safetensors format of the same name (NVFP4) is not this file's.
  const canonical = canonicalQuant(label);
  const known = canonical !== null && formatOf(canonical).container === "gguf" ? canonical : null;
  if (known === null) warnings.push(`nodefit's estimator does not know quant ${label}: estimates cannot use this file's exact size`);
  return { quant: known ?? label, fileType, warnings };
}
