// `nodefit estimate`: one request from flags, or a JSON-lines batch (one result line per request line, in order).
import { NodefitError, messageOf } from "../../domain/errors.js";
import { MAX_BATCH_FILE_BYTES, MAX_BATCH_LINE_BYTES, MAX_BATCH_LINES } from "../../domain/limits.js";
import { formatBytes, readInputFile } from "../../domain/read-input-file.js";
import { parseEstimateRequest, type EstimateRequestInput } from "../../contract/estimate-request.js";
import type { NodeService } from "../../service/node-service.js";
import { outputWidth, writeJson, useColor, type CliIo } from "../cli-io.js";
import type { HubFlags } from "../hub-flags.js";
import { parseMachineFlags, type MachineFlags } from "../machine-flags.js";
import type { OpenService } from "../open-service.js";
import { NO_CONFIG, Settings, type LoadedConfig } from "../settings.js";
import { estimateText } from "../render/estimate-text.js";
import { COLOR, PLAIN } from "../table.js";

export interface EstimateFlags extends MachineFlags, HubFlags {
  model?: string;
  quant?: string;
  context?: string;
  runtime?: string;
  kvCacheType?: string;
  batch?: string;
  gguf?: string;
  json?: boolean;
}

/**
 * The request the flags describe, parsed by the one parser of `POST /api/v1/estimate` bodies: the flags build the same
 * body (a `--context` of digits becomes the number the body carries; anything else reaches the parser as text and is
 * refused there), so a mistake gets the API's text.
 */
export function requestOfFlags(f: EstimateFlags): EstimateRequestInput {
  if (f.model === undefined || f.model.trim() === "")
    throw new NodefitError("invalid_argument", "give the model to estimate: --model REF (or --batch FILE.jsonl)");
  const body: Record<string, unknown> = { model: f.model };
  if (f.quant !== undefined) body["quant"] = f.quant;
  if (f.context !== undefined) body["context"] = /^\s*\d+\s*$/.test(f.context) ? Number(f.context) : f.context;
  if (f.runtime !== undefined) body["runtime"] = f.runtime;
  if (f.kvCacheType !== undefined) body["kv_cache_type"] = f.kvCacheType;
  return parseEstimateRequest(body);
}

/**
 * A batch, read whole before any request runs: a regular file of at most 64 MiB (MAX_BATCH_FILE_BYTES) opened without
 * blocking (a FIFO, a device or a directory is refused before it is read), or stdin (`-`); at most 100,000 lines
 * (MAX_BATCH_LINES) of at most 1 MiB each (MAX_BATCH_LINE_BYTES). Past a bound the whole batch is refused
 * (`invalid_input_file`), since its answers would not fit.
 */
async function readBatch(path: string, io: CliIo): Promise<string> {
  const text = path === "-" ? await io.readStdin(MAX_BATCH_FILE_BYTES) : (await readInputFile(path, "batch")).text;
  const refuse = (why: string): NodefitError =>
    new NodefitError("invalid_input_file", `cannot read the batch ${path === "-" ? "on stdin" : `file ${path}`}: ${why}`, { path });
  let line = 0;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    line++;
    if (line > MAX_BATCH_LINES) throw refuse(`more than ${MAX_BATCH_LINES} lines (one request each): split it`);
    // A UTF-16 unit is 1 to 3 bytes of UTF-8 (a surrogate pair, two units, is 4): only a long line is measured.
    if ((end - start) * 3 > MAX_BATCH_LINE_BYTES && Buffer.byteLength(text.slice(start, end)) > MAX_BATCH_LINE_BYTES)
      throw refuse(`line ${line} is over ${formatBytes(MAX_BATCH_LINE_BYTES)}: one request per line`);
    start = end + 1;
  }
  return text;
}

/** One batch line: JSON, then the request parser. */
function requestOfLine(line: string): EstimateRequestInput {
  if (line.trim() === "") throw new NodefitError("invalid_argument", "empty line: one JSON request per line");
  let body: unknown;
  try {
    body = JSON.parse(line);
  } catch (e) {
    throw new NodefitError("invalid_argument", `not valid JSON (${messageOf(e)})`);
  }
  return parseEstimateRequest(body);
}

/** One result line per request line; a bad line answers `{"error": ...}` and the run goes on. */
export async function estimateLines(text: string, service: NodeService): Promise<string[]> {
  const lines = text.split(/\r?\n/);
  // A final newline does not start another request.
  if (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    try {
      out.push(JSON.stringify(await service.estimate(requestOfLine(line))));
    } catch (e) {
      out.push(JSON.stringify({ error: `line ${i + 1}: ${messageOf(e)}` }));
    }
  }
  return out;
}

export async function runEstimate(flags: EstimateFlags, io: CliIo, open: OpenService, config: LoadedConfig = NO_CONFIG): Promise<number> {
  const settings = new Settings({ flags, env: io.env, config });
  const machine = parseMachineFlags(flags, settings);
  const hub = settings.hub();
  if (flags.batch !== undefined) {
    const single = (["model", "quant", "context", "runtime", "kvCacheType", "gguf"] as const).filter((k) => flags[k] !== undefined);
    if (single.length > 0)
      throw new NodefitError("invalid_argument", "--batch reads every request from its file: leave out --model, --quant, --context, --runtime, --kv-cache-type and --gguf");
    const text = await readBatch(flags.batch, io);
    const service = await open(machine, io, { hub });
    try {
      const lines = await estimateLines(text, service);
      if (lines.length > 0) io.stdout.write(`${lines.join("\n")}\n`);
      return 0;
    } finally {
      service.close();
    }
  }
  if (flags.gguf !== undefined) {
    if (flags.model !== undefined) throw new NodefitError("invalid_argument", "--gguf names the model: leave out --model");
    // The flags are parsed before the file is read (a placeholder model stands in for the file's until then).
    requestOfFlags({ ...flags, model: flags.gguf });
    const { modelFromGguf } = await import("../../catalog/gguf/model-from-gguf.js");
    const imported = await modelFromGguf(flags.gguf);
    for (const w of imported.warnings) io.stderr.write(`nodefit: warning: ${w}\n`);
    // The file's exact tensor bytes are in the entry's gguf_files under its quant: estimate that quant by default.
    const request = requestOfFlags({ ...flags, model: imported.model.id, quant: flags.quant ?? imported.quant });
    return answer(request, await open(machine, io, { extraModels: [imported.model], hub }), flags, io);
  }
  const request = requestOfFlags(flags);
  return answer(request, await open(machine, io, { hub }), flags, io);
}

async function answer(request: EstimateRequestInput, service: NodeService, flags: EstimateFlags, io: CliIo): Promise<number> {
  try {
    const result = await service.estimate(request);
    if (flags.json) writeJson(io, result);
    else io.stdout.write(estimateText(result, useColor(io) ? COLOR : PLAIN, outputWidth(io)));
    return 0;
  } catch (e) {
    throw withGgufHint(e);
  } finally {
    service.close();
  }
}

/** A model no catalog entry matches: on the command line, its GGUF file can answer instead. */
function withGgufHint(e: unknown): unknown {
  if (!(e instanceof NodefitError) || e.code !== "model_not_found") return e;
  // Ambiguous, or a few typing mistakes from catalog names: the message already names them.
  const named = (key: string): boolean => {
    const list = e.details?.[key];
    return Array.isArray(list) && list.length > 0;
  };
  if (named("candidates") || named("suggestions")) return e;
  return new NodefitError(
    e.code,
    `${e.message}; with its GGUF file, \`nodefit estimate --gguf FILE\` reads the architecture from the file, and \`nodefit catalog import FILE\` prints an entry for your catalog file`,
    e.details,
    { cause: e },
  );
}
