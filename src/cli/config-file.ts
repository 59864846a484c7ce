// The config file (`--config FILE`, NODEFIT_CONFIG, or config.json in the user's config folder): read through the one
// reader of input files (a regular file of at most 256 KiB, opened without blocking), parsed once as JSON against a
// strict schema (an unknown key is refused and named), then each value through its setting's own parser, the one its
// flag and its variable use (settings.ts), so a mistake reads the same from every door. A token is not allowed here:
// a settings file is shared, backed up and pasted into bug reports; `token_file` names a file that holds it.
// Import()ed by settings.ts only when there is a file: zod stays out of what `nodefit serve` loads before it binds.
import path from "node:path";
import { z } from "zod";
import { messageOf, NodefitError } from "../domain/errors.js";
import { issueText, shownValue } from "../domain/issue-text.js";
import { readInputFile } from "../domain/read-input-file.js";
import { FILE_KEYS, SETTINGS, type ConfigFileInfo, type ConfigValues, type JsonKind, type ParseContext } from "./settings.js";

const JSON_FORMS: Readonly<Record<JsonKind, z.ZodType>> = {
  text: z.string(),
  number: z.number(),
  boolean: z.boolean(),
  list: z.array(z.string()),
};

/** Every key the file may hold, each optional, in its JSON form; any other key is refused. */
const ConfigFileSchema = z.strictObject(Object.fromEntries(FILE_KEYS.map((k) => [k, JSON_FORMS[SETTINGS[k].json].optional()])));

export const TOKEN_REFUSED =
  "token: an access token is not kept in the config file (settings files are shared, backed up and pasted into bug reports): put it in a file of its own (chmod 600) and name that file with token_file, or use NODEFIT_TOKEN_FILE / --token-file";

/** `cors_origin[1]` for an issue's path. */
const keyPath = (p: readonly PropertyKey[]): string => p.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join("");

/**
 * Reads and checks the config file at `file` (`from` says who named it: a file that cannot be read says so). Returns
 * the values it gives, parsed; an empty text counts as not set, as an empty variable does. Throws
 * `invalid_input_file` when it cannot be read, `invalid_argument` naming the file and the key for a mistake in it.
 */
export async function readConfigFile(file: string, from: ConfigFileInfo["from"], platform: NodeJS.Platform = process.platform): Promise<ConfigValues> {
  let text: string;
  try {
    text = (await readInputFile(file, "config")).text;
  } catch (e) {
    if (from === "default" || !(e instanceof NodefitError)) throw e;
    throw new NodefitError(e.code, `${e.message} (named by ${from})`, e.details, { cause: e });
  }
  const mistake = (why: string): NodefitError => new NodefitError("invalid_argument", `config file ${file}: ${why}`, { path: file });
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw mistake(`not valid JSON (${messageOf(e)})`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw mistake(`must be a JSON object of settings, like {"port": 8787} (got ${shownValue(json)})`);
  if (Object.hasOwn(json, "token")) throw mistake(TOKEN_REFUSED);
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === "unrecognized_keys") throw mistake(`unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}: the keys are ${FILE_KEYS.join(", ")}`);
    throw mistake(`${keyPath(issue.path)}: ${issueText(issue, json)}`);
  }
  const ctx: ParseContext = { door: "file", base: path.dirname(file), platform };
  const values: Record<string, unknown> = {};
  for (const key of FILE_KEYS) {
    const raw = (parsed.data as Record<string, unknown>)[key];
    if (raw === undefined || raw === "") continue;
    try {
      values[key] = SETTINGS[key].parse(Array.isArray(raw) ? (raw as string[]) : String(raw), key, ctx);
    } catch (e) {
      if (e instanceof NodefitError) throw mistake(e.message);
      throw e;
    }
  }
  if (values["unix_socket"] !== undefined && (values["host"] !== undefined || values["port"] !== undefined)) throw mistake("unix_socket cannot be combined with host or port");
  return values as ConfigValues;
}
