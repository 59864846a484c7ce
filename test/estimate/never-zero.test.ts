// Never a zero for a model that fits: machines described with every optional figure missing (CPU-only, offload, iGPUs,
// unknown GPU names, each Apple chip) give every fitting row a speed, and an assumed figure widens the range and says so.
import { beforeAll, describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import type { ModelSpec } from "../../src/catalog/schema.js";
import { describeMachine } from "../../src/hardware/describe.js";
import { estimate } from "../../src/estimate/estimate.js";

const MODELS = [
  "Qwen/Qwen3-0.6B",
  "meta-llama/Llama-3.2-3B-Instruct",
  "meta-llama/Llama-3.1-8B-Instruct",
  "Qwen/Qwen3-30B-A3B",
  "openai/gpt-oss-20b",
  "google/gemma-3-27b-it",
  "Qwen/Qwen3.5-9B",
  "meta-llama/Llama-3.3-70B-Instruct",
  "openai/gpt-oss-120b",
];

const APPLE = ["M1", "M1 Pro", "M1 Max", "M1 Ultra", "M2", "M2 Pro", "M2 Max", "M2 Ultra", "M3", "M3 Pro", "M3 Max", "M3 Ultra", "M4", "M4 Pro", "M4 Max", "M5", "M5 Pro", "M5 Max"];

const MACHINES: Array<[string, unknown]> = [
  ["CPU only, nothing but RAM", { ram_gb: 32 }],
  ["CPU only, a CPU name", { ram_gb: 64, cpu_name: "AMD Ryzen 9 7950X" }],
  ["CPU only, a laptop APU", { ram_gb: 32, cpu_name: "AMD Ryzen 7 8745H w/ Radeon 780M Graphics" }],
  ["Intel iGPU", { ram_gb: 16, gpus: [{ name: "Intel Iris Xe Graphics" }], cpu_name: "Intel Core i7-1260P" }],
  ["Radeon iGPU", { ram_gb: 32, gpus: [{ name: "AMD Radeon 780M" }] }],
  ["a small GPU and RAM without bandwidth (offload)", { ram_gb: 64, gpus: [{ name: "NVIDIA GeForce RTX 3060", vram_gb: 12 }] }],
  ["an unknown NVIDIA name", { ram_gb: 64, gpus: [{ name: "NVIDIA GeForce RTX 6070", vram_gb: 16 }] }],
  ["an unknown AMD name", { ram_gb: 64, gpus: [{ name: "AMD Radeon RX 10070 XT", vram_gb: 16 }] }],
  ["an unknown Intel name", { ram_gb: 32, gpus: [{ name: "Intel Arc B770", vram_gb: 16 }] }],
  ...APPLE.flatMap((chip): Array<[string, unknown]> => [16, 64, 128].map((ram) => [`Apple ${chip} with ${ram} GB`, { ram_gb: ram, gpus: [{ name: `Apple ${chip}` }] }])),
];

let models: ModelSpec[];
beforeAll(() => {
  const all = bundledModels();
  models = MODELS.map((id) => {
    const m = all.find((x) => x.id === id);
    if (!m) throw new Error(`${id} is not in the catalog`);
    return m;
  });
});

describe("never a zero for a model that fits", () => {
  it.each(MACHINES)("%s", (_label, description) => {
    const machine = describeMachine(description);
    const zeros: string[] = [];
    for (const model of models) {
      for (const runtime of machine.backend === "Metal" ? (["mlx", "llamacpp"] as const) : (["llamacpp"] as const)) {
        const e = estimate({ model, machine, runtime });
        if (e.fitLevel !== "too_tight" && !(e.tokensPerSecond > 0)) zeros.push(`${model.id} (${runtime}, ${e.quant}, ${e.runMode}): ${e.notes.join("; ")}`);
      }
    }
    expect(zeros).toEqual([]);
  });

  it("an assumed bandwidth widens the range and is named in the notes and the basis", () => {
    const llama = models.find((m) => m.id === "meta-llama/Llama-3.1-8B-Instruct")!;
    const assumed = estimate({ model: llama, machine: describeMachine({ ram_gb: 64 }), quant: "Q4_K_M" });
    const given = estimate({ model: llama, machine: describeMachine({ ram_gb: 64, ram_bandwidth_gbps: 42.7 }), quant: "Q4_K_M" });
    expect(assumed.tokensPerSecond).toBeGreaterThan(0);
    expect(assumed.basis.bandwidth_assumed_pct).toBeGreaterThan(0);
    expect(given.basis.bandwidth_assumed_pct).toBe(0);
    const width = (e: typeof assumed): number => (e.tokensPerSecondRange[1] - e.tokensPerSecondRange[0]) / e.tokensPerSecond;
    expect(width(assumed)).toBeGreaterThan(width(given));
    expect(assumed.notes.some((n) => /^speed assumes RAM bandwidth [\d.]+ GB\/s assumed:/.test(n))).toBe(true);
    expect(given.notes.some((n) => n.startsWith("speed assumes"))).toBe(false);
  });
});
