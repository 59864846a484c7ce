// Estimate request input: the one parser of a `POST /api/v1/estimate` body (and of each `--batch` line and of the
// `nodefit estimate` flags, which build the same body): validated once, the machine completed, the quant named.
import type { z } from "zod";
import { paramBreakdown } from "../catalog/params.js";
import type { ModelSpec } from "../catalog/schema.js";
import { NodefitError } from "../domain/errors.js";
import { issueText, valueAt } from "../domain/issue-text.js";
import type { Machine } from "../domain/machine.js";
import { knownQuantNames, type QuantName } from "../domain/quants.js";
import type { KvCacheType, Runtime } from "../estimate/types.js";
import { completeMachine, machineIssueError } from "../hardware/describe.js";
import { CustomModelSchema, EstimateRequestSchema, MAX_REQUEST_CONTEXT } from "./schemas-estimate.js";

/** One estimate request, parsed: nothing in it is checked again. */
export interface EstimateRequestInput {
  /** A reference to resolve against the catalog (id, GGUF file, Ollama tag, words), or a model the request describes. */
  model: { reference: string } | { described: ModelSpec; name: string };
  /** The machine the request describes, completed; null = this node. */
  machine: Machine | null;
  quant: QuantName | null;
  contextTokens: number | null;
  runtime: Runtime | null;
  kvCacheType: KvCacheType | null;
}

/** The one text for a context no request may ask for (the flag, the body and batch lines alike). */
export const CONTEXT_ACCEPTED = `an integer number of tokens from 1 to ${MAX_REQUEST_CONTEXT}`;

function describedModel(c: z.output<typeof CustomModelSchema>): ModelSpec {
  const p = paramBreakdown(c.architecture);
  return {
    id: `custom/${c.name.replace(/[^\w.-]+/g, "-")}`,
    provider: c.provider,
    family: "custom",
    params_total: c.params_total ?? Math.round(p.total),
    params_active: c.architecture.moe ? (c.params_active ?? Math.round(p.activePerToken)) : null,
    context_length: c.context_length,
    architecture: c.architecture,
    license: "unknown",
    release_date: null,
    category: c.category,
    capabilities: [],
    ollama: [],
    gguf_sources: [],
    gguf_files: [],
    variants: [],
    aliases: [],
    sources: [],
    notes: "described in the request",
    caveats: [],
    native_quant: null,
  };
}

type Issue = z.core.$ZodIssue;

/**
 * The issue to report: a union that no option matched (the model: a reference or an architecture object) reports the
 * issue of the option the value was meant for (the one whose first issue is not a wrong type at the union itself),
 * with its full path, so an object past a bound reads "invalid model.architecture.ffn_sizes: at most 1024 entries".
 */
function reportedIssue(issue: Issue): Issue {
  if (issue.code !== "invalid_union") return issue;
  for (const option of issue.errors) {
    const first = option[0];
    if (first && !(first.code === "invalid_type" && first.path.length === 0))
      return reportedIssue({ ...first, path: [...issue.path, ...first.path] } as Issue);
  }
  return issue;
}

/** What the request's own fields accept, in an error's words (the architecture's fields are worded by their issues). */
const REQUEST_ACCEPTS: Readonly<Record<string, string>> = {
  "": 'one estimate request as a JSON object, e.g. {"model": "Qwen/Qwen3-8B"}',
  model: "a model name (a Hugging Face id, GGUF file name, Ollama tag or loose words) or an architecture object",
  "model.name": "the model's name (text)",
  "model.provider": "the provider's name (text)",
  "model.context_length": "the model's native context, a whole number of tokens",
  "model.params_total": "a whole number of parameters",
  "model.params_active": "a whole number of parameters",
  "model.architecture": "the architecture as config.json gives it: an object with type, layers, hidden_size, ffn_size, attention_heads, kv_heads, head_dim, vocab_size, tied_embeddings, attention",
  "model.architecture.type": 'the llama.cpp architecture name, e.g. "llama" or "qwen3moe"',
};

function issueError(error: z.ZodError, body: unknown): NodefitError {
  const first = error.issues[0];
  if (!first) return new NodefitError("invalid_argument", "invalid request");
  const issue = reportedIssue(first);
  const [head, ...rest] = issue.path;
  // A machine is worded as a --machine file is: "machine: gpus[0].vram_gb: ...".
  if (head === "machine") return machineIssueError(issue, rest, { label: "machine" }, valueAt(body, ["machine"]));
  const path = issue.path.join(".");
  const fail = (message: string): NodefitError => new NodefitError("invalid_argument", message, { key: path });
  if (issue.code === "invalid_value" && path) return fail(`invalid ${path} value: use ${(issue.values as unknown[]).join("|")}`);
  if (path === "context") return fail(`invalid context value: use ${CONTEXT_ACCEPTED}`);
  if (path === "quant") return fail(`invalid quant value: use ${knownQuantNames().join("|")}`);
  if (issue.code === "unrecognized_keys" && issue.path.length === 0)
    return fail(`unknown field ${issue.keys.join(", ")}: use model, machine, quant, context, runtime, kv_cache_type`);
  // In plain words: what the field accepts and what it got, never the validator's text.
  const text = issueText(issue, body, (p) => REQUEST_ACCEPTS[p.join(".")]);
  return fail(path ? `invalid ${path}: ${text}` : text.replace(/^must be /, "send "));
}

/**
 * Parses one request body. Throws NodefitError `invalid_argument` with one text per mistake (the contract's
 * `invalid <key> value: use ...` for vocabularies).
 */
export function parseEstimateRequest(body: unknown): EstimateRequestInput {
  if (body === undefined || body === null)
    throw new NodefitError("invalid_argument", 'send one estimate request as a JSON object, e.g. {"model": "Qwen/Qwen3-8B"}');
  const parsed = EstimateRequestSchema.safeParse(body);
  if (!parsed.success) throw issueError(parsed.error, body);
  const r = parsed.data;
  return {
    model: typeof r.model === "string" ? { reference: r.model } : { described: describedModel(r.model), name: r.model.name },
    machine: r.machine === undefined ? null : completeMachine(r.machine, { label: "machine" }),
    quant: r.quant ?? null,
    contextTokens: r.context ?? null,
    runtime: r.runtime ?? null,
    kvCacheType: r.kv_cache_type ?? null,
  };
}
