// Calibration dev set: the public decode measurements (test/fixtures/reference) as estimate requests, cleaned by stated
// rules. Each row: the machine as a person would describe it (GPU names, counts, memory; bandwidth only where asked),
// the model and quant as the source names them, the runtime, and the measured decode speed.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import type { KvCacheType } from "../../src/estimate/types.js";

/**
 * The estimator's KV type for a source's `kv_cache_dtype` (empty, bf16 and vLLM's "auto": the 16-bit default). Forks'
 * types (turbo2, turbo3_tcq) have none: their rows are left out where the KV type matters.
 */
const KV_TYPE_OF: ReadonlyMap<string, KvCacheType> = new Map([
  ["", "f16"], ["auto", "f16"], ["f16", "f16"], ["bf16", "f16"], ["q8_0", "q8_0"], ["q4_0", "q4_0"], ["fp8", "fp8"], ["fp8_e4m3", "fp8"], ["fp8_e5m2", "fp8"],
]);
export const kvTypeOf = (dtype: string): KvCacheType | null => KV_TYPE_OF.get(dtype) ?? null;

export interface DevRow {
  source: "public" | "community";
  /** What the fold leaves out: one kind of hardware (its name, normalized). */
  device: string;
  /** The source's own row id or line. */
  id: string;
  request: Record<string, unknown>;
  /** The request's machine with the source's nominal bandwidth figures given (for the "spec" view). */
  machineWithSpec: Record<string, unknown>;
  measuredTps: number;
  /** Tokens in the cache while it decoded (its prompt and half its output), when the source says; null: unknown. */
  fillTokens: number | null;
  runtime: "llamacpp" | "mlx" | "vllm";
  /** Why a row is left out; null when it is used. */
  excluded: string | null;
}

const FIXTURES = new URL("../../test/fixtures/reference/", import.meta.url);
const read = (name: string): Array<Record<string, string>> => parse(readFileSync(new URL(name, FIXTURES)), { columns: true, bom: true, skip_empty_lines: true });
const num = (s: string | undefined): number | null => (s === undefined || s.trim() === "" || !Number.isFinite(Number(s)) ? null : Number(s));

/** Hardware names as the knowledge base knows them (sources write "RTX 3090" for "NVIDIA GeForce RTX 3090"). */
export function gpuName(raw: string): string {
  const name = raw.replace(/\s*\(integrated\)\s*$/i, "").replace(/^CPU:\s*/i, "").trim();
  if (/^(RTX|GTX)\s/i.test(name)) return `NVIDIA GeForce ${name}`;
  if (/^H100$/i.test(name)) return "NVIDIA H100";
  return name;
}

export const normalizeDevice = (raw: string): string =>
  gpuName(raw)
    .replace(/\s*\(\d+ GPU cores?\)/i, "")
    .replace(/\s+w\/\s+Radeon.*$/i, "")
    .replace(/\s+/g, " ")
    .toLowerCase();

const NVIDIA_CARD = /\b(?:nvidia|geforce|rtx|gtx|tesla|quadro)\b/i;
/**
 * A run on llama.cpp's Vulkan backend on an NVIDIA card measures another backend than the one nodefit estimates there
 * (CUDA: GeForce 10-series cards, for one, run Vulkan's FP16 shaders at 1/64 rate). Both sources' rows, by one rule.
 */
const VULKAN_ON_NVIDIA = "Vulkan on an NVIDIA card (estimated on CUDA)";
const vulkanOnNvidia = (backend: string, device: string): boolean => /vulkan/i.test(backend) && NVIDIA_CARD.test(device);

/** The backend a row ran on: the source's column, else one its submission's title names ("GTX 1050 Ti (4 GB, Vulkan)"). */
function backendOf(r: Record<string, string>): string {
  return (r["backend"] || /\b(vulkan|rocm|cuda|metal|sycl)\b/i.exec(r["source_ref"] ?? "")?.[1] || "").toLowerCase();
}

/**
 * Rules for community rows (never row by row): runs with more than one sequence, speculative decoding or multi-token
 * prediction (as flagged; a model named MTP run without it is kept) and diffusion models measure something else than
 * single-stream decode; flagged implausible or partially offloaded rows and
 * rows whose quant or parameters are unknown cannot be modelled; an end-to-end timing that includes prefill is kept
 * unless its prompt is known to be longer than its output (a benchmark's short prompt is a few per cent of the time);
 * Vulkan runs on NVIDIA cards (VULKAN_ON_NVIDIA).
 */
function communityExclusion(r: Record<string, string>): string | null {
  const flags = new Set((r["flags"] ?? "").split(";").filter(Boolean));
  for (const f of ["batch_gt_1", "spec_decoding", "mtp", "mtp_model_name", "implausibly_low_tps", "possible_partial_offload", "quant_unknown", "params_unknown"])
    if (flags.has(f)) return `flag ${f}`;
  if ((num(r["batch_size"]) ?? 1) > 1) return "batch > 1";
  if (r["spec_decoding"] === "1" || r["mtp"] === "1") return "speculative / MTP";
  // A diffusion language model does not decode token by token: its tokens/s is another measure.
  if (/diffusion/i.test(r["model"] ?? "")) return "diffusion model";
  if (flags.has("tps_includes_prefill")) {
    const prompt = num(r["prompt_tokens"]);
    const output = num(r["output_tokens"]);
    if (prompt !== null && output !== null && prompt > output) return "end-to-end timing with a long prompt";
  }
  if (vulkanOnNvidia(backendOf(r), r["hardware_name"] ?? "")) return VULKAN_ON_NVIDIA;
  if (num(r["decode_tps_avg"]) === null) return "no decode figure";
  return null;
}

const RUNTIMES: Record<string, DevRow["runtime"]> = { "llama.cpp": "llamacpp", ollama: "llamacpp", mlx: "mlx", vllm: "vllm" };

/** A run's average cache fill: its prompt and half its output; a short chat prompt (~30 tokens) when only the output is known. */
function fillOf(prompt: number | null, output: number | null): number | null {
  if (output === null) return prompt;
  return Math.round((prompt ?? 30) + output / 2);
}

/** Runs of one model, quant and runtime on one kind of hardware more than this much slower than the fastest of them. */
const SLOWER_THAN_TWIN = 2;

export function communityRows(): DevRow[] {
  const seen = new Set<string>();
  const rows = read("community-speeds.csv");
  // The same run measured by several people: one at a fraction of the others' speed did not have the GPU to itself
  // (layers offloaded to the CPU, another load): what it measured is not this hardware's speed.
  const twinKey = (r: Record<string, string>): string => [r["hardware_name"], r["model"], r["quant"], r["runtime"]].join("|");
  const fastest = new Map<string, number>();
  for (const r of rows) fastest.set(twinKey(r), Math.max(fastest.get(twinKey(r)) ?? 0, num(r["decode_tps_avg"]) ?? 0));
  return rows.map((r) => {
    const runtime = RUNTIMES[r["runtime"] ?? ""] ?? "llamacpp";
    const cpuOnly = r["hw_class"] === "CPU_ONLY";
    const count = num(r["gpu_count"]) ?? 1;
    const vram = num(r["vram_gb"]);
    const ram = num(r["ram_gb"]) ?? 64;
    const unified = r["unified_memory"] === "1";
    const spec = num(r["mem_bandwidth_gbps_spec"]);
    const gpu: Record<string, unknown> = { name: gpuName(r["hardware_name"] ?? ""), count };
    // A unified machine's "VRAM" in these collections is its RAM: the pool is nodefit's to work out.
    if (vram !== null && !unified) gpu["vram_gb"] = vram;
    if (unified) gpu["unified_memory"] = true;
    const machine: Record<string, unknown> = { gpus: cpuOnly ? [] : [gpu], ram_gb: Math.max(ram, 1) };
    const cores = num(r["cpu_cores"]);
    if (cores !== null && cores >= 1) machine["cpu_cores"] = Math.round(cores);
    if (r["cpu"]) machine["cpu_name"] = r["cpu"];
    const withSpec = structuredClone(machine);
    if (spec !== null) {
      if (cpuOnly) withSpec["ram_bandwidth_gbps"] = spec;
      else (withSpec["gpus"] as Array<Record<string, unknown>>)[0]!["memory_bandwidth_gbps"] = spec;
    }
    const request: Record<string, unknown> = { model: r["model_hf_id"] || r["model"], runtime, machine };
    if (r["quant"]) request["quant"] = r["quant"];
    const context = num(r["context"]);
    if (context !== null && context >= 1) request["context"] = Math.min(context, 16_777_216);
    const kv = kvTypeOf(r["kv_cache_dtype"] ?? "");
    if (kv !== null) request["kv_cache_type"] = kv;
    const key = [r["hardware_name"], r["model"], r["quant"], r["runtime"], r["decode_tps_avg"]].join("|");
    let excluded = communityExclusion(r);
    if (excluded === null && seen.has(key)) excluded = "duplicate";
    if (excluded === null && (num(r["decode_tps_avg"]) ?? 0) * SLOWER_THAN_TWIN < (fastest.get(twinKey(r)) ?? 0))
      excluded = `${SLOWER_THAN_TWIN}x slower than the same run by another submission`;
    seen.add(key);
    return {
      source: "community",
      device: normalizeDevice(r["hardware_name"] ?? ""),
      id: r["record_id"] ?? "",
      request,
      machineWithSpec: withSpec,
      measuredTps: num(r["decode_tps_avg"]) ?? 0,
      fillTokens: fillOf(num(r["prompt_tokens"]), num(r["output_tokens"])),
      runtime,
      excluded,
    } satisfies DevRow;
  });
}

export function publicRows(): DevRow[] {
  return read("decode-speeds.csv").map((r, i) => {
    const device = r["device"] ?? "";
    const cpuOnly = /^CPU/i.test(r["backend"] ?? "");
    const count = num(r["gpu_count"]) ?? 1;
    const bw = num(r["mem_bandwidth_gbps"]);
    const apple = /^Apple/.test(device);
    const gpu: Record<string, unknown> = { name: gpuName(device.replace(/\s*\(\d+ GPU cores?\)/i, "")), count };
    // The scoreboards do not give the memory: these runs fit (rows that did not are marked and left out).
    if (!apple) gpu["vram_gb"] = 1000;
    const machine: Record<string, unknown> = { gpus: cpuOnly ? [] : [gpu], ram_gb: apple ? 192 : 512, cpu_cores: 16 };
    const withSpec = structuredClone(machine);
    if (bw !== null) {
      if (cpuOnly) withSpec["ram_bandwidth_gbps"] = bw;
      else (withSpec["gpus"] as Array<Record<string, unknown>>)[0]!["memory_bandwidth_gbps"] = bw;
    }
    const notes = r["notes"] ?? "";
    const excluded =
      num(r["decode_tps"]) === null
        ? "no decode figure"
        : /outlier|do not use|does not fit|larger than GPU|anomalous/i.test(notes)
          ? "marked in the source"
          : /GPU\/CPU|split/i.test(r["backend"] ?? "")
            ? "partial offload"
            : vulkanOnNvidia(r["backend"] ?? "", device)
              ? VULKAN_ON_NVIDIA
              : null;
    return {
      source: "public",
      device: normalizeDevice(device),
      id: `decode-speeds:${i + 2}`,
      request: { model: r["model"], quant: r["quant"], runtime: "llamacpp", context: 512, machine },
      machineWithSpec: withSpec,
      measuredTps: num(r["decode_tps"]) ?? 0,
      // llama-bench's tg128 / tg512 decode that many tokens from an empty cache.
      fillTokens: /tg512/.test(r["decode_test"] ?? "") ? 256 : /tg128|tg \(/.test(r["decode_test"] ?? "") ? 64 : null,
      runtime: "llamacpp",
      excluded,
    } satisfies DevRow;
  });
}
