// OpenAPI writer: `npm run openapi` runs this (built) module to regenerate the committed docs/openapi.json.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openApiJson } from "./openapi.js";

/** docs/openapi.json at the repository root (the same path from src/http and dist/http). */
export const OPENAPI_DOC_FILE = fileURLToPath(new URL("../../docs/openapi.json", import.meta.url));

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OPENAPI_DOC_FILE, openApiJson());
  process.stdout.write(`wrote ${OPENAPI_DOC_FILE}\n`);
}
