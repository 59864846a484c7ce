// MCP prompt: "choose a model for a task", the steps an agent takes with the tools to pick a model for this machine.
import { CATEGORIES } from "../catalog/categories.js";
import { parseEnumValue, parseIntegerValue, parseTextValue } from "../query/values.js";
import { USE_CASE_VALUES } from "../query/vocabulary.js";

export const CHOOSE_MODEL_PROMPT = "choose_model";

export interface ChooseModelArguments {
  task: string;
  use_case?: string | undefined;
  max_context?: string | undefined;
}

/**
 * The prompt's text. `use_case` and `max_context` are checked with the query's own parsers (prompt arguments are
 * strings), so a wrong one reads as it would in a query string.
 */
export function chooseModelText(args: ChooseModelArguments): string {
  const task = parseTextValue(args.task) ?? "a general assistant";
  const useCase = args.use_case === undefined || args.use_case.trim() === "" ? null : parseEnumValue("use_case", args.use_case, USE_CASE_VALUES);
  const context = args.max_context === undefined || args.max_context.trim() === "" ? null : parseIntegerValue("max_context", args.max_context, 1);
  const query = [
    useCase === null ? `use_case: the one of ${CATEGORIES.join(", ")} that fits the task` : `use_case "${useCase}"`,
    context === null ? "max_context: the context the task needs, if it needs more than 8192 tokens" : `max_context ${context}`,
  ];
  return [
    `Choose an open-weight LLM to run on this machine for this task: ${task}`,
    "",
    "Use the nodefit tools, whose answers are estimates for this machine:",
    "1. get_system: what the machine has (GPU memory, RAM, backend).",
    `2. top_models with ${query.join(" and ")} (add min_fit "good" to keep headroom): the best runnable candidates, with their score, fit, quantization, runtime, speed and memory.`,
    "3. model_info for a model the task names or that you want to compare (resolved_from says which model a name means).",
    `4. estimate for the best one or two candidates${context === null ? " at the context the task needs" : ` at context ${context}`} (quant, runtime and kv_cache_type too if the task calls for them), to confirm the fit and the speed.`,
    "",
    "Answer with the model, its quantization and runtime, the memory it takes of what is available, the expected tokens/s, why it suits the task better than the runners-up (the notes and score components say why), and the row's verify_command to measure it.",
  ].join("\n");
}
