// Access token: an optional bearer token every route but the probes requires, compared in constant time; where it comes from.
import { createHash, timingSafeEqual } from "node:crypto";
import { readInputFile } from "../domain/read-input-file.js";
import { NodefitError } from "../domain/errors.js";

/** SHA-256 of both sides: equal-length buffers for timingSafeEqual, and no early exit on a length difference. */
const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

/** A check for the `Authorization` header: throws `unauthorized` unless it is `Bearer <token>`. */
export function bearerCheck(token: string): (authorization: string | undefined) => void {
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer\s+(.+)$/i.exec(authorization?.trim() ?? "");
    const given = match?.[1];
    if (given === undefined || !timingSafeEqual(digest(given.trim()), expected))
      throw new NodefitError("unauthorized", "missing or wrong access token: send the header Authorization: Bearer <token>");
  };
}

/**
 * The token the settings chose (the CLI's resolver picks between the flags, the environment and the config file, and
 * refuses a token and a token file given together): a file holding it, the token itself (`visible`: given on the
 * command line, which other users see in the process list), or none.
 */
export type TokenChoice = { kind: "file"; path: string } | { kind: "value"; token: string; visible: boolean } | null;

export interface ResolvedToken {
  /** null: no token, every route is open. */
  token: string | null;
  /** Lines for a person (stderr) about how the token is kept. */
  warnings: string[];
}

/** Group or other users may read the file. */
const SHARED_MODE_BITS = 0o077;

/** Reads the token file safely (a regular file of at most 64 KiB, never blocking: domain/read-input-file.ts). */
async function readTokenFile(path: string, warnings: string[]): Promise<string> {
  const { text, stats } = await readInputFile(path, "token");
  const token = text.trim();
  if (token === "") throw new NodefitError("invalid_input_file", `the token file ${path} is empty: write the token on its first line`);
  if (/[\r\n]/.test(token)) throw new NodefitError("invalid_input_file", `the token file ${path} holds several lines: write only the token`);
  // The mode of the file that was read (fstat of the open handle: no second look at the path).
  const mode = stats.mode;
  if (process.platform !== "win32" && (mode & SHARED_MODE_BITS) !== 0)
    warnings.push(`warning: the token file ${path} may be read by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 it`);
  return token;
}

/** The access token: read from its file (an empty file is an error), or as given (an empty token means none). */
export async function resolveAccessToken(choice: TokenChoice): Promise<ResolvedToken> {
  const warnings: string[] = [];
  if (choice === null) return { token: null, warnings };
  if (choice.kind === "file") return { token: await readTokenFile(choice.path, warnings), warnings };
  const token = choice.token.trim();
  if (token === "") return { token: null, warnings };
  if (choice.visible) warnings.push("warning: --token is visible to other users in the process list: prefer --token-file or NODEFIT_TOKEN");
  return { token, warnings };
}
