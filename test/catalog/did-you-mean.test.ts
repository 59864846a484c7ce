// "Did you mean" for model names: a reference nothing names gets the closest catalog names in its error, never a match.
import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { NodefitError } from "../../src/domain/errors.js";
import { describeMachine } from "../../src/hardware/describe.js";
import { runEstimateRequest } from "../../src/service/estimate-request.js";

const models = bundledModels();
const machine = describeMachine({ ram_gb: 32, cpu_cores: 8 });

function refusal(model: string): NodefitError {
  try {
    runEstimateRequest(parseEstimateRequest({ model }), { models, machine });
  } catch (e) {
    if (e instanceof NodefitError) return e;
    throw e;
  }
  throw new Error(`${model} was estimated`);
}

describe("estimate requests that name no model", () => {
  it("suggest the names a few typing mistakes away, in the message only", () => {
    const cases: Array<[string, string]> = [
      ["lama 3.1 8b", 'model "lama 3.1 8b" is not in the catalog (no id, alias, GGUF repository or Ollama tag matches it); did you mean meta-llama/Llama-3.1-8B-Instruct?'],
      ["lama3.1:8b", 'model "lama3.1:8b" is not in the catalog (no id, alias, GGUF repository or Ollama tag matches it); did you mean llama3.1:8b (meta-llama/Llama-3.1-8B-Instruct)?'],
    ];
    for (const [model, message] of cases) {
      const e = refusal(model);
      expect(e.code).toBe("model_not_found");
      expect(e.message).toBe(message);
      expect(e.details).toMatchObject({ candidates: [], suggestions: ["meta-llama/Llama-3.1-8B-Instruct"] });
    }
    expect(refusal("qwen3-8").message).toMatch(/did you mean Qwen\/Qwen3-8B[,?]/);
    expect(refusal("mistrall").message).toMatch(/did you mean mistral \(mistralai\/Mistral-7B-Instruct-v0\.3\)/);
  });

  it("keep the old advice when nothing is close, and the resolver's candidates when the name is ambiguous", () => {
    expect(refusal("gpt-5").message).toMatch(/is not in the catalog .*: describe it with an architecture object, or add it to a catalog file$/);
    expect(refusal("gpt-5").details).toMatchObject({ candidates: [], suggestions: [] });
    expect(refusal("gemma 4").message).toMatch(/^model "gemma 4" is ambiguous: did you mean google\/gemma-4-/);
  });
});
