// Machine source: where the service's snapshots come from (this node's detection, or a described machine).
import type { Machine } from "../domain/machine.js";

export interface MachineSource {
  /** The first snapshot. */
  initial(): Promise<Machine>;
  /** A snapshot with the dynamic values (free memory) re-read; null when nothing changes (a described machine). */
  refresh: (() => Promise<Machine>) | null;
}

/** A machine that never changes: a `--machine` description, or a test's. */
export function fixedMachineSource(machine: Machine): MachineSource {
  return { initial: () => Promise.resolve(machine), refresh: null };
}
