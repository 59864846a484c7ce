// Loopback hosts: the addresses only this machine can reach, as the agent, the runtime probes and the Hub client test them.
import { isIP } from "node:net";

/**
 * True for addresses only this machine can reach: 127.0.0.0/8, ::1 (also written in full or IPv4-mapped), `localhost`
 * and names under it (RFC 6761). Brackets, an IPv6 zone and case are ignored (`[::1]`, `fe80::1%eth0`).
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  if (h.startsWith("::ffff:")) return isIP(h.slice(7)) === 4 && h.slice(7).startsWith("127.");
  return false;
}
