// Reference parsing: takes a model reference apart (URL, owner/repo, file name, split suffix, quant, repo suffix, Ollama tag).
import { quantName } from "../../domain/quants.js";
import { findQuant, splitQuant } from "./quant-label.js";

/** The shape a reference was written in. */
export type ReferenceForm = "repo" | "file" | "ollama" | "plain";

export interface Reference {
  form: ReferenceForm;
  /** `owner/name` as written (URL, `hf.co/` and file parts removed), for repo forms. */
  repo: string | null;
  /** The owner of a repo form, lowercased. */
  owner: string | null;
  /** The model name with repo suffixes (-GGUF, -MLX-4bit, -AWQ), quant labels and split suffixes removed. */
  name: string;
  /** A GGUF file name found in the reference (path and URL parts removed). */
  file: string | null;
  /** Ollama name and tag (tag without `:latest`; "" for a bare name). */
  ollama: { name: string; tag: string } | null;
  /** A GGUF quant label named by the reference ("Q4_K_M", "UD-IQ1_S"). */
  quantLabel: string | null;
  /** Where the quant label was found: a file name, an Ollama or `hf.co/...:QUANT` tag, or the name itself. */
  quantFrom: "file" | "tag" | "name" | null;
  /** A pre-quantized format named by a repo suffix, as the estimator names it ("AWQ", "MLX-4BIT", "FP8"). */
  formatQuant: string | null;
  /** Whether a repo suffix said this is a repackaging (GGUF, MLX, AWQ, ... conversion). */
  repackaged: boolean;
}

const SHARD = /-\d{5}-of-\d{5}$/i;
/** Files split by bytes rather than by gguf-split (mradermacher's "X.Q6_K.gguf.part1of2"): the GGUF name before the part. */
const BYTE_SPLIT = /(\.gguf)\.part\d+of\d+$/i;
const HF_URL = /^(?:https?:\/\/)?(?:www\.)?(?:huggingface\.co|hf\.co)\/(?:models\/)?([^/\s]+)\/([^/\s:]+)(?:\/(?:blob|resolve|tree)\/[^/]+((?:\/[^/]+)*))?(?::(\S+))?\/?$/i;
const OLLAMA_PREFIX = /^(?:https?:\/\/)?(?:registry\.ollama\.ai|ollama\.com)\/(?:library\/)?/i;
const OLLAMA_TAG = /^([a-z0-9][a-z0-9._-]*):([a-z0-9][a-z0-9._-]*)$/i;
const BARE_OLLAMA = /^[a-z0-9][a-z0-9._-]*$/;
const URL_LIKE = /^(?:https?:\/\/|(?:www\.)?(?:huggingface\.co|hf\.co)\/)/i;
const OLLAMA_COMMAND = /^ollama\s+(?:run|pull)\s+/i;
const HF_CACHE_DIR = /^models--([\w.-]+?)--([\w.-]+)$/;
/** A folder name a model repo can have (owner or repo part of a path). */
const REPO_PART = /^[\w.-]+$/;

/**
 * Suffixes conversion repos add to the original name, outermost last ("Qwen3-8B-MLX-4bit", "...-AWQ-INT4",
 * "...-unsloth-bnb-4bit", mradermacher's "-i1-GGUF"). Each maps to the estimator's format name or null.
 */
const REPO_SUFFIXES: Array<[RegExp, string | null]> = [
  [/[-_.]gguf$/i, null],
  [/[-_]mlx[-_](\d)bit$/i, "MLX-$1BIT"],
  [/[-_]unsloth[-_]bnb[-_]4bit$/i, null],
  [/[-_]bnb[-_]4bit$/i, null],
  [/[-_](\d)bit(?:[-_]dwq)?$/i, "MLX-$1BIT"],
  [/[-_](?:mlx|dwq)$/i, null],
  [/[-_]awq(?:[-_]int4|[-_]4bit)?$/i, "AWQ"],
  [/[-_]gptq(?:[-_]int4|[-_]4bit)?$/i, "GPTQ"],
  // 8-bit integer weights: GPTQ int8 (8 + 24/128 bits, sized as INT8: 2% under), llm-compressor's W8A8 / W8A16.
  [/[-_]gptq[-_]int8$/i, "INT8"],
  [/[-_]fp8(?:[-_](?:dynamic|static|block))?$/i, "FP8"],
  [/[-_](?:nv)?fp4(?:a16)?$/i, "NVFP4"],
  // Intel's AutoRound exports ("...-int4-AutoRound"): 4-bit at group 128, GPTQ's layout and bits.
  [/[-_](?:int4[-_])?auto[-_]?round(?:[-_]gptq)?$/i, "GPTQ"],
  // llm-compressor's int-weight layouts (RedHatAI/...-quantized.w4a16: int4 at group 128, GPTQ's bits; -quantized.w8a8,
  // -w8a16: int8 per channel).
  [/[-_.](?:quantized[-_.])?w4a16$/i, "GPTQ"],
  [/[-_.](?:quantized[-_.])?w8a(?:8|16)$/i, "INT8"],
  [/[-_]int8$/i, "INT8"],
  // Quantization-aware training (Google's "-qat" Gemma checkpoints): the model's own weights and shape.
  [/[-_]qat$/i, null],
  // An export that keeps the multi-token-prediction head ("...-NVFP4-MTP"): the catalog counts that head already.
  [/[-_]mtp$/i, null],
  // llama.cpp's converter names its output "ggml-model-<type>" (all-MiniLM-L6-v2-ggml-model-f16.gguf): no part of the model name.
  [/[-_.]ggml[-_]model$/i, null],
  [/[-_](?:i1|imat|imatrix)$/i, null],
  // Microsoft's "Phi-3-mini-4k-instruct-q4.gguf": a bit width, not a quant the name pins down.
  [/[-_.]q[2-8]$/i, null],
];

/** Strips conversion suffixes and quant labels off a repo or file name; returns what they said. */
function stripSuffixes(name: string, owner: string | null): { name: string; quantLabel: string | null; formatQuant: string | null; repackaged: boolean } {
  let rest = name;
  let quantLabel: string | null = null;
  let formatQuant: string | null = null;
  let repackaged = false;
  for (let guard = 0; guard < 6; guard++) {
    let changed = false;
    for (const [pattern, format] of REPO_SUFFIXES) {
      const m = pattern.exec(rest);
      if (!m) continue;
      rest = rest.slice(0, m.index);
      repackaged = true;
      changed = true;
      if (format !== null && formatQuant === null) {
        const named = format.replace("$1", m[1] ?? "");
        // "-4bit" is an MLX quant in MLX repos only; elsewhere (bitsandbytes uploads) it is not one the estimator knows.
        const mlxOk = !named.startsWith("MLX") || /mlx/i.test(m[0]) || owner === "mlx-community" || owner === "lmstudio-community";
        formatQuant = mlxOk && quantName(named) !== null ? named : null;
      }
      break;
    }
    const q = splitQuant(rest);
    if (q.label !== null) {
      quantLabel ??= q.label;
      rest = q.base;
      changed = true;
    }
    if (!changed) break;
  }
  return { name: rest, quantLabel, formatQuant, repackaged };
}

/** llama.cpp's `-hf` cache names a download "owner_repo_file" (unsloth_Qwen3-8B-GGUF_Qwen3-8B-Q4_K_M.gguf). */
const HF_CACHE_FILE = /^[\w.-]+?[-_]gguf_(.+)$/i;

const fileParts = (file: string) => {
  const stem = file.replace(/\.gguf$/i, "").replace(SHARD, "");
  return stripSuffixes(HF_CACHE_FILE.exec(stem)?.[1] ?? stem, null);
};

/** Takes a reference apart; never throws. */
export function parseReference(input: string): Reference {
  // A pasted command ("ollama run qwen3:8b") names the model after its verb.
  const text = input.trim().replace(/^["']|["']$/g, "").replace(OLLAMA_COMMAND, "").replace(BYTE_SPLIT, "$1");
  const base: Reference = { form: "plain", repo: null, owner: null, name: text, file: null, ollama: null, quantLabel: null, quantFrom: null, formatQuant: null, repackaged: false };

  // Hugging Face URLs and Ollama's `hf.co/owner/repo:QUANT` pulls; a URL's query and fragment (?download=true) say nothing.
  const hf = HF_URL.exec(URL_LIKE.test(text) ? text.replace(/[?#].*$/, "") : text);
  if (hf && hf[1] && hf[2]) {
    const path = hf[3] ?? "";
    const file = path.split("/").pop() ?? "";
    const repoRef = parseRepo(`${hf[1]}/${hf[2]}`, /\.gguf$/i.test(file) ? file : null);
    // The `:QUANT` of a pull, or the folder a tree URL opens (unsloth keeps each split quant in one: .../tree/main/Q4_K_M).
    const tagQuant = splitQuant(`-${hf[4] ?? (/\.gguf$/i.test(file) ? "" : file)}`).label;
    if (tagQuant !== null && repoRef.quantFrom !== "file") return { ...repoRef, quantLabel: tagQuant, quantFrom: "tag" };
    return repoRef;
  }

  // Ollama tags, with an optional registry prefix.
  const ollamaText = text.replace(OLLAMA_PREFIX, "");
  const tagged = OLLAMA_TAG.exec(ollamaText);
  if (tagged && tagged[1] && tagged[2] && !ollamaText.includes("/")) {
    const tag = tagged[2].toLowerCase() === "latest" ? "" : tagged[2];
    const q = splitQuant(tag);
    return {
      ...base,
      form: "ollama",
      // "-qat" (gemma3:4b-it-qat) marks Google's quantization-aware checkpoint of the same model.
      name: `${tagged[1]} ${q.base.replace(/[-_]qat$/i, "")}`.trim(),
      ollama: { name: tagged[1].toLowerCase(), tag: tag.toLowerCase() },
      quantLabel: q.label,
      quantFrom: q.label === null ? null : "tag",
    };
  }

  // Paths and file names: /models/publisher/repo/Model-Q4_K_M.gguf, C:\models\x.gguf, model-00001-of-00003.gguf.
  const segments = text.split(/[\\/]/).filter((s) => s !== "");
  const last = segments[segments.length - 1] ?? "";
  // The Hugging Face cache keeps a repo as models--owner--repo (.../hub/models--Qwen--Qwen3-8B/snapshots/<rev>/...).
  const cached = segments.map((s) => HF_CACHE_DIR.exec(s)).find((m) => m !== null);
  if (cached && cached[1] && cached[2]) return parseRepo(`${cached[1]}/${cached[2]}`, /\.gguf$/i.test(last) ? last : null);
  if (/\.gguf$/i.test(last)) {
    const parent = segments.length >= 3 ? `${segments[segments.length - 3]}/${segments[segments.length - 2]}` : null;
    if (parent) {
      const repoRef = parseRepo(parent, last);
      return repoRef;
    }
    const f = fileParts(last);
    return { ...base, form: "file", name: f.name, file: last, quantLabel: f.quantLabel, quantFrom: f.quantLabel === null ? null : "file", formatQuant: f.formatQuant, repackaged: f.repackaged };
  }

  // owner/repo.
  if (segments.length === 2 && !/\s/.test(text)) return parseRepo(text, null);

  // A model folder: ~/.lmstudio/models/mlx-community/Qwen3-8B-4bit, C:\models\owner\repo; its last two parts are owner/repo.
  const [owner, repo] = segments.slice(-2);
  if (segments.length >= 3 && owner && repo && REPO_PART.test(owner) && REPO_PART.test(repo) && !OLLAMA_PREFIX.test(text)) return parseRepo(`${owner}/${repo}`, null);

  // A bare Ollama name (lowercase, as Ollama writes them).
  if (BARE_OLLAMA.test(ollamaText) && ollamaText === text.replace(OLLAMA_PREFIX, "")) {
    const f = stripSuffixes(text, null);
    return { ...base, form: "plain", name: f.name, ollama: { name: ollamaText, tag: "" }, quantLabel: f.quantLabel, quantFrom: f.quantLabel === null ? null : "name", formatQuant: f.formatQuant };
  }

  // Anything else: a name or loose words, perhaps with a quant or a split suffix at the end, or a note in parentheses
  // ("Qwen3-4B (UD-Q4_K_XL file)": the quant it names is taken and the note dropped; "TinyLlama-1.1B (openorca)": its
  // words stay part of the name).
  const note = /\s*\(([^()]*)\)$/.exec(text);
  const noteQuant = note ? findQuant(note[1] ?? "") : null;
  const named = note ? (noteQuant !== null ? text.slice(0, note.index) : `${text.slice(0, note.index)} ${note[1] ?? ""}`) : text;
  const isFile = /\.gguf$/i.test(named) || SHARD.test(named.replace(/\.gguf$/i, ""));
  const f = stripSuffixes(named.replace(/\.gguf$/i, "").replace(SHARD, ""), null);
  const quantLabel = f.quantLabel ?? noteQuant;
  const quantFrom = quantLabel === null ? null : isFile ? "file" : "name";
  return { ...base, form: isFile ? "file" : "plain", name: f.name, quantLabel, quantFrom, formatQuant: f.formatQuant, repackaged: f.repackaged };
}

function parseRepo(repo: string, file: string | null): Reference {
  const slash = repo.indexOf("/");
  const owner = repo.slice(0, slash).toLowerCase();
  const repoName = repo.slice(slash + 1);
  const r = stripSuffixes(repoName, owner);
  const f = file ? fileParts(file) : null;
  return {
    form: "repo",
    repo,
    owner,
    name: r.name,
    file,
    ollama: null,
    quantLabel: f?.quantLabel ?? r.quantLabel,
    quantFrom: f?.quantLabel ? "file" : r.quantLabel ? "name" : null,
    formatQuant: r.formatQuant,
    repackaged: r.repackaged,
  };
}
