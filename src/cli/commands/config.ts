// `nodefit config`: every setting as the commands resolve it (a flag, a NODEFIT_* variable, the config file, the
// default), each with the door it came through, and which config file was read. A token is shown as set, never printed.
import { writeJson, type CliIo } from "../cli-io.js";
import { NO_CONFIG, Settings, type ConfigFileInfo, type LoadedConfig, type Resolved, type SettingFlags, type SettingsReport } from "../settings.js";

export interface ConfigFlags extends SettingFlags {
  json?: boolean;
}

/** `nodefit config --json`. */
export interface ConfigJson {
  /** The file looked for (null: none was), who named it, and whether it was there. */
  config_file: ConfigFileInfo | null;
  settings: SettingsReport;
}

/** The settings report. */
export function configJson(settings: Settings): ConfigJson {
  return { config_file: settings.file, settings: settings.describe() };
}

/** What a value reads as for people. */
function shown(key: string, v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? (key === "cors_origin" ? "(none: CORS off)" : "(none)") : v.join(", ");
  if (v === null) {
    if (key === "node_name") return "(the host name)";
    if (key === "catalog") return "(catalog.json in the user's config folder, if there)";
    if (key === "token" || key === "token_file" || key === "hub_token") return "(not set)";
    return "-";
  }
  return String(v);
}

const door = (r: Resolved<unknown>): string => (r.source === "file" ? "config file" : r.from);

export function configText(c: ConfigJson): string {
  const f = c.config_file;
  const head =
    f === null
      ? "config file: none"
      : `config file: ${f.path} (${f.from === "default" ? "the default location" : `from ${f.from}`}${f.found ? "" : "; not there"})`;
  const rows: Array<[string, string, string]> = [];
  for (const [key, r] of Object.entries(c.settings)) {
    if (key === "runtime_endpoints") {
      for (const [kind, e] of Object.entries(r as SettingsReport["runtime_endpoints"]))
        rows.push([`runtime_endpoints.${kind}`, Array.isArray(e.value) && e.value.length === 0 ? "(only once its process is seen)" : shown(key, e.value), door(e)]);
      continue;
    }
    const resolved = r as Resolved<unknown>;
    rows.push([key, shown(key, resolved.value), door(resolved)]);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.min(48, Math.max(...rows.map((r) => r[1].length)));
  const lines = rows.map(([k, v, d]) => `${k.padEnd(w0)}  ${v.length > w1 ? v : v.padEnd(w1)}  ${d}`.trimEnd());
  return `${head}\n\n${"setting".padEnd(w0)}  ${"value".padEnd(w1)}  from\n${lines.join("\n")}\n`;
}

export async function runConfig(flags: ConfigFlags, io: CliIo, config: LoadedConfig = NO_CONFIG): Promise<number> {
  const report = configJson(new Settings({ flags, env: io.env, config }));
  if (flags.json) writeJson(io, report);
  else io.stdout.write(configText(report));
  return 0;
}
