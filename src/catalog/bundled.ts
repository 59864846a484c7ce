// Bundled catalog: reads and validates every data/*.json shipped with nodefit, once per process.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parseCatalogFile } from "./load.js";
import type { ModelSpec } from "./schema.js";

const DATA_DIR = fileURLToPath(new URL("./data/", import.meta.url));

let cached: readonly ModelSpec[] | null = null;

/** The bundled models, validated; throws `invalid_catalog` naming the file and entry when one is wrong. */
export function bundledModels(): readonly ModelSpec[] {
  if (cached) return cached;
  const files = readdirSync(DATA_DIR).filter((f) => f.endsWith(".json")).sort();
  const models: ModelSpec[] = [];
  for (const file of files) {
    const path = join(DATA_DIR, file);
    for (const m of parseCatalogFile(readFileSync(path, "utf8"), `bundled catalog ${file}`)) models.push(m);
  }
  cached = Object.freeze(models);
  return cached;
}
