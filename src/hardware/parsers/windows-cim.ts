// Windows CIM parser: Win32_ComputerSystem, Win32_OperatingSystem and Win32_Processor as one PowerShell JSON object.

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

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);
const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim().replace(/\s+/g, " ") : null);
const asList = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? (v as Record<string, unknown>[]) : v && typeof v === "object" ? [v as Record<string, unknown>] : [];

/** Parses the script's output; throws when it is not JSON. */
export function parseWindowsCim(output: string): WindowsCim {
  const json = JSON.parse(output.replace(/^\uFEFF/, "")) as Record<string, unknown>;
  const cs = asList(json.ComputerSystem)[0] ?? {};
  const os = asList(json.OperatingSystem)[0] ?? {};
  const kib = (v: unknown): number | null => {
    const n = num(v);
    return n === null ? null : n * 1024;
  };
  return {
    hostName: text(cs.Name),
    totalPhysicalMemoryBytes: num(cs.TotalPhysicalMemory),
    totalVisibleMemoryBytes: kib(os.TotalVisibleMemorySize),
    freePhysicalMemoryBytes: kib(os.FreePhysicalMemory),
    osCaption: text(os.Caption),
    processors: asList(json.Processor).flatMap((p) => {
      const name = text(p.Name);
      return name === null ? [] : [{ name, cores: num(p.NumberOfCores), logicalProcessors: num(p.NumberOfLogicalProcessors) }];
    }),
  };
}
