// Test support: model stores in a temporary home folder, in each store's real layout, holding real GGUF files written
// by the project's writer (sparse: a 1B model's file takes its header's few MB on disk) and model folders with config.json.
import { createHash } from "node:crypto";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { llamaShape, splitName, writeGguf, writeSplitGguf, type LlamaConfig } from "../support/gguf-writer.js";

/** meta-llama/Llama-3.2-1B-Instruct's shape (its config.json), Q4_K_M. */
export const LLAMA_32_1B: LlamaConfig = { nEmbd: 2048, nLayer: 16, nHead: 32, nHeadKv: 8, nFf: 8192, nVocab: 128256, ctx: 131072, type: "Q4_K", tiedOutput: true, name: "Llama 3.2 1B Instruct" };
/** HuggingFaceTB/SmolLM2-135M-Instruct's shape, Q8_0. */
export const SMOLLM2_135M: LlamaConfig = { nEmbd: 576, nLayer: 30, nHead: 9, nHeadKv: 3, nFf: 1536, nVocab: 49152, ctx: 8192, type: "Q8_0", tiedOutput: true, name: "SmolLM2 135M Instruct" };
/** A model no catalog has. */
export const TINY: LlamaConfig = { nEmbd: 256, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 512, ctx: 4096, type: "Q8_0", name: "Tiny Test Model" };

export const digestOf = (s: string): string => createHash("sha256").update(s).digest("hex");

function gguf(path: string, cfg: LlamaConfig): number {
  mkdirSync(dirname(path), { recursive: true });
  const { metadata, tensors } = llamaShape(cfg);
  return writeGguf(path, metadata, tensors).fileBytes;
}

function file(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A relative symlink, as the Hugging Face cache makes them (snapshots/<rev>/<file> -> ../../blobs/<hash>). */
function link(target: string, at: string): void {
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(relative(dirname(at), target), at);
}

/** An Ollama store: manifests/registry.ollama.ai/<namespace>/<model>/<tag> and blobs/sha256-<hex>. */
export function ollamaModel(root: string, name: string, tag: string, cfg: LlamaConfig | null, namespace = "library"): { blob: string; bytes: number } {
  const hex = digestOf(`${namespace}/${name}:${tag}`);
  const blob = join(root, "blobs", `sha256-${hex}`);
  const bytes = cfg === null ? 123456 : gguf(blob, cfg);
  const layer = (mediaType: string, text: string) => {
    const h = digestOf(text);
    file(join(root, "blobs", `sha256-${h}`), text);
    return { mediaType, digest: `sha256:${h}`, size: text.length };
  };
  const config = layer("application/vnd.docker.container.image.v1+json", JSON.stringify({ model_format: "gguf", model_family: "llama", file_type: "Q4_K_M" }));
  const manifest = {
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    config,
    layers: [
      { mediaType: "application/vnd.ollama.image.model", digest: `sha256:${hex}`, size: bytes },
      layer("application/vnd.ollama.image.template", "{{ .Prompt }}"),
      layer("application/vnd.ollama.image.license", "LLAMA 3.2 COMMUNITY LICENSE AGREEMENT"),
      layer("application/vnd.ollama.image.params", '{"stop":["<|eot_id|>"]}'),
    ],
  };
  file(join(root, "manifests", "registry.ollama.ai", namespace, name, tag), JSON.stringify(manifest));
  return { blob, bytes };
}

/** A repository in the Hugging Face cache: blobs/<hash>, snapshots/<rev>/<file> -> ../../blobs/<hash>, refs/main. */
export function hfRepo(hub: string, repo: string, files: Record<string, LlamaConfig | string>, rev = digestOf(repo).slice(0, 40)): { dir: string; rev: string; bytes: Record<string, number> } {
  const dir = join(hub, `models--${repo.replace("/", "--")}`);
  const bytes: Record<string, number> = {};
  for (const [name, content] of Object.entries(files)) {
    const blob = join(dir, "blobs", digestOf(`${repo}/${name}`));
    if (typeof content === "string") {
      file(blob, content);
      bytes[name] = Buffer.byteLength(content);
    } else bytes[name] = gguf(blob, content);
    link(blob, join(dir, "snapshots", rev, name));
  }
  file(join(dir, "refs", "main"), rev);
  return { dir, rev, bytes };
}

export interface FixtureHome {
  home: string;
  modelsDir: string;
  ollama: { llama: { blob: string; bytes: number }; tiny: { blob: string; bytes: number } };
  hf: { smol: { rev: string; bytes: number }; mlxRev: string };
  lmstudioFile: string;
  llamaCacheFile: string;
  splitBytes: number;
}

/**
 * A home folder with every store: Ollama (llama3.2:1b; a model the catalog lacks; a manifest whose blob is gone), the
 * Hugging Face cache (a GGUF repo, an MLX repo, a BF16 safetensors repo, an unfinished download), LM Studio,
 * llama.cpp's cache, and a --models-dir folder (a split model, a projector, a file named as one model but holding
 * another, a symlink loop).
 */
export function buildHome(root: string): FixtureHome {
  const home = join(root, "home");
  const ollamaRoot = join(home, ".ollama", "models");
  const llama = ollamaModel(ollamaRoot, "llama3.2", "1b", LLAMA_32_1B);
  const tiny = ollamaModel(ollamaRoot, "tiny-custom", "latest", TINY);
  // A manifest whose model blob was deleted: nothing to read, a warning.
  ollamaModel(ollamaRoot, "gone", "latest", null);

  const hub = join(home, ".cache", "huggingface", "hub");
  const smol = hfRepo(hub, "bartowski/SmolLM2-135M-Instruct-GGUF", { "SmolLM2-135M-Instruct-Q8_0.gguf": SMOLLM2_135M });
  const qwenShape = { num_hidden_layers: 28, hidden_size: 1024, num_attention_heads: 16, num_key_value_heads: 8, vocab_size: 151936, model_type: "qwen3" };
  const mlx = hfRepo(hub, "mlx-community/Qwen3-0.6B-4bit", {
    "config.json": JSON.stringify({ ...qwenShape, quantization: { group_size: 64, bits: 4 } }),
    "model.safetensors": "x".repeat(4096),
    "tokenizer.json": "{}",
  });
  hfRepo(hub, "Qwen/Qwen3-0.6B", { "config.json": JSON.stringify({ ...qwenShape, torch_dtype: "bfloat16" }), "model.safetensors": "y".repeat(8192) });
  // An unfinished download: the snapshot's link points at a blob not there yet.
  const partial = join(hub, "models--unsloth--Qwen3-8B-GGUF");
  mkdirSync(join(partial, "blobs"), { recursive: true });
  writeFileSync(join(partial, "blobs", `${digestOf("x")}.incomplete`), "");
  link(join(partial, "blobs", digestOf("x")), join(partial, "snapshots", "abc", "Qwen3-8B-Q4_K_M.gguf"));
  file(join(partial, "refs", "main"), "abc");
  // Not models: datasets and spaces share the cache.
  file(join(hub, "datasets--org--data", "refs", "main"), "r");

  const lmstudioFile = join(home, ".lmstudio", "models", "lmstudio-community", "Llama-3.2-1B-Instruct-GGUF", "Llama-3.2-1B-Instruct-Q4_K_M.gguf");
  gguf(lmstudioFile, LLAMA_32_1B);

  const llamaCacheFile = join(home, ".cache", "llama.cpp", "bartowski_SmolLM2-135M-Instruct-GGUF_SmolLM2-135M-Instruct-Q8_0.gguf");
  gguf(llamaCacheFile, SMOLLM2_135M);
  file(`${llamaCacheFile}.json`, '{"etag":"\\"abc\\"","lastModified":"Mon, 02 Jun 2025 08:00:00 GMT","url":"https://huggingface.co/..."}');

  const modelsDir = join(root, "models");
  mkdirSync(modelsDir, { recursive: true });
  const { metadata, tensors } = llamaShape(TINY);
  const layouts = writeSplitGguf(modelsDir, "tiny-split", 2, metadata, tensors);
  const splitBytes = layouts.reduce((s, l) => s + l.fileBytes, 0);
  gguf(join(modelsDir, "vision", "mmproj-model-f16.gguf"), TINY);
  // Named as Llama 3.2 1B, but its header is another model: not Llama 3.2 1B.
  gguf(join(modelsDir, "impostor", "Llama-3.2-1B-Instruct-Q8_0.gguf"), { ...TINY, name: "Impostor" });
  symlinkSync(".", join(modelsDir, "loop"));
  symlinkSync(modelsDir, join(modelsDir, "impostor", "back"));
  return { home, modelsDir, ollama: { llama, tiny }, hf: { smol: { rev: smol.rev, bytes: smol.bytes["SmolLM2-135M-Instruct-Q8_0.gguf"]! }, mlxRev: mlx.rev }, lmstudioFile, llamaCacheFile, splitBytes };
}

export { splitName };
