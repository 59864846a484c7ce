// Test machine sources: a first scan that finishes when the test says so, and refreshes that fail or hang.
import type { Machine } from "../../../src/domain/machine.js";
import type { MachineSource } from "../../../src/service/machine-source.js";

export interface DeferredSource extends MachineSource {
  /** Ends the first scan with this machine. */
  finish(machine: Machine): void;
  /** Ends the first scan with an error. */
  fail(error: Error): void;
}

/** A source whose first scan waits for `finish` or `fail`; later scans (after a failure) wait for the next call. */
export function deferredSource(refresh: MachineSource["refresh"] = null): DeferredSource {
  const waiting: Array<{ resolve: (m: Machine) => void; reject: (e: Error) => void }> = [];
  return {
    initial: () =>
      new Promise<Machine>((resolve, reject) => {
        waiting.push({ resolve, reject });
      }),
    refresh,
    finish(machine) {
      for (const w of waiting.splice(0)) w.resolve(machine);
    },
    fail(error) {
      for (const w of waiting.splice(0)) w.reject(error);
    },
  };
}
