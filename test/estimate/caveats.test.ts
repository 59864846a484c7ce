import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { modelFromGguf } from "../../src/catalog/gguf/model-from-gguf.js";
import { estimate } from "../../src/estimate/estimate.js";
import { writeGguf, type TensorSpec } from "../support/gguf-writer.js";
import { machine, RTX_4090 } from "../support/machines.js";

const byId = new Map(bundledModels().map((m) => [m.id, m]));
const box = machine({ ramGib: 64, gpus: [RTX_4090] });
const dir = mkdtempSync(join(tmpdir(), "nodefit-caveats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("an entry's caveats qualify every estimate of it", () => {
  it("catalog entries: a KV cache that is an upper bound says so in the estimate's notes, first", () => {
    const nemotron = byId.get("nvidia/Llama-3_3-Nemotron-Super-49B-v1")!;
    expect(nemotron.caveats.length).toBeGreaterThan(0);
    const e = estimate({ model: nemotron, machine: box, quant: "Q4_K_M" });
    expect(e.notes.slice(0, nemotron.caveats.length)).toEqual(nemotron.caveats.map((c) => `catalog: ${c}`));
    expect(e.notes[0]).toMatch(/KV cache is an upper bound/);
    // An entry read from its config.json has none.
    const llama = estimate({ model: byId.get("meta-llama/Llama-3.1-8B-Instruct")!, machine: box });
    expect(llama.notes.some((n) => n.startsWith("catalog:"))).toBe(false);
  });

  it("every caveat is a short line of its own", () => {
    for (const m of byId.values()) for (const c of m.caveats) expect(c, m.id).toMatch(/^[^\n]{10,200}$/);
  });

  it("a GGUF import: what its header leaves unclear goes with the entry into every estimate", async () => {
    // A llama file that declares a sliding window: nodefit does not know which llama layers slide.
    const H = 128;
    const tensors: TensorSpec[] = [{ name: "token_embd.weight", shape: [H, 256], type: 1 }];
    for (let l = 0; l < 2; l++) {
      for (const [n, rows] of [["attn_q", 128], ["attn_k", 64], ["attn_v", 64]] as const) tensors.push({ name: `blk.${l}.${n}.weight`, shape: [H, rows], type: 1 });
      tensors.push({ name: `blk.${l}.attn_output.weight`, shape: [128, H], type: 1 });
      tensors.push({ name: `blk.${l}.ffn_gate.weight`, shape: [H, 256], type: 1 }, { name: `blk.${l}.ffn_up.weight`, shape: [H, 256], type: 1 }, { name: `blk.${l}.ffn_down.weight`, shape: [256, H], type: 1 });
    }
    const path = join(dir, "windowed-F16.gguf");
    writeGguf(
      path,
      {
        "general.architecture": { str: "llama" },
        "general.file_type": { u32: 1 },
        "llama.context_length": { u32: 8192 },
        "llama.block_count": { u32: 2 },
        "llama.embedding_length": { u32: H },
        "llama.feed_forward_length": { u32: 256 },
        "llama.attention.head_count": { u32: 2 },
        "llama.attention.head_count_kv": { u32: 1 },
        "llama.attention.sliding_window": { u32: 4096 },
      },
      tensors,
    );
    const r = await modelFromGguf(path);
    expect(r.model.caveats).toEqual([expect.stringMatching(/sliding_window = 4096.*KV cache overestimated/)]);
    const e = estimate({ model: r.model, machine: box });
    expect(e.notes[0]).toBe(`catalog: ${r.model.caveats[0]}`);
  });
});
