// Runtime processes: pure parsers of the process list (`ps` on Linux and macOS, Get-CimInstance Win32_Process or
// tasklist on Windows) and the classifier that tells an LLM runtime's process from any other, with the port and the
// model its command line gives.
import { redactShown, redactUrls, SHOWN_TEXT_MAX_CHARS } from "../domain/redact.js";
import type { RuntimeKind, RuntimeProcess } from "./types.js";

/** One line of the process list, before classification. */
export interface ProcessEntry {
  pid: number;
  /** The executable as listed (path or name). */
  executable: string;
  /** The whole command line, executable first; the name alone where the list gives no command line (tasklist). */
  commandLine: string;
  rssBytes: number | null;
}


/**
 * `ps -A -ww -o pid=,rss=,args=` (procps on Linux, BSD ps on macOS): the pid, the resident set in KiB, then the command
 * line. Lines that do not start with two integers are skipped.
 */
export function parsePsOutput(text: string): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+)\s+(\d+|-)\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const commandLine = m[3]!;
    out.push({ pid: Number(m[1]), executable: splitCommandLine(commandLine)[0] ?? commandLine, commandLine, rssBytes: m[2] === "-" ? null : Number(m[2]) * 1024 });
  }
  return out;
}

/**
 * `Get-CimInstance Win32_Process | Select-Object ProcessId,Name,CommandLine,WorkingSetSize | ConvertTo-Json -Compress`:
 * an array of objects (a lone object when one process matched). A process whose command line Windows hides from this
 * user (null) keeps its name.
 */
export function parseCimProcesses(text: string): ProcessEntry[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    return null;
  }
  const items = Array.isArray(parsed) ? parsed : parsed !== null && typeof parsed === "object" ? [parsed] : null;
  if (items === null) return null;
  const out: ProcessEntry[] = [];
  for (const item of items) {
    if (item === null || typeof item !== "object") continue;
    const o = item as Record<string, unknown>;
    const pid = o["ProcessId"];
    const name = typeof o["Name"] === "string" ? o["Name"] : "";
    if (typeof pid !== "number" || !Number.isInteger(pid)) continue;
    const cmd = typeof o["CommandLine"] === "string" && o["CommandLine"].trim() !== "" ? o["CommandLine"].trim() : name;
    const ws = o["WorkingSetSize"];
    out.push({ pid, executable: splitCommandLine(cmd)[0] ?? name, commandLine: cmd, rssBytes: typeof ws === "number" && ws >= 0 ? ws : null });
  }
  return out;
}

/**
 * `tasklist /fo csv /nh`: "Image Name","PID","Session Name","Session#","Mem Usage" per line, the memory as Windows
 * formats it in the user's locale ("45,678 K", "45.678 K", "45 678 K"). No command lines: runtimes are told by name.
 */
export function parseTasklistCsv(text: string): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    const cells = [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"'));
    if (cells.length < 5) continue;
    const pid = Number(cells[1]);
    if (!Number.isInteger(pid)) continue;
    const kib = /^([\d.,\s\u00a0\u202f']+)\s*K/i.exec(cells[4]!.trim());
    const digits = kib ? kib[1]!.replace(/\D/g, "") : "";
    out.push({ pid, executable: cells[0]!, commandLine: cells[0]!, rssBytes: digits === "" ? null : Number(digits) * 1024 });
  }
  return out;
}

/** Splits a command line into words: whitespace separates, double or single quotes group (Windows and shell alike). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | null = null;
  let inWord = false;
  for (const ch of line) {
    if (quote !== null) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** `/usr/local/bin/llama-server`, `C:\llama\llama-server.exe` -> `llama-server`. */
const baseName = (path: string): string => (path.split(/[\\/]/).pop() ?? path).replace(/\.exe$/i, "").toLowerCase();

/** A flag's value: `--port 8081` or `--port=8081`; the first of several names that is present. */
function flagValue(words: readonly string[], names: readonly string[]): string | null {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    for (const n of names) {
      if (w === n && i + 1 < words.length) return words[i + 1]!;
      if (w.startsWith(`${n}=`)) return w.slice(n.length + 1);
    }
  }
  return null;
}

const portOf = (words: readonly string[]): number | null => {
  const v = flagValue(words, ["--port"]);
  const n = v === null ? NaN : Number(v);
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : null;
};

/** What the classifier makes of one process: its runtime, the port and model its command line gives. */
export interface ProcessClass {
  kind: RuntimeKind;
  port: number | null;
  /** The listen address it gives (`--host 0.0.0.0`), else null. */
  host: string | null;
  model: string | null;
}

/**
 * The runtime a process belongs to, or null. By executable and arguments, never by a substring of a path alone:
 * - Ollama: `ollama serve` and its model runners (`ollama runner`, the older `ollama_llama_server`), the desktop apps
 *   (`Ollama`, `ollama app.exe`); `ollama run` and `ollama pull` are clients and are not counted;
 * - llama.cpp: `llama-server` (`-m FILE`, `-hf REPO`, `--port`, `--host`);
 * - LM Studio: the app (`LM Studio`, `lm-studio`), its helper processes left out;
 * - vLLM: `vllm serve MODEL`, `python -m vllm.entrypoints.openai.api_server --model M`, and its engine processes
 *   (`VLLM::EngineCore`);
 * - MLX: `mlx_lm.server` (`python -m mlx_lm.server`, `mlx_lm server`).
 */
export function classifyProcess(entry: ProcessEntry): ProcessClass | null {
  const words = splitCommandLine(entry.commandLine);
  const exe = baseName(entry.executable);
  const args = words.slice(1);
  const host = flagValue(args, ["--host"]);
  const lower = entry.commandLine.toLowerCase();

  if (exe === "ollama" && (args[0] === "serve" || args[0] === "runner")) return { kind: "ollama", port: null, host: null, model: args[0] === "runner" ? flagValue(args, ["--model"]) : null };
  if (exe === "ollama_llama_server") return { kind: "ollama", port: null, host: null, model: flagValue(args, ["--model", "-m"]) };
  if (exe === "ollama app" || (exe === "ollama" && /ollama\.app\/contents\/macos\/ollama$/i.test(entry.executable))) return { kind: "ollama", port: null, host: null, model: null };
  // macOS paths hold spaces ps does not quote: look at the command line itself.
  if (/ollama\.app\/contents\/macos\/ollama(\s|$)/i.test(entry.commandLine) && !/\bhelper\b/i.test(entry.commandLine)) return { kind: "ollama", port: null, host: null, model: null };

  if (exe === "llama-server") return { kind: "llamacpp", port: portOf(args), host, model: flagValue(args, ["-m", "--model", "-hf", "-hfr", "--hf-repo", "-mu", "--model-url"]) };

  if ((/lm studio\.app\/contents\/macos\/lm studio(\s|$)/i.test(entry.commandLine) || exe === "lm studio" || exe === "lm-studio") && !/helper/i.test(lower))
    return { kind: "lmstudio", port: null, host: null, model: null };

  if (entry.commandLine.startsWith("VLLM::")) return { kind: "vllm", port: null, host: null, model: null };
  const vllmAt = words.findIndex((w, i) => baseName(w) === "vllm" && words[i + 1] === "serve");
  if (vllmAt >= 0) {
    const next = words[vllmAt + 2];
    const positional = next !== undefined && !next.startsWith("-") ? next : null;
    return { kind: "vllm", port: portOf(words), host: flagValue(words, ["--host"]), model: positional ?? flagValue(words, ["--model"]) };
  }
  if (words.some((w) => w === "vllm.entrypoints.openai.api_server" || /vllm[\\/]entrypoints[\\/]openai[\\/]api_server\.py$/.test(w)))
    return { kind: "vllm", port: portOf(words), host: flagValue(words, ["--host"]), model: flagValue(words, ["--model"]) };

  if (words.some((w, i) => baseName(w) === "mlx_lm.server" || (baseName(w) === "mlx_lm" && words[i + 1] === "server"))) return { kind: "mlx", port: portOf(words), host: flagValue(words, ["--host"]), model: flagValue(words, ["--model"]) };
  return null;
}

/**
 * Flags whose value is a secret (`vllm serve --api-key`, `llama-server --api-key`, a Hugging Face token, llama.cpp's
 * short `-hft`): the command line an answer shows has their values replaced, so the runtimes object never hands a key
 * to whoever reads it.
 */
const SECRET_FLAG = /^(--?(?:api[-_]?key|hf[-_]?token|hft|token|password|passwd|secret|auth[-_]?token|access[-_]?token))(=.*)?$/is;
const SECRET_ENV = /^([A-Z0-9_]*(?:TOKEN|KEY|SECRET|PASSWORD|CREDENTIAL)[A-Z0-9_]*)=(.+)$/s;

/** The words of a command line as written (quotes kept, so a quoted value is masked whole) and the spaces between. */
function rawWords(line: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < line.length) {
    const start = i;
    if (/\s/.test(line[i]!)) {
      while (i < line.length && /\s/.test(line[i]!)) i++;
    } else {
      let quote: string | null = null;
      while (i < line.length && (quote !== null || !/\s/.test(line[i]!))) {
        const ch = line[i]!;
        if (quote !== null) {
          if (ch === quote) quote = null;
        } else if (ch === '"' || ch === "'") quote = ch;
        i++;
      }
    }
    parts.push(line.slice(start, i));
  }
  return parts;
}

/** A word without its quotes (`"a b"` -> `a b`, `--key="x y"` -> `--key=x y`). */
const unquoted = (raw: string): string => splitCommandLine(raw).join(" ");

/**
 * The command line with secret values masked (`--api-key ***`, `--api-key=***`, `-hft ***`, `HF_TOKEN=***`) and
 * every URL's credentials and query masked, in the flags' values and anywhere else.
 */
export function redactCommandLine(line: string): string {
  let maskNext = false;
  return rawWords(line)
    .map((raw) => {
      if (/^\s*$/.test(raw)) return raw;
      if (maskNext) {
        maskNext = false;
        return "***";
      }
      const word = unquoted(raw);
      const flag = SECRET_FLAG.exec(word);
      if (flag) {
        if (flag[2] !== undefined) return `${flag[1]}=***`;
        maskNext = true;
        return raw;
      }
      const env = SECRET_ENV.exec(word);
      return env ? `${env[1]}=***` : redactUrls(raw);
    })
    .join("");
}

/** A string an answer shows: cut to SHOWN_TEXT_MAX_CHARS, URLs' secrets masked (a head only, then cut: `redactShown`). */
function shownText(text: string): string {
  return redactShown(text, SHOWN_TEXT_MAX_CHARS);
}

/** The runtime processes of a process list, this process left out. */
export function runtimeProcesses(entries: readonly ProcessEntry[], selfPid: number): Array<RuntimeProcess & { host: string | null }> {
  const out: Array<RuntimeProcess & { host: string | null }> = [];
  for (const e of entries) {
    if (e.pid === selfPid) continue;
    const c = classifyProcess(e);
    if (c === null) continue;
    const command = redactShown(e.commandLine, SHOWN_TEXT_MAX_CHARS, redactCommandLine);
    out.push({ pid: e.pid, kind: c.kind, command, rssBytes: e.rssBytes, port: c.port, host: c.host, model: c.model === null ? null : shownText(c.model) });
  }
  return out;
}
