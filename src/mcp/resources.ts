// MCP resources: the HTTP API's OpenAPI document and this machine's snapshot (the system object).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SYSTEM_URI = "nodefit://system";
export const OPENAPI_URI = "nodefit://openapi.json";

/**
 * The committed docs/openapi.json (the same path from src/mcp and dist/mcp; the package ships it). The document is
 * built by the http edge, which this edge may not import; a test holds the committed file to what http generates, so
 * serving the file is serving that document.
 */
export const OPENAPI_FILE = fileURLToPath(new URL("../../docs/openapi.json", import.meta.url));

let openApi: string | null = null;

/** The OpenAPI document's text, read once. */
export function openApiText(): string {
  openApi ??= readFileSync(OPENAPI_FILE, "utf8");
  return openApi;
}
