// config.json to an architecture: recorded config.json files of real models (test/fixtures/hub/config/, as their
// repositories publish them) give exactly the architecture the catalog holds for each, and what the converter cannot
// express is refused with why.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { paramBreakdown } from "../../src/catalog/params.js";
import { architectureFromConfig, ConfigRefusal } from "../../src/hub/config-json.js";

const DIR = new URL("../fixtures/hub/config/", import.meta.url);
const models = bundledModels();
const recorded = readdirSync(DIR)
  .filter((f) => f.endsWith(".json") && !f.startsWith("unsupported__"))
  .map((f) => ({ id: f.replace(/\.json$/, "").replace("__", "/"), config: JSON.parse(readFileSync(new URL(f, DIR), "utf8")) as Record<string, unknown> }));

/** The architecture without what config.json cannot give (the vision tower's size) or words it with (the pattern). */
const comparable = (a: ReturnType<typeof architectureFromConfig>["architecture"]) => ({
  ...a,
  vision_params: 0,
  extra_params: 0,
  attention: { ...a.attention, layer_pattern: null },
});

describe("config.json of the common families", () => {
  it("covers llama, mistral, mixtral, qwen2, qwen3, qwen3 MoE, gemma 1-3, phi-2, phi-3 and DeepSeek V2", () => {
    const types = new Set(recorded.map((r) => String((r.config["text_config"] as { model_type?: string } | undefined)?.model_type ?? r.config["model_type"])));
    expect([...types].sort()).toEqual(["deepseek_v2", "gemma", "gemma2", "gemma3_text", "llama", "mistral", "mixtral", "phi", "phi3", "qwen2", "qwen3", "qwen3_moe"]);
  });

  it.each(recorded)("$id: the catalog's architecture", ({ id, config }) => {
    const entry = models.find((m) => m.id === id);
    expect(entry, id).toBeDefined();
    const got = architectureFromConfig(config);
    expect(comparable(got.architecture)).toEqual(comparable(entry!.architecture));
    expect(got.contextLength).toBe(config["max_position_embeddings"] ?? 131_072);
    expect(got.vision).toBe(entry!.category === "multimodal");
    // Within the catalog's 3% of its stated parameters once the vision tower is left out.
    const text = paramBreakdown(got.architecture).total;
    expect(Math.abs(text - (entry!.params_total - entry!.architecture.vision_params)) / entry!.params_total).toBeLessThan(0.03);
  });

  it("reads sliding windows: Mistral and Phi-3 on every layer, Gemma 2 alternating, Gemma 3 five to one, layer_types when given", () => {
    const phi3 = recorded.find((r) => r.id === "microsoft/Phi-3-mini-4k-instruct")!.config;
    expect(architectureFromConfig(phi3).architecture.attention).toMatchObject({ sliding_layers: 32, full_layers: 0, sliding_window: 2047 });
    // A window as long as the context is none.
    expect(architectureFromConfig({ ...phi3, sliding_window: 4096 }).architecture.attention).toMatchObject({ sliding_layers: 0, sliding_window: null });
    const gemma2 = recorded.find((r) => r.id === "google/gemma-2-9b-it")!.config;
    expect(architectureFromConfig(gemma2).architecture.attention).toMatchObject({ sliding_layers: 21, full_layers: 21, sliding_window: 4096 });
    const types = Array.from({ length: 42 }, (_, i) => (i % 3 === 2 ? "full_attention" : "sliding_attention"));
    expect(architectureFromConfig({ ...gemma2, layer_types: types }).architecture.attention).toMatchObject({ sliding_layers: 28, full_layers: 14 });
    const qwen = recorded.find((r) => r.id === "Qwen/Qwen2.5-7B-Instruct")!.config;
    expect(architectureFromConfig({ ...qwen, use_sliding_window: true, sliding_window: 4096, max_window_layers: 20 }).architecture.attention).toMatchObject({ sliding_layers: 8, sliding_window: 4096 });
  });

  it("reads MoE and MLA: Mixtral's experts, Qwen3 MoE's, DeepSeek's shared experts, dense first layers and latent cache", () => {
    const ds = architectureFromConfig(recorded.find((r) => r.id === "deepseek-ai/DeepSeek-V2-Lite-Chat")!.config);
    expect(ds.architecture.moe).toMatchObject({ experts: 64, active_experts: 6, shared_experts: 2, expert_ffn_size: 1408, dense_layers: 1, dense_ffn_size: 10944 });
    expect(ds.architecture.attention.mla).toEqual({ kv_lora_rank: 512, qk_rope_head_dim: 64, qk_nope_head_dim: 128, v_head_dim: 128, q_lora_rank: null });
    expect(ds.caveats.join(" ")).toMatch(/YaRN scaling reaches from 4096/);
    const q = recorded.find((r) => r.id === "Qwen/Qwen3-30B-A3B")!.config;
    expect(architectureFromConfig({ ...q, mlp_only_layers: [0, 1] }).architecture.moe).toMatchObject({ dense_layers: 2, dense_ffn_size: 6144 });
  });

  it("says the format of quantized weights (AWQ, GPTQ, FP8, NVFP4, MLX)", () => {
    const base = recorded.find((r) => r.id === "Qwen/Qwen3-8B")!.config;
    expect(architectureFromConfig({ ...base, quantization_config: { quant_method: "awq", bits: 4 } }).storedAs).toBe("AWQ");
    expect(architectureFromConfig({ ...base, quantization_config: { quant_method: "gptq", bits: 8 } }).storedAs).toBe("INT8");
    expect(architectureFromConfig({ ...base, quantization_config: { quant_method: "fp8" } }).storedAs).toBe("FP8");
    expect(architectureFromConfig({ ...base, quantization: { group_size: 64, bits: 4 } }).storedAs).toBe("MLX-4BIT");
    expect(architectureFromConfig({ ...base, quantization_config: { quant_method: "modelopt", quant_algo: "NVFP4" } }).storedAs).toBe("NVFP4");
    expect(architectureFromConfig({ ...base, quantization: { group_size: 32, bits: 4, mode: "mxfp4" } }).storedAs).toBe("MLX-MXFP4");
    expect(architectureFromConfig({ ...base, quantization_config: { quant_method: "bitsandbytes", load_in_4bit: true } }).storedAs).toBeNull();
    expect(architectureFromConfig(base).storedAs).toBeNull();
  });

  it("refuses what it cannot express, saying why", () => {
    const refusal = (config: unknown): string => {
      try {
        architectureFromConfig(config);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigRefusal);
        return (e as Error).message;
      }
      throw new Error("expected a refusal");
    };
    const llama4 = JSON.parse(readFileSync(new URL("unsupported__llama4.json", DIR), "utf8"));
    expect(refusal(llama4)).toMatch(/describes a "llama4" \(Llama4ForConditionalGeneration\) model, which nodefit cannot size from config\.json/);
    expect(refusal({ model_type: "qwen3_next", architectures: ["Qwen3NextForCausalLM"] })).toMatch(/"qwen3_next"/);
    expect(refusal({ model_type: "bert", architectures: ["BertModel"] })).toMatch(/"bert"/);
    expect(refusal({ model_type: "llama", architectures: ["LlamaForSequenceClassification"], num_hidden_layers: 2 })).toMatch(/not a text-generating model/);
    const llama = recorded.find((r) => r.id === "meta-llama/Llama-3.1-8B-Instruct")!.config;
    expect(refusal({ ...llama, num_hidden_layers: undefined })).toMatch(/config\.json has no num_hidden_layers/);
    expect(refusal({ ...llama, hidden_size: 4097 })).toMatch(/does not divide into 32 heads/);
    expect(refusal({ ...llama, num_key_value_heads: 64 })).toMatch(/kv_heads cannot exceed attention_heads/);
    expect(refusal({ ...llama, num_hidden_layers: 1e9 })).toMatch(/at most/);
    expect(refusal([])).toMatch(/not a JSON object/);
  });
});
