// PCI address helpers: one spelling for bus ids from nvidia-smi, sysfs, rocm-smi and npu-smi.

/**
 * Normalizes a PCI bus id to sysfs's `dddd:bb:dd.f`, lower case: nvidia-smi prints an 8-digit domain
 * ("00000000:18:00.0"), npu-smi upper case ("0000:C1:00.0"). Returns the input trimmed when it is no bus id.
 */
export function normalizePciBusId(id: string): string {
  const t = id.trim();
  const m = /^(?:([0-9a-fA-F]+):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/.exec(t);
  if (!m || m[2] === undefined || m[3] === undefined || m[4] === undefined) return t;
  const domain = (m[1] ?? "0").replace(/^0+(?=.)/, "").padStart(4, "0").toLowerCase();
  return `${domain}:${m[2].padStart(2, "0").toLowerCase()}:${m[3].padStart(2, "0").toLowerCase()}.${m[4]}`;
}
