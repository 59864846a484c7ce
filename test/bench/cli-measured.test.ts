// The built CLI on this node's own hardware: rows read the benchmarks store under --data-dir (measured_tps, the node's
// correction in estimate_basis); a described machine (--machine) never does.
import { describe, expect, it } from "vitest";
import type { ModelsEnvelopeJson } from "../../src/contract/envelope.js";
import { FIXTURE_MACHINE, runCli } from "../cli/run-cli.js";
import { sampleBenchmark, seededStore, tempDataDir } from "../support/benchmarks.js";

const MODEL = "Qwen/Qwen3-0.6B";

async function row(args: string[]): Promise<ModelsEnvelopeJson["models"][number]> {
  const r = await runCli(["info", MODEL, "--json", ...args]);
  expect(r.code, r.stderr).toBe(0);
  const found = (JSON.parse(r.stdout) as ModelsEnvelopeJson).models.find((m) => m.name === MODEL);
  if (!found) throw new Error(`${MODEL} is not among the rows`);
  return found;
}

describe("measured_tps through the CLI", () => {
  it("this node: the stored median at the row's quant, and the correction of its kind; --machine: neither", async () => {
    const empty = tempDataDir();
    const before = await row(["--data-dir", empty]);
    expect(before.measured_tps).toBeNull();
    const calibration = String(before.estimate_basis["calibration"]);
    const device = before.run_mode === "cpu_only" ? `cpu ${(JSON.parse((await runCli(["system", "--json"])).stdout) as { system: { cpu_name: string } }).system.cpu_name}` : null;
    const estimate = { ...sampleBenchmark().estimate!, quant: before.best_quant, run_mode: before.run_mode, calibration, device: device ?? "none", estimated_tps: before.estimated_tps };
    const dir = tempDataDir();
    await seededStore([sampleBenchmark({ model: MODEL, quant: before.best_quant, decode_tps: { median: 42.5, min: 40, max: 45, spread_pct: 11.8, runs: 3 }, estimate, measured_vs_estimated: 0.9 })], dir);

    const after = await row(["--data-dir", dir]);
    expect(after.measured_tps).toBe(42.5);
    if (device !== null) {
      // A CPU-only row on this CPU is of the benchmark's kind: corrected by its ratio.
      expect(after.estimate_basis["node_correction"]).toBe("0.9 from 1 benchmark");
      expect(after.estimated_tps).toBeCloseTo(before.estimated_tps * 0.9, 0);
    }
    // NODEFIT_DATA_DIR says the same as --data-dir.
    const r = await runCli(["info", MODEL, "--json"], { env: { NODEFIT_DATA_DIR: dir } });
    expect((JSON.parse(r.stdout) as ModelsEnvelopeJson).models.find((m) => m.name === MODEL)!.measured_tps).toBe(42.5);

    const described = await row(["--data-dir", dir, "--machine", FIXTURE_MACHINE]);
    expect(described.measured_tps).toBeNull();
    expect(described.estimate_basis["node_correction"]).toBeUndefined();
  }, 60_000);
});
