// Names mean what their runtime means: an Ollama tag is answered as Ollama runs it (the tag's quant, else the
// library's Q4_K_M or the model's native quant, on llama.cpp, at Ollama's default context); a GGUF file name is that
// file's quant; a request's own fields win.
import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { describeMachine } from "../../src/hardware/describe.js";
import { OLLAMA_DEFAULT_CONTEXT_TOKENS, runEstimateRequest } from "../../src/service/estimate-request.js";

const machine = describeMachine({ ram_gb: 64, cpu_cores: 16, gpus: [{ name: "NVIDIA GeForce RTX 4090" }] });
const mac = describeMachine({ ram_gb: 64, cpu_cores: 16, gpus: [{ name: "Apple M3 Max" }] });
const run = (body: Record<string, unknown>, m = machine) => runEstimateRequest(parseEstimateRequest(body), { models: bundledModels(), machine: m });

describe("names mean what their runtime means", () => {
  it("an Ollama tag: Q4_K_M on llama.cpp at Ollama's default context, on a 4090 and on a Mac alike", () => {
    for (const m of [machine, mac]) {
      const r = run({ model: "llama3.1:8b" }, m);
      expect([r.quant, r.runtime, r.context]).toEqual(["Q4_K_M", "llamacpp", OLLAMA_DEFAULT_CONTEXT_TOKENS]);
      expect(r.notes.join(" ")).toMatch(/an Ollama tag: answered as Ollama runs it/);
    }
  });

  it("a tag that names its quant, a natively quantized model's tag, and a request's own fields", () => {
    expect(run({ model: "llama3.1:8b-instruct-q8_0" }).quant).toBe("Q8_0");
    expect(run({ model: "gpt-oss:20b" }).quant).toBe("MXFP4");
    const own = run({ model: "llama3.1:8b", quant: "Q6_K", context: 16384 });
    expect([own.quant, own.context]).toEqual(["Q6_K", 16384]);
  });

  it("a Hugging Face id is the model, chosen by the policy; a GGUF file name is that file's quant", () => {
    const id = run({ model: "meta-llama/Llama-3.1-8B-Instruct" });
    expect(id.quant).toBe("Q8_0");
    expect(id.notes.join(" ")).not.toMatch(/Ollama/);
    expect(run({ model: "Meta-Llama-3.1-8B-Instruct-Q5_K_M.gguf" }).quant).toBe("Q5_K_M");
  });
});
