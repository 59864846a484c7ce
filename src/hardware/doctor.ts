// Doctor data: the probe report of a detection, and the writer that turns its raw outputs into a fixture folder.
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Machine } from "../domain/machine.js";
import { FS_DIR, KEEP_FILE, MANIFEST_FILE, type FixtureCommand, type FixtureManifest } from "./fixture-io.js";
import type { HardwareIO } from "./io.js";
import type { RamBandwidthReport } from "./ram-bandwidth-probe.js";
import type { ProbeTrace, TraceEntry } from "./trace.js";

export interface DoctorProbe {
  kind: TraceEntry["kind"];
  /** Command line or path. */
  target: string;
  durationMs: number;
  /** Commands: exit status (null when it did not exit); files: null. */
  exitCode: number | null;
  timedOut: boolean;
  /** "ENOENT" when the tool is not installed. */
  spawnError: string | null;
  skipped: boolean;
  /** Whether a file or directory was there (commands: whether it ran). */
  found: boolean;
  /** The first lines of the raw output (stderr when stdout is empty). */
  excerpt: string | null;
  decision: string | null;
}

export interface DoctorReport {
  node: { name: string; os: string };
  snapshotAt: string | null;
  probes: DoctorProbe[];
  /** What was decided about each device seen: kept (with its memory and where that came from) or dropped, and why. */
  devices: string[];
  /**
   * The RAM bandwidth probe: every pass's figure, the one chosen and why, the platform's bound, the cache state; null
   * when it did not run (a fixture, `measureRamBandwidth: false`).
   */
  ramBandwidth: RamBandwidthReport | null;
  /** The RAM bandwidth the machine carries and its source (the probe's, or what stood in for it). */
  ramBandwidthFigure: { gbps: number | null; source: string | null };
  warnings: string[];
  /** Probes that answered / failed / were not there. */
  counts: { ok: number; failed: number; absent: number };
}

const EXCERPT_LINES = 8;
const EXCERPT_CHARS = 600;

export function excerpt(text: string | null): string | null {
  if (text === null) return null;
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let out = lines.slice(0, EXCERPT_LINES).join("\n");
  if (out.length > EXCERPT_CHARS) out = out.slice(0, EXCERPT_CHARS);
  const cut = out.length < text.trimEnd().length;
  return (out.trimEnd() + (cut ? "\n…" : "")) || null;
}

function probeOf(e: TraceEntry): DoctorProbe {
  const found = e.kind === "command" ? e.spawnError === null && !e.skipped : e.kind === "file" ? e.stdout !== null : e.entries !== null;
  const text = e.kind === "dir" ? (e.entries === null ? null : e.entries.join("  ")) : e.stdout?.trim() ? e.stdout : e.stderr;
  return {
    kind: e.kind,
    target: e.target,
    durationMs: e.durationMs,
    exitCode: e.exitCode,
    timedOut: e.timedOut,
    spawnError: e.spawnError,
    skipped: e.skipped,
    found,
    excerpt: excerpt(text ?? null),
    decision: e.decision,
  };
}

/** The report `nodefit doctor` prints: every probe of the detection, in the order it ran, and the warnings. */
export function doctorReport(machine: Machine, trace: ProbeTrace): DoctorReport {
  const probes = trace.entries.map(probeOf);
  const counts = { ok: 0, failed: 0, absent: 0 };
  for (const p of probes) {
    if (!p.found) counts.absent += 1;
    else if (p.kind === "command" && (p.exitCode !== 0 || p.timedOut)) counts.failed += 1;
    else counts.ok += 1;
  }
  return {
    node: { ...machine.node },
    snapshotAt: machine.snapshotAt,
    probes,
    devices: [...trace.devices],
    ramBandwidth: trace.ramBandwidth === null ? null : structuredClone(trace.ramBandwidth),
    ramBandwidthFigure: { gbps: machine.memory.bandwidthGBps, source: machine.memory.bandwidthSource },
    warnings: [...machine.warnings],
    counts,
  };
}

const slug = (s: string): string =>
  s
    .replace(/^.*[\\/]/, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "cmd";

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a detection's raw outputs as a fixture folder (machine.json, commands/*.txt, fs/...), so the
 * machine can be replayed by `fixtureIO` in a test. The outputs are raw: UUIDs, serial numbers and the host
 * name are in them; review before sharing. Nothing from the environment is written.
 */
export async function writeFixture(dir: string, io: HardwareIO, trace: ProbeTrace, description: string): Promise<FixtureManifest> {
  await mkdir(path.join(dir, "commands"), { recursive: true });
  const commands: FixtureCommand[] = [];
  const seen = new Set<string>();
  let n = 0;
  for (const e of trace.entries) {
    if (e.kind !== "command" || e.command === null || e.args === null || e.skipped) continue;
    const id = JSON.stringify([e.command, e.args]);
    if (seen.has(id)) continue;
    seen.add(id);
    const base = { command: e.command, args: [...e.args], exitCode: 0, hang: false, missing: false, durationMs: e.durationMs };
    if (e.spawnError !== null) {
      commands.push({ ...base, missing: true });
      continue;
    }
    if (e.timedOut) {
      commands.push({ ...base, hang: true });
      continue;
    }
    n += 1;
    const stem = `commands/${String(n).padStart(2, "0")}-${slug(e.command)}`;
    const entry: FixtureCommand = { ...base, exitCode: e.exitCode ?? 0 };
    if (e.stdout) {
      entry.stdout = `${stem}.stdout.txt`;
      await writeFile(path.join(dir, entry.stdout), e.stdout);
    }
    if (e.stderr) {
      entry.stderr = `${stem}.stderr.txt`;
      await writeFile(path.join(dir, entry.stderr), e.stderr);
    }
    commands.push(entry);
  }
  const fsRoot = path.join(dir, FS_DIR);
  const local = (p: string): string => path.join(fsRoot, path.posix.normalize(`/${p}`).slice(1));
  for (const e of trace.entries) {
    if (e.kind !== "file" || e.stdout === null) continue;
    const file = local(e.target);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, e.stdout);
  }
  for (const e of trace.entries) {
    if (e.kind !== "dir" || e.entries === null) continue;
    await mkdir(local(e.target), { recursive: true });
    for (const name of e.entries) {
      const child = path.join(local(e.target), name);
      // A listed name never read into still has to be listed: it becomes an empty folder (kept in git by a marker).
      if (await exists(child)) continue;
      await mkdir(child, { recursive: true });
      await writeFile(path.join(child, KEEP_FILE), "");
    }
  }
  const manifest: FixtureManifest = {
    description,
    platform: io.platform as FixtureManifest["platform"],
    arch: io.arch,
    hostname: io.hostname(),
    env: {},
    availableParallelism: io.availableParallelism(),
    nodeOs: null,
    now: io.now().toISOString(),
    commands,
  };
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
