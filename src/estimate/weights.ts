// Weights: bytes of a model's weights in a format, from its published file size or from its tensors' bits per weight.
import type { Architecture, ModelSpec } from "../catalog/schema.js";
import { paramBreakdown } from "../catalog/params.js";
import type { ClassBits, QuantFormat } from "../domain/quants.js";
import { classBits } from "./quants.js";

export interface WeightsSize {
  /** Bytes of the weights the runtime loads (vision tower included when `withVision`). */
  totalBytes: number;
  /** Bytes read from memory per generated token: the LM head, attention, dense FFN, active and shared experts. */
  activeBytesPerToken: number;
  /** Bytes of routed experts (the part MoE offload can leave in system RAM). */
  routedExpertBytes: number;
  /** Of activeBytesPerToken, the routed experts' share. */
  activeRoutedBytesPerToken: number;
  visionBytes: number;
  /**
   * Of totalBytes, what llama.cpp keeps off the GPUs under any GPU offload: the input layer (src/llama-model.cpp
   * "always keep it on the CPU"), i.e. an untied token embedding and a per-layer embedding table. A tied token
   * embedding is in the input layer too, but it is also the head, whose copy (TENSOR_DUPLICATED) the GPU holds: its
   * bytes stay on the GPU, and the host's memory-mapped copy is not counted.
   */
  hostInputBytes: number;
  /** What hostInputBytes holds, in words ("token embedding", "per-layer embedding table"), for notes. */
  hostInputParts: string[];
  /** Bits per weight by tensor class this architecture gets in this format. */
  bits: ClassBits;
  /** "published file size (repo)" or "bits per weight by tensor class". */
  source: string;
}

const bytesOf = (params: number, bpw: number): number => (params * bpw) / 8;

/** Bytes by tensor class from the format's bits per weight for this architecture. */
export function computedWeights(a: Architecture, f: QuantFormat): Omit<WeightsSize, "visionBytes" | "source"> {
  const p = paramBreakdown(a);
  const bits = classBits(f, a);
  const attention = bytesOf(p.attention, bits.attention) + bytesOf(p.linear, bits.linear);
  const ffn = bytesOf(p.denseFfn + p.sharedExperts, bits.ffn);
  const routed = bytesOf(p.routedExperts, bits.experts);
  // Routers stay in F32 in GGUF files (llama.cpp does not quantize ffn_gate_inp) and in BF16 elsewhere.
  const router = bytesOf(p.router, f.container === "gguf" ? 32 : 16);
  // With tied embeddings there is no output tensor; a GGUF mix then types the embedding as the head (gguf-mix.ts).
  const embedding = bytesOf(p.embedding, bits.embedding);
  const output = bytesOf(p.output, bits.output);
  // A per-layer embedding table is typed as the token embedding (llama-quant.cpp), the rest of extra_params at the default.
  const perLayerEmbedding = bytesOf(a.per_layer_embedding_params, bits.embedding);
  const extra = bytesOf(p.extra - a.per_layer_embedding_params, bits.extra) + perLayerEmbedding;
  const totalBytes = attention + ffn + routed + router + embedding + output + extra;
  const head = p.output > 0 ? output : embedding;
  const activeRouted = bytesOf(p.activeRoutedExperts, bits.experts);
  const activeBytesPerToken = head + attention + ffn + router + activeRouted;
  const hostInputBytes = (a.tied_embeddings ? 0 : embedding) + perLayerEmbedding;
  const hostInputParts = [...(a.tied_embeddings ? [] : ["token embedding"]), ...(perLayerEmbedding > 0 ? ["per-layer embedding table"] : [])];
  return { totalBytes, activeBytesPerToken, routedExpertBytes: routed, activeRoutedBytesPerToken: activeRouted, hostInputBytes, hostInputParts, bits };
}

/**
 * The weights of `model` in format `f`. A published GGUF size for that quant wins over the computation; the active
 * and expert shares are then scaled from the computation so that they add up to the published size.
 */
export function weightsSize(model: ModelSpec, f: QuantFormat, withVision: boolean): WeightsSize {
  const p = paramBreakdown(model.architecture);
  const computed = computedWeights(model.architecture, f);
  // Vision towers ship as a separate F16 projector file (mmproj) for llama.cpp, BF16 in safetensors.
  const visionBytes = withVision ? bytesOf(p.vision, 16) : 0;
  const published = f.container === "gguf" ? model.gguf_files.find((g) => g.quant.toUpperCase() === f.name) : undefined;
  if (published) {
    const scale = published.bytes / computed.totalBytes;
    return {
      totalBytes: published.bytes + visionBytes,
      activeBytesPerToken: computed.activeBytesPerToken * scale,
      routedExpertBytes: computed.routedExpertBytes * scale,
      activeRoutedBytesPerToken: computed.activeRoutedBytesPerToken * scale,
      // The embedding's type follows from the mix alone (gguf-mix.ts), so its bytes need no scaling to the file.
      hostInputBytes: Math.min(computed.hostInputBytes, published.bytes),
      hostInputParts: computed.hostInputParts,
      visionBytes,
      bits: computed.bits,
      source: `published file size (${published.repo})`,
    };
  }
  return { ...computed, totalBytes: computed.totalBytes + visionBytes, visionBytes, source: "bits per weight by tensor class" };
}
