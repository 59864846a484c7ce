// Weights: bytes of a model's weights in a format, from its published file size or from its tensors' bits per weight.
import type { ModelSpec } from "../catalog/schema.js";
import { paramBreakdown, type ParamBreakdown } from "../catalog/params.js";
import type { QuantFormat } from "./quants.js";

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
  /** "published file size (repo)" or "bits per weight by tensor class". */
  source: string;
}

const bytesOf = (params: number, bpw: number): number => (params * bpw) / 8;

/** Bytes by tensor class from the format's bits per weight. */
export function computedWeights(p: ParamBreakdown, f: QuantFormat): Omit<WeightsSize, "visionBytes" | "source"> {
  const attention = bytesOf(p.attention + p.linear, f.attentionBpw);
  const ffn = bytesOf(p.denseFfn + p.sharedExperts, f.ffnBpw);
  const routed = bytesOf(p.routedExperts, f.ffnBpw);
  // Routers stay in F32 in GGUF files and in BF16 elsewhere: small either way.
  const router = bytesOf(p.router, f.container === "gguf" ? 32 : 16);
  // With tied embeddings there is no output tensor, and llama.cpp quantizes the token embedding as the output
  // (src/llama-quant.cpp: `!has_output && name == token_embd` takes the output's type).
  const embedding = bytesOf(p.embedding, p.output === 0 && f.container === "gguf" ? f.outputBpw : f.embeddingBpw);
  const output = bytesOf(p.output, f.outputBpw);
  const extra = bytesOf(p.extra, f.ffnBpw);
  const totalBytes = attention + ffn + routed + router + embedding + output + extra;
  const head = p.output > 0 ? output : embedding;
  const activeRouted = bytesOf(p.activeRoutedExperts, f.ffnBpw);
  const activeBytesPerToken = head + attention + ffn + router + activeRouted;
  return { totalBytes, activeBytesPerToken, routedExpertBytes: routed, activeRoutedBytesPerToken: activeRouted };
}

/**
 * The weights of `model` in format `f`. A published GGUF size for that quant wins over the computation; the active
 * and expert shares are then scaled from the computation so that they add up to the published size.
 */
export function weightsSize(model: ModelSpec, f: QuantFormat, withVision: boolean): WeightsSize {
  const p = paramBreakdown(model.architecture);
  const computed = computedWeights(p, f);
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
      visionBytes,
      source: `published file size (${published.repo})`,
    };
  }
  return { ...computed, totalBytes: computed.totalBytes + visionBytes, visionBytes, source: "bits per weight by tensor class" };
}
