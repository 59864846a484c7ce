import { describe, expect, it } from "vitest";
import { parseReference } from "./reference.js";

describe("parseReference", () => {
  it("drops a URL's query and fragment", () => {
    expect(parseReference("https://huggingface.co/Qwen/Qwen3-32B?library=transformers")).toMatchObject({ form: "repo", repo: "Qwen/Qwen3-32B" });
    expect(parseReference("https://huggingface.co/openai/gpt-oss-120b#usage")).toMatchObject({ repo: "openai/gpt-oss-120b" });
    const dl = parseReference("https://huggingface.co/unsloth/Qwen3-8B-GGUF/resolve/main/Qwen3-8B-Q4_K_M.gguf?download=true");
    expect(dl).toMatchObject({ repo: "unsloth/Qwen3-8B-GGUF", file: "Qwen3-8B-Q4_K_M.gguf", quantLabel: "Q4_K_M", quantFrom: "file" });
  });

  it("reads the quant of a tree URL's folder", () => {
    expect(parseReference("https://huggingface.co/unsloth/DeepSeek-R1-GGUF/tree/main/DeepSeek-R1-UD-IQ1_S")).toMatchObject({ quantLabel: "UD-IQ1_S" });
    expect(parseReference("https://huggingface.co/Qwen/Qwen3-8B/blob/main/README.md")).toMatchObject({ quantLabel: null });
  });

  it("reads a file split by bytes as the GGUF file it is a part of", () => {
    const part = parseReference("mradermacher/Meta-Llama-3.1-70B-Instruct-GGUF/Meta-Llama-3.1-70B-Instruct.Q6_K.gguf.part1of2");
    expect(part).toMatchObject({ repo: "mradermacher/Meta-Llama-3.1-70B-Instruct-GGUF", file: "Meta-Llama-3.1-70B-Instruct.Q6_K.gguf", quantLabel: "Q6_K" });
    expect(parseReference("DeepSeek-R1-Distill-Llama-70B.Q8_0.gguf.part2of2")).toMatchObject({ file: "DeepSeek-R1-Distill-Llama-70B.Q8_0.gguf", quantLabel: "Q8_0" });
  });

  it("takes the model out of a pasted ollama command", () => {
    expect(parseReference("ollama run qwen3:8b")).toMatchObject({ form: "ollama", ollama: { name: "qwen3", tag: "8b" } });
    expect(parseReference("ollama pull nomic-embed-text")).toMatchObject({ ollama: { name: "nomic-embed-text", tag: "" } });
  });

  it("reads owner/repo from model folders and the Hugging Face cache", () => {
    expect(parseReference("~/.lmstudio/models/mlx-community/Qwen3-8B-4bit")).toMatchObject({ form: "repo", owner: "mlx-community", name: "Qwen3-8B", formatQuant: "MLX-4BIT" });
    expect(parseReference("C:\\Users\\Jane Doe\\models\\Qwen\\Qwen3-8B")).toMatchObject({ form: "repo", repo: "Qwen/Qwen3-8B" });
    expect(parseReference("~/.cache/huggingface/hub/models--Qwen--Qwen3-8B")).toMatchObject({ form: "repo", repo: "Qwen/Qwen3-8B" });
    const snap = parseReference("/h/.cache/huggingface/hub/models--unsloth--Qwen3-8B-GGUF/snapshots/abc/Qwen3-8B-Q4_K_M.gguf");
    expect(snap).toMatchObject({ repo: "unsloth/Qwen3-8B-GGUF", file: "Qwen3-8B-Q4_K_M.gguf", quantLabel: "Q4_K_M" });
    // Ollama's registry paths stay Ollama names.
    expect(parseReference("ollama.com/library/qwen3")).toMatchObject({ form: "plain", ollama: { name: "qwen3", tag: "" } });
  });

  it("reads llama.cpp's -hf cache file names and its converter's ggml-model stem", () => {
    expect(parseReference("unsloth_Qwen3-8B-GGUF_Qwen3-8B-Q4_K_M.gguf")).toMatchObject({ form: "file", name: "Qwen3-8B", quantLabel: "Q4_K_M" });
    expect(parseReference("all-MiniLM-L6-v2-ggml-model-f16.gguf")).toMatchObject({ name: "all-MiniLM-L6-v2", quantLabel: "F16" });
    expect(parseReference("ggml-model-Q4_K_M.gguf")).toMatchObject({ name: "ggml-model", quantLabel: "Q4_K_M" });
  });

  it("strips llm-compressor's quantized.wNaM suffix and names its format", () => {
    expect(parseReference("RedHatAI/Meta-Llama-3.1-70B-Instruct-quantized.w4a16")).toMatchObject({ name: "Meta-Llama-3.1-70B-Instruct", repackaged: true, formatQuant: "GPTQ" });
    expect(parseReference("RedHatAI/Llama-3.3-70B-Instruct-quantized.w8a8")).toMatchObject({ name: "Llama-3.3-70B-Instruct", formatQuant: "INT8" });
  });

  it("names the formats of quantizers' repo suffixes", () => {
    expect(parseReference("Intel/Qwen3.5-27B-int4-AutoRound")).toMatchObject({ name: "Qwen3.5-27B", formatQuant: "GPTQ" });
    expect(parseReference("cyankiwi/gemma-4-26B-A4B-it-AWQ-4bit")).toMatchObject({ name: "gemma-4-26B-A4B-it", formatQuant: "AWQ" });
    expect(parseReference("RedHatAI/gemma-3-27b-it-FP8-dynamic")).toMatchObject({ name: "gemma-3-27b-it", formatQuant: "FP8" });
    expect(parseReference("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int8")).toMatchObject({ name: "Qwen2.5-7B-Instruct", formatQuant: "INT8" });
    expect(parseReference("mlx-community/Qwen3-8B-6bit")).toMatchObject({ name: "Qwen3-8B", formatQuant: "MLX-6BIT" });
    expect(parseReference("prism-ml/Ternary-Bonsai-8B-mlx-2bit")).toMatchObject({ name: "Ternary-Bonsai-8B", formatQuant: "MLX-2BIT" });
    // "-4bit" outside an MLX repo is a bitsandbytes upload, which the estimator does not size.
    expect(parseReference("someone/Qwen3-8B-4bit")).toMatchObject({ name: "Qwen3-8B", formatQuant: null });
  });

  it("drops Google's -qat marker: the model's own weights", () => {
    expect(parseReference("unsloth/gemma-4-26B-A4B-it-qat-GGUF")).toMatchObject({ name: "gemma-4-26B-A4B-it" });
    expect(parseReference("gemma-4-E4B-it-QAT-Q4_0.gguf")).toMatchObject({ name: "gemma-4-E4B-it", quantLabel: "Q4_0" });
    expect(parseReference("lmstudio-community/gemma-4-26B-A4B-it-QAT-MLX-4bit")).toMatchObject({ name: "gemma-4-26B-A4B-it", formatQuant: "MLX-4BIT" });
  });

  it("drops an -MTP export marker and reads the format before it", () => {
    expect(parseReference("sakamakismile/Huihui-Qwen3.6-27B-abliterated-NVFP4-MTP")).toMatchObject({ name: "Huihui-Qwen3.6-27B-abliterated", formatQuant: "NVFP4" });
  });

  it("reads a note in parentheses: a quant it names is taken, other words stay", () => {
    expect(parseReference("Qwen3-4B (UD-Q4_K_XL file)")).toMatchObject({ name: "Qwen3-4B", quantLabel: "UD-Q4_K_XL" });
    expect(parseReference("TinyLlama-1.1B (openorca)")).toMatchObject({ name: "TinyLlama-1.1B openorca", quantLabel: null });
  });
});
