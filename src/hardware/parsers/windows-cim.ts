// Windows CIM parser: Win32_ComputerSystem, Win32_OperatingSystem and Win32_Processor as one PowerShell JSON object.
import { CPU_COUNT, RAM_BYTES, RAM_KIB, checkFigure, oneLine, shown, type FigureRule } from "./plausible.js";

/** The PowerShell script whose output `parseWindowsCim` reads (one compressed JSON object). */
export const WINDOWS_CIM_SCRIPT = [
  "$cs = Get-CimInstance -ClassName Win32_ComputerSystem",
  "$os = Get-CimInstance -ClassName Win32_OperatingSystem",
  "$cpu = @(Get-CimInstance -ClassName Win32_Processor)",
  "[pscustomobject]@{ ComputerSystem = ($cs | Select-Object Name, TotalPhysicalMemory, NumberOfLogicalProcessors);" +
    " OperatingSystem = ($os | Select-Object Caption, TotalVisibleMemorySize, FreePhysicalMemory);" +
    " Processor = @($cpu | Select-Object Name, NumberOfCores, NumberOfLogicalProcessors) } | ConvertTo-Json -Depth 3 -Compress",
].join("; ");

export interface WindowsCim {
  hostName: string | null;
  /** Win32_ComputerSystem.TotalPhysicalMemory, bytes. */
  totalPhysicalMemoryBytes: number | null;
  /** Win32_OperatingSystem.TotalVisibleMemorySize (KiB) in bytes: RAM the OS can use. */
  totalVisibleMemoryBytes: number | null;
  /** Win32_OperatingSystem.FreePhysicalMemory (KiB) in bytes: Task Manager's "Available". */
  freePhysicalMemoryBytes: number | null;
  osCaption: string | null;
  processors: { name: string; cores: number | null; logicalProcessors: number | null }[];
}

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim().replace(/\s+/g, " ") : null);
const asList = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? (v as Record<string, unknown>[]) : v && typeof v === "object" ? [v as Record<string, unknown>] : [];

/**
 * Parses the script's output; throws when it is not JSON. Figures beyond the plausible (negative, fractional, not
 * finite, above the limits; or not numbers at all) are dropped into `problems`.
 */
export function parseWindowsCim(output: string, problems: string[] = []): WindowsCim {
  const json = JSON.parse(output.replace(/^\uFEFF/, "")) as Record<string, unknown>;
  const cs = asList(json.ComputerSystem)[0] ?? {};
  const os = asList(json.OperatingSystem)[0] ?? {};
  const num = (v: unknown, rule: FigureRule, what: string): number | null => {
    if (v === null || v === undefined) return null;
    const f = typeof v === "number" ? checkFigure(v, rule, what) : { value: null, problem: `${what}: ${shown(JSON.stringify(v) ?? "")} is not a number: ignored` };
    if (f.problem !== null) problems.push(f.problem);
    return f.value;
  };
  const kib = (v: unknown, what: string): number | null => {
    const n = num(v, RAM_KIB, what);
    return n === null ? null : n * 1024;
  };
  return {
    hostName: text(cs.Name),
    totalPhysicalMemoryBytes: num(cs.TotalPhysicalMemory, RAM_BYTES, "Win32_ComputerSystem.TotalPhysicalMemory"),
    totalVisibleMemoryBytes: kib(os.TotalVisibleMemorySize, "Win32_OperatingSystem.TotalVisibleMemorySize"),
    freePhysicalMemoryBytes: kib(os.FreePhysicalMemory, "Win32_OperatingSystem.FreePhysicalMemory"),
    osCaption: text(os.Caption),
    processors: asList(json.Processor)
      .slice(0, CPU_COUNT.max)
      .flatMap((p) => {
        const name = text(p.Name);
        const where = `Win32_Processor ${oneLine(name ?? "?", 60)}`;
        return name === null
          ? []
          : [{ name, cores: num(p.NumberOfCores, CPU_COUNT, `${where} NumberOfCores`), logicalProcessors: num(p.NumberOfLogicalProcessors, CPU_COUNT, `${where} NumberOfLogicalProcessors`) }];
      }),
  };
}
