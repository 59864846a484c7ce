// Rows and the runtimes object from this node's inputs: a one-shot command waits for its one look; the agent never
// does (installed null and `pending` until the first scan, then a new snapshot with the stores' answer).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelsEnvelopeSchema } from "../../src/contract/schemas-envelope.js";
import { RuntimesResponseSchema } from "../../src/contract/schemas-runtimes.js";
import { parseModelQuery } from "../../src/query/model-query.js";
import { fixture, replayFetch } from "../runtimes/support.js";
import { buildHome, type FixtureHome } from "./stores.js";
import { inputsService } from "./support.js";

let dir = "";
let fx: FixtureHome;
const ollamaUp = replayFetch({ "http://127.0.0.1:11434": { server: "ollama" } });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-rows-"));
  fx = buildHome(dir);
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const envelope = (s: ReturnType<typeof inputsService>, raw: Record<string, string> = {}, route: "models" | "name" = "models", name?: string) =>
  s.modelsEnvelope(parseModelQuery(raw, route, name));

describe("a one-shot command", () => {
  it("marks the installed models with every copy; the others false; models the catalog lacks as rows of their own", async () => {
    const s = inputsService({ home: fx.home, modelsDirs: [fx.modelsDir], mode: "one-shot", fetch: ollamaUp });
    try {
      const all = await envelope(s);
      expect(ModelsEnvelopeSchema.safeParse(all).success).toBe(true);
      const llama = all.models.find((m) => m.name === "meta-llama/Llama-3.2-1B-Instruct")!;
      expect(llama.installed).toBe(true);
      expect(llama.installed_as.map((c) => [c.store, c.runtime, c.tag, c.quant, c.identified_by])).toEqual([
        ["ollama", "ollama", "llama3.2:1b", "Q4_K_M", "name_and_header"],
        ["lmstudio", "lmstudio", "lmstudio-community/Llama-3.2-1B-Instruct-GGUF", "Q4_K_M", "name_and_header"],
      ]);
      expect(llama.installed_as[0]).toMatchObject({ path: fx.ollama.llama.blob, bytes: fx.ollama.llama.bytes, format: "gguf", revision: null });
      expect(all.models.find((m) => m.name === "Qwen/Qwen3-8B")).toMatchObject({ installed: false, installed_as: [] });

      const installed = await envelope(s, { installed: "true" });
      expect(installed.filters.installed).toBe(true);
      expect(installed.models.map((m) => m.name).sort()).toEqual(
        [
          "HuggingFaceTB/SmolLM2-135M-Instruct",
          "Qwen/Qwen3-0.6B",
          "meta-llama/Llama-3.2-1B-Instruct",
          ...all.models.filter((m) => m.name.startsWith("local/")).map((m) => m.name),
        ].sort(),
      );
      // Models the catalog lacks, rows of their own estimated from their headers' exact bytes: the Ollama model and the
      // split file are one model (the same name and shape in their headers: one row, two copies); the impostor another.
      const own = all.models.filter((m) => m.name.startsWith("local/"));
      expect(own).toHaveLength(2);
      const tiny = own.find((m) => m.installed_as.some((c) => c.tag === "tiny-custom:latest"))!;
      expect(tiny).toMatchObject({ name: "local/Tiny-Test-Model", installed: true, ollama_name: "tiny-custom:latest" });
      expect(tiny.installed_as.map((c) => [c.store, c.bytes])).toEqual([
        ["ollama", fx.ollama.tiny.bytes],
        ["models_dir", fx.splitBytes],
      ]);
      // Its shape is its header's: 2 layers of 256, a few million parameters.
      expect(tiny.family).toBe("Tiny Test Model");
      expect(tiny.params_b).toBeLessThan(0.01);
      // The tag resolves to that row on the name route.
      const byTag = await envelope(s, {}, "name", "tiny-custom:latest");
      expect(byTag.resolved_from).toMatchObject({ status: "matched", name: tiny.name });
      const qwen = all.models.find((m) => m.name === "Qwen/Qwen3-0.6B")!;
      expect(qwen.installed_as.map((c) => [c.runtime, c.format, c.quant])).toEqual([
        ["mlx", "mlx", "MLX-4BIT"],
        ["vllm", "safetensors", "BF16-SAFETENSORS"],
      ]);
      expect((await envelope(s, { installed: "false" })).total_models).toBe(all.total_models - installed.total_models);
    } finally {
      s.close();
    }
  }, 60_000);

  it("the runtimes object: the runtimes that answered, the stores read", async () => {
    const s = inputsService({ home: fx.home, mode: "one-shot", fetch: ollamaUp, ps: fixture("ps-linux.txt") });
    try {
      const r = await s.runtimes();
      expect(RuntimesResponseSchema.parse(r)).toEqual(r);
      expect(r.status).toBe("ready");
      expect(r.runtimes.map((x) => [x.runtime, x.status, x.version])).toEqual([
        ["ollama", "running", "0.9.0"],
        ["llamacpp", "process_only", null],
        ["vllm", "process_only", null],
      ]);
      expect(r.runtimes[0]!.models_loaded).toEqual([{ name: "qwen3:8b", size_gb: 6.2, vram_gb: 6.2, context_length: 4096, quant: "Q4_K_M", expires_at: "2025-06-02T10:16:12.345678901+02:00" }]);
      expect(r.runtimes[0]!.processes.map((p) => p.pid)).toEqual([1544, 2210]);
      expect(r.installed).toMatchObject({ status: "ready", complete: true, models: 7 });
      expect(r.installed.stores.filter((x) => x.status === "read").map((x) => x.store)).toEqual(["ollama", "huggingface", "lmstudio", "llamacpp"]);
    } finally {
      s.close();
    }
  }, 60_000);
});

describe("the agent", () => {
  it("never waits: installed null and pending until the first look, then a new snapshot with the stores' answer", async () => {
    const s = inputsService({ home: fx.home, mode: "agent", fetch: ollamaUp });
    try {
      const before = await envelope(s, { limit: "3" });
      expect(before.models.every((m) => m.installed === null && m.installed_as.length === 0)).toBe(true);
      expect(await s.runtimes()).toMatchObject({ status: "pending", checked_at: null, runtimes: [], installed: { status: "pending", stores: [] } });
      const firstSnapshot = await s.machine();
      const version = s.version;
      s.startWarming();
      for (let i = 0; i < 600 && (await s.runtimes()).installed.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await s.runtimes()).status).toBe("ready");
      // A new inventory: a new snapshot object (so answers cached per snapshot are redone), and rows that say it.
      expect(await s.machine()).not.toBe(firstSnapshot);
      expect(s.version).toBeGreaterThan(version);
      const after = await envelope(s, { search: "Llama-3.2-1B-Instruct" });
      expect(after.models.find((m) => m.name === "meta-llama/Llama-3.2-1B-Instruct")).toMatchObject({ installed: true });
    } finally {
      s.close();
    }
  }, 60_000);
});
