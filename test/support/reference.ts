// Public reference figures for tests: the project's own fixture files in test/fixtures/reference/ (see its README), read on first use.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { it } from "vitest";

const FIXTURE_DIR = new URL("../fixtures/reference/", import.meta.url);

/** How a column reads: text as written; a number (`?`: or null where empty); a 0/1 flag; a `;`-separated list. */
type Kind = "text" | "number" | "number?" | "flag" | "flag?" | "list";
type Value<K extends Kind> = K extends "text"
  ? string
  : K extends "number"
    ? number
    : K extends "number?"
      ? number | null
      : K extends "flag"
        ? boolean
        : K extends "flag?"
          ? boolean | null
          : readonly string[];
/** The columns of a fixture file, in the file's order. */
type Columns = Readonly<Record<string, Kind>>;
type RowOf<S extends Columns> = { readonly [C in keyof S]: Value<S[C]> };

const GGUF_FILE_SIZES = {
  model: "text",
  architecture: "text",
  params_b: "number",
  quant: "text",
  file_size_gb: "number",
  file_size_gib: "number",
  size_basis: "text",
  source_url: "text",
  source_kind: "text",
  notes: "text",
} as const satisfies Columns;

const MEASURED_MEMORY = {
  model: "text",
  architecture: "text",
  params_b: "number",
  quant: "text",
  measured_mem_gib: "number",
  mem_component: "text",
  context: "number?",
  kv_dtype: "text",
  hardware_or_runtime: "text",
  source_url: "text",
  source_kind: "text",
  notes: "text",
} as const satisfies Columns;

const DECODE_SPEEDS = {
  device: "text",
  gpu_count: "number",
  mem_bandwidth_gbps: "number?",
  bandwidth_basis: "text",
  backend: "text",
  runtime: "text",
  model: "text",
  params_b: "text",
  quant: "text",
  model_size_gib: "number?",
  decode_test: "text",
  decode_tps: "number",
  prefill_test: "text",
  prefill_tps: "number?",
  build_or_date: "text",
  source_url: "text",
  source_kind: "text",
  notes: "text",
} as const satisfies Columns;

const COMMUNITY_SPEEDS = {
  source: "text",
  source_ref: "text",
  record_id: "text",
  hardware_name: "text",
  hw_class: "text",
  gpu_count: "number",
  vram_gb: "number?",
  ram_gb: "number?",
  unified_memory: "flag",
  mem_bandwidth_gbps_spec: "number?",
  os: "text",
  backend: "text",
  cpu: "text",
  cpu_cores: "number?",
  model: "text",
  model_hf_id: "text",
  params_b: "number?",
  active_params_b: "number?",
  is_moe: "flag?",
  quant: "text",
  runtime: "text",
  runtime_version: "text",
  decode_tps_avg: "number",
  decode_tps_min: "number?",
  decode_tps_max: "number?",
  tps_method: "text",
  prompt_tps: "number?",
  ttft_ms: "number?",
  prompt_tokens: "number?",
  output_tokens: "number?",
  context: "number?",
  batch_size: "number",
  spec_decoding: "flag?",
  mtp: "flag?",
  kv_cache_dtype: "text",
  gpu_layers: "number?",
  peak_vram_gb: "number?",
  flags: "list",
} as const satisfies Columns;

const COMMUNITY_MEMORY = {
  source: "text",
  source_ref: "text",
  record_id: "text",
  hardware_name: "text",
  gpu_count: "number",
  vram_gb: "number?",
  unified_memory_gb: "number?",
  model_hf_id: "text",
  params_b: "number?",
  active_params_b: "number?",
  is_moe: "flag",
  quant: "text",
  runtime: "text",
  context: "number",
  kv_cache_dtype: "text",
  batch_size: "number",
  gpu_layers: "number?",
  peak_vram_gb: "number",
  decode_tps: "number",
  method_note: "text",
} as const satisfies Columns;

/** gguf-file-sizes.csv: a published GGUF file size (GB = 1e9 bytes, and GiB) per model and quant. */
export type GgufFileSize = RowOf<typeof GGUF_FILE_SIZES>;
/** measured-memory.csv: a measured KV-cache or total memory figure, with its context and KV type where stated. */
export type MeasuredMemory = RowOf<typeof MEASURED_MEMORY>;
/** decode-speeds.csv: a measured decode (and prefill) speed from a public benchmark table. */
export type DecodeSpeed = RowOf<typeof DECODE_SPEEDS>;
/** community-speeds.csv: a user's own decode measurement from a public community collection. */
export type CommunitySpeed = RowOf<typeof COMMUNITY_SPEEDS>;
/** community-memory.csv: a peak-VRAM measurement at a known context from a public community collection. */
export type CommunityMemory = RowOf<typeof COMMUNITY_MEMORY>;

function cell(text: string, kind: Kind, where: () => string): Value<Kind> {
  const optional = kind.endsWith("?");
  if (kind === "text") return text;
  if (kind === "list") return text === "" ? [] : text.split(";");
  if (text === "") {
    if (optional) return null;
    throw new Error(`${where()}: empty`);
  }
  if (kind === "flag" || kind === "flag?") {
    if (text === "0" || text === "1") return text === "1";
    throw new Error(`${where()}: ${JSON.stringify(text)} is not 0 or 1`);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${where()}: ${JSON.stringify(text)} is not a number`);
  return value;
}

const cache = new Map<string, ReadonlyArray<Readonly<Record<string, Value<Kind>>>>>();

/** Reads a fixture once per test file; fails on any column the file and the reader disagree on, naming the file and row. */
function readFixture<S extends Columns>(file: string, columns: S): ReadonlyArray<RowOf<S>> {
  let rows = cache.get(file);
  if (!rows) {
    const records: string[][] = parse(readFileSync(new URL(file, FIXTURE_DIR)), { bom: true, skip_empty_lines: true });
    const [header, ...body] = records;
    const names = Object.keys(columns);
    if (header?.join(",") !== names.join(",")) {
      throw new Error(`${file}: columns [${header?.join(", ") ?? ""}] are not [${names.join(", ")}]; regenerate it with npm run fixtures:reference`);
    }
    rows = body.map((cells, i) =>
      Object.freeze(Object.fromEntries(names.map((name, j) => [name, cell(cells[j] ?? "", columns[name] as Kind, () => `${file} line ${i + 2}, ${name}`)]))),
    );
    cache.set(file, rows);
  }
  return rows as ReadonlyArray<RowOf<S>>;
}

export const readGgufFileSizes = (): ReadonlyArray<GgufFileSize> => readFixture("gguf-file-sizes.csv", GGUF_FILE_SIZES);
export const readMeasuredMemory = (): ReadonlyArray<MeasuredMemory> => readFixture("measured-memory.csv", MEASURED_MEMORY);
export const readDecodeSpeeds = (): ReadonlyArray<DecodeSpeed> => readFixture("decode-speeds.csv", DECODE_SPEEDS);
export const readCommunitySpeeds = (): ReadonlyArray<CommunitySpeed> => readFixture("community-speeds.csv", COMMUNITY_SPEEDS);
export const readCommunityMemory = (): ReadonlyArray<CommunityMemory> => readFixture("community-memory.csv", COMMUNITY_MEMORY);

/**
 * For a suite with one test per fixture row (`it.each`), whose rows must be known when the suite is defined: call it
 * inside the `describe`. It reads the rows there and hands them to `define`; when they cannot be read, it defines one
 * failing test carrying the error instead, so a broken file fails that suite alone, not the whole test file.
 */
export function withFixture<T>(read: () => T, define: (data: T) => void): void {
  let data: T;
  try {
    data = read();
  } catch (error) {
    it("reads its reference fixture", () => {
      throw error;
    });
    return;
  }
  define(data);
}
