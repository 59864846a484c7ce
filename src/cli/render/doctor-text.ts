// Doctor text: every probe of a detection for people (what ran, how long, what it gave, what was decided).
import type { DoctorProbe, DoctorReport } from "../../hardware/doctor.js";
import type { RamBandwidthReport } from "../../hardware/ram-bandwidth-probe.js";
import type { Painter } from "../table.js";

function status(p: DoctorProbe, paint: Painter): string {
  if (p.skipped) return paint.yellow("skipped");
  if (!p.found) return paint.dim(p.kind === "command" ? "missing" : "absent");
  if (p.timedOut) return paint.red("timeout");
  if (p.kind === "command" && p.exitCode !== 0) return paint.red(`exit ${p.exitCode ?? "?"}`);
  return paint.green("ok");
}

const MIB = 1024 * 1024;

function cacheLine(c: RamBandwidthReport["cache"], p: Painter): string {
  const at = c.path === null || c.path === "" ? "" : ` ${c.path}`;
  switch (c.state) {
    case "hit":
      return `${p.green("hit")}${at} (${c.detail}): not measured again`;
    case "miss": {
      const written = c.written === true ? `; ${p.green("written")}` : c.written === false ? `; ${p.red("not written")} (see the warnings)` : "";
      return `${p.yellow("miss")}${at} (${c.detail})${written}`;
    }
    case "disabled":
      return `${p.dim("disabled")} (${c.detail})`;
    default:
      return `${p.dim("none")} (${c.detail})`;
  }
}

/** The RAM bandwidth probe for people: every pass, the figure chosen and why, the platform's bound, the cache. */
export function ramBandwidthText(r: DoctorReport, p: Painter): string[] {
  const out: string[] = [p.bold("RAM bandwidth")];
  const rb = r.ramBandwidth;
  const figure = r.ramBandwidthFigure;
  if (rb === null) {
    out.push(`  probe     ${p.dim("not run")}`);
  } else {
    const m = rb.measurement;
    if (m === null) out.push(`  probe     ${p.red("failed")}: no measurement`);
    else {
      const warm = m.warmupGBps === null ? "" : ` after a ${m.passMs} ms warm-up (${m.warmupGBps})`;
      const busy = m.otherCpuPct == null ? "" : `; other work took ${Math.round(m.otherCpuPct)}% of the CPUs meanwhile`;
      out.push(`  passes    ${m.passesGBps.map((x) => x.toFixed(1)).join(" ")} GB/s (each thread's rate while it read, summed)`);
      out.push(`            ${m.passesGBps.length} x ${m.passMs} ms${warm}, ${m.threads} thread(s) x ${Math.round(m.bytesPerThread / MIB)} MiB, ${m.durationMs} ms in all${busy}`);
      if (m.windowGBps !== undefined && m.windowGBps.length > 0) {
        out.push(`  window    ${m.windowGBps.map((x) => x.toFixed(1)).join(" ")} GB/s over the wall clock (a descheduled thread counted idle)`);
      }
      if (m.togetherMs !== undefined && m.togetherMs.length > 0) {
        out.push(`  together  ${m.togetherMs.map((x) => x.toFixed(1)).join(" ")} ms of each pass with every thread reading (2 ms or more: the pass is no more than their rate then)`);
      }
    }
    if (rb.chosenGBps !== null) out.push(`  chosen    ${rb.chosenGBps} GB/s: ${rb.rule ?? ""}`);
    if (rb.bound === null) out.push(`  bound     ${p.dim(rb.boundNote ?? "none")}`);
    else {
      out.push(`  bound     nominal ${rb.bound.nominalGBps} GB/s, ceiling ${rb.bound.ceilingGBps} GB/s (${rb.bound.ceilingText})`);
      out.push(`            ${rb.bound.text}`);
    }
    const status =
      rb.status === "measured"
        ? p.green(rb.bound === null ? "measured" : "measured, within the bound")
        : rb.status === "low"
          ? p.yellow("measured, under a fifth of the nominal figure")
          : rb.status === "above-nominal"
            ? p.red("above the ceiling: a probe error, the nominal figure used")
            : p.red("failed: the figure comes from elsewhere");
    out.push(`  status    ${status}`);
    out.push(`  cache     ${cacheLine(rb.cache, p)}`);
    if (rb.measuredAt !== null) out.push(`  measured  ${rb.measuredAt}`);
  }
  out.push(`  figure    ${figure.gbps === null ? p.dim("unknown") : `${figure.gbps} GB/s`}${figure.source === null ? "" : `: ${figure.source}`}`);
  return out;
}

export function doctorText(r: DoctorReport, p: Painter): string {
  const out: string[] = [p.bold(`nodefit doctor: ${r.node.name} (${r.node.os})${r.snapshotAt === null ? "" : `, ${r.snapshotAt}`}`), ""];
  for (const probe of r.probes) {
    out.push(`${status(probe, p).padEnd(8)} ${probe.target} ${p.dim(`${probe.durationMs} ms`)}`);
    if (probe.decision !== null) out.push(`         -> ${probe.decision}`);
  }
  out.push("", `${r.counts.ok} answered, ${r.counts.failed} failed, ${r.counts.absent} not present`);
  out.push("", ...ramBandwidthText(r, p));
  if (r.warnings.length > 0) out.push("", p.bold("warnings"), ...r.warnings.map((w) => `  ${p.yellow(w)}`));
  return `${out.join("\n")}\n`;
}
