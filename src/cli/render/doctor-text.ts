// Doctor text: every probe of a detection for people (what ran, how long, what it gave, what was decided).
import type { DoctorProbe, DoctorReport } from "../../hardware/doctor.js";
import type { Painter } from "../table.js";

function status(p: DoctorProbe, paint: Painter): string {
  if (p.skipped) return paint.yellow("skipped");
  if (!p.found) return paint.dim(p.kind === "command" ? "missing" : "absent");
  if (p.timedOut) return paint.red("timeout");
  if (p.kind === "command" && p.exitCode !== 0) return paint.red(`exit ${p.exitCode ?? "?"}`);
  return paint.green("ok");
}

export function doctorText(r: DoctorReport, p: Painter): string {
  const out: string[] = [p.bold(`nodefit doctor: ${r.node.name} (${r.node.os})${r.snapshotAt === null ? "" : `, ${r.snapshotAt}`}`), ""];
  for (const probe of r.probes) {
    out.push(`${status(probe, p).padEnd(8)} ${probe.target} ${p.dim(`${probe.durationMs} ms`)}`);
    if (probe.decision !== null) out.push(`         -> ${probe.decision}`);
  }
  out.push("", `${r.counts.ok} answered, ${r.counts.failed} failed, ${r.counts.absent} not present`);
  if (r.warnings.length > 0) out.push("", p.bold("warnings"), ...r.warnings.map((w) => `  ${p.yellow(w)}`));
  return `${out.join("\n")}\n`;
}
