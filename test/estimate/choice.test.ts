// The choice policy (src/estimate/choice.ts) on the machines people described in issue 13: the quant, runtime and
// placement a row shows are what a person would run, and the alternatives show the trade.
import { beforeAll, describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import type { ModelSpec } from "../../src/catalog/schema.js";
import { formatOf } from "../../src/domain/quants.js";
import type { Machine } from "../../src/domain/machine.js";
import { READING_TOKENS_PER_SECOND, SAME_QUALITY, SAME_SPEED, SENSIBLE_QUALITY_FLOOR, TARGET_TOKENS_PER_SECOND } from "../../src/estimate/choice.js";
import { estimate } from "../../src/estimate/estimate.js";
import { describeMachine } from "../../src/hardware/describe.js";

let all: readonly ModelSpec[];
beforeAll(() => {
  all = bundledModels();
});
const model = (id: string): ModelSpec => {
  const m = all.find((x) => x.id === id);
  if (!m) throw new Error(`${id} is not in the catalog`);
  return m;
};

const MACHINES: Record<string, () => Machine> = {
  rtx4090: () => describeMachine({ ram_gb: 64, cpu_cores: 16, cpu_name: "AMD Ryzen 9 7950X", gpus: [{ name: "NVIDIA GeForce RTX 4090" }] }),
  m3max64: () => describeMachine({ ram_gb: 64, cpu_cores: 16, gpus: [{ name: "Apple M3 Max" }] }),
  dual3090: () => describeMachine({ ram_gb: 128, cpu_cores: 16, cpu_name: "AMD Ryzen 9 5950X", gpus: [{ name: "NVIDIA GeForce RTX 3090", count: 2 }] }),
  h100x8: () => describeMachine({ ram_gb: 2048, cpu_cores: 112, gpus: [{ name: "NVIDIA H100 80GB HBM3", count: 8 }] }),
  strixHalo: () => describeMachine({ ram_gb: 128, cpu_cores: 16, cpu_name: "AMD Ryzen AI Max+ 395", gpus: [{ name: "AMD Radeon 8060S" }] }),
};

describe("the choice policy", () => {
  it("an 8B model on a 4090: the best quality on the GPU, on llama.cpp (vLLM is not enough faster to be worth it there)", () => {
    const e = estimate({ model: model("meta-llama/Llama-3.1-8B-Instruct"), machine: MACHINES.rtx4090!() });
    expect([e.quant, e.runtime, e.runMode, e.fitLevel]).toEqual(["Q8_0", "llamacpp", "gpu", "perfect"]);
    expect(e.basis.quant_choice).toMatch(/^Q8_0 on llama\.cpp: the best quality wholly in GPU memory/);
    // The trade is shown: a faster smaller quant, and vLLM.
    expect(e.alternatives.map((a) => a.runtime)).toContain("vllm");
    expect(e.alternatives.some((a) => a.tokensPerSecond > e.tokensPerSecond)).toBe(true);
  });

  it("an MoE model on a 4090 + 64 GB: a quant wholly on the GPU, not Q8_0 with its experts offloaded", () => {
    const e = estimate({ model: model("Qwen/Qwen3-30B-A3B"), machine: MACHINES.rtx4090!() });
    expect(e.runMode).toBe("gpu");
    expect(e.tokensPerSecond).toBeGreaterThan(100);
    const q8 = estimate({ model: model("Qwen/Qwen3-30B-A3B"), machine: MACHINES.rtx4090!(), quant: "Q8_0" });
    expect(q8.runMode).toBe("moe_offload");
    expect(e.tokensPerSecond).toBeGreaterThan(2 * q8.tokensPerSecond);
  });

  it("Llama 3.3 70B on Strix Halo: Q4_K_M, faster than Q8_0 where neither meets the target", () => {
    const m = MACHINES.strixHalo!();
    const e = estimate({ model: model("meta-llama/Llama-3.3-70B-Instruct"), machine: m });
    expect(e.quant).toBe("Q4_K_M");
    const q8 = estimate({ model: model("meta-llama/Llama-3.3-70B-Instruct"), machine: m, quant: "Q8_0" });
    expect(q8.fitLevel).not.toBe("too_tight");
    expect(e.tokensPerSecond).toBeGreaterThan(q8.tokensPerSecond);
    expect(e.tokensPerSecond).toBeLessThan(TARGET_TOKENS_PER_SECOND.general);
  });

  it("DeepSeek-V3 on 2x RTX 3090 + 128 GB: the search goes below IQ2_M and it runs", () => {
    const e = estimate({ model: model("deepseek-ai/DeepSeek-V3"), machine: MACHINES.dual3090!() });
    expect(e.fitLevel).not.toBe("too_tight");
    expect(e.tokensPerSecond).toBeGreaterThan(0);
    expect(formatOf(e.quant).qualityFactor).toBeLessThan(SENSIBLE_QUALITY_FLOOR);
  });

  it("on Apple, llama.cpp runs what MLX cannot fit", () => {
    const e = estimate({ model: model("mistralai/Mixtral-8x22B-Instruct-v0.1"), machine: MACHINES.m3max64!() });
    expect(e.fitLevel).not.toBe("too_tight");
    expect(e.runtime).toBe("llamacpp");
  });

  it("gpt-oss is run in its native MXFP4, which loses nothing", () => {
    const e = estimate({ model: model("openai/gpt-oss-20b"), machine: MACHINES.rtx4090!() });
    expect(e.quant).toBe("MXFP4");
    expect(e.qualityFactor).toBe(1);
  });

  it("gpt-oss on a Mac: its MXFP4 in MLX's form (MLX-MXFP4), not a 4- or 6-bit requant that narrows the attention it keeps wide", () => {
    const e = estimate({ model: model("openai/gpt-oss-20b"), machine: MACHINES.m3max64!() });
    expect([e.quant, e.runtime, e.qualityFactor]).toEqual(["MLX-MXFP4", "mlx", 1]);
    const requant = estimate({ model: model("openai/gpt-oss-20b"), machine: MACHINES.m3max64!(), quant: "MLX-4BIT" });
    expect(requant.qualityFactor).toBeLessThan(1 - SAME_QUALITY);
    // The llama.cpp twin (MXFP4 experts, Q8_0 elsewhere) keeps everything too; a Q5_K_M requant narrows the attention.
    const rtx = MACHINES.rtx4090!();
    expect(estimate({ model: model("openai/gpt-oss-20b"), machine: rtx, quant: "Q8_0" }).qualityFactor).toBe(1);
    expect(estimate({ model: model("openai/gpt-oss-20b"), machine: rtx, quant: "Q5_K_M" }).qualityFactor).toBeLessThan(1 - SAME_QUALITY);
  });

  it("gpt-oss with its experts offloaded on a 4090 + 64 GB: its published MXFP4, not a requant a few % faster on paper", () => {
    const e = estimate({ model: model("openai/gpt-oss-120b"), machine: MACHINES.rtx4090!() });
    expect([e.quant, e.runMode]).toEqual(["MXFP4", "moe_offload"]);
    const q4 = estimate({ model: model("openai/gpt-oss-120b"), machine: MACHINES.rtx4090!(), quant: "Q4_K_M" });
    // Within the 5% the estimate cannot resolve, the model's own format wins the tie.
    expect(Math.abs(q4.tokensPerSecond - e.tokensPerSecond)).toBeLessThanOrEqual(SAME_SPEED * Math.max(q4.tokensPerSecond, e.tokensPerSecond));
    // The whole 131k context fits once more experts move to RAM, and the answer says so.
    expect(e.usableContextTokens).toBe(131072);
  });

  it("when no Q4_K_M-class quant fits: the best quality at reading pace, not a 1-bit quant that is merely faster", () => {
    const e = estimate({ model: model("mistralai/Mixtral-8x22B-Instruct-v0.1"), machine: MACHINES.rtx4090!() });
    expect(e.tokensPerSecond).toBeGreaterThanOrEqual(READING_TOKENS_PER_SECOND);
    expect(e.basis.quant_choice).toMatch(/the best quality that runs at reading pace/);
    expect(e.qualityFactor).toBeGreaterThan(formatOf("IQ2_M").qualityFactor);
    // The faster trade is offered, with its quality.
    const faster = e.alternatives.find((a) => a.why.startsWith("faster"));
    expect(faster?.qualityFactor).toBeLessThan(e.qualityFactor);
    // And the answer says what the model needs whole.
    expect(e.notes.find((n) => n.startsWith(`keeps ${Math.round(e.qualityFactor * 1000) / 10}% of 16-bit quality: the smallest Q4_K_M-class option, Q4_K_M on llama.cpp, needs `))).toBeDefined();
  });

  it("a Mac at macOS's default GPU share: the command that raises it, when that runs a better option", () => {
    const mac = describeMachine({ ram_gb: 64, cpu_cores: 16, gpus: [{ name: "Apple M3 Max" }] });
    const e = estimate({ model: model("meta-llama/Llama-3.2-90B-Vision-Instruct"), machine: mac });
    expect(e.qualityFactor).toBeLessThan(SENSIBLE_QUALITY_FLOOR);
    const hint = e.notes.find((n) => n.includes("iogpu.wired_limit_mb"));
    expect(hint).toMatch(/^with the GPU allowed 56 GiB of the 64 \(sudo sysctl iogpu\.wired_limit_mb=57344, macOS 14\+, until restart\), \S+ on (MLX|llama\.cpp) fits: /);
    // A limit already set is the machine's own: no hint.
    const set = describeMachine({ ram_gb: 64, cpu_cores: 16, gpus: [{ name: "Apple M3 Max", vram_gb: 48 }] });
    expect(estimate({ model: model("meta-llama/Llama-3.2-90B-Vision-Instruct"), machine: set }).notes.some((n) => n.includes("wired_limit"))).toBe(false);
    // Nor when raising it changes nothing (gpt-oss-120b's 59.6 GiB needs more than 64 GB less the system's share).
    const oss = estimate({ model: model("openai/gpt-oss-120b"), machine: mac });
    expect(oss.notes.some((n) => n.includes("wired_limit"))).toBe(false);
    expect(oss.notes.some((n) => /^keeps [\d.]+% of 16-bit quality: its published format, MXFP4 on llama\.cpp, needs /.test(n))).toBe(true);
  });

  it("vLLM where it is clearly faster: tensor parallelism on 8x H100", () => {
    const e = estimate({ model: model("meta-llama/Llama-3.3-70B-Instruct"), machine: MACHINES.h100x8!() });
    expect(e.runtime).toBe("vllm");
    const llama = e.alternatives.find((a) => a.runtime === "llamacpp");
    expect(llama).toBeDefined();
    expect(e.tokensPerSecond).toBeGreaterThan(1.5 * llama!.tokensPerSecond);
  });

  it("an asked quant is answered as asked, with no alternatives", () => {
    const e = estimate({ model: model("meta-llama/Llama-3.1-8B-Instruct"), machine: MACHINES.rtx4090!(), quant: "Q4_K_M" });
    expect(e.quant).toBe("Q4_K_M");
    expect(e.alternatives).toEqual([]);
  });

  it("alternatives are other options, at most three, each saying what it trades", () => {
    for (const m of Object.values(MACHINES)) {
      for (const id of ["Qwen/Qwen3-8B", "Qwen/Qwen3-32B", "openai/gpt-oss-120b"]) {
        const e = estimate({ model: model(id), machine: m() });
        expect(e.alternatives.length).toBeLessThanOrEqual(3);
        for (const a of e.alternatives) {
          expect(a.quant === e.quant && a.runtime === e.runtime, `${id}: ${a.why}`).toBe(false);
          expect(a.fitLevel).not.toBe("too_tight");
          expect(a.why).toMatch(/^(higher quality|faster|on (llama\.cpp|MLX|vLLM)): /);
        }
      }
    }
  });
});
