// Process list: runs the platform's lister through the hardware I/O layer (a timeout, no shell) and hands its output to
// the pure parsers in processes.ts.
import type { HardwareIO } from "../hardware/io.js";
import { parseCimProcesses, parsePsOutput, parseTasklistCsv, type ProcessEntry } from "./processes.js";

/** The lister's limit: `ps` answers in tens of milliseconds; PowerShell's start takes a second or two. */
export const PROCESS_LIST_TIMEOUT_MS = 4000;

export interface ProcessListing {
  /** Null when no lister worked. */
  entries: ProcessEntry[] | null;
  warning: string | null;
}

const CIM_SCRIPT =
  "Get-CimInstance Win32_Process | Select-Object ProcessId,Name,CommandLine,WorkingSetSize | ConvertTo-Json -Compress";

const why = (r: Awaited<ReturnType<HardwareIO["run"]>>): string =>
  r.timedOut ? `timed out after ${r.durationMs} ms` : r.spawnError !== null ? (r.spawnError === "ENOENT" ? "not installed" : r.spawnError) : `exit code ${r.exitCode}`;

/** The processes of this host: `ps` on Linux and macOS; on Windows Win32_Process through PowerShell, else tasklist. */
export async function listProcesses(io: Pick<HardwareIO, "run" | "platform">, timeoutMs = PROCESS_LIST_TIMEOUT_MS): Promise<ProcessListing> {
  if (io.platform === "win32") {
    const cim = await io.run("powershell.exe", ["-NoProfile", "-NonInteractive", "-Command", CIM_SCRIPT], { timeoutMs });
    const parsed = cim.exitCode === 0 ? parseCimProcesses(cim.stdout) : null;
    if (parsed !== null) return { entries: parsed, warning: null };
    const tl = await io.run("tasklist", ["/fo", "csv", "/nh"], { timeoutMs });
    if (tl.exitCode === 0) return { entries: parseTasklistCsv(tl.stdout), warning: null };
    return { entries: null, warning: `process list unreadable: PowerShell Get-CimInstance ${why(cim)}, tasklist ${why(tl)}` };
  }
  const ps = await io.run("ps", ["-A", "-ww", "-o", "pid=,rss=,args="], { timeoutMs });
  if (ps.exitCode === 0) return { entries: parsePsOutput(ps.stdout), warning: null };
  return { entries: null, warning: `process list unreadable: ps ${why(ps)}` };
}
