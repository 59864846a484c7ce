// Numbers as people read them: GB with sensible digits, tok/s, token counts (8K, 128K), times.
import { RUNTIME_LABELS as WIRE_RUNTIME_LABELS } from "../domain/vocabulary.js";

export { FIT_LEVELS, KV_CACHE_TYPES, RUNTIMES } from "../domain/vocabulary.js";

export const FIT_LABELS: Readonly<Record<string, string>> = { perfect: "Perfect", good: "Good", marginal: "Marginal", too_tight: "Too tight" };
/** Runtimes' names, looked up by whatever runtime an answer names (one this build does not know shows as it is). */
export const RUNTIME_LABELS: Readonly<Record<string, string>> = WIRE_RUNTIME_LABELS;
export const RUN_MODE_LABELS: Readonly<Record<string, string>> = {
  gpu: "GPU",
  moe_offload: "MoE offload",
  cpu_offload: "CPU offload",
  cpu_only: "CPU",
  tensor_parallel: "Tensor parallel",
};

export const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export function gb(v: number | null | undefined): string {
  if (!isNum(v)) return "–";
  if (v >= 100) return `${Math.round(v)} GB`;
  if (v >= 10) return `${v.toFixed(1)} GB`;
  return `${v.toFixed(2)} GB`;
}

export function tps(v: number | null | undefined): string {
  if (!isNum(v)) return "–";
  if (v >= 100) return Math.round(v).toString();
  return v.toFixed(1);
}

export function range(r: readonly [number, number] | null | undefined): string {
  if (!r) return "";
  return `${tps(r[0])}–${tps(r[1])}`;
}

/** 8192 → "8K", 131072 → "128K", 1048576 → "1M". */
export function tokens(v: number | null | undefined): string {
  if (!isNum(v)) return "–";
  if (v >= 1048576 && v % 1048576 === 0) return `${v / 1048576}M`;
  if (v >= 1024 && v % 1024 === 0) return `${v / 1024}K`;
  if (v >= 10000) return `${Math.round(v / 1000)}k`;
  return v.toLocaleString("en");
}

export function ms(v: number | null | undefined): string {
  if (!isNum(v)) return "–";
  if (v >= 10000) return `${(v / 1000).toFixed(0)} s`;
  if (v >= 1000) return `${(v / 1000).toFixed(1)} s`;
  return `${Math.round(v)} ms`;
}

export function params(b: number | null | undefined): string {
  if (!isNum(b)) return "–";
  return b >= 10 ? `${Math.round(b)}B` : `${b.toFixed(1)}B`;
}

export function pct(v: number | null | undefined): string {
  return isNum(v) ? `${Math.round(v)}%` : "–";
}

/** "12 s ago" for an ISO time. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return new Date(t).toLocaleString();
}

/** A field name as a label: `kv_cache_gb` → "kv cache gb". */
export const label = (key: string): string => key.replace(/_/g, " ");
