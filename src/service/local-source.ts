// Local machine source: this node's detection (or a --machine file), with overrides and the node name applied.
import { hostname } from "node:os";
import { NodefitError } from "../domain/errors.js";
import type { Machine } from "../domain/machine.js";
import { loadMachineFile } from "../hardware/describe.js";
import { detectMachine, refreshDynamic } from "../hardware/detect.js";
import type { HardwareIO } from "../hardware/io.js";
import { applyOverrides, type HardwareOverrides } from "../hardware/overrides.js";
import { realIO } from "../hardware/real-io.js";
import type { MachineSource } from "./machine-source.js";

export interface LocalSourceOptions {
  /** `--machine FILE.json`: answer as this described machine instead of detecting. */
  machineFile: string | null;
  /** Parsed at the edge (`parseOverrides`). */
  overrides: HardwareOverrides;
  /** Node name to report instead of the host name (or the description's `node_name`); parsed at the edge. */
  nodeName: string | null;
  /** Defaults to this host's I/O; tests pass a fixture's. */
  io?: HardwareIO;
  /** Measure RAM bandwidth during the first detection (a warm-up and seven 50 ms rounds, about half a second; cached per boot). Default true. */
  measureRamBandwidth?: boolean;
}

export function localMachineSource(options: LocalSourceOptions): MachineSource {
  const finish = (machine: Machine): Machine => {
    const m = applyOverrides(machine, options.overrides);
    return options.nodeName === null ? m : { ...m, node: { ...m.node, name: options.nodeName } };
  };

  if (options.machineFile !== null) {
    const file = options.machineFile;
    const defaultName = options.io ? options.io.hostname() : hostname();
    return { initial: async () => finish(await loadMachineFile(file, defaultName)), refresh: null };
  }

  const io = options.io ?? realIO();
  // Overrides apply to each snapshot; the refresh starts from the last detected (not overridden) machine.
  let detected: Machine | null = null;
  return {
    initial: async () => {
      detected = await detectMachine(io, { measureRamBandwidth: options.measureRamBandwidth ?? true });
      return finish(detected);
    },
    refresh: async () => {
      if (detected === null) throw new NodefitError("internal", "refresh before the first detection");
      detected = await refreshDynamic(io, detected);
      return finish(detected);
    },
  };
}
