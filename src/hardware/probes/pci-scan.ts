// PCI scan: display controllers of one vendor present on the bus, to say so when their driver tool fails.
import { isDisplayClass, parseSysfsHexId } from "../parsers/sysfs.js";
import type { ProbeRunner } from "../trace.js";

const PCI = "/sys/bus/pci/devices";

export interface PciDisplayDevice {
  busId: string;
  pciId: string;
}

/** Display-class PCI devices of `vendorId` ("10de"); empty when sysfs is not there. */
export async function scanPciDisplayDevices(runner: ProbeRunner, vendorId: string): Promise<PciDisplayDevice[]> {
  const entries = await runner.readDir(PCI);
  if (entries === null) return [];
  const found: PciDisplayDevice[] = [];
  for (const busId of entries) {
    if (parseSysfsHexId(await runner.readFile(`${PCI}/${busId}/vendor`)) !== vendorId) continue;
    const classText = await runner.readFile(`${PCI}/${busId}/class`);
    if (!isDisplayClass(classText)) continue;
    const device = parseSysfsHexId(await runner.readFile(`${PCI}/${busId}/device`));
    found.push({ busId, pciId: `${vendorId}:${device ?? "????"}` });
  }
  runner.decide(PCI, `${found.length} display device(s) of vendor ${vendorId}`);
  return found;
}
