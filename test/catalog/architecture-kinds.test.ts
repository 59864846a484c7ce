import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { paramBreakdown } from "../../src/catalog/params.js";
import { ArchitectureSchema, type Architecture } from "../../src/catalog/schema.js";
import { quantFormat } from "../../src/domain/quants.js";
import { weightsSize } from "../../src/estimate/weights.js";

// Layer kinds beyond "full, sliding or linear": SSM mixers beside the attention (Falcon-H1), full layers with their
// own head shape (Gemma 4), attention-free layers and per-layer FFN widths (Nemotron-NAS).

const base = {
  type: "llama", layers: 4, hidden_size: 256, ffn_size: 512, attention_heads: 4, kv_heads: 2, head_dim: 64,
  vocab_size: 1000, tied_embeddings: false, attention: { full_layers: 4 },
};
const parse = (over: Record<string, unknown>) => ArchitectureSchema.safeParse({ ...base, ...over });
const arch = (over: Record<string, unknown>): Architecture => ArchitectureSchema.parse({ ...base, ...over });
const messages = (over: Record<string, unknown>): string => {
  const r = parse(over);
  return r.success ? "" : r.error.issues.map((i) => i.message).join("\n");
};

const byId = new Map(bundledModels().map((m) => [m.id, m]));
const model = (id: string) => {
  const m = byId.get(id);
  if (!m) throw new Error(`catalog lacks ${id}`);
  return m;
};

describe("schema: the new attention and FFN fields", () => {
  it("default to nothing, so existing entries mean what they meant", () => {
    const a = arch({});
    expect(a.attention).toMatchObject({ parallel_ssm: null, full_head_dim: null, full_kv_heads: null, no_attention_layers: 0 });
    expect(a.ffn_sizes).toBeNull();
  });

  it("parallel_ssm: both figures positive, and only beside attention layers", () => {
    const ssm = { layer_params: 1000, state_bytes_per_layer: 4096 };
    expect(parse({ attention: { full_layers: 4, parallel_ssm: ssm } }).success).toBe(true);
    expect(parse({ attention: { full_layers: 4, parallel_ssm: { ...ssm, layer_params: 0 } } }).success).toBe(false);
    expect(parse({ attention: { full_layers: 4, parallel_ssm: { layer_params: 1000 } } }).success).toBe(false);
    expect(messages({ attention: { full_layers: 0, linear_layers: 4, linear_state_bytes_per_layer: 8, parallel_ssm: ssm } })).toContain("parallel_ssm needs attention layers");
  });

  it("no_attention_layers count toward layers", () => {
    expect(parse({ attention: { full_layers: 3, no_attention_layers: 1 } }).success).toBe(true);
    expect(messages({ attention: { full_layers: 4, no_attention_layers: 1 } })).toContain("(4+0+0+1) must add up to layers (4)");
  });

  it("ffn_layers: no more FFN blocks than layers", () => {
    expect(parse({ ffn_layers: 4 }).success).toBe(true);
    expect(parse({ ffn_layers: 2 }).success).toBe(true);
    expect(messages({ ffn_layers: 5 })).toContain("ffn_layers (5) cannot exceed layers (4)");
  });

  it("full_head_dim / full_kv_heads: not with MLA or v_head_dim, and no more KV heads than heads", () => {
    expect(parse({ attention: { full_layers: 1, sliding_layers: 3, sliding_window: 512, full_head_dim: 128, full_kv_heads: 1 } }).success).toBe(true);
    expect(messages({ v_head_dim: 32, attention: { full_layers: 4, full_head_dim: 128 } })).toContain("cannot be combined");
    const mla = { kv_lora_rank: 64, qk_rope_head_dim: 16, qk_nope_head_dim: 48, v_head_dim: 64, q_lora_rank: null };
    expect(messages({ attention: { full_layers: 4, mla, full_kv_heads: 1 } })).toContain("cannot be combined");
    expect(messages({ attention: { full_layers: 4, full_kv_heads: 8 } })).toContain("full_kv_heads cannot exceed attention_heads");
  });

  it("linear_qkv_params: a part of linear_layer_params, never more", () => {
    const linear = { full_layers: 1, linear_layers: 3, linear_state_bytes_per_layer: 8, linear_layer_params: 1000 };
    expect(arch({ attention: linear }).attention.linear_qkv_params).toBe(0);
    expect(parse({ attention: { ...linear, linear_qkv_params: 1000 } }).success).toBe(true);
    expect(messages({ attention: { ...linear, linear_qkv_params: 1001 } })).toContain("linear_qkv_params is part of linear_layer_params");
  });

  it("ffn_sizes: one per FFN block, the largest is ffn_size, dense only", () => {
    expect(parse({ ffn_sizes: [512, 256, 128, 512] }).success).toBe(true);
    expect(parse({ ffn_layers: 2, ffn_sizes: [512, 256] }).success).toBe(true);
    expect(messages({ ffn_sizes: [512, 256] })).toContain("ffn_sizes has 2 entries, but there are 4 FFN blocks");
    expect(messages({ ffn_sizes: [256, 256, 256, 256] })).toContain("ffn_size must be the largest");
    const moe = { experts: 4, active_experts: 2, expert_ffn_size: 128 };
    expect(messages({ moe, ffn_sizes: [512, 512, 512, 512] })).toContain("dense FFNs only");
  });
});

describe("params.ts: recomputation with the new layer kinds", () => {
  const h = base.hidden_size;
  const gqa = (heads: number, kv: number, d: number) => h * heads * d * 2 + h * kv * d * 2;

  it("a parallel SSM adds its parameters to every attention layer, all read per token", () => {
    const plain = arch({ attention: { full_layers: 2, sliding_layers: 2, sliding_window: 128 } });
    const hybrid = arch({ attention: { full_layers: 2, sliding_layers: 2, sliding_window: 128, parallel_ssm: { layer_params: 7000, state_bytes_per_layer: 64 } } });
    const p = paramBreakdown(plain);
    const q = paramBreakdown(hybrid);
    expect(q.linear - p.linear).toBe(4 * 7000);
    expect(q.attention).toBe(p.attention);
    expect(q.total - p.total).toBe(4 * 7000);
    expect(q.activePerToken - p.activePerToken).toBe(4 * 7000);
  });

  it("full layers with their own head size and KV heads (Gemma 4 style)", () => {
    const a = arch({ attention: { full_layers: 1, sliding_layers: 3, sliding_window: 512, full_head_dim: 128, full_kv_heads: 1 } });
    expect(paramBreakdown(a).attention).toBe(3 * gqa(4, 2, 64) + 1 * gqa(4, 1, 128));
    // Only one override: the other figure stays the architecture's.
    const headOnly = arch({ attention: { full_layers: 1, sliding_layers: 3, sliding_window: 512, full_head_dim: 128 } });
    expect(paramBreakdown(headOnly).attention).toBe(3 * gqa(4, 2, 64) + gqa(4, 2, 128));
  });

  it("attention-free layers keep their FFN and drop the attention", () => {
    const a = arch({ attention: { full_layers: 3, no_attention_layers: 1 } });
    const p = paramBreakdown(a);
    expect(p.attention).toBe(3 * gqa(4, 2, 64));
    expect(p.denseFfn).toBe(4 * 3 * h * 512);
  });

  it("per-block FFN widths are summed", () => {
    expect(paramBreakdown(arch({ ffn_sizes: [512, 256, 128, 512] })).denseFfn).toBe(3 * h * (512 + 256 + 128 + 512));
    expect(paramBreakdown(arch({ ffn_gated: false, ffn_layers: 2, ffn_sizes: [512, 128] })).denseFfn).toBe(2 * h * (512 + 128));
  });

  it("Falcon-H1-0.5B: with norms added, the recomputation is the safetensors count to the parameter", () => {
    const m = model("tiiuae/Falcon-H1-0.5B-Instruct");
    const a = m.architecture;
    // Two RMSNorms per layer and a final one (this size's Mamba mixer has no RMSNorm): params.ts leaves norms out.
    const norms = a.layers * 2 * a.hidden_size + a.hidden_size;
    expect(paramBreakdown(a).total + norms).toBe(521_411_104);
    expect(m.params_total).toBe(521_411_104);
  });

  it("Falcon-H1: parallel_ssm figures follow from the Mamba-2 sizes in the notes (closed form)", () => {
    // [id, hidden, d_ssm, SSM heads, d_state]; one group, d_conv 4, conv bias, no projection bias.
    const sizes: Array<[string, number, number, number, number]> = [
      ["tiiuae/Falcon-H1-0.5B-Instruct", 1024, 1536, 24, 128],
      ["tiiuae/Falcon-H1-1.5B-Instruct", 2048, 3072, 48, 256],
      ["tiiuae/Falcon-H1-1.5B-Deep-Instruct", 1280, 1536, 24, 256],
      ["tiiuae/Falcon-H1-3B-Instruct", 2560, 4096, 32, 256],
      ["tiiuae/Falcon-H1-7B-Instruct", 3072, 3072, 24, 256],
      ["tiiuae/Falcon-H1-34B-Instruct", 5120, 4096, 32, 256],
    ];
    for (const [id, hidden, dSsm, heads, dState] of sizes) {
      const a = model(id).architecture;
      const conv = dSsm + 2 * dState;
      expect(a.hidden_size, id).toBe(hidden);
      expect(a.attention.parallel_ssm, id).toEqual({
        layer_params: hidden * (2 * dSsm + 2 * dState + heads) + conv * 4 + conv + dSsm * hidden + 3 * heads,
        state_bytes_per_layer: (3 * conv + dState * dSsm) * 4,
      });
      expect(a.attention.full_layers, id).toBe(a.layers);
    }
  });

  it("bytes read per token include the SSM mixers (they are read every token like the attention)", () => {
    const m = model("tiiuae/Falcon-H1-7B-Instruct");
    const withoutSsm = { ...m, architecture: { ...m.architecture, attention: { ...m.architecture.attention, parallel_ssm: null } } };
    const q8 = quantFormat("Q8_0");
    if (!q8) throw new Error("no Q8_0");
    const w = weightsSize(m, q8, false);
    const v = weightsSize(withoutSsm, q8, false);
    expect(w.activeBytesPerToken).toBeGreaterThan(v.activeBytesPerToken);
    // Every SSM byte loaded is a byte read per token.
    expect(w.activeBytesPerToken - v.activeBytesPerToken).toBeCloseTo(w.totalBytes - v.totalBytes, 0);
  });
});
