// Memory check: the estimator's GPU memory against users' measured peak VRAM (test/fixtures/reference/community-memory.csv),
// on rows kept by stated rules.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { bundledModels } from "../../src/catalog/bundled.js";
import { resolveModel } from "../../src/catalog/resolve.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { BYTES_PER_GIB } from "../../src/domain/units.js";
import { estimate } from "../../src/estimate/estimate.js";
import { gpuName, kvTypeOf, normalizeDevice } from "./dev-set.js";

export interface MemoryCheck {
  id: string;
  device: string;
  model: string;
  quant: string;
  measuredGib: number;
  estimatedGib: number;
  err: number;
}

/**
 * A source that tried several runtime configurations and kept the fastest (batch and micro-batch sizes unknown): the
 * compute buffer grows with the micro-batch, so its peak is not the default configuration's.
 */
const TUNED_CONFIGURATION = /winner selected by|optimization sweep/i;
const seriesKey = (r: Record<string, string>): string => ["hardware_name", "gpu_count", "model_hf_id", "quant", "runtime", "kv_cache_dtype"].map((c) => r[c] ?? "").join("|");

/**
 * Series (one device, model, quant, runtime and KV type at several contexts) in which a longer context shows a lower
 * peak: the KV cache only grows with the context, so such peaks measure something else (other processes, a
 * different split) and none of the series is kept.
 */
function seriesWherePeakFalls(rows: Array<Record<string, string>>): Set<string> {
  const series = new Map<string, Array<{ context: number; peak: number }>>();
  for (const r of rows) {
    const context = num(r["context"]);
    const peak = num(r["peak_vram_gb"]);
    if (context === null || peak === null) continue;
    const k = seriesKey(r);
    series.set(k, [...(series.get(k) ?? []), { context, peak }]);
  }
  const falling = new Set<string>();
  for (const [k, points] of series) {
    points.sort((a, b) => a.context - b.context || a.peak - b.peak);
    // A fall of more than 2% (peaks are printed to 0.1 GB) between two contexts.
    if (points.some((p, i) => i > 0 && p.context > points[i - 1]!.context && p.peak < points[i - 1]!.peak * 0.98)) falling.add(k);
  }
  return falling;
}

const RUNTIMES: Record<string, string> = { "llama.cpp": "llamacpp", ollama: "llamacpp", mlx: "mlx", vllm: "vllm" };
const num = (s: string | undefined): number | null => (s === undefined || s.trim() === "" || !Number.isFinite(Number(s)) ? null : Number(s));

/**
 * Rules: a peak within 5% of the card's memory is where a runtime filled the card (a partial offload or vLLM's
 * reservation), not what the model needs; a peak shared by three or more different models on one card, or by one
 * model at three or more contexts (its KV cache grows with the context), is a placeholder, and so is a series whose
 * peak falls as the context grows; rows with fewer GPU layers than the model has ran partly on the CPU; vLLM reserves
 * a share of the card whatever the model, so its peaks are not the model's; a source's tuned batch configuration and
 * a fork's KV cache type are not what the estimator models; a row repeated under another record id counts once.
 */
export function memoryChecks(): { checks: MemoryCheck[]; skipped: Map<string, number> } {
  const rows: Array<Record<string, string>> = parse(readFileSync(new URL("../../test/fixtures/reference/community-memory.csv", import.meta.url)), { columns: true, bom: true });
  const models = bundledModels();
  const skipped = new Map<string, number>();
  const skip = (why: string): void => void skipped.set(why, (skipped.get(why) ?? 0) + 1);
  const peakModels = new Map<string, Set<string>>();
  const peakContexts = new Map<string, Set<string>>();
  for (const r of rows) {
    const k = `${r["hardware_name"]}|${r["peak_vram_gb"]}`;
    peakModels.set(k, (peakModels.get(k) ?? new Set()).add(r["model_hf_id"] ?? ""));
    const byModel = `${k}|${r["model_hf_id"]}|${r["quant"]}`;
    peakContexts.set(byModel, (peakContexts.get(byModel) ?? new Set()).add(r["context"] ?? ""));
  }
  const fallingSeries = seriesWherePeakFalls(rows);
  const checks: MemoryCheck[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const peak = num(r["peak_vram_gb"]);
    const vram = num(r["vram_gb"]);
    const runtime = RUNTIMES[r["runtime"] ?? ""] ?? "llamacpp";
    if (peak === null || peak <= 0) { skip("no peak"); continue; }
    const same = ["hardware_name", "gpu_count", "model_hf_id", "quant", "runtime", "context", "kv_cache_dtype", "batch_size", "peak_vram_gb", "decode_tps"].map((c) => r[c] ?? "").join("|");
    if (seen.has(same)) { skip("duplicate (every field but the record id)"); continue; }
    seen.add(same);
    if (kvTypeOf(r["kv_cache_dtype"] ?? "") === null) { skip("KV cache type the estimator does not model"); continue; }
    if (TUNED_CONFIGURATION.test(r["method_note"] ?? "")) { skip("batch configuration tuned by the source, not the runtime's default"); continue; }
    if (fallingSeries.has(seriesKey(r))) { skip("peak falls as the context grows (not the model's)"); continue; }
    if (runtime === "vllm") { skip("vLLM reserves a share of the card"); continue; }
    if (vram !== null && peak >= 0.95 * vram) { skip("peak at the card's size"); continue; }
    if ((peakModels.get(`${r["hardware_name"]}|${r["peak_vram_gb"]}`)?.size ?? 0) >= 3) { skip("peak shared by 3+ models (placeholder)"); continue; }
    if ((peakContexts.get(`${r["hardware_name"]}|${r["peak_vram_gb"]}|${r["model_hf_id"]}|${r["quant"]}`)?.size ?? 0) >= 3) { skip("one peak at 3+ contexts (not the model's)"); continue; }
    if ((num(r["batch_size"]) ?? 1) > 1) { skip("batch > 1"); continue; }
    const count = num(r["gpu_count"]) ?? 1;
    const cpuOnly = /^CPU/i.test(r["hardware_name"] ?? "");
    const body: Record<string, unknown> = {
      model: r["model_hf_id"],
      runtime,
      // vram_gb is per card in this file (two 12 GB RTX 3060s: vram_gb 12, gpu_count 2); names sold in more than one
      // size (RTX 3060 8/12 GB, RTX 3080 10/12 GB) need it.
      machine: { gpus: cpuOnly ? [] : [{ name: gpuName(r["hardware_name"] ?? ""), count, ...(vram !== null ? { vram_gb: vram } : {}) }], ram_gb: 128, cpu_cores: 16 },
    };
    if (r["quant"]) body["quant"] = r["quant"];
    const ctx = num(r["context"]);
    if (ctx !== null && ctx >= 1) body["context"] = ctx;
    const kv = kvTypeOf(r["kv_cache_dtype"] ?? "");
    if (kv !== null) body["kv_cache_type"] = kv;
    let req;
    try {
      req = parseEstimateRequest(body);
    } catch (e) {
      skip(`request: ${e instanceof Error ? e.message.slice(0, 60) : String(e)}`);
      continue;
    }
    if (!("reference" in req.model) || req.machine === null) continue;
    const res = resolveModel(models, req.model.reference);
    if (!res.model) { skip("model not found"); continue; }
    const e = estimate({ model: res.model, machine: req.machine, quant: req.quant ?? res.quant ?? undefined, contextTokens: req.contextTokens ?? undefined, runtime: req.runtime ?? undefined, kvCacheType: req.kvCacheType ?? undefined });
    if (e.runMode !== "gpu" && e.runMode !== "tensor_parallel") { skip(`estimated ${e.runMode}`); continue; }
    const layers = num(r["gpu_layers"]);
    if (layers !== null && layers < res.model.architecture.layers) { skip("fewer GPU layers than the model has"); continue; }
    // Peak VRAM as the tools print it: GiB (nvidia-smi MiB / 1024).
    const estimatedGib = e.memory.gpuBytes / BYTES_PER_GIB;
    checks.push({ id: r["record_id"] ?? "", device: normalizeDevice(r["hardware_name"] ?? ""), model: res.model.id, quant: e.quant, measuredGib: peak, estimatedGib, err: estimatedGib / peak - 1 });
  }
  return { checks, skipped };
}
