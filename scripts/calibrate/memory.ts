// Memory check: the estimator's GPU memory against users' measured peak VRAM (test/fixtures/reference/community-memory.csv),
// on rows kept by stated rules.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { bundledModels } from "../../src/catalog/bundled.js";
import { resolveModel } from "../../src/catalog/resolve.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { BYTES_PER_GIB } from "../../src/domain/units.js";
import { estimate } from "../../src/estimate/estimate.js";
import { gpuName, normalizeDevice } from "./dev-set.js";

export interface MemoryCheck {
  id: string;
  device: string;
  model: string;
  quant: string;
  measuredGib: number;
  estimatedGib: number;
  err: number;
}

const RUNTIMES: Record<string, string> = { "llama.cpp": "llamacpp", ollama: "llamacpp", mlx: "mlx", vllm: "vllm" };
const num = (s: string | undefined): number | null => (s === undefined || s.trim() === "" || !Number.isFinite(Number(s)) ? null : Number(s));

/**
 * Rules: a peak within 5% of the card's memory is where a runtime filled the card (a partial offload or vLLM's
 * reservation), not what the model needs; a peak shared by three or more different models on one card, or by one
 * model at three or more contexts (its KV cache grows with the context), is a placeholder; rows with fewer GPU layers than the model has ran partly on the CPU; vLLM reserves a share of the card
 * whatever the model, so its peaks are not the model's.
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
  const checks: MemoryCheck[] = [];
  for (const r of rows) {
    const peak = num(r["peak_vram_gb"]);
    const vram = num(r["vram_gb"]);
    const runtime = RUNTIMES[r["runtime"] ?? ""] ?? "llamacpp";
    if (peak === null || peak <= 0) { skip("no peak"); continue; }
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
      machine: { gpus: cpuOnly ? [] : [{ name: gpuName(r["hardware_name"] ?? ""), count }], ram_gb: 128, cpu_cores: 16 },
    };
    if (r["quant"]) body["quant"] = r["quant"];
    const ctx = num(r["context"]);
    if (ctx !== null && ctx >= 1) body["context"] = ctx;
    if (["f16", "q8_0", "q4_0"].includes(r["kv_cache_dtype"] ?? "")) body["kv_cache_type"] = r["kv_cache_dtype"];
    let req;
    try {
      req = parseEstimateRequest(body);
    } catch {
      skip("quant not parsed");
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
