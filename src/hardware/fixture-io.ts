// Fixture hardware I/O: replays a recorded machine (a folder with machine.json, command outputs and an fs/ tree).
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { NodefitError } from "../domain/errors.js";
import type { CommandResult, HardwareIO, NodeOsFacts } from "./io.js";

/**
 * One command the machine answers. `args` absent = any arguments. Outputs are files relative to the fixture
 * folder, holding the tool's raw output byte for byte. `hang`: the tool never answers (replayed as a timeout);
 * `missing`: not installed (ENOENT), which is also what any command not listed gives.
 */
export const FixtureCommandSchema = z
  .object({
    command: z.string().min(1),
    args: z.array(z.string()).optional(),
    stdout: z.string().optional(),
    stderr: z.string().optional(),
    exitCode: z.number().int().default(0),
    hang: z.boolean().default(false),
    missing: z.boolean().default(false),
    /** How long the real run took, replayed in traces (not slept). */
    durationMs: z.number().int().nonnegative().default(0),
  })
  .strict();
export type FixtureCommand = z.infer<typeof FixtureCommandSchema>;

export const FixtureManifestSchema = z
  .object({
    description: z.string(),
    platform: z.enum(["linux", "darwin", "win32", "freebsd", "openbsd", "sunos", "aix", "android"]),
    arch: z.string(),
    hostname: z.string(),
    env: z.record(z.string(), z.string()).default({}),
    availableParallelism: z.number().int().positive().nullable().default(null),
    nodeOs: z
      .object({
        totalMemBytes: z.number().nonnegative(),
        freeMemBytes: z.number().nonnegative(),
        cpuModel: z.string().nullable(),
        logicalCpus: z.number().int().positive(),
      })
      .nullable()
      .default(null),
    /** ISO time the fixture answers for "now". */
    now: z.string().default("2025-01-01T00:00:00.000Z"),
    commands: z.array(FixtureCommandSchema).default([]),
  })
  .strict();
export type FixtureManifest = z.infer<typeof FixtureManifestSchema>;

export const MANIFEST_FILE = "machine.json";
export const FS_DIR = "fs";
/** Marker that keeps an otherwise empty fs/ folder in git; never listed. */
export const KEEP_FILE = ".keep";

/** Loads a fixture folder as a HardwareIO. Throws invalid_input_file when the manifest is malformed. */
export async function fixtureIO(dir: string): Promise<HardwareIO> {
  const manifestPath = path.join(dir, MANIFEST_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, "utf8"));
  } catch (e) {
    throw new NodefitError("invalid_input_file", `${manifestPath}: ${(e as Error).message}`);
  }
  const parsed = FixtureManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NodefitError("invalid_input_file", `${manifestPath}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
  }
  const manifest = parsed.data;
  // Outputs are read up front so a missing output file fails loudly at load, not as a silent empty answer.
  const outputs = new Map<string, string>();
  for (const c of manifest.commands) {
    for (const file of [c.stdout, c.stderr]) {
      if (file === undefined || outputs.has(file)) continue;
      try {
        outputs.set(file, await readFile(path.join(dir, file), "utf8"));
      } catch (e) {
        throw new NodefitError("invalid_input_file", `${manifestPath}: output file ${file}: ${(e as Error).message}`);
      }
    }
  }
  return fixtureIOFromManifest(dir, manifest, outputs);
}

function fixtureIOFromManifest(dir: string, manifest: FixtureManifest, outputs: ReadonlyMap<string, string>): HardwareIO {
  const fsRoot = path.resolve(dir, FS_DIR);
  /** Maps an absolute machine path to the fixture's fs/ tree; null for anything that would leave it. */
  const local = (p: string): string | null => {
    const resolved = path.resolve(fsRoot, `.${path.posix.normalize(`/${p.replace(/\\/g, "/")}`)}`);
    return resolved === fsRoot || resolved.startsWith(fsRoot + path.sep) ? resolved : null;
  };
  const find = (command: string, args: readonly string[]): FixtureCommand | undefined =>
    manifest.commands.find(
      (c) => c.command === command && (c.args === undefined || (c.args.length === args.length && c.args.every((a, i) => a === args[i]))),
    );
  const nodeOs: NodeOsFacts | null = manifest.nodeOs;
  return {
    async run(command, args, options): Promise<CommandResult> {
      const c = find(command, args);
      const base = { command, args, stdout: "", stderr: "", exitCode: null, timedOut: false, spawnError: null, durationMs: 0 };
      if (!c || c.missing) return { ...base, spawnError: "ENOENT" };
      if (c.hang) {
        await new Promise((r) => setTimeout(r, options.timeoutMs));
        return { ...base, timedOut: true, durationMs: options.timeoutMs };
      }
      return {
        ...base,
        stdout: c.stdout === undefined ? "" : (outputs.get(c.stdout) ?? ""),
        stderr: c.stderr === undefined ? "" : (outputs.get(c.stderr) ?? ""),
        exitCode: c.exitCode,
        durationMs: c.durationMs,
      };
    },
    async readFile(p) {
      const file = local(p);
      if (file === null) return null;
      try {
        return await readFile(file, "utf8");
      } catch {
        return null;
      }
    },
    async readDir(p) {
      const d = local(p);
      if (d === null) return null;
      try {
        return (await readdir(d)).filter((e) => e !== KEEP_FILE).sort();
      } catch {
        return null;
      }
    },
    env: (name) => manifest.env[name],
    platform: manifest.platform,
    arch: manifest.arch,
    hostname: () => manifest.hostname,
    now: () => new Date(manifest.now),
    availableParallelism: () => manifest.availableParallelism,
    nodeOs: () => nodeOs,
  };
}
