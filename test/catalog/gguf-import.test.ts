import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gguf } from "@huggingface/gguf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { catalogEntryOf, modelFromGguf } from "../../src/catalog/gguf/model-from-gguf.js";
import { readGgufHeader } from "../../src/catalog/gguf/read-gguf.js";
import { parseCatalogFile } from "../../src/catalog/load.js";
import { paramBreakdown } from "../../src/catalog/params.js";
import { resolveModel } from "../../src/catalog/resolve.js";
import { loadCatalog } from "../../src/catalog/user-catalog.js";
import { NodefitError } from "../../src/domain/errors.js";
import { estimate } from "../../src/estimate/estimate.js";
import { kvCacheSize } from "../../src/estimate/kv-cache.js";
import { tensorTypeCounts } from "../../src/estimate/gguf-mix.js";
import { machine } from "../support/machines.js";
import {
  llamaShape,
  splitName,
  writeGguf,
  writeSplitGguf,
  writeTruncated,
  type GgufLayout,
  type Kv,
  type LlamaConfig,
  type TensorSpec,
  type WriteOptions,
} from "../support/gguf-writer.js";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "nodefit-gguf-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Block layouts ([elements, bytes] per block, ggml-common.h), written out here so the writer's own table is checked too. */
const BLOCK = { F32: [1, 4], F16: [1, 2], Q4_0: [32, 18], Q8_0: [32, 34], Q4_K: [256, 144], Q6_K: [256, 210] } as const;

/** A llama-architecture file in the test's folder. */
function makeGguf(file: string, cfg: LlamaConfig, options?: WriteOptions): { path: string; params: number; layout: GgufLayout } {
  const path = join(dir, file);
  const { metadata, tensors, params } = llamaShape(cfg);
  return { path, params, layout: writeGguf(path, metadata, tensors, options) };
}

/** The tensor bytes of a llama file of `cfg`, computed from its tensor list. */
function expectedBytes(cfg: LlamaConfig): number {
  const E = cfg.nEmbd;
  const kv = (E / cfg.nHead) * cfg.nHeadKv;
  const bytes = (elements: number, t: LlamaConfig["type"]) => (elements / BLOCK[t][0]) * BLOCK[t][1];
  const perLayer = E * E * 2 + E * kv * 2 + E * cfg.nFf * 3;
  let total = bytes(E * cfg.nVocab, cfg.type) + cfg.nLayer * bytes(perLayer, cfg.type) + (2 * cfg.nLayer + 1) * E * 4;
  if (!cfg.tiedOutput) total += bytes(E * cfg.nVocab, cfg.outputType ?? cfg.type);
  return total;
}

const base = { nEmbd: 256, nLayer: 2, nHead: 4, nHeadKv: 2, nFf: 512, nVocab: 512, ctx: 4096 } as const;

const errorOf = async (p: Promise<unknown>): Promise<NodefitError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof NodefitError) return e;
    throw e;
  }
  throw new Error("expected a NodefitError");
};

/** IEEE half -> number. */
const half = (h: number): number => {
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  const v = e === 0 ? m * 2 ** -24 : e === 31 ? (m ? NaN : Infinity) : (1 + m / 1024) * 2 ** (e - 15);
  return h & 0x8000 ? -v : v;
};

describe("the test writer's llama files", () => {
  it("hold a byte-fallback vocabulary and every tensor of the shape, their elements the parameter count", async () => {
    const cfg: LlamaConfig = { ...base, type: "Q8_0" };
    const { path, params } = makeGguf("shape-Q8_0.gguf", cfg);
    const h = await readGgufHeader(path);
    // The reader leaves the tokenizer's arrays out (their lengths stay): the parser itself shows the vocabulary.
    const metadata = (await gguf(path, { allowLocalFile: true })).metadata as Record<string, unknown>;
    const tokens = metadata["tokenizer.ggml.tokens"] as string[];
    expect(tokens).toHaveLength(512);
    expect(new Set(tokens).size).toBe(512);
    expect(tokens.slice(0, 4)).toEqual(["<unk>", "<s>", "</s>", "<0x00>"]);
    expect(tokens[258]).toBe("<0xFF>");
    expect((metadata["tokenizer.ggml.token_type"] as number[]).slice(0, 4)).toEqual([2, 3, 3, 6]);
    expect(metadata["tokenizer.ggml.scores"]).toHaveLength(512);
    expect(h.metadata["tokenizer.ggml.tokens"]).toBeUndefined();
    expect(h.omitted).toEqual({ "tokenizer.ggml.tokens": 512, "tokenizer.ggml.scores": 512, "tokenizer.ggml.token_type": 512 });
    expect(h.metadata).toMatchObject({ "tokenizer.ggml.model": "llama", "tokenizer.ggml.bos_token_id": 1, "tokenizer.ggml.eos_token_id": 2, "general.alignment": 32 });
    expect(h.tensors).toHaveLength(1 + 9 * cfg.nLayer + 2);
    expect(h.tensors.reduce((s, t) => s + t.elements, 0)).toBe(params);
  });

  it("write seeded random data: the same bytes for the same seed, finite small weights, valid fp16 block scales", async () => {
    const cfg: LlamaConfig = { ...base, nLayer: 1, type: "F16", outputType: "Q6_K" };
    const a = makeGguf("random-a.gguf", cfg, { data: "random", seed: 7 });
    const b = makeGguf("random-b.gguf", cfg, { data: "random", seed: 7 });
    const c = makeGguf("random-c.gguf", cfg, { data: "random", seed: 8 });
    const bytes = readFileSync(a.path);
    expect(bytes.equals(readFileSync(b.path))).toBe(true);
    expect(bytes.equals(readFileSync(c.path))).toBe(false);
    // token_embd (F16) comes first: every value finite and within +-0.04, not all zero.
    const embd = Array.from({ length: cfg.nEmbd * cfg.nVocab }, (_, i) => half(bytes.readUInt16LE(a.layout.dataStart + 2 * i)));
    expect(embd.every((x) => Number.isFinite(x) && Math.abs(x) <= 0.04)).toBe(true);
    expect(new Set(embd).size).toBeGreaterThan(1000);
    // output.weight (Q6_K) comes last: d, the fp16 at byte 208 of each 210-byte block, finite and positive.
    const outBlocks = (cfg.nEmbd * cfg.nVocab) / 256;
    const outStart = a.layout.fileBytes - outBlocks * 210;
    const scales = Array.from({ length: outBlocks }, (_, k) => half(bytes.readUInt16LE(outStart + k * 210 + 208)));
    expect(scales.every((d) => Number.isFinite(d) && d > 0 && d < 1e-3)).toBe(true);
    // A norm weight is ones.
    const h = await readGgufHeader(a.path);
    expect(h.tensors[1]?.name).toBe("blk.0.attn_norm.weight");
    const normAt = a.layout.dataStart + Math.ceil((h.tensors[0]?.bytes ?? 0) / 32) * 32;
    expect(bytes.readFloatLE(normAt)).toBe(1);
    expect(bytes.readFloatLE(normAt + 4 * (cfg.nEmbd - 1))).toBe(1);
  });
});

describe("modelFromGguf on llama files written by the test writer", () => {
  it.each([
    ["F32", "F32", "F32"],
    ["F16", "F16", "F16"],
    ["Q8_0", "Q8_0", "Q8_0"],
    ["Q4_0", "Q4_0", "Q4_0"],
    ["Q4_K", "Q4_K_M", "Q4_K_M"],
    ["Q6_K", "Q6_K", "Q6_K"],
  ] as const)("%s: architecture, parameters and tensor bytes come out exactly", async (type, quant, fileType) => {
    const cfg: LlamaConfig = { ...base, type };
    const { path, params } = makeGguf(`tiny-llama-${type}.gguf`, cfg);
    const r = await modelFromGguf(path);
    const a = r.model.architecture;
    expect(a).toMatchObject({
      type: "llama",
      layers: 2,
      hidden_size: 256,
      ffn_size: 512,
      ffn_gated: true,
      ffn_layers: null,
      attention_heads: 4,
      kv_heads: 2,
      head_dim: 64,
      v_head_dim: null,
      vocab_size: 512,
      tied_embeddings: false,
      moe: null,
      extra_params: 0,
    });
    expect(a.attention).toMatchObject({ full_layers: 2, sliding_layers: 0, linear_layers: 0, mla: null });
    expect(r.model.context_length).toBe(4096);
    expect(r.model.params_total).toBe(params);
    // The breakdown leaves out norms (1-D): everything else is the file's parameters exactly.
    expect(paramBreakdown(a).total + (2 * cfg.nLayer + 1) * cfg.nEmbd).toBe(params);
    expect(r.weightsBytes).toBe(expectedBytes(cfg));
    expect(statSync(path).size - r.weightsBytes).toBeLessThan(64 * 1024);
    expect(r.quant).toBe(quant);
    expect(r.fileType).toBe(fileType);
    expect(r.model.gguf_files).toEqual([{ quant, bytes: r.weightsBytes, repo: `tiny-llama-${type}.gguf` }]);
    expect(r.warnings).toEqual([]);
  });

  it("reads tied embeddings and a mixed file (Q4_K body, Q8_0 output) to the byte", async () => {
    const tied: LlamaConfig = { ...base, type: "Q8_0", tiedOutput: true };
    const t = await modelFromGguf(makeGguf("tied-Q8_0.gguf", tied).path);
    expect(t.model.architecture.tied_embeddings).toBe(true);
    expect(t.weightsBytes).toBe(expectedBytes(tied));
    const mixed: LlamaConfig = { ...base, type: "Q4_K", outputType: "Q8_0" };
    const m = await modelFromGguf(makeGguf("mixed-Q4_K_M.gguf", mixed).path);
    expect(m.weightsBytes).toBe(expectedBytes(mixed));
    expect(m.quant).toBe("Q4_K_M");
  });

  it("makes the estimator use the file's exact bytes for its quant", async () => {
    const cfg: LlamaConfig = { ...base, type: "Q4_K" };
    const r = await modelFromGguf(makeGguf("estimate-Q4_K_M.gguf", cfg).path);
    const box = machine({ ramGib: 16, gpus: [{ name: "Test GPU", vramGib: 8, bandwidthGBps: 400 }] });
    const e = estimate({ model: r.model, machine: box, quant: "Q4_K_M", contextTokens: 1024 });
    expect(e.diskBytes).toBe(r.weightsBytes);
    // On the GPU: all but the untied token embedding (Q4_K: 144 B per 256 values), which llama.cpp keeps in host memory.
    expect(e.memory.weightsBytes).toBe(r.weightsBytes - ((cfg.nEmbd * cfg.nVocab) / 256) * 144);
    expect(JSON.stringify(e.basis)).toContain("estimate-Q4_K_M.gguf");
    // Another quant is computed from bits per weight, not taken from this file.
    const other = estimate({ model: r.model, machine: box, quant: "Q8_0", contextTokens: 1024 });
    expect(other.diskBytes).not.toBe(r.weightsBytes);
  });

  it("gives an entry a user can paste into a catalog file, found again by its file name", async () => {
    const { path } = makeGguf("pasted-model-Q8_0.gguf", { ...base, type: "Q8_0" });
    const entry = catalogEntryOf(await modelFromGguf(path));
    const catalogPath = join(dir, "catalog.json");
    writeFileSync(catalogPath, JSON.stringify({ description: "imported", models: [entry] }, null, 2));
    const models = parseCatalogFile(readFileSync(catalogPath, "utf8"), "imported");
    expect(models[0]?.id).toBe("local/pasted-model");
    const loaded = loadCatalog({ catalogFile: catalogPath, env: {}, platform: "linux", homedir: dir });
    expect(resolveModel(loaded.models, "pasted-model-Q8_0.gguf")).toMatchObject({ status: "matched", quant: "Q8_0" });
    expect(resolveModel(loaded.models, "local/pasted-model").model?.gguf_files[0]?.bytes).toBe(expectedBytes({ ...base, type: "Q8_0" }));
    expect(resolveModel(bundledModels(), "pasted-model-Q8_0.gguf").model).toBeNull();
  });
});

describe("modelFromGguf on a licence text", () => {
  it("reads a general.license holding the whole licence text (past a name's length) as unknown, not a refusal", async () => {
    const path = join(dir, "licensed-Q8_0.gguf");
    const { metadata, tensors } = llamaShape({ ...base, type: "Q8_0" });
    writeGguf(path, { ...metadata, "general.license": { str: "Permission is hereby granted... ".repeat(100) } }, tensors);
    const imported = await modelFromGguf(path);
    expect(imported.model.license).toBe("unknown");
    expect(imported.warnings.some((w) => /^general\.license holds \d+ characters \(a license's text, not its name\): read as unknown$/.test(w))).toBe(true);
    writeGguf(path, { ...metadata, "general.license": { str: "apache-2.0" } }, tensors);
    expect((await modelFromGguf(path)).model.license).toBe("apache-2.0");
  });
});

describe("modelFromGguf on broken files", () => {
  it("refuses a missing file, a directory, an empty file and garbage with invalid_input_file", async () => {
    const missing = await errorOf(modelFromGguf(join(dir, "nope.gguf")));
    expect(missing.code).toBe("invalid_input_file");
    expect(missing.message).toContain("nope.gguf");
    expect(missing.message).toContain("no such file");
    mkdirSync(join(dir, "folder.gguf"), { recursive: true });
    expect((await errorOf(modelFromGguf(join(dir, "folder.gguf")))).code).toBe("invalid_input_file");
    writeFileSync(join(dir, "empty.gguf"), "");
    expect((await errorOf(modelFromGguf(join(dir, "empty.gguf")))).message).toMatch(/empty\.gguf: not a readable GGUF file/);
    writeFileSync(join(dir, "garbage.gguf"), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    expect((await errorOf(modelFromGguf(join(dir, "garbage.gguf")))).message).toMatch(/garbage\.gguf: not a readable GGUF file/);
    writeFileSync(join(dir, "magic-only.gguf"), Buffer.concat([Buffer.from("GGUF"), Buffer.from([3, 0, 0, 0]), Buffer.alloc(8, 0xff)]));
    expect((await errorOf(modelFromGguf(join(dir, "magic-only.gguf")))).code).toBe("invalid_input_file");
  });

  it("refuses a truncated file, cut in the metadata, the tensor infos, the padding before the data or the data", async () => {
    const { layout } = makeGguf("whole-F16.gguf", { ...base, type: "F16" });
    expect((await modelFromGguf(layout.path)).weightsBytes).toBe(layout.dataBytes);
    const cuts = [
      ["magic", 3, /cut-magic\.gguf: not a readable GGUF file/],
      ["metadata", "metadata", /cut-metadata\.gguf: truncated: the file ends at byte \d+, inside its header/],
      ["tensor-info", "tensor-info", /cut-tensor-info\.gguf: truncated: the file ends at byte \d+, inside its header/],
      ["padding", layout.tensorInfoEnd, /cut-padding\.gguf: truncated: the file ends at byte \d+, inside its header/],
      ["data", "data", /cut-data\.gguf: truncated: tensor blk\.\d+\.\w+\.weight ends at byte \d+ but the file has \d+ bytes/],
      ["last-byte", layout.fileBytes - 1, /cut-last-byte\.gguf: truncated: tensor output\.weight ends at byte \d+ but the file has \d+ bytes/],
    ] as const;
    expect(layout.dataStart).toBeGreaterThan(layout.tensorInfoEnd);
    for (const [name, cut, message] of cuts) {
      const out = join(dir, `cut-${name}.gguf`);
      const at = writeTruncated(layout, out, cut);
      expect(statSync(out).size).toBe(at);
      const e = await errorOf(modelFromGguf(out));
      expect(e.code, `cut at ${name} (${at})`).toBe("invalid_input_file");
      expect(e.message, `cut at ${name} (${at})`).toMatch(message);
      // The byte the file ends at is the cut's.
      if (name !== "magic") expect(e.message).toMatch(new RegExp(`(ends at byte ${at},|the file has ${at} bytes)`));
    }
  });
});

describe("split models (llama.cpp's gguf-split layout)", () => {
  const cfg: LlamaConfig = { ...base, type: "Q8_0", name: "split test" };

  it("reads every part, whichever is given, as the whole model", async () => {
    const whole = makeGguf("splitme-Q8_0.gguf", cfg);
    const { metadata, tensors } = llamaShape(cfg);
    const parts = writeSplitGguf(dir, "splitme-Q8_0", 3, metadata, tensors);
    expect(parts.map((p) => p.path.slice(-32))).toEqual([1, 2, 3].map((i) => `splitme-Q8_0-0000${i}-of-00003.gguf`));
    const single = await readGgufHeader(whole.path);
    for (const given of parts) {
      const h = await readGgufHeader(given.path);
      expect(h.files).toEqual(parts.map((p) => p.path));
      expect(h.tensors).toEqual(single.tensors);
      expect(h.tensorBytes).toBe(single.tensorBytes);
      expect(h.fileBytes).toBe(parts.reduce((s, p) => s + statSync(p.path).size, 0));
      // The first part's metadata: the whole file's, its own header counts and the split keys.
      const first = { tensor_count: 7, kv_count: (single.metadata["kv_count"] as number) + 3, "split.no": 0, "split.count": 3, "split.tensors.count": tensors.length };
      expect(h.metadata).toEqual({ ...single.metadata, ...first });
    }
    const w = await modelFromGguf(whole.path);
    const s = await modelFromGguf(parts[1]?.path ?? "");
    expect(s.model.id).toBe("local/splitme");
    expect(s.model.id).toBe(w.model.id);
    expect(s.model.architecture).toEqual(w.model.architecture);
    expect(s.model.params_total).toBe(whole.params);
    expect(s.weightsBytes).toBe(expectedBytes(cfg));
    expect(s.model.gguf_files).toEqual([{ quant: "Q8_0", bytes: expectedBytes(cfg), repo: "splitme-Q8_0-00001-of-00003.gguf" }]);
    expect(s.model.notes).toContain("splitme-Q8_0-00001-of-00003.gguf (3 parts)");
    expect(s.warnings).toEqual([]);
  });

  it("a model in 200 parts reads (each later part probed with a small read, its header alone counted against the model's cap)", { timeout: 60_000 }, async () => {
    const sub = join(dir, "two-hundred");
    mkdirSync(sub);
    const many: LlamaConfig = { ...cfg, nLayer: 23, name: "two hundred parts" };
    const { metadata, tensors } = llamaShape(many);
    const parts = writeSplitGguf(sub, "many-Q8_0", 200, metadata, tensors);
    const h = await readGgufHeader(parts[117]!.path);
    expect(h.files).toEqual(parts.map((p) => p.path));
    expect(h.tensors.map((t) => t.name)).toEqual(tensors.map((t) => t.name));
    expect(h.fileBytes).toBe(parts.reduce((s, p) => s + statSync(p.path).size, 0));
  });

  it("says which part is missing", async () => {
    const sub = join(dir, "missing");
    mkdirSync(sub);
    const { metadata, tensors } = llamaShape(cfg);
    const parts = writeSplitGguf(sub, "lonely", 3, metadata, tensors);
    unlinkSync(parts[2]?.path ?? "");
    const e = await errorOf(readGgufHeader(parts[0]?.path ?? ""));
    expect(e.code).toBe("invalid_input_file");
    expect(e.message).toContain("missing");
    expect(e.message).toContain(splitName("lonely", 2, 3));
  });

  it("names the part that is truncated", async () => {
    const sub = join(dir, "truncated-part");
    mkdirSync(sub);
    const { metadata, tensors } = llamaShape(cfg);
    const parts = writeSplitGguf(sub, "cut", 3, metadata, tensors);
    const second = parts[1] as GgufLayout;
    writeTruncated(second, join(sub, "short.gguf"), "data");
    copyFileSync(join(sub, "short.gguf"), second.path);
    const e = await errorOf(modelFromGguf(parts[0]?.path ?? ""));
    expect(e.code).toBe("invalid_input_file");
    expect(e.message).toMatch(new RegExp(`${splitName("cut", 1, 3)}: truncated: tensor blk\\.\\d+\\.\\w+\\.weight ends at byte`));
  });

  it("refuses parts that do not belong together, as llama.cpp's loader does", async () => {
    const sub = join(dir, "mismatch");
    mkdirSync(sub);
    const a = llamaShape(cfg);
    const b = llamaShape({ ...cfg, nLayer: 3 });
    // The second part of another split of a bigger model: the tensors do not add up to split.tensors.count.
    const parts = writeSplitGguf(sub, "mixed", 3, a.metadata, a.tensors);
    const other = writeSplitGguf(mkdtempSync(join(sub, "other-")), "mixed", 3, b.metadata, b.tensors);
    copyFileSync(other[1]?.path ?? "", parts[1]?.path ?? "");
    expect((await errorOf(readGgufHeader(parts[0]?.path ?? ""))).message).toMatch(
      new RegExp(`mixed-00001-of-00003\\.gguf: the parts hold \\d+ tensors, split\\.tensors\\.count says ${a.tensors.length}$`),
    );
    // A first part copied over the second: its split.no says so.
    copyFileSync(parts[0]?.path ?? "", parts[1]?.path ?? "");
    expect((await errorOf(readGgufHeader(parts[2]?.path ?? ""))).message).toMatch(/mixed-00002-of-00003\.gguf: split\.no says part 1, but its name makes it part 2 of 3/);
    // The first part under a plain name: the other parts cannot be found.
    copyFileSync(parts[0]?.path ?? "", join(sub, "renamed.gguf"));
    const e = await errorOf(modelFromGguf(join(sub, "renamed.gguf")));
    expect(e.code).toBe("invalid_input_file");
    expect(e.message).toMatch(/renamed\.gguf: part of a split model of 3 files \(split\.count\), but not named <name>-00001-of-00003\.gguf/);
  });
});

/** Metadata every test file carries. */
const common = (arch: string, extra: Record<string, Kv>): Record<string, Kv> => ({
  "general.architecture": { str: arch },
  "general.name": { str: `test ${arch}` },
  "general.file_type": { u32: 1 },
  [`${arch}.context_length`]: { u32: 32768 },
  ...extra,
});

const mat = (name: string, ne0: number, ne1: number, type = 1): TensorSpec => ({ name, shape: [ne0, ne1], type });
const norm = (name: string, n: number): TensorSpec => ({ name, shape: [n], type: 0 });

describe("modelFromGguf on other architectures (headers written by the test)", () => {
  it("qwen3moe: experts, active experts, expert FFN and router", async () => {
    const H = 256;
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 1024), norm("output_norm.weight", H), mat("output.weight", H, 1024)];
    for (let l = 0; l < 2; l++) {
      tensors.push(norm(`blk.${l}.attn_norm.weight`, H), mat(`blk.${l}.attn_q.weight`, H, 4 * 64), mat(`blk.${l}.attn_k.weight`, H, 2 * 64));
      tensors.push(mat(`blk.${l}.attn_v.weight`, H, 2 * 64), mat(`blk.${l}.attn_output.weight`, 4 * 64, H), norm(`blk.${l}.attn_q_norm.weight`, 64));
      tensors.push(mat(`blk.${l}.ffn_gate_inp.weight`, H, 8, 0));
      tensors.push({ name: `blk.${l}.ffn_gate_exps.weight`, shape: [H, 128, 8], type: 1 }, { name: `blk.${l}.ffn_up_exps.weight`, shape: [H, 128, 8], type: 1 });
      tensors.push({ name: `blk.${l}.ffn_down_exps.weight`, shape: [128, H, 8], type: 1 });
    }
    const path = join(dir, "qwen3moe-F16.gguf");
    const written = writeGguf(
      path,
      common("qwen3moe", {
        "qwen3moe.block_count": { u32: 2 },
        "qwen3moe.embedding_length": { u32: H },
        "qwen3moe.feed_forward_length": { u32: 768 },
        "qwen3moe.attention.head_count": { u32: 4 },
        "qwen3moe.attention.head_count_kv": { u32: 2 },
        "qwen3moe.attention.key_length": { u32: 64 },
        "qwen3moe.attention.value_length": { u32: 64 },
        "qwen3moe.expert_count": { u32: 8 },
        "qwen3moe.expert_used_count": { u32: 2 },
        "qwen3moe.expert_feed_forward_length": { u32: 128 },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    expect(r.model.architecture.moe).toEqual({ experts: 8, active_experts: 2, shared_experts: 0, expert_ffn_size: 128, shared_expert_ffn_size: 0, dense_layers: 0, dense_ffn_size: null });
    expect(r.model.architecture.extra_params).toBe(0);
    expect(r.model.params_active).not.toBeNull();
    expect(r.weightsBytes).toBe(written.dataBytes);
    expect(r.warnings).toEqual([]);
  });

  it("gemma3: sliding-window layers by llama.cpp's pattern (5 sliding, then 1 global)", async () => {
    const H = 128;
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 512)];
    for (let l = 0; l < 12; l++) {
      tensors.push(mat(`blk.${l}.attn_q.weight`, H, 128), mat(`blk.${l}.attn_k.weight`, H, 64), mat(`blk.${l}.attn_v.weight`, H, 64), mat(`blk.${l}.attn_output.weight`, 128, H));
      tensors.push(mat(`blk.${l}.ffn_gate.weight`, H, 256), mat(`blk.${l}.ffn_up.weight`, H, 256), mat(`blk.${l}.ffn_down.weight`, 256, H));
    }
    const path = join(dir, "gemma3-F16.gguf");
    writeGguf(
      path,
      common("gemma3", {
        "gemma3.block_count": { u32: 12 },
        "gemma3.embedding_length": { u32: H },
        "gemma3.feed_forward_length": { u32: 256 },
        "gemma3.attention.head_count": { u32: 2 },
        "gemma3.attention.head_count_kv": { u32: 1 },
        "gemma3.attention.key_length": { u32: 64 },
        "gemma3.attention.value_length": { u32: 64 },
        "gemma3.attention.sliding_window": { u32: 512 },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    expect(r.model.architecture.tied_embeddings).toBe(true);
    expect(r.model.architecture.attention).toMatchObject({ full_layers: 2, sliding_layers: 10, sliding_window: 512 });
    expect(r.model.architecture.extra_params).toBe(0);
  });

  it("gemma4: sliding and global layers with their own head size and KV heads, the last layers sharing the KV cache", async () => {
    const H = 128;
    const [swaHead, fullHead, swaKv, fullKv, heads] = [32, 64, 2, 1, 4];
    const pattern = [true, true, true, true, true, false, true, true, true, true, true, false];
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 512), norm("output_norm.weight", H)];
    pattern.forEach((swa, l) => {
      const [head, kv] = swa ? [swaHead, swaKv] : [fullHead, fullKv];
      tensors.push(mat(`blk.${l}.attn_q.weight`, H, heads * head), mat(`blk.${l}.attn_k.weight`, H, kv * head));
      tensors.push(mat(`blk.${l}.attn_v.weight`, H, kv * head), mat(`blk.${l}.attn_output.weight`, heads * head, H));
      tensors.push(mat(`blk.${l}.ffn_gate.weight`, H, 256), mat(`blk.${l}.ffn_up.weight`, H, 256), mat(`blk.${l}.ffn_down.weight`, 256, H));
    });
    const path = join(dir, "gemma4-F16.gguf");
    writeGguf(
      path,
      common("gemma4", {
        "gemma4.block_count": { u32: 12 },
        "gemma4.embedding_length": { u32: H },
        "gemma4.feed_forward_length": { u32: 256 },
        "gemma4.attention.head_count": { u32: heads },
        "gemma4.attention.head_count_kv": { u32s: pattern.map((swa) => (swa ? swaKv : fullKv)) },
        "gemma4.attention.key_length": { u32: fullHead },
        "gemma4.attention.value_length": { u32: fullHead },
        "gemma4.attention.key_length_swa": { u32: swaHead },
        "gemma4.attention.value_length_swa": { u32: swaHead },
        "gemma4.attention.sliding_window": { u32: 512 },
        "gemma4.attention.sliding_window_pattern": { bools: pattern },
        "gemma4.attention.shared_kv_layers": { u32: 6 },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    const a = r.model.architecture;
    expect(a).toMatchObject({ head_dim: swaHead, kv_heads: swaKv, v_head_dim: null, attention_heads: heads });
    expect(a.attention).toMatchObject({
      full_layers: 2,
      sliding_layers: 10,
      sliding_window: 512,
      full_head_dim: fullHead,
      full_kv_heads: fullKv,
      kv_shared_full_layers: 1,
      kv_shared_sliding_layers: 5,
    });
    // Every projection accounted for by the two shapes: nothing left over for extra_params, no warning.
    expect(a.extra_params).toBe(0);
    expect(r.warnings).toEqual([]);
    // The cache: 1 full layer and 5 sliding layers of their own, each with its own shape (K and V, f16).
    const kv = kvCacheSize(a, 4096, "f16");
    expect(kv.bytesPerToken).toBe(1 * fullKv * fullHead * 2 * 2);
    expect(kv.slidingBytes).toBe(5 * 1024 * swaKv * swaHead * 2 * 2);
  });

  it("deepseek2: latent attention (MLA), a leading dense layer and a shared expert", async () => {
    const H = 256;
    const heads = 4;
    const [nope, rope, v, kvLora, qLora] = [32, 16, 32, 64, 96];
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 1024), mat("output.weight", H, 1024)];
    for (let l = 0; l < 3; l++) {
      tensors.push(mat(`blk.${l}.attn_q_a.weight`, H, qLora), norm(`blk.${l}.attn_q_a_norm.weight`, qLora), mat(`blk.${l}.attn_q_b.weight`, qLora, heads * (nope + rope)));
      tensors.push(mat(`blk.${l}.attn_kv_a_mqa.weight`, H, kvLora + rope), norm(`blk.${l}.attn_kv_a_norm.weight`, kvLora));
      tensors.push(mat(`blk.${l}.attn_kv_b.weight`, kvLora, heads * (nope + v)), mat(`blk.${l}.attn_output.weight`, heads * v, H));
      if (l === 0) {
        tensors.push(mat(`blk.${l}.ffn_gate.weight`, H, 512), mat(`blk.${l}.ffn_up.weight`, H, 512), mat(`blk.${l}.ffn_down.weight`, 512, H));
      } else {
        tensors.push(mat(`blk.${l}.ffn_gate_inp.weight`, H, 16, 0));
        for (const n of ["gate", "up"]) tensors.push({ name: `blk.${l}.ffn_${n}_exps.weight`, shape: [H, 64, 16], type: 1 });
        tensors.push({ name: `blk.${l}.ffn_down_exps.weight`, shape: [64, H, 16], type: 1 });
        tensors.push(mat(`blk.${l}.ffn_gate_shexp.weight`, H, 64), mat(`blk.${l}.ffn_up_shexp.weight`, H, 64), mat(`blk.${l}.ffn_down_shexp.weight`, 64, H));
      }
    }
    const path = join(dir, "deepseek2-F16.gguf");
    writeGguf(
      path,
      common("deepseek2", {
        "deepseek2.block_count": { u32: 3 },
        "deepseek2.embedding_length": { u32: H },
        "deepseek2.feed_forward_length": { u32: 512 },
        "deepseek2.attention.head_count": { u32: heads },
        "deepseek2.attention.head_count_kv": { u32: heads },
        "deepseek2.attention.key_length": { u32: nope + rope },
        "deepseek2.attention.value_length": { u32: v },
        "deepseek2.attention.kv_lora_rank": { u32: kvLora },
        "deepseek2.attention.q_lora_rank": { u32: qLora },
        "deepseek2.rope.dimension_count": { u32: rope },
        "deepseek2.expert_count": { u32: 16 },
        "deepseek2.expert_used_count": { u32: 4 },
        "deepseek2.expert_shared_count": { u32: 1 },
        "deepseek2.expert_feed_forward_length": { u32: 64 },
        "deepseek2.leading_dense_block_count": { u32: 1 },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    const a = r.model.architecture;
    expect(a.attention.mla).toEqual({ kv_lora_rank: kvLora, qk_rope_head_dim: rope, qk_nope_head_dim: nope, v_head_dim: v, q_lora_rank: qLora });
    expect(a).toMatchObject({ head_dim: nope + rope, v_head_dim: v, kv_heads: heads });
    expect(a.moe).toEqual({ experts: 16, active_experts: 4, shared_experts: 1, expert_ffn_size: 64, shared_expert_ffn_size: 64, dense_layers: 1, dense_ffn_size: 512 });
    expect(a.extra_params).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  it("a Mamba2 hybrid: mixer layers, their state and parameters, an MLP-only block", async () => {
    const H = 128;
    const [dConv, dInner, dState, nGroup, nHead] = [4, 256, 16, 2, 8];
    const conv = dInner + 2 * nGroup * dState;
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 512), mat("output.weight", H, 512)];
    // blk.0: Mamba2 mixer; blk.1: attention; blk.2: MLP only.
    const mixer: TensorSpec[] = [
      mat("blk.0.ssm_in.weight", H, 2 * dInner + 2 * nGroup * dState + nHead),
      { name: "blk.0.ssm_conv1d.weight", shape: [dConv, conv], type: 0 },
      norm("blk.0.ssm_conv1d.bias", conv),
      norm("blk.0.ssm_a", nHead),
      norm("blk.0.ssm_d", nHead),
      norm("blk.0.ssm_dt.bias", nHead),
      norm("blk.0.ssm_norm.weight", dInner),
      mat("blk.0.ssm_out.weight", dInner, H),
    ];
    tensors.push(...mixer);
    tensors.push(mat("blk.1.attn_q.weight", H, 128), mat("blk.1.attn_k.weight", H, 32), mat("blk.1.attn_v.weight", H, 32), mat("blk.1.attn_output.weight", 128, H));
    tensors.push(mat("blk.2.ffn_up.weight", H, 384), mat("blk.2.ffn_down.weight", 384, H));
    const path = join(dir, "nemotron_h-F16.gguf");
    writeGguf(
      path,
      common("nemotron_h", {
        "nemotron_h.block_count": { u32: 3 },
        "nemotron_h.embedding_length": { u32: H },
        "nemotron_h.feed_forward_length": { u32s: [0, 0, 384] },
        "nemotron_h.attention.head_count": { u32: 4 },
        "nemotron_h.attention.head_count_kv": { u32s: [0, 1, 0] },
        "nemotron_h.attention.key_length": { u32: 32 },
        "nemotron_h.ssm.conv_kernel": { u32: dConv },
        "nemotron_h.ssm.inner_size": { u32: dInner },
        "nemotron_h.ssm.state_size": { u32: dState },
        "nemotron_h.ssm.group_count": { u32: nGroup },
        "nemotron_h.ssm.time_step_rank": { u32: nHead },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    const a = r.model.architecture;
    expect(a).toMatchObject({ layers: 2, ffn_layers: 1, ffn_size: 384, ffn_gated: false, kv_heads: 1, head_dim: 32 });
    expect(a.attention).toMatchObject({
      full_layers: 1,
      linear_layers: 1,
      linear_state_bytes_per_layer: ((dConv - 1) * conv + dState * dInner) * 4,
      linear_layer_params: mixer.reduce((s, t) => s + t.shape.reduce((x, y) => x * y, 1), 0),
    });
    expect(a.extra_params).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  it("qwen35: Gated DeltaNet blocks whose fused input projection (attn_qkv) is kept apart for the quantizer's rules", async () => {
    const H = 128;
    const [dConv, kHeads, vHeads, d] = [4, 2, 4, 32];
    const dInner = vHeads * d;
    const qkvWidth = 2 * kHeads * d + dInner;
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 512), norm("output_norm.weight", H)];
    const mixerOf = (b: number): TensorSpec[] => [
      mat(`blk.${b}.attn_qkv.weight`, H, qkvWidth),
      mat(`blk.${b}.attn_gate.weight`, H, dInner),
      { name: `blk.${b}.ssm_conv1d.weight`, shape: [dConv, qkvWidth], type: 0 },
      mat(`blk.${b}.ssm_beta.weight`, H, vHeads),
      mat(`blk.${b}.ssm_alpha.weight`, H, vHeads),
      norm(`blk.${b}.ssm_a`, vHeads),
      norm(`blk.${b}.ssm_dt.bias`, vHeads),
      norm(`blk.${b}.ssm_norm.weight`, d),
      mat(`blk.${b}.ssm_out.weight`, dInner, H),
    ];
    // Blocks 0-2 Gated DeltaNet, block 3 full attention; an FFN in every block.
    for (let b = 0; b < 4; b++) {
      if (b < 3) tensors.push(...mixerOf(b));
      else tensors.push(mat("blk.3.attn_q.weight", H, 2 * 2 * 32), mat("blk.3.attn_k.weight", H, 32), mat("blk.3.attn_v.weight", H, 32), mat("blk.3.attn_output.weight", 2 * 32, H));
      tensors.push(mat(`blk.${b}.ffn_gate.weight`, H, 256), mat(`blk.${b}.ffn_up.weight`, H, 256), mat(`blk.${b}.ffn_down.weight`, 256, H));
    }
    const path = join(dir, "qwen35-F16.gguf");
    writeGguf(
      path,
      common("qwen35", {
        "qwen35.block_count": { u32: 4 },
        "qwen35.embedding_length": { u32: H },
        "qwen35.feed_forward_length": { u32: 256 },
        "qwen35.attention.head_count": { u32: 2 },
        "qwen35.attention.head_count_kv": { u32: 1 },
        "qwen35.attention.key_length": { u32: 32 },
        "qwen35.ssm.conv_kernel": { u32: dConv },
        "qwen35.ssm.inner_size": { u32: dInner },
        "qwen35.ssm.state_size": { u32: d },
        "qwen35.ssm.group_count": { u32: kHeads },
        "qwen35.ssm.time_step_rank": { u32: vHeads },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    const a = r.model.architecture;
    const elements = (t: TensorSpec): number => t.shape.reduce((x, y) => x * y, 1);
    expect(a.attention).toMatchObject({
      full_layers: 1,
      linear_layers: 3,
      linear_layer_params: mixerOf(0).reduce((sum, t) => sum + elements(t), 0),
      linear_qkv_params: H * qkvWidth,
      linear_state_bytes_per_layer: ((dConv - 1) * qkvWidth + d * dInner) * 4,
    });
  });

  it("gemma3n: the per-layer embedding table is kept apart in extra_params (quantized and placed as the token embedding)", async () => {
    const H = 128;
    const [layers, perLayer, vocab] = [2, 64, 512];
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, vocab), mat("per_layer_token_embd.weight", layers * perLayer, vocab), mat("per_layer_model_proj.weight", H, layers * perLayer)];
    for (let l = 0; l < layers; l++) {
      tensors.push(mat(`blk.${l}.attn_q.weight`, H, 128), mat(`blk.${l}.attn_k.weight`, H, 64), mat(`blk.${l}.attn_v.weight`, H, 64), mat(`blk.${l}.attn_output.weight`, 128, H));
      tensors.push(mat(`blk.${l}.ffn_gate.weight`, H, 256), mat(`blk.${l}.ffn_up.weight`, H, 256), mat(`blk.${l}.ffn_down.weight`, 256, H));
      tensors.push(mat(`blk.${l}.inp_gate.weight`, H, perLayer), mat(`blk.${l}.proj.weight`, perLayer, H));
    }
    const path = join(dir, "gemma3n-F16.gguf");
    writeGguf(
      path,
      common("gemma3n", {
        "gemma3n.block_count": { u32: layers },
        "gemma3n.embedding_length": { u32: H },
        "gemma3n.feed_forward_length": { u32: 256 },
        "gemma3n.attention.head_count": { u32: 2 },
        "gemma3n.attention.head_count_kv": { u32: 1 },
        "gemma3n.attention.key_length": { u32: 64 },
        "gemma3n.embedding_length_per_layer_input": { u32: perLayer },
      }),
      tensors,
    );
    const a = (await modelFromGguf(path)).model.architecture;
    const table = layers * perLayer * vocab;
    // extra_params: the table, its projection, and each layer's gate and projection.
    expect(a.extra_params).toBe(table + H * layers * perLayer + layers * 2 * H * perLayer);
    expect(a.per_layer_embedding_params).toBe(table);
  });

  it("a parallel hybrid (Falcon-H1): attention and a Mamba2 mixer in the same block", async () => {
    const H = 128;
    const [dConv, dInner, dState, nGroup, nHead] = [4, 192, 16, 1, 6];
    const conv = dInner + 2 * nGroup * dState;
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 512), mat("output.weight", H, 512)];
    const mixerOf = (b: number): TensorSpec[] => [
      mat(`blk.${b}.ssm_in.weight`, H, 2 * dInner + 2 * nGroup * dState + nHead),
      { name: `blk.${b}.ssm_conv1d.weight`, shape: [dConv, conv], type: 0 },
      norm(`blk.${b}.ssm_conv1d.bias`, conv),
      norm(`blk.${b}.ssm_a`, nHead),
      norm(`blk.${b}.ssm_d`, nHead),
      norm(`blk.${b}.ssm_dt.bias`, nHead),
      mat(`blk.${b}.ssm_out.weight`, dInner, H),
    ];
    for (const b of [0, 1]) {
      tensors.push(...mixerOf(b));
      tensors.push(mat(`blk.${b}.attn_q.weight`, H, 128), mat(`blk.${b}.attn_k.weight`, H, 64), mat(`blk.${b}.attn_v.weight`, H, 64), mat(`blk.${b}.attn_output.weight`, 128, H));
      tensors.push(mat(`blk.${b}.ffn_gate.weight`, H, 256), mat(`blk.${b}.ffn_up.weight`, H, 256), mat(`blk.${b}.ffn_down.weight`, 256, H));
    }
    const path = join(dir, "falcon-h1-F16.gguf");
    writeGguf(
      path,
      common("falcon-h1", {
        "falcon-h1.block_count": { u32: 2 },
        "falcon-h1.embedding_length": { u32: H },
        "falcon-h1.feed_forward_length": { u32: 256 },
        "falcon-h1.attention.head_count": { u32: 4 },
        "falcon-h1.attention.head_count_kv": { u32: 2 },
        "falcon-h1.attention.key_length": { u32: 32 },
        "falcon-h1.ssm.conv_kernel": { u32: dConv },
        "falcon-h1.ssm.inner_size": { u32: dInner },
        "falcon-h1.ssm.state_size": { u32: dState },
        "falcon-h1.ssm.group_count": { u32: nGroup },
        "falcon-h1.ssm.time_step_rank": { u32: nHead },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    const a = r.model.architecture;
    expect(a).toMatchObject({ layers: 2, ffn_layers: null, ffn_size: 256, kv_heads: 2, head_dim: 32 });
    expect(a.attention).toMatchObject({
      full_layers: 2,
      linear_layers: 0,
      parallel_ssm: {
        layer_params: mixerOf(0).reduce((s, t) => s + t.shape.reduce((x, y) => x * y, 1), 0),
        state_bytes_per_layer: ((dConv - 1) * conv + dState * dInner) * 4,
      },
    });
    expect(a.extra_params).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  it("a Nemotron-NAS model: FFN sizes per block, an attention-free block a layer of its own", async () => {
    const H = 128;
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 512), mat("output.weight", H, 512)];
    const ffn = [384, 256, 128];
    ffn.forEach((f, b) => tensors.push(mat(`blk.${b}.ffn_gate.weight`, H, f), mat(`blk.${b}.ffn_up.weight`, H, f), mat(`blk.${b}.ffn_down.weight`, f, H)));
    // Blocks 0 and 2 attend; block 1 has no attention at all.
    for (const b of [0, 2]) tensors.push(mat(`blk.${b}.attn_q.weight`, H, 128), mat(`blk.${b}.attn_k.weight`, H, 32), mat(`blk.${b}.attn_v.weight`, H, 32), mat(`blk.${b}.attn_output.weight`, 128, H));
    const path = join(dir, "deci-F16.gguf");
    writeGguf(
      path,
      common("deci", {
        "deci.block_count": { u32: 3 },
        "deci.embedding_length": { u32: H },
        "deci.feed_forward_length": { u32s: ffn },
        "deci.attention.head_count": { u32s: [4, 0, 4] },
        "deci.attention.head_count_kv": { u32s: [1, 0, 1] },
        "deci.attention.key_length": { u32: 32 },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    const a = r.model.architecture;
    expect(a).toMatchObject({ layers: 3, ffn_layers: null, ffn_size: 384, ffn_sizes: [384, 256, 128], kv_heads: 1 });
    expect(a.attention).toMatchObject({ full_layers: 2, linear_layers: 0, no_attention_layers: 1, parallel_ssm: null });
    expect(paramBreakdown(a).denseFfn).toBe(3 * H * (384 + 256 + 128));
    expect(a.extra_params).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  it("a Nemotron-NAS model: attention-free and linear-replacement blocks are layers without attention, counted once", async () => {
    const H = 128;
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 512), mat("output.weight", H, 512)];
    for (let b = 0; b < 4; b++) tensors.push(mat(`blk.${b}.ffn_gate.weight`, H, 256), mat(`blk.${b}.ffn_up.weight`, H, 256), mat(`blk.${b}.ffn_down.weight`, 256, H));
    // Blocks 0 and 3 attend; block 1 skips attention; block 2 replaces it with one linear projection (llama.cpp:
    // n_head > 0, n_head_kv == 0, attn_output alone, n_embd x n_embd).
    for (const b of [0, 3]) tensors.push(mat(`blk.${b}.attn_q.weight`, H, 128), mat(`blk.${b}.attn_k.weight`, H, 32), mat(`blk.${b}.attn_v.weight`, H, 32), mat(`blk.${b}.attn_output.weight`, 128, H));
    tensors.push(norm("blk.2.attn_norm.weight", H), mat("blk.2.attn_output.weight", H, H));
    const path = join(dir, "deci-linear-F16.gguf");
    writeGguf(
      path,
      common("deci", {
        "deci.block_count": { u32: 4 },
        "deci.embedding_length": { u32: H },
        "deci.feed_forward_length": { u32: 256 },
        "deci.attention.head_count": { u32s: [4, 0, 4, 4] },
        "deci.attention.head_count_kv": { u32s: [1, 0, 0, 1] },
        "deci.attention.key_length": { u32: 32 },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    const a = r.model.architecture;
    expect(a).toMatchObject({ layers: 4, ffn_layers: null, ffn_sizes: null, ffn_size: 256 });
    expect(a.attention).toMatchObject({ full_layers: 2, sliding_layers: 0, linear_layers: 0, no_attention_layers: 2, parallel_ssm: null });
    expect(a.attention.layer_pattern).toContain("2 attention-free");
    // The replacement projection is in extra_params, and only there: the breakdown plus the one norm is the file.
    expect(a.extra_params).toBe(H * H);
    expect(paramBreakdown(a).attention).toBe(2 * (H * 128 + 2 * H * 32 + 128 * H));
    expect(paramBreakdown(a).total + H).toBe(r.model.params_total);
    expect(r.warnings).toEqual([`${H * H} parameters are in tensors the architecture fields do not describe: counted as extra_params`]);
  });

  it("a Nemotron-NAS model of 80 blocks: llama.cpp's per-layer rules count all 80 (use_more_bits, LLM_TYPE_70B)", async () => {
    const H = 256;
    const blocks = 80;
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 512), mat("output.weight", H, 512)];
    const heads: number[] = [];
    const kv: number[] = [];
    const ffn: number[] = [];
    for (let b = 0; b < blocks; b++) {
      // Every 5th block attention-free, every 7th a linear replacement, every 11th without an FFN (Ultra-253B).
      const kind = b % 5 === 1 ? "free" : b % 7 === 2 ? "linear" : "attention";
      const width = b % 11 === 3 && kind === "attention" ? 0 : 512 + 256 * (b % 3);
      heads.push(kind === "free" ? 0 : 4);
      kv.push(kind === "attention" ? 1 : 0);
      ffn.push(width);
      if (kind === "attention") tensors.push(mat(`blk.${b}.attn_q.weight`, H, 256), mat(`blk.${b}.attn_k.weight`, H, 64), mat(`blk.${b}.attn_v.weight`, H, 64), mat(`blk.${b}.attn_output.weight`, 256, H));
      if (kind === "linear") tensors.push(mat(`blk.${b}.attn_output.weight`, H, H));
      if (width > 0) tensors.push(mat(`blk.${b}.ffn_gate.weight`, H, width), mat(`blk.${b}.ffn_up.weight`, H, width), mat(`blk.${b}.ffn_down.weight`, width, H));
    }
    const path = join(dir, "deci-80-F16.gguf");
    writeGguf(
      path,
      common("deci", {
        "deci.block_count": { u32: blocks },
        "deci.embedding_length": { u32: H },
        "deci.feed_forward_length": { u32s: ffn },
        "deci.attention.head_count": { u32s: heads },
        "deci.attention.head_count_kv": { u32s: kv },
        "deci.attention.key_length": { u32: 64 },
      }),
      tensors,
    );
    const a = (await modelFromGguf(path)).model.architecture;
    const attention = kv.filter((k) => k > 0).length;
    const ffnBlocks = ffn.filter((f) => f > 0);
    expect(a.layers).toBe(blocks);
    expect(a.attention).toMatchObject({ full_layers: attention, no_attention_layers: blocks - attention });
    expect(a.ffn_layers).toBe(ffnBlocks.length);
    expect(a.ffn_sizes).toEqual(ffnBlocks);
    expect(paramBreakdown(a).denseFfn).toBe(3 * H * ffnBlocks.reduce((x, y) => x + y, 0));
    // llama-quant.cpp, Q4_K_M: ffn_down is Q6_K where use_more_bits(i_ffn_down, n_layer_all = block_count), attn_v
    // where use_more_bits(i_attention_wv, n_attention_wv); the other attn_v go from Q4_K to Q5_K in an LLM_TYPE_70B
    // model (deci at 80 blocks). Counted here from those rules, not from the estimator.
    const moreBits = (i: number, n: number) => i < Math.floor(n / 8) || i >= Math.floor((7 * n) / 8) || (i - Math.floor(n / 8)) % 3 === 2;
    const count = (n: number, pred: (i: number) => boolean) => Array.from({ length: n }, (_, i) => i).filter(pred).length;
    const vUp = count(attention, (i) => moreBits(i, attention));
    const downUp = count(ffnBlocks.length, (i) => moreBits(i, blocks));
    expect(tensorTypeCounts({ fileType: "Q4_K_M", embeddingAndOutput: null }, a)).toEqual({
      Q6_K: vUp + downUp + 1,
      Q5_K: attention - vUp,
      Q4_K: 3 * attention + 3 * ffnBlocks.length - downUp + 1,
    });
  });

  it("a linear-attention hybrid (Kimi-Linear): KDA layers marked by head_count_kv 0 are linear, not attention + parallel SSM", async () => {
    const H = 256;
    const [heads, kdaHead, dConv] = [4, 32, 4];
    const dInner = heads * kdaHead;
    const [nope, rope, v, kvLora] = [32, 16, 32, 64];
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 512), norm("output_norm.weight", H), mat("output.weight", H, 512)];
    // KDA layer (src/models/kimi-linear.cpp): its own q/k/v/o projections beside the ssm_* tensors.
    const kda = (b: number): TensorSpec[] => [
      { name: `blk.${b}.ssm_conv1d_q.weight`, shape: [dConv, 1, dInner], type: 0 },
      { name: `blk.${b}.ssm_conv1d_k.weight`, shape: [dConv, 1, dInner], type: 0 },
      { name: `blk.${b}.ssm_conv1d_v.weight`, shape: [dConv, 1, dInner], type: 0 },
      mat(`blk.${b}.attn_q.weight`, H, dInner),
      mat(`blk.${b}.attn_k.weight`, H, dInner),
      mat(`blk.${b}.attn_v.weight`, H, dInner),
      mat(`blk.${b}.ssm_f_a.weight`, H, kdaHead),
      mat(`blk.${b}.ssm_f_b.weight`, kdaHead, dInner),
      mat(`blk.${b}.ssm_beta.weight`, H, heads),
      { name: `blk.${b}.ssm_a`, shape: [1, heads], type: 0 },
      norm(`blk.${b}.ssm_dt.bias`, dInner),
      mat(`blk.${b}.ssm_g_a.weight`, H, kdaHead),
      mat(`blk.${b}.ssm_g_b.weight`, kdaHead, dInner),
      norm(`blk.${b}.ssm_norm.weight`, kdaHead),
      mat(`blk.${b}.attn_output.weight`, dInner, H),
    ];
    for (let b = 0; b < 4; b++) {
      tensors.push(norm(`blk.${b}.attn_norm.weight`, H), norm(`blk.${b}.ffn_norm.weight`, H));
      if (b < 3) tensors.push(...kda(b));
      else {
        // MLA layer, queries not compressed.
        tensors.push(mat(`blk.${b}.attn_q.weight`, H, heads * (nope + rope)), mat(`blk.${b}.attn_kv_a_mqa.weight`, H, kvLora + rope), norm(`blk.${b}.attn_kv_a_norm.weight`, kvLora));
        tensors.push(mat(`blk.${b}.attn_kv_b.weight`, kvLora, heads * (nope + v)), mat(`blk.${b}.attn_output.weight`, heads * v, H));
      }
      tensors.push(mat(`blk.${b}.ffn_gate.weight`, H, 512), mat(`blk.${b}.ffn_up.weight`, H, 512), mat(`blk.${b}.ffn_down.weight`, 512, H));
    }
    const path = join(dir, "kimi-linear-F16.gguf");
    writeGguf(
      path,
      common("kimi-linear", {
        "kimi-linear.block_count": { u32: 4 },
        "kimi-linear.embedding_length": { u32: H },
        "kimi-linear.feed_forward_length": { u32: 512 },
        "kimi-linear.attention.head_count": { u32: heads },
        // conversion/kimi_linear.py: 0 for the KDA layers, the (MQA-converted) KV heads for the MLA layers.
        "kimi-linear.attention.head_count_kv": { u32s: [0, 0, 0, 1] },
        "kimi-linear.attention.key_length": { u32: kvLora + rope },
        "kimi-linear.attention.key_length_mla": { u32: nope + rope },
        "kimi-linear.attention.value_length_mla": { u32: v },
        "kimi-linear.attention.kv_lora_rank": { u32: kvLora },
        "kimi-linear.rope.dimension_count": { u32: rope },
        "kimi-linear.ssm.conv_kernel": { u32: dConv },
        "kimi-linear.kda.head_dim": { u32: kdaHead },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    const a = r.model.architecture;
    expect(a).toMatchObject({ layers: 4, ffn_layers: null, kv_heads: heads, head_dim: nope + rope, v_head_dim: v });
    expect(a.attention).toMatchObject({
      full_layers: 1,
      linear_layers: 3,
      no_attention_layers: 0,
      parallel_ssm: null,
      mla: { kv_lora_rank: kvLora, qk_rope_head_dim: rope, qk_nope_head_dim: nope, v_head_dim: v, q_lora_rank: null },
      // llama-hparams.cpp: n_embd_r = 3 (d_conv - 1) n_head head_dim, n_embd_s = head_dim^2 n_head, in f32.
      linear_state_bytes_per_layer: (3 * (dConv - 1) * dInner + kdaHead * kdaHead * heads) * 4,
      // The KDA layer's q/k/v/o projections are its mixer's, read every token like the ssm_* tensors.
      linear_layer_params: kda(0).reduce((s, t) => s + t.shape.reduce((x, y) => x * y, 1), 0),
    });
    expect(a.extra_params).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  it("a file without its multi-token-prediction block (trunk only) counts the blocks it holds", async () => {
    const H = 128;
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 256), mat("output.weight", H, 256)];
    for (const b of [0, 1]) {
      tensors.push(mat(`blk.${b}.attn_q.weight`, H, 128), mat(`blk.${b}.attn_k.weight`, H, 64), mat(`blk.${b}.attn_v.weight`, H, 64), mat(`blk.${b}.attn_output.weight`, 128, H));
      tensors.push(mat(`blk.${b}.ffn_gate.weight`, H, 256), mat(`blk.${b}.ffn_up.weight`, H, 256), mat(`blk.${b}.ffn_down.weight`, 256, H));
    }
    const path = join(dir, "trunk-only-F16.gguf");
    writeGguf(
      path,
      common("glm4moe", {
        "glm4moe.block_count": { u32: 3 },
        "glm4moe.nextn_predict_layers": { u32: 1 },
        "glm4moe.embedding_length": { u32: H },
        "glm4moe.feed_forward_length": { u32: 256 },
        "glm4moe.attention.head_count": { u32: 2 },
        "glm4moe.attention.head_count_kv": { u32: 1 },
      }),
      tensors,
    );
    const a = (await modelFromGguf(path)).model.architecture;
    expect(a).toMatchObject({ layers: 2, ffn_layers: null });
    expect(a.attention).toMatchObject({ full_layers: 2, no_attention_layers: 0 });
  });

  it("warns instead of guessing when a sliding window comes without a known layer pattern", async () => {
    const H = 128;
    const tensors: TensorSpec[] = [mat("token_embd.weight", H, 256), mat("output.weight", H, 256)];
    tensors.push(mat("blk.0.attn_q.weight", H, 128), mat("blk.0.attn_k.weight", H, 128), mat("blk.0.attn_v.weight", H, 128), mat("blk.0.attn_output.weight", 128, H));
    tensors.push(mat("blk.0.ffn_gate.weight", H, 256), mat("blk.0.ffn_up.weight", H, 256), mat("blk.0.ffn_down.weight", 256, H));
    const path = join(dir, "mystery-F16.gguf");
    writeGguf(
      path,
      common("mystery", {
        "mystery.block_count": { u32: 1 },
        "mystery.embedding_length": { u32: H },
        "mystery.feed_forward_length": { u32: 256 },
        "mystery.attention.head_count": { u32: 2 },
        "mystery.attention.sliding_window": { u32: 4096 },
      }),
      tensors,
    );
    const r = await modelFromGguf(path);
    expect(r.model.architecture.attention).toMatchObject({ full_layers: 1, sliding_layers: 0 });
    expect(r.warnings.join("\n")).toContain("sliding_window");
  });

  it("refuses a GGUF without the keys a model needs", async () => {
    const path = join(dir, "no-arch.gguf");
    writeGguf(path, { "general.name": { str: "x" } }, [mat("token_embd.weight", 64, 64)]);
    const e = await errorOf(modelFromGguf(path));
    expect(e.code).toBe("invalid_input_file");
    expect(e.message).toContain("general.architecture");
  });
});
