import { describe, expect, it } from "vitest";
import { parseEstimateRequest } from "../../src/contract/estimate-request.js";
import { bundledModels } from "../../src/catalog/bundled.js";
import { testService } from "../http/support/service.js";
import { estimateLines, requestOfFlags } from "../../src/cli/commands/estimate.js";

describe("estimate requests", () => {
  it("flags become the API body, parsed by the API's parser", () => {
    const body = { model: "qwen3:8b", quant: "q4_k_m", context: 4096, runtime: "llamacpp", kv_cache_type: "q8_0" };
    const fromFlags = requestOfFlags({ model: "qwen3:8b", quant: "q4_k_m", context: "4096", runtime: "llamacpp", kvCacheType: "q8_0" });
    expect(fromFlags).toEqual(parseEstimateRequest(body));
    expect(fromFlags).toEqual({ model: { reference: "qwen3:8b" }, machine: null, quant: "Q4_K_M", contextTokens: 4096, runtime: "llamacpp", kvCacheType: "q8_0" });
    expect(() => requestOfFlags({})).toThrow(/--model/);
  });

  it("a mistake gets the same text from a flag and from a body", () => {
    const cases: Array<[Record<string, string>, Record<string, unknown>]> = [
      [{ context: "lots" }, { context: "lots" }],
      [{ context: "0" }, { context: 0 }],
      [{ context: "99999999" }, { context: 99999999 }],
      [{ quant: "Q9_Z" }, { quant: "Q9_Z" }],
      [{ runtime: "tgi" }, { runtime: "tgi" }],
      [{ kvCacheType: "q2" }, { kv_cache_type: "q2" }],
    ];
    for (const [flags, body] of cases) {
      const fromFlags = errorText(() => requestOfFlags({ model: "x", ...flags }));
      expect(fromFlags).toBe(errorText(() => parseEstimateRequest({ model: "x", ...body })));
      expect(fromFlags).toMatch(/^invalid (context|quant|runtime|kv_cache_type) value: use /);
    }
    expect(errorText(() => requestOfFlags({ model: "x", context: "0" }))).toBe("invalid context value: use an integer number of tokens from 1 to 16777216");
  });

  it("a batch answers one line per line, in order; bad lines answer an error and the run goes on", async () => {
    const id = bundledModels()[0]!.id;
    const text = [JSON.stringify({ model: id }), "{oops", "", JSON.stringify({ model: "no-such-model" }), JSON.stringify({ model: id })].join("\n") + "\n";
    const lines = (await estimateLines(text, testService())).map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[0].model.name).toBe(id);
    expect(lines[1]).toEqual({ error: expect.stringMatching(/^line 2: not valid JSON/) });
    expect(lines[2]).toEqual({ error: "line 3: empty line: one JSON request per line" });
    expect(lines[3]).toEqual({ error: expect.stringMatching(/^line 4: /) });
    expect(lines[4].model.name).toBe(id);
  });

  // Its speed is measured by `npm run bench` (estimate --batch of 1,000 lines), not here.
  it("1000 lines give 1000 results", async () => {
    const id = bundledModels()[0]!.id;
    const service = testService();
    await service.machine();
    const text = `${Array.from({ length: 1000 }, () => JSON.stringify({ model: id })).join("\n")}\n`;
    const lines = await estimateLines(text, service);
    expect(lines).toHaveLength(1000);
    expect(lines.every((l) => (JSON.parse(l) as { model?: { name: string } }).model?.name === id)).toBe(true);
  });
});

function errorText(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}
