import { describe, expect, it } from "vitest";
import { NodefitError } from "../domain/errors.js";
import { filtersJson } from "./filters-json.js";
import { parseModelQuery, type ModelRoute, type RawQuery } from "./model-query.js";

const parse = (raw: RawQuery, route: ModelRoute = "models", name?: string) => parseModelQuery(raw, route, name);

function errorOf(fn: () => unknown): NodefitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof NodefitError) return e;
    throw e;
  }
  throw new Error("expected a NodefitError");
}

describe("parseModelQuery defaults", () => {
  it("/models: everything, sorted by score", () => {
    expect(filtersJson(parse({}))).toEqual({
      limit: null,
      perfect: null,
      min_fit: null,
      runtime: null,
      use_case: null,
      provider: null,
      search: null,
      sort: "score",
      max_context: null,
      include_too_tight: true,
      top_only: false,
      force_runtime: null,
      installed: null,
    });
  });

  it("/top: 5 runnable rows at marginal or better", () => {
    expect(filtersJson(parse({}, "top"))).toMatchObject({ limit: 5, min_fit: "marginal", include_too_tight: false, top_only: true });
  });

  it("/top never includes too_tight rows, even when asked", () => {
    expect(parse({ include_too_tight: "true" }, "top").includeTooTight).toBe(false);
  });

  it("/{name}: the decoded name is the search, replacing ?search=", () => {
    const q = parse({ search: "llama" }, "name", "Qwen/Qwen3-8B");
    expect(q.search).toBe("Qwen/Qwen3-8B");
    expect(filtersJson(q)).toMatchObject({ limit: null, include_too_tight: true, top_only: false });
  });
});

describe("parseModelQuery values", () => {
  const cases: Array<[string, RawQuery, Partial<ReturnType<typeof filtersJson>>]> = [
    ["limit", { limit: "20" }, { limit: 20 }],
    ["limit 0", { limit: "0" }, { limit: 0 }],
    ["limit trimmed", { limit: " 7 " }, { limit: 7 }],
    ["alias n", { n: "3" }, { limit: 3 }],
    ["limit wins over n", { n: "3", limit: "9" }, { limit: 9 }],
    ["limit wins over an invalid n", { n: "x", limit: "9" }, { limit: 9 }],
    ["last repeated key wins", { limit: ["1", "2", "4"] }, { limit: 4 }],
    ["perfect true", { perfect: "true" }, { perfect: true }],
    ["perfect YES", { perfect: "YES" }, { perfect: true }],
    ["perfect 1", { perfect: "1" }, { perfect: true }],
    ["perfect no", { perfect: " no " }, { perfect: false }],
    ["perfect False", { perfect: "False" }, { perfect: false }],
    ["perfect 0", { perfect: "0" }, { perfect: false }],
    ["min_fit case-insensitive", { min_fit: "GOOD" }, { min_fit: "good" }],
    ["min_fit too_tight", { min_fit: "too_tight" }, { min_fit: "too_tight" }],
    ["runtime any", { runtime: "any" }, { runtime: "any" }],
    ["runtime MLX", { runtime: " MLX " }, { runtime: "mlx" }],
    ["runtime vllm", { runtime: "vllm" }, { runtime: "vllm" }],
    ["use_case", { use_case: "Coding" }, { use_case: "coding" }],
    ["provider trimmed", { provider: "  Meta " }, { provider: "Meta" }],
    ["provider empty = unset", { provider: "" }, { provider: null }],
    ["search blank = unset", { search: "   " }, { search: null }],
    ["search", { search: "qwen" }, { search: "qwen" }],
    ["sort", { sort: "TPS" }, { sort: "tps" }],
    ["sort use_case", { sort: "use_case" }, { sort: "use_case" }],
    ["max_context", { max_context: "32768" }, { max_context: 32768 }],
    ["include_too_tight no", { include_too_tight: "no" }, { include_too_tight: false }],
    ["force_runtime", { force_runtime: "LlamaCpp" }, { force_runtime: "llamacpp" }],
    ["installed true", { installed: "true" }, { installed: true }],
    ["installed No", { installed: " No " }, { installed: false }],
    ["unknown keys ignored", { foo: "bar", LIMIT: "x" }, { limit: null }],
  ];
  it.each(cases)("%s", (_label, raw, expected) => {
    expect(filtersJson(parse(raw))).toMatchObject(expected);
  });
});

describe("parseModelQuery errors", () => {
  const cases: Array<[RawQuery, string]> = [
    [{ min_fit: "great" }, "invalid min_fit value: use perfect|good|marginal|too_tight"],
    [{ min_fit: "" }, "invalid min_fit value: use perfect|good|marginal|too_tight"],
    [{ runtime: "ollama" }, "invalid runtime value: use any|mlx|llamacpp|vllm"],
    [{ use_case: "math" }, "invalid use_case value: use general|coding|reasoning|chat|multimodal|embedding"],
    [{ sort: "name" }, "invalid sort value: use score|tps|params|mem|ctx|date|use_case"],
    [{ force_runtime: "any" }, "invalid force_runtime value: use mlx|llamacpp|vllm"],
    [{ perfect: "" }, "invalid perfect value: use true|false|1|0|yes|no"],
    [{ perfect: "maybe" }, "invalid perfect value: use true|false|1|0|yes|no"],
    [{ include_too_tight: "2" }, "invalid include_too_tight value: use true|false|1|0|yes|no"],
    [{ installed: "ollama" }, "invalid installed value: use true|false|1|0|yes|no"],
    [{ limit: "-1" }, "invalid limit value: use an integer >= 0"],
    [{ limit: "1.5" }, "invalid limit value: use an integer >= 0"],
    [{ limit: "" }, "invalid limit value: use an integer >= 0"],
    [{ limit: "1e3" }, "invalid limit value: use an integer >= 0"],
    [{ limit: "99999999999999999999" }, "invalid limit value: use an integer >= 0"],
    [{ n: "abc" }, "invalid n value: use an integer >= 0"],
    [{ max_context: "0" }, "invalid max_context value: use an integer >= 1"],
    [{ max_context: "8k" }, "invalid max_context value: use an integer >= 1"],
    [{ limit: ["5", "x"] }, "invalid limit value: use an integer >= 0"],
  ];
  it.each(cases)("%j", (raw, message) => {
    const e = errorOf(() => parse(raw));
    expect(e.code).toBe("invalid_argument");
    expect(e.message).toBe(message);
  });

  it("validates include_too_tight on /top too", () => {
    expect(errorOf(() => parse({ include_too_tight: "sure" }, "top")).message).toBe(
      "invalid include_too_tight value: use true|false|1|0|yes|no",
    );
  });
});
