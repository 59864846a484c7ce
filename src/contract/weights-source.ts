// Where an estimate's weights come from (the repository to download) and the command that measures the same figure.
import type { ModelSpec } from "../catalog/schema.js";
import type { QuantName } from "../domain/quants.js";
import { variantOf } from "../catalog/variants.js";
import type { Estimate, Runtime } from "../estimate/types.js";

/**
 * The repository holding the weights an estimate sized: for llama.cpp the model's GGUF repository (the one with a
 * published file of this quant, else the first listed; for an entry imported from a GGUF file, that file); for vLLM
 * and MLX the catalog's pre-quantized export of that quant (or of one with the same bits, `variantOf`), the base
 * repository for BF16, and for FP8 also the base repository when no FP8 export is listed (vLLM quantizes BF16
 * weights to FP8 on load, `--quantization fp8`). null when the catalog lists no repository in that format.
 */
export function weightsRepo(m: ModelSpec, runtime: Runtime, quant: QuantName): string | null {
  if (runtime === "llamacpp") {
    // A file size may come from a fine-tune of the same shape (the catalog notes say so): only the model's own
    // repositories are offered for download.
    const files = m.gguf_files.filter((g) => g.quant.toUpperCase() === quant.toUpperCase());
    const own = m.gguf_sources.find((s) => files.some((g) => g.repo.toLowerCase() === s.toLowerCase()));
    const importedFile = files.find((g) => g.repo.toLowerCase().endsWith(".gguf"));
    return own ?? likelyPublisher(m, quant) ?? importedFile?.repo ?? null;
  }
  if (quant === "BF16-SAFETENSORS") return m.id;
  const variant = variantOf(m, quant);
  if (variant) return variant.repo;
  return quant === "FP8" && runtime === "vllm" ? m.id : null;
}

/**
 * With no published file of the quant listed: the first GGUF repository, except that ggml-org's conversion of a
 * natively quantized release holds that format alone (ggml-org/gpt-oss-120b-GGUF: MXFP4 only), so another quant is
 * looked for in the quantizers' repositories (unsloth, bartowski, lmstudio-community) first.
 */
function likelyPublisher(m: ModelSpec, quant: QuantName): string | null {
  const nativeOnly = (repo: string): boolean => /^ggml-org\//i.test(repo) && m.native_quant !== null && m.native_quant.toUpperCase() !== quant.toUpperCase();
  return m.gguf_sources.find((s) => !nativeOnly(s)) ?? m.gguf_sources[0] ?? null;
}

/** mlx_lm.convert's --q-bits of each MLX format. */
const MLX_BITS: Readonly<Partial<Record<QuantName, number>>> = { "MLX-2BIT": 2, "MLX-3BIT": 3, "MLX-4BIT": 4, "MLX-5BIT": 5, "MLX-6BIT": 6, "MLX-8BIT": 8 };

/** A word as a POSIX shell reads it: an imported file's name may hold spaces or quotes. */
const shellWord = (s: string): string => (/^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** A command that measures the same figure on the machine, for the estimate's runtime, quant and weights. */
export function verifyCommand(e: Estimate): string {
  const m = e.model;
  const repo = weightsRepo(m, e.runtime, e.quant);
  const name = m.id.split("/")[1] ?? m.id;
  if (e.runtime === "mlx") {
    const generate = (model: string) => `mlx_lm.generate --model ${model} --prompt "Write a short story." --max-tokens 256`;
    if (repo) return generate(repo);
    // No MLX export listed: make one from the original weights in the estimate's format.
    if (e.quant === "MLX-MXFP4") {
      const dir = `${name}-mlx-mxfp4`;
      return `mlx_lm.convert --hf-path ${m.id} -q --q-mode mxfp4 --mlx-path ${dir} && ${generate(dir)}`;
    }
    const dir = `${name}-mlx-${MLX_BITS[e.quant] ?? 4}bit`;
    return `mlx_lm.convert --hf-path ${m.id} -q --q-bits ${MLX_BITS[e.quant] ?? 4} --mlx-path ${dir} && ${generate(dir)}`;
  }
  if (e.runtime === "vllm") {
    const onLoad = repo === m.id && e.quant === "FP8" ? " --quantization fp8" : "";
    return `vllm bench latency --model ${repo ?? `<${e.quant} export of ${m.id}>`}${onLoad} --batch-size 1 --input-len 512 --output-len 128`;
  }
  const placement = llamaBenchPlacement(e);
  if (repo?.toLowerCase().endsWith(".gguf")) return `llama-bench -m ${shellWord(repo)}${placement} -p 512 -n 128`;
  if (repo) return `llama-bench -hf ${repo}:${e.quant}${placement} -p 512 -n 128`;
  const ollama = m.ollama[0];
  if (ollama) return `ollama run ${ollama} --verbose "Write a short story."`;
  return `llama-bench -m ${name}-${e.quant}.gguf${placement} -p 512 -n 128`;
}

/**
 * llama-bench's flags for the estimate's placement (it offloads every layer by default): the routed experts of the
 * first N layers in system RAM (--n-cpu-moe), N layers on the GPU (-ngl, whole layers: a squeezed offload's share
 * rounded down), or none (-ngl 0).
 */
function llamaBenchPlacement(e: Estimate): string {
  const count = (key: string): number | null => {
    const v = e.basis[key];
    return typeof v === "number" && Number.isFinite(v) ? v : null;
  };
  if (e.runMode === "moe_offload") {
    const n = count("n_cpu_moe");
    return n === null ? "" : ` --n-cpu-moe ${n}`;
  }
  if (e.runMode === "cpu_offload") {
    const n = count("gpu_layers");
    return n === null ? "" : ` -ngl ${Math.floor(n)}`;
  }
  return e.runMode === "cpu_only" ? " -ngl 0" : "";
}
