import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { resolveModel } from "../../src/catalog/resolve.js";
import type { ModelSpec } from "../../src/catalog/schema.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { runEstimateRequest } from "../../src/service/estimate-request.js";
import { describeMachine } from "../../src/hardware/describe.js";

interface Row {
  input: string;
  style: "hf_id" | "gguf_file" | "ollama" | "lmstudio" | "quantizer_repo" | "words" | "refuse";
  expect: string | null;
  status?: "ambiguous" | "not_found";
  quant: string | null;
  /** How the reference must match, when the table says ("derivative": a fine-tune or merge named after its base). */
  matched_by?: string;
  note?: string;
}

const table = JSON.parse(readFileSync(new URL("../fixtures/resolve/table.json", import.meta.url), "utf8")) as { rows: Row[] };
const models = bundledModels();
const ids = new Set(models.map((m) => m.id));

describe("resolution table", () => {
  it("has at least 200 real-world references covering every style", () => {
    expect(table.rows.length).toBeGreaterThanOrEqual(200);
    const styles = new Map<string, number>();
    for (const r of table.rows) styles.set(r.style, (styles.get(r.style) ?? 0) + 1);
    for (const style of ["hf_id", "gguf_file", "ollama", "lmstudio", "quantizer_repo", "words", "refuse"]) {
      expect(styles.get(style) ?? 0, style).toBeGreaterThanOrEqual(20);
    }
    expect(new Set(table.rows.map((r) => r.input)).size).toBe(table.rows.length);
  });

  it("names only ids the bundled catalog has", () => {
    const missing = table.rows.filter((r) => r.expect !== null && !ids.has(r.expect)).map((r) => r.expect);
    expect(missing).toEqual([]);
  });

  it.each(table.rows.map((r) => [r.input, r] as const))("%s", (_input, row) => {
    const r = resolveModel(models, row.input);
    if (row.expect === null) {
      expect(r.model?.id ?? null).toBeNull();
      expect(r.status).toBe(row.status);
      if (row.status === "ambiguous") expect(r.candidates.length).toBeGreaterThan(1);
      else expect(r.candidates).toEqual([]);
    } else {
      expect(r.model?.id ?? null, row.note).toBe(row.expect);
      expect(r.status).toBe("matched");
      expect(r.candidates[0]?.model.id).toBe(row.expect);
      expect(r.confidence).toBeGreaterThanOrEqual(0.75);
      if (row.matched_by !== undefined) expect(r.matchedBy).toBe(row.matched_by);
      // Only a derivative carries a note (it is sized as its base), and it is never as sure as an exact name.
      if (r.matchedBy === "derivative") {
        expect(r.note).toContain(`sized as ${row.expect}`);
        expect(r.confidence).toBeLessThan(1);
      } else expect(r.note).toBeNull();
    }
    expect(r.quant).toBe(row.quant);
  });
});

describe("resolveModel", () => {
  const byId = (id: string): ModelSpec => {
    const m = models.find((x) => x.id === id);
    if (!m) throw new Error(`no ${id}`);
    return m;
  };

  it("gives exact ids and tags full confidence and loose matches less", () => {
    expect(resolveModel(models, "Qwen/Qwen3-8B")).toMatchObject({ matchedBy: "hf_id", confidence: 1 });
    expect(resolveModel(models, "qwen3:8b")).toMatchObject({ matchedBy: "ollama_tag", confidence: 1 });
    const loose = resolveModel(models, "llama 3.1 70b");
    expect(loose.matchedBy).toBe("words");
    expect(loose.confidence).toBeLessThan(1);
  });

  it("keeps the quant label as written and the estimator's name apart", () => {
    const r = resolveModel(models, "DeepSeek-V3-0324-UD-Q2_K_XL-00001-of-00006.gguf");
    expect(r.model?.id).toBe("deepseek-ai/DeepSeek-V3-0324");
    expect(r.quantLabel).toBe("UD-Q2_K_XL");
    expect(r.quant).toBe("Q2_K");
    const unknown = resolveModel(models, "Qwen3-8B-TQ1_0.gguf");
    expect(unknown).toMatchObject({ quant: null, quantLabel: "TQ1_0" });
    const mlx = resolveModel(models, "mlx-community/Qwen3-8B-4bit");
    expect(mlx.quant).toBe("MLX-4BIT");
  });

  it("refuses ambiguous words with ranked candidates, the words' own family first", () => {
    const r = resolveModel(models, "Qwen3");
    expect(r.status).toBe("ambiguous");
    expect(r.model).toBeNull();
    expect(r.candidates.length).toBe(5);
    expect(r.candidates.every((c) => c.model.family === "Qwen3")).toBe(true);
    expect(r.candidates.every((c) => c.confidence < 0.75)).toBe(true);
  });

  it("takes a size tag of an Ollama name whose default tag the catalog lists, when the default is that size", () => {
    expect(resolveModel(models, "bge-large:335m")).toMatchObject({ status: "matched", matchedBy: "ollama_tag", model: byId("BAAI/bge-large-en-v1.5") });
    expect(resolveModel(models, "qwen3:9b")).toMatchObject({ status: "not_found", model: null });
  });

  it("offers no candidates for models the catalog does not have", () => {
    for (const input of ["gpt-5", "claude", "", "   ", "xyzzy 8b"]) {
      const r = resolveModel(models, input);
      expect(r.model, input).toBeNull();
      expect(r.candidates, input).toEqual([]);
      expect(r.status, input).toBe("not_found");
    }
  });

  it("resolves the same weights under two names, but refuses two different models", () => {
    const base = byId("Qwen/Qwen3-8B");
    const twin: ModelSpec = { ...base, id: "example/Qwen3-8B-Twin", aliases: ["Twin 8B"], ollama: [], gguf_sources: [], variants: [] };
    const other: ModelSpec = { ...byId("Qwen/Qwen3-14B"), id: "example/Twin-8B-Other", aliases: ["Twin 8B Other"], ollama: [], gguf_sources: [], variants: [] };
    const same = resolveModel([base, { ...twin, aliases: ["Qwen3 8B"] }], "qwen3 8b");
    expect(same.status).toBe("matched");
    const different = resolveModel([twin, { ...other, aliases: ["Twin 8B"] }], "twin 8b");
    expect(different.status).toBe("ambiguous");
  });

  it("indexes each catalog array once: 1000 references resolve well under a second", () => {
    const fresh = [...models];
    const inputs = Array.from({ length: 1000 }, (_, i) => table.rows[i % table.rows.length]?.input ?? "");
    const start = performance.now();
    for (const input of inputs) resolveModel(fresh, input);
    const elapsedMs = performance.now() - start;
    expect(elapsedMs).toBeLessThan(1000);
  });
});

describe("derivatives", () => {
  it("resolve to the base they name, with a note and less than full confidence", () => {
    const r = resolveModel(models, "allura-org_Qwen3.5-27B-Anko-Q4_K_M.gguf");
    expect(r).toMatchObject({ status: "matched", matchedBy: "derivative", confidence: 0.8, quant: "Q4_K_M" });
    expect(r.model?.id).toBe("Qwen/Qwen3.5-27B");
    expect(r.note).toContain("derivative");
    expect(r.note).toContain("sized as Qwen/Qwen3.5-27B");
  });

  it("name the other entries of the same architecture the evidence fits", () => {
    const r = resolveModel(models, "migtissera/Tess-4-35B-A3B");
    expect(r).toMatchObject({ matchedBy: "derivative", confidence: 0.75 });
    expect(r.candidates.map((c) => c.model.id)).toEqual(["Qwen/Qwen3.6-35B-A3B", "Qwen/Qwen3.5-35B-A3B"]);
    expect(r.note).toContain("Qwen/Qwen3.5-35B-A3B");
  });

  it("never resolve to another size, another kind of model or a misspelled family", () => {
    for (const input of ["Qwen3-8B-Base-abliterated", "Qwen3-Coder-14B-abliterated", "qwen3 9b abliterated", "lamma-3.1-8b-abliterated", "Qwen3-8B-lora-abliterated", "Llama-3.1-8B-ti"]) {
      const r = resolveModel(models, input);
      expect(r.model, input).toBeNull();
    }
  });

  it("expert-pruned (REAP) ones are the base with the experts their stated total leaves, never the base itself", () => {
    const r = resolveModel(models, "mradermacher/gemma-4-19b-a4b-it-REAP-GGUF");
    expect(r).toMatchObject({ status: "matched", matchedBy: "derivative", confidence: 0.7 });
    const base = models.find((m) => m.id === "google/gemma-4-26B-A4B-it")!;
    expect(r.model).not.toBe(base);
    // A quantizer's conversion holds its weights; the model, whose original repo the reference does not name, is local.
    expect(r.model?.id).toBe("local/gemma-4-19b-a4b-it-REAP");
    // 30 MoE layers x 3 x 2816 x 704 (+ a router column) = 0.178B per expert: 38 of 128 removed give 19.0B.
    expect(r.model?.architecture.moe).toMatchObject({ experts: 90, active_experts: 8, expert_ffn_size: 704 });
    expect(r.model!.params_total / 1e9).toBeCloseTo(19.02, 2);
    expect(r.model?.params_active).toBe(base.params_active);
    expect(r.model?.gguf_sources).toEqual(["mradermacher/gemma-4-19b-a4b-it-REAP-GGUF"]);
    expect(r.model?.ollama).toEqual([]);
    expect(r.note).toContain("expert-pruned (REAP) derivative of google/gemma-4-26B-A4B-it");
    expect(r.model?.caveats.at(-1)).toContain("expert count worked out from the total its name states");
    expect(r.candidates[1]?.model).toBe(base);
    // Cerebras' naming: the base's words with the total, active size and REAP anywhere.
    const coder = resolveModel(models, "cerebras/Qwen3-Coder-REAP-25B-A3B");
    expect(coder.note).toContain("of Qwen/Qwen3-Coder-30B-A3B-Instruct");
    expect(coder.model?.architecture.moe?.experts).toBe(104);
    expect(coder.model?.id).toBe("cerebras/Qwen3-Coder-REAP-25B-A3B");
    const mlx = resolveModel(models, "mlx-community/Qwen3-Coder-REAP-25B-A3B-4bit");
    expect(mlx.model).toMatchObject({ id: "local/Qwen3-Coder-REAP-25B-A3B", variants: [{ format: "mlx-4bit", repo: "mlx-community/Qwen3-Coder-REAP-25B-A3B-4bit", bytes: null }] });
    expect(resolveModel(models, "gemma 4 19b a4b it reap").model?.id).toBe("local/gemma-4-19b-a4b-it-reap");
  });

  it("expert-pruned ones are estimated smaller than the base and about as fast: a token runs the same experts", () => {
    const machine = { ram_gb: 64, gpus: [{ name: "NVIDIA GeForce RTX 3090", vram_gb: 24 }] };
    const ctx = { models, machine: describeMachine({ ram_gb: 16 }) };
    const pruned = runEstimateRequest(parseEstimateRequest({ model: "gemma-4-19b-a4b-it-REAP-Q4_K_M.gguf", machine }), ctx);
    const base = runEstimateRequest(parseEstimateRequest({ model: "google/gemma-4-26B-A4B-it", quant: "Q4_K_M", machine }), ctx);
    expect(pruned.model?.name).toBe("local/gemma-4-19b-a4b-it-REAP");
    expect(pruned.quant).toBe("Q4_K_M");
    const ratio = pruned.memory.weights_gb / base.memory.weights_gb;
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(0.8);
    expect(Math.abs(pruned.estimated_tps / base.estimated_tps - 1)).toBeLessThan(0.1);
  });

  it("are never read as pruned from the base's own or a larger total, two totals, another line, other pruning, a dense model or three quarters gone", () => {
    const refused = [
      "Qwen3-Coder-REAP-40B-A3B", // larger than the 30.5B base
      "Qwen3-30B-A3B-Instruct-2507-REAP", // the base's own size, rounded: nothing pruned
      "gpt-oss-20b-REAP",
      "Qwen3-30B-A3B-REAP-20B", // two totals
      "Qwen3-Coder-REAP-25B-A22B", // the active size of another line
      "Qwen3-Coder-layer-pruned-24B-A3B", // layers, not experts
      "Qwen3-8B-REAP-6B", // dense
      "Qwen3-Coder-REAP-5B-A3B", // under a quarter of the experts left
      "gemma-4-19b-a4b-it", // no word says it was pruned
    ];
    for (const input of refused) {
      const r = resolveModel(models, input);
      expect(r.model?.architecture.moe?.experts === undefined || models.includes(r.model), input).toBe(true);
      expect(r.note ?? "", input).not.toContain("expert-pruned");
    }
  });

  it("are answered by an estimate that says the weights are sized as the base", () => {
    const req = parseEstimateRequest({ model: "ConicCat_Qwen3.5-27B-Writer-Q4_K_M.gguf", machine: { ram_gb: 64, gpus: [{ name: "NVIDIA GeForce RTX 4090" }] } });
    const out = runEstimateRequest(req, { models, machine: describeMachine({ ram_gb: 16 }) });
    expect(out.model?.name).toBe("Qwen/Qwen3.5-27B");
    expect(out.resolved_from).toEqual({ input: "ConicCat_Qwen3.5-27B-Writer-Q4_K_M.gguf", matched_by: "derivative", confidence: 0.8 });
    expect(out.quant).toBe("Q4_K_M");
    const caveats = out.notes.filter((n) => n.startsWith("catalog: ")).length;
    expect(out.notes[caveats]).toContain("sized as Qwen/Qwen3.5-27B");
    const exact = runEstimateRequest(parseEstimateRequest({ model: "Qwen/Qwen3.5-27B", quant: "Q4_K_M" }), { models, machine: describeMachine({ ram_gb: 16 }) });
    expect(exact.notes.some((n) => n.includes("derivative"))).toBe(false);
  });
});
