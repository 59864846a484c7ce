// Node identity before any scan: the given node name (or the host name) and the OS, for the first /health answers.
import { hostname } from "node:os";
import { NodefitError } from "../domain/errors.js";
import type { NodeIdentity } from "../domain/machine.js";
import { osName } from "../hardware/classify.js";
import type { HardwareIO } from "../hardware/io.js";

/** The identity `/health` reports before the first snapshot exists. */
export function provisionalIdentity(nodeName: string | null, io?: HardwareIO): NodeIdentity {
  return { name: nodeName ?? (io ? io.hostname() : hostname()), os: osName(io ? io.platform : process.platform) };
}

/** A node name must have something in it: schedulers key nodes on it. Returns it as given. */
export function parseNodeName(name: string, key = "node-name"): string {
  if (name.trim() === "") throw new NodefitError("invalid_argument", `invalid ${key} value: use a non-empty name`, { key });
  return name;
}
