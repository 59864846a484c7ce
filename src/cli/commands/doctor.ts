// `nodefit doctor`: runs the detection with a trace, prints every probe, and can save what it saw as a fixture.
import { doctorReport, writeFixture } from "../../hardware/doctor.js";
import { detectMachine } from "../../hardware/detect.js";
import { realIO } from "../../hardware/real-io.js";
import { ProbeTrace } from "../../hardware/trace.js";
import { writeJson, useColor, type CliIo } from "../cli-io.js";
import { NO_CONFIG, Settings, type LoadedConfig } from "../settings.js";
import { doctorText } from "../render/doctor-text.js";
import { COLOR, PLAIN } from "../table.js";

export interface DoctorFlags {
  json?: boolean;
  fixture?: string;
}

export async function runDoctor(flags: DoctorFlags, io: CliIo, config: LoadedConfig = NO_CONFIG): Promise<number> {
  // The RAM bandwidth cache where the settings put it (cache_dir, probe_cache, resolved once); the report names the
  // setting that turned it off and its door.
  const hardware = realIO({ probeCache: new Settings({ env: io.env, config }).caches().probeCache });
  const trace = new ProbeTrace();
  const machine = await detectMachine(hardware, { trace });
  const report = doctorReport(machine, trace);
  if (flags.json) writeJson(io, report);
  else io.stdout.write(doctorText(report, useColor(io) ? COLOR : PLAIN));
  if (flags.fixture !== undefined) {
    const description = `nodefit doctor on ${machine.node.name} (${machine.node.os}), ${machine.snapshotAt ?? "no snapshot time"}`;
    await writeFixture(flags.fixture, hardware, trace, description);
    io.stderr.write(`nodefit: probe outputs saved in ${flags.fixture} (raw: host name, UUIDs and serials included; review before sharing)\n`);
  }
  return 0;
}
