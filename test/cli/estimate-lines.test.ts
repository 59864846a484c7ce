import { describe, expect, it } from "vitest";
import { bundledModels } from "../../src/catalog/bundled.js";
import { testService } from "../http/support/service.js";
import { estimateLines, requestOfFlags } from "../../src/cli/commands/estimate.js";

describe("estimate requests", () => {
  it("flags become the API body", () => {
    expect(requestOfFlags({ model: "qwen3:8b", quant: "Q4_K_M", context: "4096", runtime: "llamacpp", kvCacheType: "q8_0" })).toEqual({
      model: "qwen3:8b",
      quant: "Q4_K_M",
      context: 4096,
      runtime: "llamacpp",
      kv_cache_type: "q8_0",
    });
    expect(() => requestOfFlags({})).toThrow(/--model/);
    expect(() => requestOfFlags({ model: "x", context: "lots" })).toThrow("invalid context value: use an integer >= 1");
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
