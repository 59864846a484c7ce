// Maintainer script: copies the public reference figures the tests use into test/fixtures/reference/ (the project's
// own files, each row with its public source). Usage: npx tsx scripts/reference-fixtures.ts <path-to-reference-folder>
// (npm run fixtures:reference -- <path>). Same input, same bytes: rows keep their input order, columns a fixed order.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";

/** A CSV file read whole: its header and its rows keyed by it. */
interface Table {
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>;
}

/** An output column: its name in the fixture, and the input column it copies (the same name unless renamed). */
type Column = string | readonly [output: string, input: string];

interface Fixture {
  readonly file: string;
  readonly columns: readonly Column[];
  /** The columns that name each row's public source: every row must fill them. */
  readonly source: readonly string[];
  readonly rows: ReadonlyArray<Readonly<Record<string, string>>>;
}

const OUT_DIR = fileURLToPath(new URL("../test/fixtures/reference/", import.meta.url));

function readTable(dir: string, name: string): Table {
  const records = parse(readFileSync(join(dir, name)), { bom: true, skip_empty_lines: true });
  const [header, ...body] = records;
  if (!header) throw new Error(`${name}: empty file`);
  const rows = body.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""])));
  return { name, header, rows };
}

const outputName = (c: Column): string => (typeof c === "string" ? c : c[0]);
const inputName = (c: Column): string => (typeof c === "string" ? c : c[1]);

/** Fails when the input lacks a column the fixture copies (the public files' columns moved). */
function requireColumns(table: Table, columns: readonly Column[]): void {
  const missing = columns.map(inputName).filter((c) => !table.header.includes(c));
  if (missing.length > 0) throw new Error(`${table.name} lacks column(s) ${missing.join(", ")}`);
}

function select(row: Readonly<Record<string, string>>, columns: readonly Column[]): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [outputName(c), row[inputName(c)] ?? ""]));
}

/** RFC 4180: a field is quoted when it holds a comma, a quote, a line break or edge whitespace; lines end in LF. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function toCsv(fixture: Fixture): string {
  const names = fixture.columns.map(outputName);
  const lines = [names, ...fixture.rows.map((row) => names.map((n) => row[n] ?? ""))].map((cells) => cells.map(csvField).join(","));
  return `${lines.join("\n")}\n`;
}

const GGUF_FILE_SIZES: readonly Column[] = ["model", "architecture", "params_b", "quant", "file_size_gb", "file_size_gib", "size_basis", "source_url", "source_kind", "notes"];
const MEASURED_MEMORY: readonly Column[] = ["model", "architecture", "params_b", "quant", "measured_mem_gib", "mem_component", "context", "kv_dtype", "hardware_or_runtime", "source_url", "source_kind", "notes"];
/** llama-bench's tg / pp named for what they measure: decode and prefill. */
const DECODE_SPEEDS: readonly Column[] = [
  ["device", "gpu_or_chip"], "gpu_count", "mem_bandwidth_gbps", "bandwidth_basis", "backend", "runtime", "model", "params_b", "quant", "model_size_gib",
  ["decode_test", "tg_test"], ["decode_tps", "tg_tps"], ["prefill_test", "pp_test"], ["prefill_tps", "pp_tps"], "build_or_date", "source_url", "source_kind", "notes",
];
const COMMUNITY_SPEEDS: readonly Column[] = [
  "source", "source_ref", "record_id", "hardware_name", "hw_class", "gpu_count", "vram_gb", "ram_gb", "unified_memory", "mem_bandwidth_gbps_spec", "os", "backend", "cpu",
  "cpu_cores", "model", "model_hf_id", "params_b", "active_params_b", "is_moe", "quant", "runtime", "runtime_version", "decode_tps_avg", "decode_tps_min", "decode_tps_max",
  "tps_method", "prompt_tps", "ttft_ms", "prompt_tokens", "output_tokens", "context", "batch_size", "spec_decoding", "mtp", "kv_cache_dtype", "gpu_layers", "peak_vram_gb", "flags",
];
/** The memory collection names no source of its own: each row is a record of the speed collection (same record_id). */
const COMMUNITY_MEMORY_SOURCE: readonly Column[] = ["source", "source_ref"];
const COMMUNITY_MEMORY: readonly Column[] = [
  "record_id", "hardware_name", "gpu_count", "vram_gb", "unified_memory_gb", "model_hf_id", "params_b", "active_params_b", "is_moe", "quant", "runtime", "context",
  "kv_cache_dtype", "batch_size", "gpu_layers", "peak_vram_gb", "decode_tps", "method_note",
];

function fixtures(dir: string): Fixture[] {
  const memPublic = readTable(dir, "mem_public.csv");
  const tpsPublic = readTable(dir, "tps_public.csv");
  const tpsCommunity = readTable(dir, "tps_community.csv");
  const memCommunity = readTable(dir, "mem_community.csv");
  requireColumns(memPublic, [...GGUF_FILE_SIZES, ...MEASURED_MEMORY]);
  requireColumns(tpsPublic, DECODE_SPEEDS);
  requireColumns(tpsCommunity, COMMUNITY_SPEEDS);
  requireColumns(memCommunity, COMMUNITY_MEMORY);

  const communityRecords = new Map(tpsCommunity.rows.map((r) => [r.record_id ?? "", r]));
  const communityMemory = memCommunity.rows.map((row) => {
    const record = communityRecords.get(row.record_id ?? "");
    if (!record) throw new Error(`mem_community.csv: record ${row.record_id} has no row in tps_community.csv, so no source`);
    return { ...select(record, COMMUNITY_MEMORY_SOURCE), ...select(row, COMMUNITY_MEMORY) };
  });

  return [
    { file: "gguf-file-sizes.csv", columns: GGUF_FILE_SIZES, source: ["source_url"], rows: memPublic.rows.filter((r) => r.file_size_gb !== "").map((r) => select(r, GGUF_FILE_SIZES)) },
    { file: "measured-memory.csv", columns: MEASURED_MEMORY, source: ["source_url"], rows: memPublic.rows.filter((r) => r.measured_mem_gib !== "").map((r) => select(r, MEASURED_MEMORY)) },
    { file: "decode-speeds.csv", columns: DECODE_SPEEDS, source: ["source_url"], rows: tpsPublic.rows.map((r) => select(r, DECODE_SPEEDS)) },
    { file: "community-speeds.csv", columns: COMMUNITY_SPEEDS, source: ["source", "source_ref"], rows: tpsCommunity.rows.map((r) => select(r, COMMUNITY_SPEEDS)) },
    { file: "community-memory.csv", columns: [...COMMUNITY_MEMORY_SOURCE, ...COMMUNITY_MEMORY], source: ["source", "source_ref"], rows: communityMemory },
  ];
}

function main(argv: readonly string[]): void {
  const dir = argv[0];
  if (!dir || argv.length !== 1) {
    console.error("usage: npx tsx scripts/reference-fixtures.ts <path-to-reference-folder>");
    process.exit(2);
  }
  const all = fixtures(dir);
  for (const fixture of all) {
    const unsourced = fixture.rows.findIndex((row) => fixture.source.some((c) => (row[c] ?? "") === ""));
    if (unsourced >= 0) throw new Error(`${fixture.file}: row ${unsourced + 1} has no ${fixture.source.join(" / ")}`);
  }
  mkdirSync(OUT_DIR, { recursive: true });
  for (const fixture of all) {
    writeFileSync(join(OUT_DIR, fixture.file), toCsv(fixture));
    console.log(`${fixture.file.padEnd(22)} ${String(fixture.rows.length).padStart(4)} rows`);
  }
}

main(process.argv.slice(2));
