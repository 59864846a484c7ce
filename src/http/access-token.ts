// Access token: an optional bearer token every route but /health requires, compared in constant time.
import { createHash, timingSafeEqual } from "node:crypto";
import { NodefitError } from "../domain/errors.js";

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
