// CLI program: the commands and their options; each action imports its module only when it runs, so --help is instant.
import { Command } from "commander";
import { KV_CACHE_TYPES, RUNTIMES } from "../estimate/types.js";
import { FORCE_RUNTIME_VALUES, MIN_FIT_VALUES, RUNTIME_FILTER_VALUES, SORT_KEYS, USE_CASE_VALUES } from "../query/vocabulary.js";
import { packageVersion } from "../service/package-version.js";
import type { BenchDeps } from "./commands/bench.js";
import type { CliIo } from "./cli-io.js";
import { addHubOptions } from "./hub-flags.js";
import { addInputOptions } from "./input-flags.js";
import { LOG_LEVELS } from "./log-levels.js";
import { addMachineOptions } from "./machine-flags.js";
import type { OpenService } from "./open-service.js";
import type { LoadedConfig } from "./settings.js";

/** Fastify's (pino's) levels and silent; the settings resolver (settings.ts) checks a value from any door against them. */

/** What the action that ran asks the process to do: exit with a code, or keep running (serve). */
export interface CliOutcome {
  exitCode: number;
  keepAlive: boolean;
}

/** What commands use that a test may replace: the service opener (default: this node's, from the flags). */
export interface CliDeps {
  openService?: OpenService;
  /** `nodefit bench`: the fetch its runners use, the installed models `--all-installed` benches. */
  bench?: BenchDeps;
}

export function buildProgram(io: CliIo, outcome: CliOutcome, deps: CliDeps = {}): Command {
  /** The opener to use: the test's, else the real one, imported with the command that needs it. */
  const opener = async (): Promise<OpenService> => deps.openService ?? (await import("./open-service.js")).openCliService;
  /** The config file (--config, NODEFIT_CONFIG, the default), read before the command parses its settings. */
  const config = async (): Promise<LoadedConfig> => {
    const { loadConfig } = await import("./settings.js");
    return loadConfig(program.opts<{ config?: string }>().config, io.env);
  };
  const program = new Command("nodefit")
    .description("Which open-weight LLMs run well on this machine: at which quantization and context, how fast, in how much memory.")
    .version(packageVersion(), "-V, --version")
    .option("--config <file>", "read settings from this JSON file (env NODEFIT_CONFIG; default: ~/.config/nodefit/config.json if present); see nodefit config")
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      "\nSettings: a flag wins over its NODEFIT_* variable, which wins over the config file (--config, NODEFIT_CONFIG, or\n~/.config/nodefit/config.json), which wins over the default. `nodefit config` shows each setting and where it came from.",
    );

  const serve = addMachineOptions(addInputOptions(
    program
      .command("serve")
      .description("run the node agent: the HTTP API schedulers poll")
      .option("--host <host>", "address to listen on (env NODEFIT_HOST; config host; default 127.0.0.1)")
      .option("--port <port>", "TCP port, 0 = any free port (env NODEFIT_PORT; config port; default 8787)")
      .option("--unix-socket <path>", "listen on a unix socket instead of TCP (env NODEFIT_UNIX_SOCKET; config unix_socket)")
      .option("--token-file <path>", "require Authorization: Bearer <the file's token> on every route but /health and /ready (env NODEFIT_TOKEN_FILE; config token_file)")
      .option("--token <token>", "the same with the token itself (visible in the process list: prefer --token-file or env NODEFIT_TOKEN)")
      .option("--cors-origin <origins>", "let these browser origins read answers, comma-separated, repeatable, * = any (env NODEFIT_CORS_ORIGIN; config cors_origin; default: CORS off)", (v: string, all: string[] = []) => [...all, v])
      .option("--allowed-host <names>", "answer requests for these Host names besides loopback names and IP addresses, comma-separated, repeatable, .example.com = it and its subdomains, * = any (env NODEFIT_ALLOWED_HOSTS; config allowed_hosts; default: loopback names only when on loopback without a token)", (v: string, all: string[] = []) => [...all, v])
      .option("--refresh-interval <seconds>", "seconds between background refreshes of free memory, 0 = never (env NODEFIT_REFRESH_INTERVAL; config refresh_interval; default 30)")
      .option("--log-level <level>", `JSON log lines on stderr at this level and above: ${LOG_LEVELS.join("|")} (info: one line per request; env NODEFIT_LOG_LEVEL; config log_level; default warn)`),
  ));
  addHubOptions(serve).action(async (opts) => {
    const { runServe } = await import("./commands/serve.js");
    outcome.exitCode = await runServe(opts, io, await config());
    outcome.keepAlive = true;
  });

  addMachineOptions(
    program.command("system").description("show the hardware nodefit sees (GET /api/v1/system)").option("--json", "print the API object"),
  ).action(async (opts) => {
    const { runSystem } = await import("./commands/system.js");
    outcome.exitCode = await runSystem(opts, io, await opener(), await config());
  });

  addMachineOptions(addInputOptions(
    program
      .command("models")
      .description("rank the catalog's models on this machine (GET /api/v1/models, or /top with --top)")
      .option("-n, --limit <n>", "return at most n models")
      .option("--perfect", "only models that fit perfectly")
      .option("--min-fit <level>", `${MIN_FIT_VALUES.join("|")}: keep models at or above this fit`)
      .option("--runtime <runtime>", `${RUNTIME_FILTER_VALUES.join("|")}: keep models on this runtime`)
      .option("--use-case <use-case>", USE_CASE_VALUES.join("|"))
      .option("--provider <text>", "keep models whose provider contains this text")
      .option("--search <text>", "keep models whose name, provider, size or use case contains this text")
      .option("--sort <column>", `${SORT_KEYS.join("|")} (default score)`)
      .option("--max-context <tokens>", "context to size memory and speed for (default min(8192, model context))")
      .option("--include-too-tight", "include models that do not fit (default, except with --top)")
      .option("--no-include-too-tight", "leave out models that do not fit")
      .option("--force-runtime <runtime>", `${FORCE_RUNTIME_VALUES.join("|")}: evaluate every model on this runtime`)
      .option("--installed", "only models on this node's disks (Ollama, the Hugging Face cache, LM Studio, llama.cpp's cache, --models-dir)")
      .option("--no-installed", "only models the stores were read and do not hold")
      .option("--top", "scheduling defaults: 5 runnable models at marginal fit or better")
      .option("--wide", "every column at full width, whatever the terminal's width (default: fit COLUMNS, the terminal, or 80 columns when piped)")
      .option("--json", "print the API object"),
  )).action(async (opts) => {
    const { runModels } = await import("./commands/models.js");
    outcome.exitCode = await runModels(opts, io, await opener(), await config());
  });

  addMachineOptions(addInputOptions(
    program
      .command("info")
      .description("details of the models matching a name (GET /api/v1/models/{name})")
      .argument("<model>", "a model name or part of it, e.g. Qwen/Qwen3-8B or qwen3")
      .option("--max-context <tokens>", "context to size memory and speed for")
      .option("--force-runtime <runtime>", `${FORCE_RUNTIME_VALUES.join("|")}: evaluate on this runtime`)
      .option("--json", "print the API object"),
  )).action(async (model: string, opts) => {
    const { runInfo } = await import("./commands/info.js");
    outcome.exitCode = await runInfo(model, opts, io, await opener(), await config());
  });

  const estimate = addMachineOptions(
    program
      .command("estimate")
      .description("estimate one model on this or a described machine (POST /api/v1/estimate)")
      .option("--model <ref>", "Hugging Face id, GGUF file name, Ollama tag or loose words")
      .option("--quant <quant>", "quantization to evaluate (default: the best that fits)")
      .option("--context <tokens>", "context to size the KV cache for")
      .option("--runtime <runtime>", `${RUNTIMES.join("|")} (default: chosen for the machine)`)
      .option("--kv-cache-type <type>", KV_CACHE_TYPES.join("|"))
      .option("--batch <file>", "one JSON request per line (- = stdin); one JSON result per line")
      .option("--gguf <file>", "estimate this GGUF file: architecture and exact tensor bytes read from its header")
      .option("--json", "print the API object"),
  );
  addHubOptions(estimate).action(async (opts) => {
    const { runEstimate } = await import("./commands/estimate.js");
    outcome.exitCode = await runEstimate(opts, io, await opener(), await config());
  });

  addHubOptions(
    program
      .command("plan")
      .description("the hardware a model needs (POST /api/v1/plan): per quant, the memory, the bandwidth a target speed needs, and the cheapest known GPUs, GPU sets, Apple chips and boards that meet it")
      .argument("<model>", "Hugging Face id, GGUF file name, Ollama tag or loose words (a model the catalog lacks is looked up on the Hugging Face Hub)")
      .option("--quant <quant>", "plan this quantization only (default: every quant of llama.cpp's, vLLM's and MLX's ladders)")
      .option("--context <tokens>", "context to size the KV cache for (default min(8192, the model's))")
      .option("--target-tps <tokens/s>", "decode speed to reach (default: the model's use case's: 30 general, 40 coding, 50 reasoning, 25 chat)")
      .option("--kv-cache-type <type>", KV_CACHE_TYPES.join("|"))
      .option("--catalog <file>", "merge this catalog file over the bundled one (env NODEFIT_CATALOG; config catalog; default: ~/.config/nodefit/catalog.json if present)")
      .option("--json", "print the API object"),
  ).action(async (model: string, opts) => {
    const { runPlan } = await import("./commands/plan.js");
    outcome.exitCode = await runPlan(model, opts, io, await opener(), await config());
  });

  addMachineOptions(addInputOptions(
    program
      .command("runtimes")
      .description("the LLM runtimes on this node (Ollama, llama.cpp's server, LM Studio, vLLM, MLX), the models they hold in memory, and the model stores on its disks (GET /api/v1/runtimes)")
      .option("--json", "print the API object"),
  )).action(async (opts) => {
    const { runRuntimes } = await import("./commands/runtimes.js");
    outcome.exitCode = await runRuntimes(opts, io, await opener(), await config());
  });

  const mcp = addMachineOptions(addInputOptions(
    program
      .command("mcp")
      .description("serve MCP on stdio for AI agents: the API's answers as tools (get_system, list_models, top_models, model_info, estimate, plan)")
      .option("--refresh-interval <seconds>", "seconds between background refreshes of free memory, 0 = never (env NODEFIT_REFRESH_INTERVAL; config refresh_interval; default 30)"),
  ));
  addHubOptions(mcp).action(async (opts) => {
    const { runMcp } = await import("./commands/mcp.js");
    outcome.exitCode = await runMcp(opts, io, await opener(), await config());
  });

  program
    .command("catalog")
    .description("work with the model catalog")
    .command("import")
    .description("print a catalog entry for a GGUF file, to add to your catalog file (~/.config/nodefit/catalog.json)")
    .argument("<file>", "a .gguf file (the first part of a split model)")
    .action(async (file: string) => {
      const { runCatalogImport } = await import("./commands/catalog-import.js");
      outcome.exitCode = await runCatalogImport(file, io);
    });

  const collect = (v: string, all: string[] = []): string[] => [...all, v];
  addHubOptions(addInputOptions(
    program
      .command("config")
      .description("show every setting, its value and where it came from (a flag, a NODEFIT_* variable, the config file, or the default); a token is shown as set, never printed. The settings' flags may be given, to see what they change")
      .option("--host <host>", "as serve's")
      .option("--port <port>", "as serve's")
      .option("--unix-socket <path>", "as serve's")
      .option("--token-file <path>", "as serve's")
      .option("--token <token>", "as serve's (shown as set)")
      .option("--cors-origin <origins>", "as serve's", collect)
      .option("--allowed-host <names>", "as serve's", collect)
      .option("--refresh-interval <seconds>", "as serve's")
      .option("--log-level <level>", "as serve's")
      .option("--node-name <name>", "as the read commands'")
      .option("--catalog <file>", "as the read commands'")
      .option("--data-dir <dir>", "as the read commands'")
      .option("--json", "print the settings as JSON"),
  )).action(async (opts) => {
      const { runConfig } = await import("./commands/config.js");
      outcome.exitCode = await runConfig(opts, io, await config());
    });

  program
    .command("bench")
    .description("time a model on this node (a warm-up, then N runs: decode and prefill tok/s, TTFT) beside its estimate, and store the result (GET /api/v1/benchmarks)")
    .option("--gguf <file>", "run this GGUF file in process with node-llama-cpp (an optional dependency)")
    .option("--model <ref>", "the model: an Ollama tag (run by Ollama), or with --endpoint the catalog reference (and the served model it picks)")
    .option("--all-installed", "bench every installed model nodefit can run (Ollama tags, GGUF files)")
    .option("--runtime <runtime>", "ollama|llamacpp|lmstudio|vllm|mlx: the runtime at --endpoint (default llamacpp: an OpenAI-compatible server)")
    .option("--endpoint <url>", "the runtime's URL (default: the runtime endpoints setting: env NODEFIT_RUNTIME_ENDPOINTS, config runtime_endpoints, Ollama's OLLAMA_HOST; else its usual port on 127.0.0.1)")
    .option("--served-model <id>", "the model id to ask an OpenAI-compatible server for (default: the one it lists, or the one --model names)")
    .option("--api <api>", "chat|completions: the OpenAI-compatible route (default chat)")
    .option("--quant <quant>", "the quant measured, when the runtime or the file does not say")
    .option("--runs <n>", "timed runs after the warm-up (default 3)")
    .option("--warmup <n>", "untimed runs first (default 1)")
    .option("--max-tokens <n>", "tokens generated per run (default 128)")
    .option("--prompt-tokens <n>", "prompt length in tokens, about (default 256)")
    .option("--context <tokens>", "context to run and estimate at (default 4096; a runtime's own when it says)")
    .option("--threads <n>", "threads for --gguf (default: every CPU this process may use)")
    .option("--cpu", "--gguf on the CPU only (default: the GPU node-llama-cpp finds)")
    .option("--timeout <seconds>", "fail when the runtime sends nothing for this long (default 120)")
    .option("--max-time <seconds>", "fail a bench (one model: its load, warm-up and runs) still running after this long (default 3600): an endpoint's stream is cut then; with --gguf (in process) no run starts after it, but a load or run under way finishes")
    .option("--data-dir <dir>", "where the benchmarks store is (env NODEFIT_DATA_DIR; config data_dir; default $XDG_DATA_HOME/nodefit or ~/.local/share/nodefit)")
    .option("--catalog <file>", "merge this catalog file over the bundled one (env NODEFIT_CATALOG; config catalog)")
    .option("--node-name <name>", "node name to record (env NODEFIT_NODE_NAME; config node_name; default: the host name)")
    .option("--json", "print the stored result (the API's object)")
    .action(async (opts) => {
      const { runBenchCommand } = await import("./commands/bench.js");
      outcome.exitCode = await runBenchCommand(opts, io, await opener(), deps.bench, await config());
    });

  program
    .command("doctor")
    .description("show how each hardware value was obtained, and what failed")
    .option("--json", "print the report as JSON")
    .option("--fixture <dir>", "also save what the probes saw in this folder, to replay in tests or a bug report")
    .action(async (opts) => {
      const { runDoctor } = await import("./commands/doctor.js");
      outcome.exitCode = await runDoctor(opts, io, await config());
    });

  return program;
}
