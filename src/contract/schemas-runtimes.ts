// Schema of the runtimes object (runtimes.ts): for tests, the OpenAPI document and the MCP runtimes tool.
import { z } from "zod";
import { ENDPOINT_SOURCES, ENDPOINT_STATUSES, RUNTIME_KINDS } from "../runtimes/types.js";
import { StoreSchema } from "./schemas-installed.js";
import { NodeSchema } from "./schemas-system.js";

const gib = () => z.number().nonnegative();
const INPUT_STATUSES = ["pending", "ready", "not_probed"] as const;

export const LoadedModelSchema = z
  .strictObject({
    name: z.string().describe("As the runtime names it: an Ollama tag, a served model id, a file."),
    size_gb: gib().nullable().describe("Memory the runtime reports for it, GiB (Ollama: weights, KV cache and buffers; llama.cpp: the weights); null when it reports none (LM Studio, vLLM, MLX)."),
    vram_gb: gib().nullable().describe("Of that, in GPU memory (Ollama's size_vram); null when not reported."),
    context_length: z.number().int().nonnegative().nullable(),
    quant: z.string().nullable(),
    expires_at: z.string().nullable().describe("When the runtime unloads it if idle (Ollama); null when not reported."),
  })
  .describe("A model the runtime holds in memory now (for servers of one model: the model it serves).");

export const RuntimeProcessSchema = z
  .strictObject({
    pid: z.number().int().nonnegative(),
    command: z.string().describe("Its command line, cut to 300 characters."),
    rss_gb: gib().nullable().describe("Resident memory, GiB."),
    port: z.number().int().positive().nullable().describe("The port its command line gives (--port)."),
    model: z.string().nullable().describe("The model its command line names (-m, --model, vllm serve MODEL)."),
  })
  .describe("A process of the runtime (from ps, Win32_Process or tasklist).");

export const RuntimeSchema = z
  .strictObject({
    runtime: z.enum(RUNTIME_KINDS),
    label: z.string(),
    status: z.enum(["running", "process_only"]).describe("running: its endpoint answered; process_only: a process runs but no endpoint tried answered (give it with --runtime-endpoint)."),
    endpoint: z.string().nullable().describe("The base URL that answered."),
    endpoint_source: z.enum(ENDPOINT_SOURCES).nullable().describe("default, OLLAMA_HOST, env (NODEFIT_RUNTIME_ENDPOINTS), flag (--runtime-endpoint), config (runtime_endpoints in the configuration file), or process (the port its command line gives)."),
    version: z.string().nullable().describe("Ollama's /api/version, llama.cpp's build_info, vLLM's /version; null where the runtime does not say (LM Studio, MLX)."),
    models_loaded: z.array(LoadedModelSchema),
    models_available: z.number().int().nonnegative().nullable().describe("Models it can serve without a download (Ollama's tags, LM Studio's downloaded models, a server's model list)."),
    processes: z.array(RuntimeProcessSchema),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).describe("Other facts it reported: llama.cpp's total_slots, health and model_path; vLLM's kv_cache_usage_pct, requests_running, gpu_memory_utilization, num_gpu_blocks."),
  })
  .describe("An LLM runtime found on this node.");

export const EndpointSchema = z
  .strictObject({
    runtime: z.enum(RUNTIME_KINDS),
    url: z.string(),
    source: z.enum(ENDPOINT_SOURCES),
    status: z.enum(ENDPOINT_STATUSES).describe("answered; refused (nothing listens: not running); timeout (no answer within the probe's timeout, 300 ms: a warning); error (another network failure); other (something answered, not as this runtime)."),
    latency_ms: z.number().nonnegative(),
    error: z.string().nullable(),
  })
  .describe("An endpoint probed in the last round.");

export const RuntimesResponseSchema = z
  .strictObject({
    node: NodeSchema,
    status: z.enum(INPUT_STATUSES).describe("pending: the first probe round runs in the background and has not finished (this answer never waits for it); ready; not_probed: a described machine."),
    checked_at: z.string().nullable().describe("When the last probe round finished (ISO 8601)."),
    probe_ms: z.number().nonnegative().nullable(),
    processes_listed: z.boolean().nullable().describe("Whether the process list could be read."),
    runtimes: z.array(RuntimeSchema),
    endpoints: z.array(EndpointSchema),
    installed: z
      .strictObject({
        status: z.enum(INPUT_STATUSES),
        scanned_at: z.string().nullable(),
        scan_ms: z.number().nonnegative().nullable(),
        complete: z.boolean().nullable().describe("Every store read in full: rows of models in none say installed: false (else null)."),
        models: z.number().int().nonnegative().describe("Copies of models found, every store together."),
        stores: z.array(StoreSchema),
      })
      .describe("The model stores on this node's disks and the last scan of them (rows' installed and installed_as come from it)."),
    warnings: z.array(z.string()).describe("Hung endpoints, runtimes whose process runs without an endpoint answering, stores that could not be read."),
  })
  .describe("The LLM runtimes on this node, what they hold in memory, the endpoints probed and the model stores read: the last snapshots, taken in the background.");
