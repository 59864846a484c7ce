// Package version: nodefit's version as package.json states it (read once; the same file from src/ and dist/).
import { readFileSync } from "node:fs";

let cached: string | null = null;

export function packageVersion(): string {
  if (cached !== null) return cached;
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  const version = (JSON.parse(text) as { version?: unknown }).version;
  cached = typeof version === "string" ? version : "unknown";
  return cached;
}
