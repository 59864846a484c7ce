// The decode calibration is what the fit makes of the dev set (test/fixtures/reference), reproducibly: the table the
// estimator reads (src/estimate/data/decode-fit.json) equals a fresh fit, and the fit's cross-validated accuracy holds.
import { beforeAll, describe, expect, it } from "vitest";
import { DECODE_FIT } from "../../src/estimate/calibration.js";
import { classKeyOf, evaluate, median, prepare } from "../../scripts/calibrate/fit.js";

describe("decode calibration", () => {
  let samples: ReturnType<typeof prepare>["samples"];
  let table: ReturnType<typeof evaluate>["table"];
  let evaluations: ReturnType<typeof evaluate>["evaluations"];
  beforeAll(() => {
    samples = prepare().samples;
    ({ table, evaluations } = evaluate(samples));
  });

  it("the estimator's table is the fit of the dev set (run `npm run calibrate -- --write` after changing either)", () => {
    expect(DECODE_FIT.entries).toEqual(table);
    expect(DECODE_FIT.rows).toBe(samples.length);
  });

  /**
   * Classes that miss the 25% target, with the cross-validated median they are held to (so they cannot get worse
   * unnoticed) and why: vLLM has 10 rows from 2 devices, quant kernels of four kinds (NVFP4, AWQ, INT8 and AutoRound
   * weight-only, two of them without hardware support on Ampere) and rows that disagree with each other (the same
   * model at 26 and 57 tok/s): its figure is a physics prior the rows only nudge, and its range is wide.
   */
  const SHORT_OF_TARGET: Record<string, number> = { "vllm/nvidia-gddr": 0.35 };

  it("leave-one-device-out: median |error| <= 15% overall, and no class of 10+ rows above 25% but those named", () => {
    const cv = evaluations.map((e) => Math.abs(e.crossValidated));
    expect(median(cv)).toBeLessThanOrEqual(0.15);
    const byClass = new Map<string, number[]>();
    for (const e of evaluations) byClass.set(classKeyOf(e.sample.keys[0]!), [...(byClass.get(classKeyOf(e.sample.keys[0]!)) ?? []), Math.abs(e.crossValidated)]);
    const over = [...byClass]
      .filter(([k, errs]) => errs.length >= 10 && median(errs) > (SHORT_OF_TARGET[k] ?? 0.25))
      .map(([k, errs]) => `${k}: ${(median(errs) * 100).toFixed(1)}% over ${errs.length} rows`);
    expect(over).toEqual([]);
  });

  it("beats llmfit's naive 0.55 x bandwidth / bytes formula on the same rows", () => {
    expect(median(evaluations.map((e) => Math.abs(e.crossValidated)))).toBeLessThan(median(evaluations.map((e) => Math.abs(e.naive))));
  });
});
